package dev.jcni.core.os.netlink;

import dev.jcni.core.os.OsException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Plays a scripted kernel: each sent request is answered by the datagrams the test queued for it,
 * with {@code SEQ} placeholders (-1) replaced by the request's sequence number.
 */
final class FakeTransport implements NetlinkTransport {
    static final int SEQ = -1;

    final List<byte[]> sent = new ArrayList<>();
    private final Deque<List<byte[]>> answers = new ArrayDeque<>();
    private final Deque<byte[]> pending = new ArrayDeque<>();
    boolean closed;

    /** Queues the datagrams that answer the next request. */
    FakeTransport answer(byte[]... datagrams) {
        answers.add(List.of(datagrams));
        return this;
    }

    @Override
    public void send(byte[] message, String operation) {
        sent.add(message);
        int seq = HostOrder.i32(message, 8);
        List<byte[]> reply = answers.poll();
        if (reply == null) {
            throw new AssertionError("unexpected request " + sent.size());
        }
        for (byte[] d : reply) {
            byte[] copy = d.clone();
            int off = 0;
            while (off + 16 <= copy.length) {
                if (HostOrder.i32(copy, off + 8) == SEQ) {
                    HostOrder.putI32(copy, off + 8, seq);
                }
                off += NetlinkConstants.align(HostOrder.i32(copy, off));
            }
            pending.add(copy);
        }
    }

    @Override
    public int receive(byte[] buf, String operation) throws OsException {
        byte[] d = pending.poll();
        if (d == null) {
            throw new AssertionError("receive with nothing queued: the client would block forever");
        }
        System.arraycopy(d, 0, buf, 0, d.length);
        return d.length;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** One message: header with the given type, flags and seq, then the payload. */
    static byte[] msg(int type, int flags, int seq, byte[] payload) {
        byte[] b = new byte[NetlinkConstants.align(16 + payload.length)];
        HostOrder.putI32(b, 0, 16 + payload.length);
        HostOrder.putU16(b, 4, type);
        HostOrder.putU16(b, 6, flags);
        HostOrder.putI32(b, 8, seq);
        System.arraycopy(payload, 0, b, 16, payload.length);
        return b;
    }

    static byte[] ack(int error) {
        byte[] p = new byte[4 + 16];
        HostOrder.putI32(p, 0, error);
        return msg(NetlinkConstants.NLMSG_ERROR, NetlinkConstants.NLM_F_CAPPED, SEQ, p);
    }

    static byte[] done(int flags) {
        return msg(NetlinkConstants.NLMSG_DONE, NetlinkConstants.NLM_F_MULTI | flags, SEQ, new byte[4]);
    }

    static byte[] link(int index, String name, int flags) {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(LinkMessages.RTM_NEWLINK, 0)
                .u8(0).u8(0).u16(1).u32(index).u32(0).u32(0)
                .attrString(LinkMessages.IFLA_IFNAME, name);
        return b.build(SEQ, flags);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }
}
