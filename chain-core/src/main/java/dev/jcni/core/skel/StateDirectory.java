package dev.jcni.core.skel;

import dev.jcni.core.os.OsException;
import dev.jcni.core.os.fs.FileRead;
import dev.jcni.core.os.fs.InPlaceRewrite;
import dev.jcni.core.os.fs.UntrustedFiles;
import dev.jcni.core.protocol.CniException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A plugin's state directory (tuning's backups today; host-local's leases, portmap's and
 * bandwidth's records later): files the plugin writes and reads back on a later request.
 *
 * <p>Written so that no reader ever sees half a file and nobody else can read or change them:
 * mode 0600, in a directory created 0700 (whatever the caller's umask), through a temporary file
 * renamed over the old one.
 *
 * <p>Read back as untrusted input, because anything may have been put there since: through
 * {@link UntrustedFiles}, so a symbolic link, a FIFO, a device, a file of another owner or one
 * larger than the plugin's bound is refused without being followed, waited on or read to the end.
 * {@link #read} never throws: the answer is absent, refused (with the reason) or the content, and
 * the plugin decides what each means for its verb. What the content says is validated by the
 * plugin with the same rules as its config.
 */
public final class StateDirectory {
    private static final Set<PosixFilePermission> FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-------");
    private static final FileAttribute<Set<PosixFilePermission>> FILE_MODE = PosixFilePermissions.asFileAttribute(FILE_PERMISSIONS);
    private static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
    private static final String TEMPORARY_PREFIX = ".tmp-";

    private final Path dir;
    private final int maxFileBytes;

    /**
     * @param dir          an absolute path (the plugin validates its config's value first)
     * @param maxFileBytes the largest file {@link #read} accepts
     */
    public StateDirectory(String dir, int maxFileBytes) {
        if (dir == null || !dir.startsWith("/")) {
            throw new IllegalArgumentException("state directory must be an absolute path: " + dir);
        }
        this.dir = Path.of(dir);
        this.maxFileBytes = maxFileBytes;
    }

    public Path dir() {
        return dir;
    }

    /** The path of the state file {@code name}: a plain file name, no separator, not "." or "..". */
    public Path file(String name) {
        if (name.isEmpty() || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0 || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not a state file name: \"" + name + "\"");
        }
        return dir.resolve(name);
    }

    /** The file {@code name} as untrusted input: absent, refused with a reason, or its content. Never throws. */
    public FileRead read(String name) {
        String path = file(name).toString();
        try {
            return UntrustedFiles.read(path, maxFileBytes);
        } catch (OsException e) {
            return FileRead.refused(path, "cannot be read: " + e.getMessage());
        }
    }

    /** True when something (of any type) is at {@code name}. */
    public boolean exists(String name) {
        return Files.exists(file(name), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Replaces the file {@code name} with {@code content} atomically: a new 0600 file, written
     * and then renamed over whatever was there (a symbolic link or FIFO planted there is
     * replaced, never followed). Creates the directory, mode 0700, when it does not exist.
     */
    public void write(String name, byte[] content) throws CniException {
        Path target = file(name);
        try {
            createDirectory();
            Path tmp = createTemporaryWith(content);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new CniException(CniException.PLUGIN_FAILURE, "failed to save state file " + target, e.toString());
        }
    }

    /**
     * Makes {@code content} the content of {@code name} in place when it is already a regular
     * file of ours (same inode: {@link InPlaceRewrite}), else as {@link #write} does. Not atomic:
     * only for a hint whose reader validates it and can do without it.
     */
    public void overwrite(String name, byte[] content) throws CniException {
        Path target = file(name);
        try {
            if (InPlaceRewrite.rewrite(target.toString(), content)) {
                return;
            }
        } catch (OsException e) {
            throw new CniException(CniException.PLUGIN_FAILURE, "failed to save state file " + target, e.getMessage());
        }
        write(name, content);
    }

    /** Removes {@code name} (not what a link there points to); a missing file is fine. False, logged, on failure. */
    public boolean delete(String name) {
        Path p = file(name);
        try {
            Files.deleteIfExists(p);
            return true;
        } catch (IOException e) {
            Log.warn("cannot remove state file " + p + ": " + e.getMessage());
            return false;
        }
    }

    /** The names of the entries ending in {@code suffix}, temporary files excepted; none when the directory is missing. */
    public List<String> list(String suffix) throws CniException {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (name.endsWith(suffix) && !name.startsWith(TEMPORARY_PREFIX)) {
                    out.add(name);
                }
            }
        } catch (IOException e) {
            throw new CniException(CniException.PLUGIN_FAILURE, "cannot list state directory " + dir, e.toString());
        }
        return out;
    }

    /**
     * Creates the directory, 0700, when there is none. A directory that exists, or a link to
     * one, is used as it is and its mode never touched: the path may come from a network config,
     * and a link to a host directory ({@code /bin} on a merged-usr host) must not make the plugin
     * chmod that directory.
     */
    private void createDirectory() throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
        // createDirectories applies the umask; the mode must not depend on the caller's. Set on
        // the directory itself, never through a link that replaced it meanwhile.
        Files.getFileAttributeView(dir, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setPermissions(DIRECTORY_MODE);
    }

    /**
     * A new file of ours, opened exclusively (O_CREAT|O_EXCL never follows a link), holding the
     * content. Not Files.createTempFile: its random name initialises SecureRandom, milliseconds at
     * start-up; a clock reading is unique enough and CREATE_NEW catches the rare clash.
     */
    private Path createTemporaryWith(byte[] content) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve(TEMPORARY_PREFIX + System.nanoTime());
            SeekableByteChannel out;
            try {
                out = Files.newByteChannel(tmp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), FILE_MODE);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 10) {
                    throw e;
                }
                continue;
            }
            try (SeekableByteChannel channel = out) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
                // The creation mode went through the umask; the file's must not depend on the caller's.
                Files.setPosixFilePermissions(tmp, FILE_PERMISSIONS);
                return tmp;
            } catch (IOException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
        }
    }
}
