package dev.jcni.core.os.fs;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.internal.FileStatus;
import dev.jcni.core.os.internal.Native;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A lock file taken with flock(2), the whole-file lock Go programs use for shared state: the
 * reference host-local serialises its lease store with it (go-filemutex on {@code <dir>/lock}).
 * Holding the same kind of lock on the same file is what makes our plugin and the reference one
 * exclude each other. Java's {@code FileChannel.lock} cannot do it: it takes a POSIX record lock
 * (fcntl), and on Linux flock and fcntl locks never see each other.
 *
 * <p>The file is opened (created 0600 when absent) without following a symbolic link and without
 * blocking (a FIFO planted there must not hang the open), and must turn out to be a regular file.
 * Its content is never read or written. A flock belongs to the open file description, so two
 * handles exclude each other even inside one process; the kernel drops the lock when the
 * descriptor is closed, or the process dies, so a killed holder leaves nothing to clean up.
 */
public final class Flock implements AutoCloseable {
    private static final int OPEN_FLAGS = Native.O_RDONLY | Native.O_CLOEXEC | Native.O_NOFOLLOW | Native.O_NONBLOCK
            | Native.O_NOCTTY;
    private static final int MODE = 0600;
    private static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final String path;
    private int fd;
    private boolean held;

    private Flock(String path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /**
     * Opens the lock file {@code path}, creating it (mode 0600 less the umask) when absent.
     *
     * @throws OsException ELOOP for a symbolic link, EISDIR for a directory, EINVAL (with the
     *                     type in the message) for any other file that is not a regular file,
     *                     and whatever open(2) reports otherwise
     */
    public static Flock open(String path) throws OsException {
        String operation = "open lock file " + path;
        int fd = Native.openCreate(path, OPEN_FLAGS, MODE, operation);
        try {
            FileStatus status = Native.status(fd, operation);
            if (!status.isRegularFile()) {
                throw OsException.fromErrno(operation, Errno.EINVAL, "it is " + status.typeName() + ", not a regular file");
            }
        } catch (OsException | RuntimeException e) {
            Native.close(fd);
            throw e;
        }
        return new Flock(path, fd);
    }

    public String path() {
        return path;
    }

    /** True while this handle holds the lock. */
    public boolean isHeld() {
        return held;
    }

    /** Takes the exclusive lock if nobody holds it; false (not waiting) when somebody does. */
    public boolean tryLockExclusive() throws OsException {
        checkOpen();
        try {
            Native.flock(fd, Native.LOCK_EX | Native.LOCK_NB, "flock " + path);
        } catch (OsException e) {
            if (e.errno() == Errno.EAGAIN) {
                return false;
            }
            throw e;
        }
        held = true;
        return true;
    }

    /**
     * Takes the exclusive lock, waiting at most {@code wait} for its holder; false when the lock
     * was still held at the deadline. Polls (1 ms, doubling up to 10 ms) rather than blocking in
     * the kernel, so the wait is bounded and an interrupt ends it.
     */
    public boolean lockExclusive(Duration wait) throws OsException, InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        long pause = FIRST_PAUSE_NANOS;
        while (!tryLockExclusive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(pause, left));
            pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
        }
        return true;
    }

    /** Releases the lock (the file stays, for the next holder). */
    public void unlock() throws OsException {
        if (held) {
            held = false;
            Native.flock(fd, Native.LOCK_UN, "unlock " + path);
        }
    }

    /** Closes the descriptor, which releases the lock if it is held. */
    @Override
    public void close() {
        held = false;
        Native.close(fd);
        fd = -1;
    }

    private void checkOpen() {
        if (fd < 0) {
            throw new IllegalStateException("lock file " + path + " is closed");
        }
    }

    @Override
    public String toString() {
        return "flock " + path + (held ? " (held)" : "");
    }
}
