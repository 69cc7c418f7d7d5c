package dev.jcni.core.os.internal;

import static dev.jcni.core.os.internal.CType.INT;
import static dev.jcni.core.os.internal.CType.POINTER;
import static dev.jcni.core.os.internal.CType.SSIZE_T;
import static dev.jcni.core.os.internal.CType.UINT;
import static dev.jcni.core.os.internal.CType.ULONG;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import java.util.ArrayList;
import java.util.List;

/**
 * libc's rows for local (AF_UNIX) sockets that carry descriptors: listen, accept4, connect,
 * socketpair, getsockopt, sendmsg and recvmsg with {@code SCM_RIGHTS}, poll, and fcntl for
 * close-on-exec and duplicates. Rows of {@link Native#LIBC}, like every libc function we call
 * (one row per symbol: socket, bind and setsockopt are {@link Native}'s), in a class of their own
 * because the message headers make them bulky.
 *
 * <p>The structures are those of LP64 Linux (x86_64, aarch64), laid out here by offset:
 * {@code struct msghdr} (56 bytes), {@code struct iovec} (16), {@code struct cmsghdr} (16-byte
 * header, data aligned to 8), {@code struct ucred} (pid, uid, gid: 12), {@code struct pollfd} (8),
 * {@code struct timeval} (two longs), {@code struct sockaddr_un} (family, then 108 path bytes).
 *
 * <p>Public only because the kernel layer's socket package uses it; not an API.
 */
public final class SocketCalls {
    public static final int AF_UNIX = 1;
    public static final int SOCK_SEQPACKET = 5;
    public static final int SO_TYPE = 3;
    public static final int SO_PEERCRED = 17;
    public static final int SO_RCVTIMEO = 20;
    public static final int SO_SNDTIMEO = 21;
    public static final int SO_ACCEPTCONN = 30;
    public static final int SO_DOMAIN = 39;
    /** The largest {@code sun_path} a bound or connected path may use, without the terminating NUL. */
    public static final int MAX_PATH_BYTES = 107;

    private static final int SCM_RIGHTS = 1;
    private static final int MSG_CTRUNC = 0x8;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_TRUNC = 0x20;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;
    private static final int F_GETFD = 1;
    private static final int F_SETFD = 2;
    private static final int FD_CLOEXEC = 1;
    private static final int F_DUPFD_CLOEXEC = 1030;
    private static final short POLLIN = 0x1;
    private static final int SOCKADDR_UN_SIZE = 110;
    private static final int MSGHDR_SIZE = 56;
    private static final int IOVEC_SIZE = 16;
    private static final int CMSG_HEADER = 16;
    private static final int UCRED_SIZE = 12;

    private static final NativeFunction LISTEN = Native.LIBC.function("listen", INT, INT, INT);
    private static final NativeFunction ACCEPT4 = Native.LIBC.function("accept4", INT, INT, POINTER, POINTER, INT);
    private static final NativeFunction CONNECT = Native.LIBC.function("connect", INT, INT, POINTER, UINT);
    private static final NativeFunction SOCKETPAIR = Native.LIBC.function("socketpair", INT, INT, INT, INT, POINTER);
    private static final NativeFunction GETSOCKOPT = Native.LIBC.function("getsockopt", INT, INT, INT, INT, POINTER, POINTER);
    private static final NativeFunction SENDMSG = Native.LIBC.function("sendmsg", SSIZE_T, INT, POINTER, INT);
    private static final NativeFunction RECVMSG = Native.LIBC.function("recvmsg", SSIZE_T, INT, POINTER, INT);
    private static final NativeFunction POLL = Native.LIBC.function("poll", INT, POINTER, ULONG, INT);
    // Variadic; declared with the one int argument every call here passes.
    private static final NativeFunction FCNTL = Native.LIBC.function("fcntl", INT, INT, INT, INT);

    private SocketCalls() {}

    /** One message read by {@link #receive}: its bytes, the descriptors that came with it, and what the kernel cut. */
    public static final class Received {
        public final byte[] data;
        public final int[] descriptors;
        /** The message was longer than the buffer; the rest is lost (SEQPACKET keeps boundaries). */
        public final boolean truncated;
        /** More ancillary data came than the buffer held: the kernel closed the descriptors that did not fit. */
        public final boolean controlTruncated;

        Received(byte[] data, int[] descriptors, boolean truncated, boolean controlTruncated) {
            this.data = data;
            this.descriptors = descriptors;
            this.truncated = truncated;
            this.controlTruncated = controlTruncated;
        }
    }

    /** A new AF_UNIX SOCK_SEQPACKET socket, close-on-exec. */
    public static int seqpacketSocket(String operation) throws OsException {
        return Native.socket(AF_UNIX, SOCK_SEQPACKET | Native.SOCK_CLOEXEC, 0, operation);
    }

    /** bind(2) to the filesystem path whose bytes are {@code path} (at most {@link #MAX_PATH_BYTES}). */
    public static void bind(int fd, byte[] path, String operation) throws OsException {
        Native.bind(fd, address(path, operation), operation);
    }

    public static void listen(int fd, int backlog, String operation) throws OsException {
        LISTEN.call(operation, fd, backlog);
    }

    /** accept4(2) with SOCK_CLOEXEC: the connection's descriptor. EINTR is retried. */
    public static int accept(int fd, String operation) throws OsException {
        return (int) ACCEPT4.call(operation, fd, 0, 0, Native.SOCK_CLOEXEC);
    }

    /**
     * connect(2) to a filesystem path. Called once: an interrupted connect goes on in the
     * background, so EINTR is a failure here rather than a reason to call again.
     */
    public static void connect(int fd, byte[] path, String operation) throws OsException {
        byte[] addr = address(path, operation);
        long mem = NativeMemory.copyIn(addr, addr.length);
        try {
            if ((int) CONNECT.callUnchecked(fd, mem, addr.length) < 0) {
                throw OsException.fromErrno(operation, Jffi.errno());
            }
        } finally {
            NativeMemory.free(mem);
        }
    }

    /** socketpair(2) of two connected SEQPACKET sockets, close-on-exec. */
    public static int[] seqpacketPair(String operation) throws OsException {
        long mem = NativeMemory.allocate(8, true);
        try {
            SOCKETPAIR.call(operation, AF_UNIX, SOCK_SEQPACKET | Native.SOCK_CLOEXEC, 0, mem);
            return new int[] {NativeMemory.getInt(mem), NativeMemory.getInt(mem + 4)};
        } finally {
            NativeMemory.free(mem);
        }
    }

    /** getsockopt(2) of an int option at SOL_SOCKET. */
    public static int socketOption(int fd, int option, String operation) throws OsException {
        long mem = NativeMemory.allocate(8, true);
        try {
            NativeMemory.putInt(mem + 4, 4);
            GETSOCKOPT.call(operation, fd, Native.SOL_SOCKET, option, mem, mem + 4);
            return NativeMemory.getInt(mem);
        } finally {
            NativeMemory.free(mem);
        }
    }

    /** SO_PEERCRED: the pid, uid and gid of the process that connected (as of connect(2)). */
    public static long[] peerCredentials(int fd, String operation) throws OsException {
        long mem = NativeMemory.allocate(UCRED_SIZE + 4, true);
        try {
            NativeMemory.putInt(mem + UCRED_SIZE, UCRED_SIZE);
            GETSOCKOPT.call(operation, fd, Native.SOL_SOCKET, SO_PEERCRED, mem, mem + UCRED_SIZE);
            return new long[] {NativeMemory.getInt(mem) & 0xffffffffL, NativeMemory.getInt(mem + 4) & 0xffffffffL,
                    NativeMemory.getInt(mem + 8) & 0xffffffffL};
        } finally {
            NativeMemory.free(mem);
        }
    }

    /** SO_RCVTIMEO or SO_SNDTIMEO: a blocked receive or send fails with EAGAIN after {@code millis} (0: never). */
    public static void setTimeout(int fd, int option, long millis, String operation) throws OsException {
        long mem = NativeMemory.allocate(16, true);
        try {
            NativeMemory.putLong(mem, millis / 1000);
            NativeMemory.putLong(mem + 8, (millis % 1000) * 1000);
            Native.setsockopt(fd, Native.SOL_SOCKET, option, mem, 16, operation);
        } finally {
            NativeMemory.free(mem);
        }
    }

    /**
     * One sendmsg(2) of {@code data[0..len)} with {@code descriptors} as SCM_RIGHTS (none: no
     * ancillary data). MSG_NOSIGNAL: a peer that went away is EPIPE, never a SIGPIPE.
     */
    public static int send(int fd, byte[] data, int len, int[] descriptors, String operation) throws OsException {
        int controlLength = descriptors.length == 0 ? 0 : space(4 * descriptors.length);
        long block = NativeMemory.allocate(MSGHDR_SIZE + IOVEC_SIZE + controlLength + len, true);
        try {
            long iov = block + MSGHDR_SIZE;
            long control = iov + IOVEC_SIZE;
            long payload = control + controlLength;
            NativeMemory.putBytes(payload, data, len);
            NativeMemory.putLong(iov, payload);
            NativeMemory.putLong(iov + 8, len);
            NativeMemory.putLong(block + 16, iov);
            NativeMemory.putLong(block + 24, 1);
            if (controlLength > 0) {
                NativeMemory.putLong(control, CMSG_HEADER + 4L * descriptors.length);
                NativeMemory.putInt(control + 8, Native.SOL_SOCKET);
                NativeMemory.putInt(control + 12, SCM_RIGHTS);
                for (int i = 0; i < descriptors.length; i++) {
                    NativeMemory.putInt(control + CMSG_HEADER + 4L * i, descriptors[i]);
                }
                NativeMemory.putLong(block + 32, control);
                NativeMemory.putLong(block + 40, controlLength);
            }
            return (int) SENDMSG.call(operation, fd, block, MSG_NOSIGNAL);
        } finally {
            NativeMemory.free(block);
        }
    }

    /**
     * One recvmsg(2) of at most {@code maxBytes}, with room for {@code maxDescriptors} descriptors
     * (received close-on-exec); a message of 0 bytes is the peer's end of the connection. With a
     * receive timeout set, a wait past it is an OsException with EAGAIN.
     */
    public static Received receive(int fd, int maxBytes, int maxDescriptors, String operation) throws OsException {
        return receive(fd, maxBytes, maxDescriptors, false, operation);
    }

    /**
     * As {@link #receive(int, int, int, String)}; with {@code nonBlocking} (MSG_DONTWAIT) an
     * empty queue is EAGAIN at once instead of a wait.
     */
    public static Received receive(int fd, int maxBytes, int maxDescriptors, boolean nonBlocking, String operation)
            throws OsException {
        int controlLength = space(4 * Math.max(1, maxDescriptors));
        long block = NativeMemory.allocate(MSGHDR_SIZE + IOVEC_SIZE + controlLength + maxBytes, true);
        try {
            long iov = block + MSGHDR_SIZE;
            long control = iov + IOVEC_SIZE;
            long payload = control + controlLength;
            NativeMemory.putLong(iov, payload);
            NativeMemory.putLong(iov + 8, maxBytes);
            NativeMemory.putLong(block + 16, iov);
            NativeMemory.putLong(block + 24, 1);
            NativeMemory.putLong(block + 32, control);
            NativeMemory.putLong(block + 40, controlLength);
            int flags0 = MSG_CMSG_CLOEXEC | (nonBlocking ? MSG_DONTWAIT : 0);
            int n = (int) Math.min(RECVMSG.call(operation, fd, block, flags0), maxBytes);
            int flags = NativeMemory.getInt(block + 48);
            int[] descriptors = descriptors(control, NativeMemory.getLong(block + 40));
            byte[] data = new byte[n];
            NativeMemory.copyOut(payload, data, n);
            return new Received(data, descriptors, (flags & MSG_TRUNC) != 0, (flags & MSG_CTRUNC) != 0);
        } finally {
            NativeMemory.free(block);
        }
    }

    /** Every SCM_RIGHTS descriptor in the control buffer the kernel filled ({@code length} bytes). */
    private static int[] descriptors(long control, long length) {
        List<Integer> fds = new ArrayList<>();
        long offset = 0;
        while (offset + CMSG_HEADER <= length) {
            long cmsgLength = NativeMemory.getLong(control + offset);
            if (cmsgLength < CMSG_HEADER || offset + cmsgLength > length) {
                break;
            }
            int level = NativeMemory.getInt(control + offset + 8);
            int type = NativeMemory.getInt(control + offset + 12);
            if (level == Native.SOL_SOCKET && type == SCM_RIGHTS) {
                for (long at = CMSG_HEADER; at + 4 <= cmsgLength; at += 4) {
                    fds.add(NativeMemory.getInt(control + offset + at));
                }
            }
            offset += align(cmsgLength);
        }
        int[] out = new int[fds.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = fds.get(i);
        }
        return out;
    }

    /** poll(2) for input on one descriptor: true when a read or accept would not block. */
    public static boolean readable(int fd, int timeoutMillis, String operation) throws OsException {
        long mem = NativeMemory.allocate(8, true);
        try {
            NativeMemory.putInt(mem, fd);
            NativeMemory.putShort(mem + 4, POLLIN);
            return POLL.call(operation, mem, 1, timeoutMillis) > 0;
        } finally {
            NativeMemory.free(mem);
        }
    }

    /** A duplicate of {@code fd}, close-on-exec. */
    public static int duplicate(int fd, String operation) throws OsException {
        return (int) FCNTL.call(operation, fd, F_DUPFD_CLOEXEC, 0);
    }

    /** Sets close-on-exec on a descriptor this process inherited (socket activation's fd 3). */
    public static void setCloseOnExec(int fd, String operation) throws OsException {
        int flags = (int) FCNTL.call(operation, fd, F_GETFD, 0);
        FCNTL.call(operation, fd, F_SETFD, flags | FD_CLOEXEC);
    }

    /** {@code struct sockaddr_un} for a filesystem path: the family, the path and a NUL. */
    private static byte[] address(byte[] path, String operation) throws OsException {
        if (path.length == 0 || path.length > MAX_PATH_BYTES) {
            throw OsException.fromErrno(operation, Errno.ENAMETOOLONG, "a socket path has 1 to " + MAX_PATH_BYTES + " bytes");
        }
        for (byte b : path) {
            if (b == 0) {
                throw OsException.fromErrno(operation, Errno.EINVAL, "path contains a NUL byte");
            }
        }
        byte[] addr = new byte[SOCKADDR_UN_SIZE];
        // sa_family_t in the machine's byte order: both architectures we run on are little-endian.
        addr[0] = (byte) AF_UNIX;
        System.arraycopy(path, 0, addr, 2, path.length);
        return addr;
    }

    private static int space(int dataLength) {
        return CMSG_HEADER + (int) align(dataLength);
    }

    private static long align(long length) {
        return (length + 7) & ~7L;
    }
}
