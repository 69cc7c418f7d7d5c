package dev.jcni.core.os.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Golden tc messages: the resources {@code tc-*.hex} hold the bytes iproute2's tc (6.1.0, Debian
 * 12) sent or the kernel (6.18) answered, captured with strace in a scratch namespace; each file's
 * header says which command. {@code tc-golden-capture.py} next to them recaptures them all (as
 * root, with strace; on this machine the requests come out identical but for the sequence
 * numbers). Requests are replayed through the real clients over a scripted
 * kernel ({@link FakeTransport}) starting at the golden's sequence number, so the comparison
 * covers the flags and the whole message.
 */
final class TcGolden {
    private TcGolden() {}

    static byte[] load(String name) {
        return Hex.resource(name + ".hex");
    }

    static int seq(byte[] message) {
        return HostOrder.i32(message, 8);
    }

    /** A scripted kernel that ACKs {@code requests} requests, and a socket on it starting at {@code golden}'s seq. */
    static RtNetlink acking(FakeTransport kernel, byte[] golden, int requests) {
        for (int i = 0; i < requests; i++) {
            kernel.answer(FakeTransport.ack(0));
        }
        return new RtNetlink(kernel, seq(golden));
    }

    /**
     * The message with the given attribute types removed from its TCA_OPTIONS nest (the rate tables
     * tc sends and we do not), lengths fixed up. {@code headerLength}: 20 for struct tcmsg.
     */
    static byte[] withoutOptions(byte[] message, int... dropTypes) {
        Set<Integer> drop = new HashSet<>();
        for (int t : dropTypes) {
            drop.add(t);
        }
        int start = 16 + TcMessages.TCMSG_LENGTH;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(message, 0, start);
        int off = start;
        while (off + 4 <= message.length) {
            int len = HostOrder.u16(message, off);
            int type = HostOrder.u16(message, off + 2) & NetlinkConstants.NLA_TYPE_MASK;
            int padded = NetlinkConstants.align(len);
            if (type == TcMessages.TCA_OPTIONS && len > 4) {
                ByteArrayOutputStream nest = new ByteArrayOutputStream();
                nest.write(message, off, 4);
                int o = off + 4;
                while (o < off + len) {
                    int l2 = HostOrder.u16(message, o);
                    int t2 = HostOrder.u16(message, o + 2) & NetlinkConstants.NLA_TYPE_MASK;
                    if (!drop.contains(t2)) {
                        nest.write(message, o, NetlinkConstants.align(l2));
                    }
                    o += NetlinkConstants.align(l2);
                }
                byte[] n = nest.toByteArray();
                HostOrder.putU16(n, 0, n.length);
                out.write(n, 0, n.length);
            } else {
                out.write(message, off, Math.min(padded, message.length - off));
            }
            off += padded;
        }
        byte[] b = out.toByteArray();
        HostOrder.putI32(b, 0, b.length);
        return b;
    }

    /** A copy with the u32 at {@code offset} set to {@code value}. */
    static byte[] patchU32(byte[] message, int offset, long value) {
        byte[] b = message.clone();
        HostOrder.putI32(b, offset, (int) value);
        return b;
    }

    static void assertBytes(byte[] expected, byte[] actual) {
        assertEquals(Hex.format(expected), Hex.format(actual));
    }

    /** The messages of a golden dump datagram. */
    static java.util.List<NetlinkMessage> messages(String name) throws Exception {
        byte[] d = load(name);
        return NetlinkMessage.parseAll(d, d.length);
    }

    static byte[] slice(byte[] b, int from, int to) {
        return Arrays.copyOfRange(b, from, to);
    }
}
