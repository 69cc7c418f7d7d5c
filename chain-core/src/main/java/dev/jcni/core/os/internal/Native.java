package dev.jcni.core.os.internal;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import com.kenai.jffi.CallContext;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.LastError;
import com.kenai.jffi.Library;
import com.kenai.jffi.MemoryIO;
import com.kenai.jffi.Type;
import java.nio.charset.StandardCharsets;

/**
 * The only class that calls libc. Each wrapper turns {@code rc < 0} into an {@link OsException}
 * built from errno (the subclass tells the cause), and retries EINTR where retrying is correct.
 *
 * <p>Calls go through jffi, the native core of jnr-ffi, directly: jnr-ffi's binding layer
 * (proxy stubs, annotation reflection) cost about 25 ms at every start, and a plugin process
 * makes a dozen calls. Buffers are Java arrays copied to and from short-lived native memory.
 * libc is bound lazily in {@link Holder}, so code that never reaches the kernel (the VERSION
 * verb, config validation) never loads jffi.
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

    /** One libc function: its address and C signature. Calls save errno for {@link #errno()}. */
    private static final class Fn {
        final long address;
        final CallContext context;
        final boolean intResult;

        Fn(Library libc, String name, Type result, Type... params) {
            long a = libc.getSymbolAddress(name);
            if (a == 0) {
                throw new IllegalStateException("libc has no symbol " + name);
            }
            this.address = a;
            this.context = CallContext.getCallContext(result, params, CallingConvention.DEFAULT, true);
            this.intResult = result == Type.SINT32;
        }

        // jffi converts each argument by the signature, but hands an int result back in the low
        // 32 bits of a long without sign extension: -1 would read as 4294967295.
        private long result(long raw) {
            return intResult ? (int) raw : raw;
        }

        long call(long[] args) {
            switch (args.length) {
                case 2: return call(args[0], args[1]);
                case 3: return call(args[0], args[1], args[2]);
                case 4: return call(args[0], args[1], args[2], args[3]);
                default: throw new IllegalArgumentException(args.length + " arguments");
            }
        }

        long call0() {
            return result(Holder.INVOKER.invokeN0(context, address));
        }

        long call(long a) {
            return result(Holder.INVOKER.invokeN1(context, address, a));
        }

        long call(long a, long b) {
            return result(Holder.INVOKER.invokeN2(context, address, a, b));
        }

        long call(long a, long b, long c) {
            return result(Holder.INVOKER.invokeN3(context, address, a, b, c));
        }

        long call(long a, long b, long c, long d) {
            return result(Holder.INVOKER.invokeN4(context, address, a, b, c, d));
        }

        long call(long a, long b, long c, long d, long e) {
            return result(Holder.INVOKER.invokeN5(context, address, a, b, c, d, e));
        }
    }

    /** Binds libc on first use; a failure is kept and reported on every call, not as NoClassDefFoundError. */
    private static final class Holder {
        static final Invoker INVOKER;
        static final MemoryIO MEMORY;
        static final Fn OPEN, CLOSE, SETNS, SOCKET, BIND, SETSOCKOPT, SEND, RECV, READ, WRITE, GETPID;
        static final Throwable FAILURE;

        static {
            Invoker invoker = null;
            MemoryIO memory = null;
            Fn open = null, close = null, setns = null, socket = null, bind = null, setsockopt = null;
            Fn send = null, recv = null, read = null, write = null, getpid = null;
            Throwable failure = null;
            try {
                Library libc = Library.getCachedInstance("libc.so.6", Library.LAZY | Library.LOCAL);
                if (libc == null) {
                    throw new IllegalStateException("cannot open libc.so.6: " + Library.getLastError());
                }
                invoker = Invoker.getInstance();
                memory = MemoryIO.getInstance();
                Type i = Type.SINT32;
                Type p = Type.POINTER;
                Type ssize = Type.SLONG;
                Type size = Type.ULONG;
                open = new Fn(libc, "open", i, p, i);
                close = new Fn(libc, "close", i, i);
                setns = new Fn(libc, "setns", i, i, i);
                socket = new Fn(libc, "socket", i, i, i, i);
                bind = new Fn(libc, "bind", i, i, p, i);
                setsockopt = new Fn(libc, "setsockopt", i, i, i, i, p, i);
                send = new Fn(libc, "send", ssize, i, p, size, i);
                recv = new Fn(libc, "recv", ssize, i, p, size, i);
                read = new Fn(libc, "read", ssize, i, p, size);
                write = new Fn(libc, "write", ssize, i, p, size);
                getpid = new Fn(libc, "getpid", i);
            } catch (Throwable t) {
                failure = t;
            }
            INVOKER = invoker;
            MEMORY = memory;
            OPEN = open;
            CLOSE = close;
            SETNS = setns;
            SOCKET = socket;
            BIND = bind;
            SETSOCKOPT = setsockopt;
            SEND = send;
            RECV = recv;
            READ = read;
            WRITE = write;
            GETPID = getpid;
            FAILURE = failure;
        }
    }

    private static Fn bound(Fn fn) {
        if (fn == null) {
            throw new IllegalStateException("cannot bind libc through jffi: " + Holder.FAILURE, Holder.FAILURE);
        }
        return fn;
    }

    private static int errno() {
        return LastError.getInstance().get();
    }

    /** Native memory holding a copy of {@code bytes[0..len)}; free it with {@link #free}. */
    private static long copyIn(byte[] bytes, int len) {
        long mem = Holder.MEMORY.allocateMemory(Math.max(len, 1), false);
        if (mem == 0) {
            throw new OutOfMemoryError("native allocation of " + len + " bytes failed");
        }
        Holder.MEMORY.putByteArray(mem, bytes, 0, len);
        return mem;
    }

    private static long allocate(int len) {
        long mem = Holder.MEMORY.allocateMemory(Math.max(len, 1), false);
        if (mem == 0) {
            throw new OutOfMemoryError("native allocation of " + len + " bytes failed");
        }
        return mem;
    }

    private static void free(long mem) {
        Holder.MEMORY.freeMemory(mem);
    }

    /**
     * Binds libc now, on a background thread, so that the work (about 15 ms: jffi loads its stub
     * library and sets up logging) overlaps the caller's JSON parsing and validation instead of
     * following it. Harmless when it fails: the first real call reports the failure.
     */
    public static void preloadInBackground() {
        Thread t = new Thread(new Runnable() {
            @Override
            public void run() {
                bound(Holder.GETPID);
            }
        }, "jcni-native-preload");
        t.setDaemon(true);
        t.start();
    }

    public static int getpid() {
        return (int) bound(Holder.GETPID).call0();
    }

    /** open(2); ENOENT becomes a NotFoundException naming {@code operation}. */
    public static int open(String path, int flags, String operation) throws OsException {
        if (path.indexOf('\0') >= 0) {
            // C would silently open the prefix before the NUL.
            throw OsException.fromErrno(operation, Errno.EINVAL, "path contains a NUL byte");
        }
        byte[] cPath = cString(path);
        Fn open = bound(Holder.OPEN);
        long mem = copyIn(cPath, cPath.length);
        try {
            return (int) callUninterrupted(operation, open, mem, flags);
        } finally {
            free(mem);
        }
    }

    /** close(2), errors ignored: on Linux the descriptor is gone even when close fails, and retrying EINTR could close a reused fd. */
    public static void close(int fd) {
        if (fd >= 0) {
            bound(Holder.CLOSE).call(fd);
        }
    }

    /** setns(2) for the calling OS thread only. */
    public static void setns(int fd, int nstype, String operation, String detailOnEinval) throws OsException {
        if (bound(Holder.SETNS).call(fd, nstype) < 0) {
            int err = errno();
            throw OsException.fromErrno(operation, err, err == Errno.EINVAL ? detailOnEinval : null);
        }
    }

    public static int socket(int domain, int type, int protocol, String operation) throws OsException {
        long fd = bound(Holder.SOCKET).call(domain, type, protocol);
        check(failure(fd), operation);
        return (int) fd;
    }

    public static void bind(int fd, byte[] addr, String operation) throws OsException {
        Fn bind = bound(Holder.BIND);
        long mem = copyIn(addr, addr.length);
        try {
            check(failure(bind.call(fd, mem, addr.length)), operation);
        } finally {
            free(mem);
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
        Fn setsockopt = bound(Holder.SETSOCKOPT);
        long mem = copyIn(v, 4);
        try {
            check(failure(setsockopt.call(fd, level, option, mem, 4)), operation);
        } finally {
            free(mem);
        }
    }

    /** send(2) of {@code buf[0..len)}, retrying EINTR; returns the bytes sent. */
    public static int send(int fd, byte[] buf, int len, String operation) throws OsException {
        Fn send = bound(Holder.SEND);
        long mem = copyIn(buf, len);
        try {
            return (int) callUninterrupted(operation, send, fd, mem, len, 0);
        } finally {
            free(mem);
        }
    }

    /** recv(2) into {@code buf[0..len)}, retrying EINTR. With MSG_TRUNC the result may exceed {@code len}. */
    public static int recv(int fd, byte[] buf, int len, int flags, String operation) throws OsException {
        Fn recv = bound(Holder.RECV);
        long mem = allocate(len);
        try {
            long n = callUninterrupted(operation, recv, fd, mem, len, flags);
            Holder.MEMORY.getByteArray(mem, buf, 0, (int) Math.min(n, len));
            return (int) n;
        } finally {
            free(mem);
        }
    }

    /** One read(2), retrying EINTR. One call matters for /proc/sys: a second read at offset &gt; 0 returns EOF. */
    public static int read(int fd, byte[] buf, int len, String operation) throws OsException {
        Fn read = bound(Holder.READ);
        long mem = allocate(len);
        try {
            long n = callUninterrupted(operation, read, fd, mem, len);
            Holder.MEMORY.getByteArray(mem, buf, 0, (int) n);
            return (int) n;
        } finally {
            free(mem);
        }
    }

    /** One write(2), retrying EINTR; returns the bytes written. */
    public static int write(int fd, byte[] buf, int len, String operation) throws OsException {
        Fn write = bound(Holder.WRITE);
        long mem = copyIn(buf, len);
        try {
            return (int) callUninterrupted(operation, write, fd, mem, len);
        } finally {
            free(mem);
        }
    }

    /**
     * Calls {@code fn} again as long as it fails with EINTR (a signal arrived), then returns its
     * result or throws the OsException of the errno it failed with.
     */
    private static long callUninterrupted(String operation, Fn fn, long... args) throws OsException {
        while (true) {
            long rc = fn.call(args);
            int err = failure(rc);
            if (err != Errno.EINTR) {
                check(err, operation);
                return rc;
            }
        }
    }

    /**
     * The errno of a failed call ({@code rc < 0}), or 0. Read once, right after the call: any
     * other native call in between may overwrite it.
     */
    private static int failure(long rc) {
        return rc < 0 ? errno() : 0;
    }

    private static void check(int err, String operation) throws OsException {
        if (err != 0) {
            throw OsException.fromErrno(operation, err);
        }
    }

    private static byte[] cString(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        byte[] c = new byte[utf8.length + 1];
        System.arraycopy(utf8, 0, c, 0, utf8.length);
        return c;
    }
}
