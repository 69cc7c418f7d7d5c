package dev.jcni.core.os.netlink;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.internal.Native;
import java.util.ArrayList;
import java.util.List;

/**
 * A NETLINK_ROUTE client ({@link #open()}); through {@link #open(int, String)} also a client of
 * another netlink protocol framed the same way (ctnetlink's NETLINK_NETFILTER), so the exchanges
 * below exist once. The socket lives in the network namespace of the thread that called
 * {@link #open} (open it inside {@code NetNs.run} for a container) and stays there even when used
 * from other threads. Not thread-safe: one request at a time.
 *
 * <p>Two exchanges: {@link #request} (one message, answered by optional replies and an ACK) and
 * {@link #dump} (a multi-part answer ending in NLMSG_DONE, retried when the kernel flags it as
 * interrupted). Kernel errors become {@link OsException#fromErrno} with the extended-ACK text.
 * Replies to earlier sequence numbers (left over from a failed exchange) are skipped.
 */
public final class RtNetlink implements AutoCloseable {
    /** Dumps are retried this many times in total when NLM_F_DUMP_INTR is set, as the reference's netlinksafe does. */
    static final int DUMP_ATTEMPTS = 5;
    /**
     * The kernel sizes dump datagrams after the reader's buffer, capped at 32 KiB; 64 KiB also
     * covers single replies that do not fit that cap.
     */
    static final int RECEIVE_BUFFER = 64 * 1024;

    private final NetlinkTransport transport;
    private final byte[] rx = new byte[RECEIVE_BUFFER];
    private int seq;
    private boolean closed;

    RtNetlink(NetlinkTransport transport, int firstSeq) {
        this.transport = transport;
        this.seq = firstSeq - 1;
    }

    /** Opens a NETLINK_ROUTE socket in the calling thread's network namespace. */
    public static RtNetlink open() throws OsException {
        return open(Native.NETLINK_ROUTE, "NETLINK_ROUTE");
    }

    /**
     * Opens a socket of netlink {@code protocol} (e.g. NETLINK_NETFILTER, 12) in the calling
     * thread's network namespace; {@code protocolName} names it in errors.
     */
    public static RtNetlink open(int protocol, String protocolName) throws OsException {
        return new RtNetlink(NativeNetlinkTransport.open(protocol, protocolName), 1);
    }

    /** A client over {@code transport} (a unit test's scripted kernel), numbering requests from 1. */
    public static RtNetlink over(NetlinkTransport transport) {
        return new RtNetlink(transport, 1);
    }

    /**
     * Sends {@code message} with NLM_F_REQUEST | NLM_F_ACK and waits for the ACK.
     *
     * @return the replies received before the ACK (e.g. the RTM_NEWLINK answering an RTM_GETLINK), possibly none
     * @throws OsException the kernel's error, described as {@code operation}
     */
    public List<NetlinkMessage> request(NetlinkMessageBuilder message, String operation) throws OsException {
        int mySeq = send(message, NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_ACK, operation);
        List<NetlinkMessage> replies = new ArrayList<>();
        while (true) {
            int n = transport.receive(rx, operation);
            List<NetlinkMessage> batch = NetlinkMessage.parseAll(rx, n);
            for (int i = 0; i < batch.size(); i++) {
                NetlinkMessage m = batch.get(i);
                if (m.seq() != mySeq || m.type() == NetlinkConstants.NLMSG_NOOP) {
                    continue;
                }
                if (m.type() == NetlinkConstants.NLMSG_ERROR) {
                    throwIfError(m, operation);
                    return replies;
                }
                if (m.type() == NetlinkConstants.NLMSG_OVERRUN) {
                    throw OsException.fromErrno(operation, Errno.ENOBUFS, "netlink overrun");
                }
                replies.add(m);
            }
        }
    }

    /**
     * Sends {@code message} with NLM_F_REQUEST | NLM_F_DUMP and collects every part up to
     * NLMSG_DONE. A dump the kernel marks NLM_F_DUMP_INTR (the set changed meanwhile) is redone,
     * {@value #DUMP_ATTEMPTS} attempts in all; then an OsException with EINTR.
     */
    public List<NetlinkMessage> dump(NetlinkMessageBuilder message, String operation) throws OsException {
        for (int attempt = 1; attempt <= DUMP_ATTEMPTS; attempt++) {
            int mySeq = send(message, NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_DUMP, operation);
            List<NetlinkMessage> parts = new ArrayList<>();
            boolean interrupted = false;
            boolean done = false;
            while (!done) {
                int n = transport.receive(rx, operation);
                List<NetlinkMessage> batch = NetlinkMessage.parseAll(rx, n);
                for (int i = 0; i < batch.size() && !done; i++) {
                    NetlinkMessage m = batch.get(i);
                    if (m.seq() != mySeq || m.type() == NetlinkConstants.NLMSG_NOOP) {
                        continue;
                    }
                    if ((m.flags() & NetlinkConstants.NLM_F_DUMP_INTR) != 0) {
                        interrupted = true;
                    }
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
        throw OsException.fromErrno(operation, Errno.EINTR,
                "dump interrupted by concurrent changes " + DUMP_ATTEMPTS + " times");
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            transport.close();
        }
    }

    private int send(NetlinkMessageBuilder message, int flags, String operation) throws OsException {
        if (closed) {
            throw new IllegalStateException("netlink socket is closed");
        }
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
}
