package dev.jcni.cnictl.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads a file the runtime did not write in this run: a config another tool put in the config
 * directory, a cache entry anyone with write access to the cache directory could have planted.
 * Only a regular file is opened (the type is checked first: opening a FIFO would wait for a
 * writer forever, a device such as /dev/zero never ends), and no more than a bound is read.
 * Symbolic links are followed, as libcni follows them; callers that must stay inside a directory
 * check where the link leads.
 */
final class RegularFiles {
    /** Why a file was not read, in an operator's words. */
    static final class Refused extends IOException {
        Refused(String reason) {
            super(reason);
        }
    }

    private RegularFiles() {}

    /**
     * Whether {@code dir} (links followed) is a directory that may be listed; false when nothing
     * is there. Checked before anything opens it: listing a FIFO opens it, and that open waits
     * for a writer forever.
     *
     * @throws Refused when something that is not a directory is there
     */
    static boolean isListableDirectory(Path dir) throws Refused {
        if (Files.isDirectory(dir)) {
            return true;
        }
        if (!Files.exists(dir)) {
            return false;
        }
        throw new Refused("not a directory");
    }

    /** Whether {@code file} (links followed) is a regular file; false if it does not exist. */
    static boolean isRegular(Path file) {
        return Files.isRegularFile(file);
    }

    /**
     * The bytes of the regular file at {@code file}, at most {@code max} of them.
     *
     * @throws Refused if it is not a regular file or is larger than {@code max}
     * @throws IOException if it cannot be read (missing, permission denied)
     */
    static byte[] read(Path file, int max) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        if (!attributes.isRegularFile()) {
            throw new Refused("not a regular file");
        }
        if (attributes.size() > max) {
            throw new Refused("larger than " + max + " bytes");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw new Refused("larger than " + max + " bytes");
            }
            return bytes;
        }
    }
}
