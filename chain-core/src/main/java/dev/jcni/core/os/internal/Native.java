package dev.jcni.core.os.internal;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The only class that calls libc. Each wrapper turns {@code rc < 0} into an {@link OsException}
 * built from errno (the subclass tells the cause), and retries EINTR where retrying is correct.
 *
 * <p>Buffers are plain Java arrays: jnr-ffi copies them in ({@code @In}) or out ({@code @Out}),
 * which for netlink-sized messages costs less than setting up native memory. libc is loaded
 * lazily in {@link Holder}, so code that never reaches the kernel (the VERSION verb, config
 * validation) never loads jnr-ffi. Works with {@code -Djnr.ffi.asm.enabled=false}, which the
 * launcher uses because reflection stubs start faster than generated ones.
 *
 * <p>Public only because the netns, netlink and sysctl packages share it; not an API.
 */
public final class Native {
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_CLOEXEC = 0x80000;
    public static final int CLONE_NEWNET = 0x40000000;
    public static final int AF_NETLINK = 16;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int NETLINK_ROUTE = 0;
    public static final int SOL_SOCKET = 1;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SOL_NETLINK = 270;
    public static final int NETLINK_CAP_ACK = 10;
    public static final int NETLINK_EXT_ACK = 11;
    public static final int MSG_TRUNC = 0x20;

    private Native() {}

    /** The raw C signatures. Public because jnr-ffi's generated stubs must be able to implement it. */
    public interface LibC {
        int open(@In byte[] path, int flags);

        int close(int fd);

        int setns(int fd, int nstype);

        int socket(int domain, int type, int protocol);

        int bind(int fd, @In byte[] addr, int addrlen);

        int setsockopt(int fd, int level, int optname, @In byte[] optval, int optlen);

        @ssize_t long send(int fd, @In byte[] buf, @size_t long len, int flags);

        @ssize_t long recv(int fd, @Out byte[] buf, @size_t long len, int flags);

        @ssize_t long read(int fd, @Out byte[] buf, @size_t long count);

        @ssize_t long write(int fd, @In byte[] buf, @size_t long count);

        int getpid();
    }

    /** Loads libc on first use; a failure is kept and reported on every call, not as NoClassDefFoundError. */
    private static final class Holder {
        static final LibC LIBC;
        static final jnr.ffi.Runtime RUNTIME;
        static final Throwable FAILURE;

        static {
            LibC libc = null;
            jnr.ffi.Runtime runtime = null;
            Throwable failure = null;
            try {
                libc = LibraryLoader.create(LibC.class).load("c");
                runtime = jnr.ffi.Runtime.getRuntime(libc);
            } catch (Throwable t) {
                failure = t;
            }
            LIBC = libc;
            RUNTIME = runtime;
            FAILURE = failure;
        }
    }

    private static LibC libc() {
        LibC libc = Holder.LIBC;
        if (libc == null) {
            throw new IllegalStateException("jnr-ffi could not bind libc: " + Holder.FAILURE, Holder.FAILURE);
        }
        return libc;
    }

    private static int errno() {
        return LastError.getLastError(Holder.RUNTIME);
    }

    /** True when libc is bound through reflection proxies ({@code jnr.ffi.asm.enabled=false}) rather than generated classes. */
    public static boolean usesReflectionStubs() {
        return Proxy.isProxyClass(libc().getClass());
    }

    public static int getpid() {
        return libc().getpid();
    }

    /** open(2); ENOENT becomes a NotFoundException naming {@code operation}. */
    public static int open(String path, int flags, String operation) throws OsException {
        if (path.indexOf('\0') >= 0) {
            // C would silently open the prefix before the NUL.
            throw OsException.fromErrno(operation, Errno.EINVAL, "path contains a NUL byte");
        }
        byte[] cPath = cString(path);
        LibC libc = libc();
        while (true) {
            int fd = libc.open(cPath, flags);
            if (fd >= 0) {
                return fd;
            }
            int err = errno();
            if (err != Errno.EINTR) {
                throw OsException.fromErrno(operation, err);
            }
        }
    }

    /** close(2), errors ignored: on Linux the descriptor is gone even when close fails, and retrying EINTR could close a reused fd. */
    public static void close(int fd) {
        if (fd >= 0) {
            libc().close(fd);
        }
    }

    /** setns(2) for the calling OS thread only. */
    public static void setns(int fd, int nstype, String operation, String detailOnEinval) throws OsException {
        if (libc().setns(fd, nstype) < 0) {
            int err = errno();
            throw OsException.fromErrno(operation, err, err == Errno.EINVAL ? detailOnEinval : null);
        }
    }

    public static int socket(int domain, int type, int protocol, String operation) throws OsException {
        int fd = libc().socket(domain, type, protocol);
        if (fd < 0) {
            throw OsException.fromErrno(operation, errno());
        }
        return fd;
    }

    public static void bind(int fd, byte[] addr, String operation) throws OsException {
        if (libc().bind(fd, addr, addr.length) < 0) {
            throw OsException.fromErrno(operation, errno());
        }
    }

    /** setsockopt(2) with an int option value. */
    public static void setsockoptInt(int fd, int level, int option, int value, String operation) throws OsException {
        byte[] v = new byte[4];
        // Host byte order: every platform this runs on (x86_64, aarch64) is little-endian.
        v[0] = (byte) value;
        v[1] = (byte) (value >>> 8);
        v[2] = (byte) (value >>> 16);
        v[3] = (byte) (value >>> 24);
        if (libc().setsockopt(fd, level, option, v, 4) < 0) {
            throw OsException.fromErrno(operation, errno());
        }
    }

    /** send(2) of {@code buf[0..len)}, retrying EINTR; returns the bytes sent. */
    public static int send(int fd, byte[] buf, int len, String operation) throws OsException {
        LibC libc = libc();
        while (true) {
            long n = libc.send(fd, buf, len, 0);
            if (n >= 0) {
                return (int) n;
            }
            int err = errno();
            if (err != Errno.EINTR) {
                throw OsException.fromErrno(operation, err);
            }
        }
    }

    /** recv(2) into {@code buf[0..len)}, retrying EINTR. With MSG_TRUNC the result may exceed {@code len}. */
    public static int recv(int fd, byte[] buf, int len, int flags, String operation) throws OsException {
        LibC libc = libc();
        while (true) {
            long n = libc.recv(fd, buf, len, flags);
            if (n >= 0) {
                return (int) n;
            }
            int err = errno();
            if (err != Errno.EINTR) {
                throw OsException.fromErrno(operation, err);
            }
        }
    }

    /** One read(2), retrying EINTR. One call matters for /proc/sys: a second read at offset &gt; 0 returns EOF. */
    public static int read(int fd, byte[] buf, int len, String operation) throws OsException {
        LibC libc = libc();
        while (true) {
            long n = libc.read(fd, buf, len);
            if (n >= 0) {
                return (int) n;
            }
            int err = errno();
            if (err != Errno.EINTR) {
                throw OsException.fromErrno(operation, err);
            }
        }
    }

    /** One write(2), retrying EINTR; returns the bytes written. */
    public static int write(int fd, byte[] buf, int len, String operation) throws OsException {
        LibC libc = libc();
        while (true) {
            long n = libc.write(fd, buf, len);
            if (n >= 0) {
                return (int) n;
            }
            int err = errno();
            if (err != Errno.EINTR) {
                throw OsException.fromErrno(operation, err);
            }
        }
    }

    private static byte[] cString(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        byte[] c = new byte[utf8.length + 1];
        System.arraycopy(utf8, 0, c, 0, utf8.length);
        return c;
    }
}
