package dev.jcni.core.os.netlink;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.internal.Native;

/**
 * A netlink socket of one protocol (NETLINK_ROUTE, NETLINK_NETFILTER). It belongs to the netns of
 * the thread that opened it, whatever thread uses it later.
 */
final class NativeNetlinkTransport implements NetlinkTransport {
    private final int fd;

    private NativeNetlinkTransport(int fd) {
        this.fd = fd;
    }

    /** Opens a socket of netlink {@code protocol}; {@code protocolName} (NETLINK_ROUTE) names it in errors. */
    static NativeNetlinkTransport open(int protocol, String protocolName) throws OsException {
        int fd = Native.socket(Native.AF_NETLINK, Native.SOCK_RAW | Native.SOCK_CLOEXEC, protocol,
                "socket(AF_NETLINK, " + protocolName + ")");
        try {
            // struct sockaddr_nl {u16 family; u16 pad; u32 pid = 0 (kernel assigns); u32 groups = 0}
            byte[] addr = new byte[12];
            HostOrder.putU16(addr, 0, Native.AF_NETLINK);
            Native.bind(fd, addr, "bind netlink socket");
            enableOptional(fd, Native.NETLINK_EXT_ACK);
            enableOptional(fd, Native.NETLINK_CAP_ACK);
            return new NativeNetlinkTransport(fd);
        } catch (OsException | RuntimeException e) {
            Native.close(fd);
            throw e;
        }
    }

    /** Extended ACKs (the kernel's error text) and capped ACKs only improve errors; a kernel without them still works. */
    private static void enableOptional(int fd, int option) {
        try {
            Native.setsockoptInt(fd, Native.SOL_NETLINK, option, 1, "setsockopt SOL_NETLINK " + option);
        } catch (OsException ignored) {
            // Older kernels: ENOPROTOOPT. Errors then carry only the errno.
        }
    }

    @Override
    public void send(byte[] message, String operation) throws OsException {
        int n = Native.send(fd, message, message.length, operation);
        if (n != message.length) {
            throw OsException.fromErrno(operation, Errno.EIO, "short netlink send: " + n + " of " + message.length);
        }
    }

    @Override
    public int receive(byte[] buf, String operation) throws OsException {
        // MSG_TRUNC makes recv return the datagram's real length, so truncation is detected, not parsed as garbage.
        int n = Native.recv(fd, buf, buf.length, Native.MSG_TRUNC, operation);
        if (n > buf.length) {
            throw OsException.fromErrno(operation, Errno.EMSGSIZE,
                    "netlink reply of " + n + " bytes exceeds the " + buf.length + "-byte buffer");
        }
        return n;
    }

    @Override
    public void close() {
        Native.close(fd);
    }
}
