package dev.jcni.core.os.fs;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.internal.FileStatus;
import dev.jcni.core.os.internal.Native;
import java.util.Arrays;

/**
 * Replaces the content of an existing small file of ours in place: same inode, no new file. For
 * a hint rewritten on every request (host-local's {@code last_reserved_ip.N}, which the reference
 * writes in place too), where a temporary file renamed over the old one would create and free an
 * inode each time: ext4's inode allocator then spends a growing share of the request skipping
 * recently freed inodes (measured with async-profiler in a warm jcnid: {@code find_inode_bit} /
 * {@code recently_deleted} under the temporary file's creation). Not atomic: after a crash the
 * file may hold part of the content, so it is only for content whose reader validates it and
 * can do without it.
 *
 * <p>The file is opened as {@link UntrustedFiles} opens one to read (no symbolic link followed,
 * no blocking on a FIFO) and checked the same way (a regular file of ours that others cannot
 * write) before it is truncated.
 */
public final class InPlaceRewrite {
    private static final int OPEN_FLAGS = Native.O_WRONLY | Native.O_CLOEXEC | Native.O_NOFOLLOW | Native.O_NONBLOCK
            | Native.O_NOCTTY;

    private InPlaceRewrite() {}

    /**
     * Makes {@code content} the whole content of {@code path} when it is a regular file of ours;
     * false, with nothing changed, when there is no such file or it is anything else (a symbolic
     * link, a FIFO, someone else's): the caller then writes it its own way.
     *
     * @throws OsException when the file was opened but truncating or writing it failed (ENOSPC, EIO...)
     */
    public static boolean rewrite(String path, byte[] content) throws OsException {
        String operation = "rewrite " + path;
        int fd;
        try {
            fd = Native.open(path, OPEN_FLAGS, operation);
        } catch (OsException e) {
            if (e.errno() == Errno.ENOENT || e.errno() == Errno.ELOOP || e.errno() == Errno.ENXIO || e.errno() == Errno.EISDIR) {
                return false;
            }
            throw e;
        }
        try {
            FileStatus status = Native.status(fd, operation);
            if (UntrustedFiles.refusal(status, Long.MAX_VALUE) != null) {
                return false;
            }
            Native.ftruncate(fd, 0, operation);
            int done = 0;
            while (done < content.length) {
                byte[] rest = done == 0 ? content : Arrays.copyOfRange(content, done, content.length);
                int n = Native.write(fd, rest, rest.length, operation);
                if (n <= 0) {
                    throw OsException.fromErrno(operation, Errno.EIO, "write(2) wrote nothing");
                }
                done += n;
            }
            return true;
        } finally {
            Native.close(fd);
        }
    }
}
