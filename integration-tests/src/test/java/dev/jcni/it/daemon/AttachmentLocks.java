package dev.jcni.it.daemon;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Every attachment lock of one plugin in a lock directory, held by the test: requests of that
 * plugin (ADD, DEL, CHECK) then wait inside the daemon, after ACCEPTED, until {@link #close}.
 * The skel's lock is a POSIX record lock on {@code <dir>/<plugin>.<two hex digits>}; another
 * process's lock on the same file makes it wait.
 */
final class AttachmentLocks implements AutoCloseable {
    private final List<FileChannel> channels = new ArrayList<>();
    private final List<FileLock> locks = new ArrayList<>();

    AttachmentLocks(Path dir, String plugin) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        for (int stripe = 0; stripe < 256; stripe++) {
            Path file = dir.resolve(plugin + "." + Character.forDigit(stripe >> 4, 16) + Character.forDigit(stripe & 0xf, 16));
            FileChannel c = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            channels.add(c);
            locks.add(c.lock());
        }
    }

    @Override
    public void close() throws IOException {
        for (FileLock l : locks) {
            l.release();
        }
        for (FileChannel c : channels) {
            c.close();
        }
    }
}
