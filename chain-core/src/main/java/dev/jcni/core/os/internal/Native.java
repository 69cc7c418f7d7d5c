package dev.jcni.core.os.internal;

import static dev.jcni.core.os.internal.CType.INT;
import static dev.jcni.core.os.internal.CType.LONG;
import static dev.jcni.core.os.internal.CType.POINTER;
import static dev.jcni.core.os.internal.CType.SIZE_T;
import static dev.jcni.core.os.internal.CType.SSIZE_T;
import static dev.jcni.core.os.internal.CType.UINT;
import static dev.jcni.core.os.internal.CType.ULONG;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import java.nio.charset.StandardCharsets;

/**
 * The libc functions jcni calls: one table row per function, and a wrapper per row that takes
 * and returns Java values. Failures are {@link OsException}s built from errno (the subclass tells
 * the cause); EINTR is retried by {@link NativeFunction#call}.
 *
 * <p>Calls go through jffi, the native core of jnr-ffi, directly: jnr-ffi's binding layer
 * (proxy stubs, annotation reflection) cost about 25 ms at every start, and a plugin process
 * makes a dozen calls. Buffers are Java arrays copied to and from short-lived native memory.
 * Rows bind on first use, so code that never reaches the kernel (the VERSION verb, config
 * validation) never loads jffi.
 *
 * <p>A second library is bound the same way: a class with its own {@link NativeLibrary}, its
 * rows, and its wrappers.
 *
 * <p>Public only because the netns, netlink and sysctl packages share it; not an API.
 */
public final class Native {
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_NOCTTY = 0x100;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;
    public static final int O_CREAT = 0x40;
    /**
     * Fail with ELOOP instead of following a symbolic link in the last path component. One of the
     * few open flags whose value differs between the two architectures we run on.
     */
    public static final int O_NOFOLLOW = "aarch64".equals(System.getProperty("os.arch")) ? 0x8000 : 0x20000;
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
    /** statfs(2) f_type of the namespace file system (nsfs). */
    public static final long NSFS_MAGIC = 0x6e736673L;
    /** ioctl(2) on a namespace file: returns its CLONE_NEW* type (Linux 4.11+). */
    public static final long NS_GET_NSTYPE = 0xb703L;
    /** flock(2) operations. */
    public static final int LOCK_SH = 1;
    public static final int LOCK_EX = 2;
    public static final int LOCK_NB = 4;
    public static final int LOCK_UN = 8;

    /** openat(2)'s "relative to the working directory", for an absolute path the same as open(2). */
    private static final int AT_FDCWD = -100;

    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int STATX_TYPE = 0x1;
    private static final int STATX_MODE = 0x2;
    private static final int STATX_UID = 0x8;
    private static final int STATX_INO = 0x100;
    private static final int STATX_SIZE_FIELD = 0x200;
    /** struct statfs on LP64 Linux is 120 bytes; f_type, a long, comes first. */
    private static final int STATFS_SIZE = 256;
    /** struct statx is 256 bytes on every architecture, with fixed offsets. */
    private static final int STATX_BUFFER = 256;
    private static final int STATX_MASK_OFFSET = 0;
    private static final int STATX_UID_OFFSET = 20;
    private static final int STATX_MODE_OFFSET = 28;
    private static final int STATX_SIZE_OFFSET = 40;
    private static final int STATX_INO_OFFSET = 32;
    private static final int STATX_DEV_MAJOR_OFFSET = 136;
    private static final int STATX_DEV_MINOR_OFFSET = 140;

    static final NativeLibrary LIBC = new NativeLibrary("libc.so.6");

    // The table: one row per libc function, as its C prototype declares it.
    private static final NativeFunction GETPID = LIBC.function("getpid", INT);
    private static final NativeFunction GETEUID = LIBC.function("geteuid", UINT);
    private static final NativeFunction OPEN = LIBC.function("open", INT, POINTER, INT);
    // openat rather than a second "open" row: one row per symbol, and this one passes the mode.
    private static final NativeFunction OPENAT = LIBC.function("openat", INT, INT, POINTER, INT, UINT);
    private static final NativeFunction FLOCK = LIBC.function("flock", INT, INT, INT);
    private static final NativeFunction CLOSE = LIBC.function("close", INT, INT);
    private static final NativeFunction READ = LIBC.function("read", SSIZE_T, INT, POINTER, SIZE_T);
    private static final NativeFunction WRITE = LIBC.function("write", SSIZE_T, INT, POINTER, SIZE_T);
    private static final NativeFunction FTRUNCATE = LIBC.function("ftruncate", INT, INT, LONG);
    private static final NativeFunction IOCTL = LIBC.function("ioctl", INT, INT, ULONG);
    private static final NativeFunction FSTATFS = LIBC.function("fstatfs", INT, INT, POINTER);
    private static final NativeFunction STATX = LIBC.function("statx", INT, INT, POINTER, INT, UINT, POINTER);
    private static final NativeFunction SETNS = LIBC.function("setns", INT, INT, INT);
    private static final NativeFunction SOCKET = LIBC.function("socket", INT, INT, INT, INT);
    private static final NativeFunction BIND = LIBC.function("bind", INT, INT, POINTER, INT);
    private static final NativeFunction SETSOCKOPT = LIBC.function("setsockopt", INT, INT, INT, INT, POINTER, INT);
    private static final NativeFunction SEND = LIBC.function("send", SSIZE_T, INT, POINTER, SIZE_T, INT);
    private static final NativeFunction RECV = LIBC.function("recv", SSIZE_T, INT, POINTER, SIZE_T, INT);

    private Native() {}

    /**
     * Opens libc and binds every row: about 15 ms (jffi loads its stub library), worth paying on a
     * background thread early. Throws the failure, which every later call also reports.
     */
    public static void bindAll() {
        LIBC.bindAll();
    }

    public static int getpid() {
        return (int) GETPID.callUnchecked();
    }

    /** The effective user ID: the owner a file must have to count as written by us. */
    public static long geteuid() {
        return GETEUID.callUnchecked();
    }

    /** open(2) without O_CREAT; ENOENT becomes a NotFoundException naming {@code operation}. */
    public static int open(String path, int flags, String operation) throws OsException {
        if (path.indexOf('\0') >= 0) {
            // C would silently open the prefix before the NUL.
            throw OsException.fromErrno(operation, Errno.EINVAL, "path contains a NUL byte");
        }
        byte[] cPath = cString(path);
        long mem = NativeMemory.copyIn(cPath, cPath.length);
        try {
            return (int) OPEN.call(operation, mem, flags);
        } finally {
            NativeMemory.free(mem);
        }
    }

    /**
     * open(2) with O_CREAT: the file is created with {@code mode} (less the umask) when absent.
     * Through openat(2) relative to the working directory, which is open(2) for any path.
     */
    public static int openCreate(String path, int flags, int mode, String operation) throws OsException {
        if (path.indexOf('\0') >= 0) {
            throw OsException.fromErrno(operation, Errno.EINVAL, "path contains a NUL byte");
        }
        byte[] cPath = cString(path);
        long mem = NativeMemory.copyIn(cPath, cPath.length);
        try {
            return (int) OPENAT.call(operation, AT_FDCWD, mem, flags | O_CREAT, mode);
        } finally {
            NativeMemory.free(mem);
        }
    }

    /**
     * flock(2): a whole-file lock owned by the open file description, the kind Go programs take
     * (go-filemutex, the reference host-local's store lock). Not the POSIX record lock of fcntl(2)
     * that Java's {@code FileChannel.lock} takes: on Linux the two never exclude each other.
     * EINTR (a signal while waiting) is retried; with LOCK_NB a lock held elsewhere is EAGAIN.
     */
    public static void flock(int fd, int operation, String description) throws OsException {
        FLOCK.call(description, fd, operation);
    }

    /** close(2), errors ignored: on Linux the descriptor is gone even when close fails, and retrying EINTR could close a reused fd. */
    public static void close(int fd) {
        if (fd >= 0) {
            CLOSE.callUnchecked(fd);
        }
    }

    /** One read(2). One call matters for /proc/sys: a second read at offset &gt; 0 returns EOF. */
    public static int read(int fd, byte[] buf, int len, String operation) throws OsException {
        long mem = NativeMemory.allocate(len, false);
        try {
            int n = (int) READ.call(operation, fd, mem, len);
            NativeMemory.copyOut(mem, buf, n);
            return n;
        } finally {
            NativeMemory.free(mem);
        }
    }

    /** One write(2); returns the bytes written. */
    public static int write(int fd, byte[] buf, int len, String operation) throws OsException {
        long mem = NativeMemory.copyIn(buf, len);
        try {
            return (int) WRITE.call(operation, fd, mem, len);
        } finally {
            NativeMemory.free(mem);
        }
    }

    /** ftruncate(2): the open file's size becomes {@code length}. */
    public static void ftruncate(int fd, long length, String operation) throws OsException {
        FTRUNCATE.call(operation, fd, length);
    }

    /** ioctl(2) for a request that takes no argument; returns its non-negative result. */
    public static int ioctl(int fd, long request, String operation) throws OsException {
        return (int) IOCTL.call(operation, fd, request);
    }

    /** The f_type of the file system holding {@code fd}'s file (fstatfs(2)), e.g. {@link #NSFS_MAGIC}. */
    public static long fileSystemType(int fd, String operation) throws OsException {
        long buf = NativeMemory.allocate(STATFS_SIZE, true);
        try {
            FSTATFS.call(operation, fd, buf);
            return NativeMemory.getLong(buf);
        } finally {
            NativeMemory.free(buf);
        }
    }

    /** The device and inode of {@code fd}'s file (statx(2) with AT_EMPTY_PATH). */
    public static FileIdentity identity(int fd, String operation) throws OsException {
        long buf = NativeMemory.allocate(STATX_BUFFER, true);
        long emptyPath = NativeMemory.allocate(1, true);
        try {
            STATX.call(operation, fd, emptyPath, AT_EMPTY_PATH, STATX_INO, buf);
            if ((NativeMemory.getInt(buf + STATX_MASK_OFFSET) & STATX_INO) == 0) {
                throw OsException.fromErrno(operation, Errno.EOPNOTSUPP, "statx returned no inode number");
            }
            return new FileIdentity(NativeMemory.getInt(buf + STATX_DEV_MAJOR_OFFSET), NativeMemory.getInt(buf + STATX_DEV_MINOR_OFFSET),
                    NativeMemory.getLong(buf + STATX_INO_OFFSET));
        } finally {
            NativeMemory.free(emptyPath);
            NativeMemory.free(buf);
        }
    }

    /** Type, permission bits, owner and size of {@code fd}'s file (statx(2) with AT_EMPTY_PATH). */
    public static FileStatus status(int fd, String operation) throws OsException {
        int wanted = STATX_TYPE | STATX_MODE | STATX_UID | STATX_SIZE_FIELD;
        long buf = NativeMemory.allocate(STATX_BUFFER, true);
        long emptyPath = NativeMemory.allocate(1, true);
        try {
            STATX.call(operation, fd, emptyPath, AT_EMPTY_PATH, wanted, buf);
            if ((NativeMemory.getInt(buf + STATX_MASK_OFFSET) & wanted) != wanted) {
                throw OsException.fromErrno(operation, Errno.EOPNOTSUPP, "statx returned no type, mode, owner or size");
            }
            return new FileStatus(NativeMemory.getShort(buf + STATX_MODE_OFFSET) & 0xffff,
                    NativeMemory.getInt(buf + STATX_UID_OFFSET) & 0xffffffffL, NativeMemory.getLong(buf + STATX_SIZE_OFFSET));
        } finally {
            NativeMemory.free(emptyPath);
            NativeMemory.free(buf);
        }
    }

    /** setns(2) for the calling OS thread only. */
    public static void setns(int fd, int nstype, String operation) throws OsException {
        SETNS.call(operation, fd, nstype);
    }

    public static int socket(int domain, int type, int protocol, String operation) throws OsException {
        return (int) SOCKET.call(operation, domain, type, protocol);
    }

    public static void bind(int fd, byte[] addr, String operation) throws OsException {
        long mem = NativeMemory.copyIn(addr, addr.length);
        try {
            BIND.call(operation, fd, mem, addr.length);
        } finally {
            NativeMemory.free(mem);
        }
    }

    /** setsockopt(2) with an int option value (written to native memory in the machine's byte order). */
    public static void setsockoptInt(int fd, int level, int option, int value, String operation) throws OsException {
        long mem = NativeMemory.allocate(4, false);
        try {
            NativeMemory.putInt(mem, value);
            SETSOCKOPT.call(operation, fd, level, option, mem, 4);
        } finally {
            NativeMemory.free(mem);
        }
    }

    /** setsockopt(2) with a value already in native memory (a struct), for this package's socket calls. */
    static void setsockopt(int fd, int level, int option, long value, int length, String operation) throws OsException {
        SETSOCKOPT.call(operation, fd, level, option, value, length);
    }

    /** send(2) of {@code buf[0..len)}; returns the bytes sent. */
    public static int send(int fd, byte[] buf, int len, String operation) throws OsException {
        long mem = NativeMemory.copyIn(buf, len);
        try {
            return (int) SEND.call(operation, fd, mem, len, 0);
        } finally {
            NativeMemory.free(mem);
        }
    }

    /** recv(2) into {@code buf[0..len)}. With MSG_TRUNC the result may exceed {@code len}. */
    public static int recv(int fd, byte[] buf, int len, int flags, String operation) throws OsException {
        long mem = NativeMemory.allocate(len, false);
        try {
            long n = RECV.call(operation, fd, mem, len, flags);
            NativeMemory.copyOut(mem, buf, (int) Math.min(n, len));
            return (int) n;
        } finally {
            NativeMemory.free(mem);
        }
    }

    private static byte[] cString(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        byte[] c = new byte[utf8.length + 1];
        System.arraycopy(utf8, 0, c, 0, utf8.length);
        return c;
    }
}
