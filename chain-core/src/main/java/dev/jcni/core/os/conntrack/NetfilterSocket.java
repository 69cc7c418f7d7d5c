package dev.jcni.core.os.conntrack;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.internal.Native;
import dev.jcni.core.os.netlink.NetlinkConstants;
import dev.jcni.core.os.netlink.NetlinkMessage;
import dev.jcni.core.os.netlink.NetlinkMessageBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A NETLINK_NETFILTER socket with the two exchanges ctnetlink needs: a request answered by an
 * ACK, and a dump ending in NLMSG_DONE (redone when the kernel flags it interrupted). It
 * belongs to the network namespace of the thread that opened it. Not thread-safe.
 *
 * <p>The exchange logic is {@code os.netlink.RtNetlink}'s, for another netlink protocol; the
 * {@link Transport} seam lets unit tests script the kernel's answers.
 */
final class NetfilterSocket implements AutoCloseable {
    static final int RECEIVE_BUFFER = 64 * 1024;
    static final int DUMP_ATTEMPTS = 5;

    /** Moves datagrams to and from the kernel. */
    interface Transport {
        void send(byte[] message, String operation) throws OsException;

        int receive(byte[] buf, String operation) throws OsException;

        void close();
    }

    private final Transport transport;
    private final byte[] rx = new byte[RECEIVE_BUFFER];
    private int seq;

    NetfilterSocket(Transport transport) {
        this.transport = transport;
    }

    static NetfilterSocket open() throws OsException {
        int fd = Native.socket(Native.AF_NETLINK, Native.SOCK_RAW | Native.SOCK_CLOEXEC, ConntrackMessages.NETLINK_NETFILTER,
                "socket(AF_NETLINK, NETLINK_NETFILTER)");
        try {
            byte[] addr = new byte[12];
            ByteBuffer.wrap(addr).order(ByteOrder.nativeOrder()).putShort(0, (short) Native.AF_NETLINK);
            Native.bind(fd, addr, "bind netfilter netlink socket");
            try {
                Native.setsockoptInt(fd, Native.SOL_NETLINK, Native.NETLINK_EXT_ACK, 1, "setsockopt NETLINK_EXT_ACK");
            } catch (OsException ignored) {
                // Older kernels: errors then carry only the errno.
            }
        } catch (OsException | RuntimeException e) {
            Native.close(fd);
            throw e;
        }
        return new NetfilterSocket(new Transport() {
            @Override
            public void send(byte[] message, String operation) throws OsException {
                int n = Native.send(fd, message, message.length, operation);
                if (n != message.length) {
                    throw OsException.fromErrno(operation, Errno.EIO, "short netlink send: " + n + " of " + message.length);
                }
            }

            @Override
            public int receive(byte[] buf, String operation) throws OsException {
                int n = Native.recv(fd, buf, buf.length, Native.MSG_TRUNC, operation);
                if (n > buf.length) {
                    throw OsException.fromErrno(operation, Errno.EMSGSIZE, "netlink reply of " + n + " bytes exceeds the buffer");
                }
                return n;
            }

            @Override
            public void close() {
                Native.close(fd);
            }
        });
    }

    /** Sends {@code message} with REQUEST | ACK and waits for the ACK; the kernel's error becomes an OsException. */
    void request(NetlinkMessageBuilder message, String operation) throws OsException {
        int mySeq = send(message, NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_ACK, operation);
        while (true) {
            int n = transport.receive(rx, operation);
            for (NetlinkMessage m : NetlinkMessage.parseAll(rx, n)) {
                if (m.seq() != mySeq) {
                    continue;
                }
                if (m.type() == NetlinkConstants.NLMSG_ERROR) {
                    throwIfError(m, operation);
                    return;
                }
            }
        }
    }

    /** Sends {@code message} with REQUEST | DUMP and returns every part up to NLMSG_DONE. */
    List<NetlinkMessage> dump(NetlinkMessageBuilder message, String operation) throws OsException {
        for (int attempt = 1; attempt <= DUMP_ATTEMPTS; attempt++) {
            int mySeq = send(message, NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_DUMP, operation);
            List<NetlinkMessage> parts = new ArrayList<>();
            boolean interrupted = false;
            boolean done = false;
            while (!done) {
                int n = transport.receive(rx, operation);
                for (NetlinkMessage m : NetlinkMessage.parseAll(rx, n)) {
                    if (m.seq() != mySeq || done) {
                        continue;
                    }
                    interrupted |= (m.flags() & NetlinkConstants.NLM_F_DUMP_INTR) != 0;
                    if (m.type() == NetlinkConstants.NLMSG_DONE || m.type() == NetlinkConstants.NLMSG_ERROR) {
                        throwIfError(m, operation);
                        done = m.type() == NetlinkConstants.NLMSG_DONE;
                    } else if (m.type() == NetlinkConstants.NLMSG_OVERRUN) {
                        throw OsException.fromErrno(operation, Errno.ENOBUFS, "netlink overrun");
                    } else {
                        parts.add(m);
                    }
                }
            }
            if (!interrupted) {
                return parts;
            }
        }
        throw OsException.fromErrno(operation, Errno.EINTR, "dump interrupted by concurrent changes " + DUMP_ATTEMPTS + " times");
    }

    private int send(NetlinkMessageBuilder message, int flags, String operation) throws OsException {
        seq++;
        transport.send(message.build(seq, flags), operation);
        return seq;
    }

    private static void throwIfError(NetlinkMessage m, String operation) throws OsException {
        int error = m.errorCode();
        if (error < 0) {
            throw OsException.fromErrno(operation, -error, m.extAckMessage());
        }
    }

    @Override
    public void close() {
        transport.close();
    }
}
