package dev.jcni.core.os.socket;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.internal.Native;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * The file side of a listening socket: its private directory, the stale file a dead daemon left,
 * and the file this process created (removed only while it is still that file).
 */
final class SocketFile {
    private static final int TYPE_MASK = 0170000;
    private static final int DIRECTORY = 0040000;
    private static final int SOCKET = 0140000;

    private final Path path;
    private final Object dev;
    private final Object ino;

    private SocketFile(Path path, Object dev, Object ino) {
        this.path = path;
        this.dev = dev;
        this.ino = ino;
    }

    /**
     * Creates {@code dir} (and missing parents) 0700, or checks the existing one: a directory, not
     * a symbolic link, owned by our effective uid, with no permission for group or others.
     */
    static void prepareDirectory(Path dir, String operation) throws OsException {
        try {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                createPrivate(dir);
            }
            Map<String, Object> a = Files.readAttributes(dir, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            long uid = ((Integer) a.get("uid")) & 0xffffffffL;
            if ((mode & TYPE_MASK) != DIRECTORY) {
                throw OsException.fromErrno(operation, Errno.ENOTDIR, dir + " is not a directory");
            }
            if (uid != Native.geteuid()) {
                throw OsException.fromErrno(operation, Errno.EACCES, "the socket directory " + dir + " belongs to uid " + uid
                        + ", not to this process's uid " + Native.geteuid());
            }
            if ((mode & 0077) != 0) {
                throw OsException.fromErrno(operation, Errno.EACCES, "the socket directory " + dir + " has mode "
                        + Integer.toOctalString(mode & 07777) + "; it must be 0700 so that nobody else reaches the socket");
            }
        } catch (IOException e) {
            throw OsException.fromErrno(operation, Errno.EIO, "socket directory " + dir + ": " + e);
        }
    }

    private static void createPrivate(Path dir) throws IOException {
        Path parent = dir.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            createPrivate(parent);
        }
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            // made meanwhile; the caller checks what it is
        }
    }

    /**
     * Removes a socket file nobody listens on (connect is refused), so bind can make a new one.
     * A live socket is EADDRINUSE; anything that is not a socket is left alone (EEXIST).
     */
    static void removeIfStale(Path file, String operation) throws OsException {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw OsException.fromErrno(operation, Errno.EIO, file + ": " + e);
        }
        if ((mode & TYPE_MASK) != SOCKET) {
            throw OsException.fromErrno(operation, Errno.EEXIST, file + " exists and is not a socket; not removing it");
        }
        try (SeqpacketSocket probe = SeqpacketSocket.connect(file.toString())) {
            throw OsException.fromErrno(operation, Errno.EADDRINUSE, "another process listens at " + file);
        } catch (OsException e) {
            if (e.errno() != Errno.ECONNREFUSED && e.errno() != Errno.ENOENT) {
                throw e;
            }
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw OsException.fromErrno(operation, Errno.EIO, "cannot remove the stale socket " + file + ": " + e);
        }
    }

    /** Records the socket file bind(2) just made, and makes it 0600. */
    static SocketFile created(Path file, String operation) throws OsException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            Map<String, Object> a = Files.readAttributes(file, "unix:dev,ino", LinkOption.NOFOLLOW_LINKS);
            return new SocketFile(file, a.get("dev"), a.get("ino"));
        } catch (IOException e) {
            throw OsException.fromErrno(operation, Errno.EIO, file + ": " + e);
        }
    }

    /** Deletes the file if it is still the one created; any failure leaves it (never throws). */
    void removeIfOurs() {
        try {
            Map<String, Object> a = Files.readAttributes(path, "unix:dev,ino", LinkOption.NOFOLLOW_LINKS);
            if (dev.equals(a.get("dev")) && ino.equals(a.get("ino"))) {
                Files.delete(path);
            }
        } catch (IOException e) {
            // gone already, or replaced: nothing of ours to remove
        }
    }
}
