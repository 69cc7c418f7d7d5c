package dev.jcni.core.os.fs;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.internal.FileStatus;
import dev.jcni.core.os.internal.Native;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a file whose path or content someone else may have chosen, so that no such file can hang,
 * exhaust or fool the reader:
 *
 * <ul>
 *   <li>opened with O_NOFOLLOW (a symbolic link as the last component is refused, not followed
 *       out of the directory it sits in), O_NONBLOCK (a FIFO with no writer must not block the
 *       open) and O_NOCTTY;</li>
 *   <li>what was opened is checked on the descriptor, so it cannot be swapped after the check: a
 *       regular file (a FIFO, a device such as /dev/zero, a directory or a socket is refused),
 *       owned by our effective user (root in production: nobody else plants it), not writable
 *       by others, and no larger than the caller's bound;</li>
 *   <li>read with that bound enforced on the bytes actually read too (some files lie about their
 *       size).</li>
 * </ul>
 *
 * A missing file is {@link FileRead.Kind#ABSENT}, a file failing a check
 * {@link FileRead.Kind#REFUSED} with the reason; only unexpected I/O failures throw.
 *
 * <p>{@link #readWorldReadable} is the variant for a shared file a caller names, such as a
 * resolv.conf: whoever owns it, it is read only if every user of the node may read it anyway.
 */
public final class UntrustedFiles {
    private static final int OPEN_FLAGS = Native.O_RDONLY | Native.O_CLOEXEC | Native.O_NOFOLLOW | Native.O_NONBLOCK
            | Native.O_NOCTTY;
    private static final int OTHERS_WRITE = 0002;
    private static final int OTHERS_READ = 0004;
    private static final int OTHERS_SEARCH = 0001;
    private static final int CHUNK = 8192;

    private UntrustedFiles() {}

    /**
     * The content of {@code path}, if it is a regular file of ours of at most {@code maxBytes}.
     *
     * @throws OsException when the file exists but reading it fails for another reason (EACCES, EIO...)
     */
    public static FileRead read(String path, int maxBytes) throws OsException {
        return read(path, maxBytes, false);
    }

    /**
     * The first {@code maxBytes} bytes of {@code path} (all of it when it is shorter), if it is a
     * regular file of ours: every check of {@link #read} but the size. For recognising a file by
     * its beginning, such as an executable's header, without reading the rest of it.
     *
     * @throws OsException when the file exists but reading it fails for another reason (EACCES, EIO...)
     */
    public static FileRead readPrefix(String path, int maxBytes) throws OsException {
        return read(path, maxBytes, true);
    }

    private static FileRead read(String path, int maxBytes, boolean prefix) throws OsException {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("negative bound " + maxBytes);
        }
        if (!Files.exists(Path.of(path), LinkOption.NOFOLLOW_LINKS)) {
            // The common case (no allowlist, no earlier backup) answered without the native
            // library, which a plugin binds in the background while it validates its request.
            return FileRead.absent(path);
        }
        String operation = "read " + path;
        int fd;
        try {
            fd = Native.open(path, OPEN_FLAGS, operation);
        } catch (OsException e) {
            if (e.errno() == Errno.ENOENT) {
                return FileRead.absent(path);
            }
            if (e.errno() == Errno.ELOOP) {
                return FileRead.refused(path, "is a symbolic link");
            }
            if (e.errno() == Errno.ENXIO) {
                // open(2) of a socket, or of a device without a driver.
                return FileRead.refused(path, "is not a regular file");
            }
            throw e;
        }
        try {
            FileStatus status = Native.status(fd, operation);
            String refusal = refusal(status, prefix ? Long.MAX_VALUE : maxBytes);
            if (refusal != null) {
                return FileRead.refused(path, refusal);
            }
            return prefix ? readPrefix(fd, path, maxBytes, operation) : readBounded(fd, path, maxBytes, status.size(), operation);
        } finally {
            Native.close(fd);
        }
    }

    /**
     * The content of {@code path}, a file shared on the node that a caller (a network config)
     * named, such as {@code /etc/resolv.conf}: read only if every user of the node could read it
     * anyway, so that naming it reveals nothing. Whoever owns it (systemd-resolved's stub file is
     * not root's), and through symbolic links (the usual {@code /etc/resolv.conf} is one): the
     * rules apply to the file they lead to, which must be a regular file, readable by others, at
     * most {@code maxBytes}, in directories others may enter. It is opened without blocking and
     * checked again on the descriptor. A file owned by us that only we may read is refused too:
     * as root that would be any file on the node.
     *
     * @throws OsException when the file exists but reading it fails for another reason (EIO...)
     */
    public static FileRead readWorldReadable(String path, int maxBytes) throws OsException {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("negative bound " + maxBytes);
        }
        Path real;
        try {
            real = Path.of(path).toRealPath();
            for (Path dir = real.getParent(); dir != null; dir = dir.getParent()) {
                int mode = (Integer) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                if ((mode & OTHERS_SEARCH) == 0) {
                    return FileRead.refused(path, "is in " + dir + ", which not every user may enter (mode "
                            + Integer.toOctalString(mode & 07777) + ")");
                }
            }
        } catch (NoSuchFileException e) {
            return FileRead.absent(path);
        } catch (IOException e) {
            return FileRead.refused(path, "cannot be resolved: " + e.getMessage());
        }
        String operation = "read " + path;
        int fd;
        try {
            fd = Native.open(real.toString(), OPEN_FLAGS, operation);
        } catch (OsException e) {
            if (e.errno() == Errno.ENOENT) {
                return FileRead.absent(path);
            }
            if (e.errno() == Errno.ELOOP || e.errno() == Errno.ENXIO) {
                return FileRead.refused(path, "changed while it was opened");
            }
            throw e;
        }
        try {
            FileStatus status = Native.status(fd, operation);
            if (!status.isRegularFile()) {
                return FileRead.refused(path, "is " + status.typeName() + ", not a regular file");
            }
            if ((status.permissions() & OTHERS_READ) == 0) {
                return FileRead.refused(path, "is not readable by every user (mode " + Integer.toOctalString(status.permissions()) + ")");
            }
            if (status.size() > maxBytes) {
                return FileRead.refused(path, "is larger than " + maxBytes + " bytes (" + status.size() + ")");
            }
            return readBounded(fd, path, maxBytes, status.size(), operation);
        } finally {
            Native.close(fd);
        }
    }

    /** Why a file with this status is not read, or null when it may be. */
    static String refusal(FileStatus status, long maxBytes) {
        if (!status.isRegularFile()) {
            return "is " + status.typeName() + ", not a regular file";
        }
        long euid = Native.geteuid();
        if (status.uid() != euid) {
            return "is owned by uid " + status.uid() + ", not by uid " + euid;
        }
        if ((status.permissions() & OTHERS_WRITE) != 0) {
            return "is writable by every user (mode " + Integer.toOctalString(status.permissions()) + ")";
        }
        if (status.size() > maxBytes) {
            return "is larger than " + maxBytes + " bytes (" + status.size() + ")";
        }
        return null;
    }

    /** Reads until {@code maxBytes} bytes or EOF, whichever comes first. */
    private static FileRead readPrefix(int fd, String path, int maxBytes, String operation) throws OsException {
        byte[] chunk = new byte[Math.min(CHUNK, Math.max(1, maxBytes))];
        ByteArrayOutputStream out = new ByteArrayOutputStream(chunk.length);
        while (out.size() < maxBytes) {
            int n = Native.read(fd, chunk, Math.min(chunk.length, maxBytes - out.size()), operation);
            if (n == 0) {
                break;
            }
            out.write(chunk, 0, n);
        }
        return FileRead.content(path, out.toByteArray());
    }

    /**
     * Reads to EOF, but never more than one byte past the bound: enough to know it was exceeded.
     * A short read that brings the total to the size statx reported is taken as EOF without a
     * further read (a state directory is read file after file); files that report no size, such
     * as those of /proc, are read until read(2) returns 0.
     */
    private static FileRead readBounded(int fd, String path, int maxBytes, long reportedSize, String operation) throws OsException {
        byte[] chunk = new byte[Math.min(CHUNK, maxBytes + 1)];
        ByteArrayOutputStream out = new ByteArrayOutputStream(chunk.length);
        while (true) {
            int wanted = Math.min(chunk.length, maxBytes + 1 - out.size());
            int n = Native.read(fd, chunk, wanted, operation);
            if (n == 0) {
                return FileRead.content(path, out.toByteArray());
            }
            out.write(chunk, 0, n);
            if (out.size() > maxBytes) {
                return FileRead.refused(path, "is larger than " + maxBytes + " bytes");
            }
            if (n < wanted && reportedSize > 0 && out.size() == reportedSize) {
                return FileRead.content(path, out.toByteArray());
            }
        }
    }
}
