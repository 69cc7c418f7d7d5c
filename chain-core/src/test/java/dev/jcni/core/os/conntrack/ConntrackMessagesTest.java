package dev.jcni.core.os.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netlink.NetlinkConstants;
import dev.jcni.core.os.netlink.NetlinkMessage;
import dev.jcni.core.os.netlink.NetlinkTransport;
import dev.jcni.core.os.netlink.RtNetlink;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ctnetlink messages as golden bytes (written out by hand from the kernel's headers), little-endian hosts. */
class ConntrackMessagesTest {
    @BeforeAll
    static void littleEndianHost() {
        // The golden bytes spell netlink's host-order fields little-endian (x86, arm64).
        org.junit.jupiter.api.Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
    }

    static byte[] hex(String s) {
        String h = s.replaceAll("\\s+", "");
        byte[] out = new byte[h.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xff));
        }
        return sb.toString();
    }

    private static IpAddress ip(String s) throws Exception {
        return IpAddress.parse(s);
    }

    @Test
    void deleteOfAnIpv4UdpEntry() throws Exception {
        ConntrackEntry e = new ConntrackEntry(17, ip("10.0.0.2"), ip("198.51.100.1"), 40000, 5353, 0);
        byte[] wire = ConntrackMessages.deleteRequest(e).build(1, NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_ACK);
        String expected = "48000000 0201 0500 01000000 00000000"   // nlmsghdr: 72 bytes, CT_DELETE, REQUEST|ACK, seq 1
                + "02 00 0000"                                    // nfgenmsg: AF_INET, v0, res_id 0
                + "3400 0180"                                     // CTA_TUPLE_ORIG, nested, 52 bytes
                + "1400 0180"                                     //   CTA_TUPLE_IP, nested, 20 bytes
                + "0800 0100 0a000002"                            //     CTA_IP_V4_SRC 10.0.0.2
                + "0800 0200 c6336401"                            //     CTA_IP_V4_DST 198.51.100.1
                + "1c00 0280"                                     //   CTA_TUPLE_PROTO, nested, 28 bytes
                + "0500 0100 11 000000"                           //     CTA_PROTO_NUM 17, padded
                + "0600 0200 9c40 0000"                           //     CTA_PROTO_SRC_PORT 40000, big-endian
                + "0600 0300 14e9 0000";                          //     CTA_PROTO_DST_PORT 5353, big-endian
        assertEquals(hex(hex(expected)), hex(wire));
    }

    @Test
    void deleteOfAnIpv6SctpEntryInAZone() throws Exception {
        ConntrackEntry e = new ConntrackEntry(132, ip("2001:db8::2"), ip("2001:db8::1"), 1, 65535, 7);
        byte[] wire = ConntrackMessages.deleteRequest(e).build(9, NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_ACK);
        String expected = "68000000 0201 0500 09000000 00000000"   // 104 bytes
                + "0a 00 0000"                                    // AF_INET6
                + "4c00 0180"                                     // CTA_TUPLE_ORIG, 76 bytes
                + "2c00 0180"                                     //   CTA_TUPLE_IP, 44 bytes
                + "1400 0300 20010db8000000000000000000000002"    //     CTA_IP_V6_SRC
                + "1400 0400 20010db8000000000000000000000001"    //     CTA_IP_V6_DST
                + "1c00 0280"
                + "0500 0100 84 000000"                           //     132
                + "0600 0200 0001 0000"
                + "0600 0300 ffff 0000"
                + "0600 1200 0007 0000";                          // CTA_ZONE 7, big-endian
        assertEquals(hex(hex(expected)), hex(wire));
    }

    @Test
    void dumpRequestNamesTheFamily() {
        byte[] wire = ConntrackMessages.dumpRequest(IpAddress.Family.IPV6).build(3, NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_DUMP);
        assertEquals("14000000" + "0101" + "0103" + "03000000" + "00000000" + "0a000000", hex(wire));
    }

    /** A CT_NEW message of a dump: nfgenmsg, then the orig tuple, a reply tuple and a zone. */
    static NetlinkMessage dumped(String payloadHex) {
        return new NetlinkMessage(0x0100, NetlinkConstants.NLM_F_MULTI, 5, 0, hex(payloadHex));
    }

    static final String UDP_ENTRY = "02 00 0000"
            + "3400 0180"
            + "1400 0180" + "0800 0100 0a000002" + "0800 0200 c6336401"
            + "1c00 0280" + "0500 0100 11 000000" + "0600 0200 9c40 0000" + "0600 0300 14e9 0000"
            + "3400 0280"                                          // CTA_TUPLE_REPLY: ignored
            + "1400 0180" + "0800 0100 0a000009" + "0800 0200 0a000002"
            + "1c00 0280" + "0500 0100 11 000000" + "0600 0200 0035 0000" + "0600 0300 9c40 0000"
            + "0800 0300 00000000";                                // CTA_STATUS: ignored

    @Test
    void parsesTheOriginalTupleOfADumpedEntry() throws Exception {
        ConntrackEntry e = ConntrackMessages.parseEntry(dumped(UDP_ENTRY));
        assertEquals(new ConntrackEntry(17, ip("10.0.0.2"), ip("198.51.100.1"), 40000, 5353, 0), e);
    }

    @Test
    void ignoresWhatIsNoEntry() {
        assertNull(ConntrackMessages.parseEntry(new NetlinkMessage(0x0102, 0, 1, 0, hex(UDP_ENTRY))), "not CT_NEW");
        assertNull(ConntrackMessages.parseEntry(dumped("02 00 0000")), "no tuple");
        assertNull(ConntrackMessages.parseEntry(dumped("02 00 0000 1000 0180 0c00 0180 0800 0100 0a000002")), "no destination");
    }

    @Test
    void filterSelectsByFamilyProtocolPortAndAddress() throws Exception {
        ConntrackEntry e = new ConntrackEntry(17, ip("10.0.0.2"), ip("198.51.100.1"), 40000, 5353, 0);
        assertTrue(new ConntrackFilter(IpAddress.Family.IPV4, 17, 5353, null).matches(e));
        assertTrue(new ConntrackFilter(IpAddress.Family.IPV4, 17, 5353, ip("198.51.100.1")).matches(e));
        assertFalse(new ConntrackFilter(IpAddress.Family.IPV4, 17, 5353, ip("198.51.100.2")).matches(e));
        assertFalse(new ConntrackFilter(IpAddress.Family.IPV4, 6, 5353, null).matches(e));
        assertFalse(new ConntrackFilter(IpAddress.Family.IPV4, 17, 40000, null).matches(e), "the source port is not the filter's");
        assertFalse(new ConntrackFilter(IpAddress.Family.IPV6, 17, 5353, null).matches(e));
        assertThrows(IllegalArgumentException.class, () -> new ConntrackFilter(IpAddress.Family.IPV4, 17, 0, null));
        assertThrows(IllegalArgumentException.class, () -> new ConntrackFilter(IpAddress.Family.IPV6, 17, 1, ip("10.0.0.1")));
    }

    /** A scripted kernel: answers each sent message with the datagrams queued for it. */
    static final class ScriptedKernel implements NetlinkTransport {
        final List<byte[]> sent = new ArrayList<>();
        final List<List<byte[]>> answers = new ArrayList<>();
        private final List<byte[]> pending = new ArrayList<>();

        @Override
        public void send(byte[] message, String operation) {
            sent.add(message);
            pending.addAll(answers.remove(0));
        }

        @Override
        public int receive(byte[] buf, String operation) {
            byte[] d = pending.remove(0);
            System.arraycopy(d, 0, buf, 0, d.length);
            return d.length;
        }

        @Override
        public void close() {}
    }

    static byte[] message(int type, int flags, int seq, byte[] payload) {
        byte[] out = new byte[16 + payload.length];
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, out.length).putShort(4, (short) type).putShort(6, (short) flags).putInt(8, seq);
        System.arraycopy(payload, 0, out, 16, payload.length);
        return out;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    @Test
    void deletesTheSelectedEntriesAndToleratesOneAlreadyGone() throws Exception {
        ScriptedKernel k = new ScriptedKernel();
        String tcpEntry = UDP_ENTRY.replace("0500 0100 11 000000", "0500 0100 06 000000");
        String otherPort = UDP_ENTRY.replace("0600 0300 14e9 0000", "0600 0300 14ea 0000");
        // Dump: three entries in one datagram, then DONE.
        k.answers.add(List.of(
                concat(message(0x0100, 2, 1, hex(UDP_ENTRY)), message(0x0100, 2, 1, hex(tcpEntry)), message(0x0100, 2, 1, hex(otherPort))),
                message(NetlinkConstants.NLMSG_DONE, 2, 1, hex("00000000"))));
        // The delete of the one selected entry: ENOENT, it expired meanwhile.
        k.answers.add(List.of(message(NetlinkConstants.NLMSG_ERROR, 0, 2, hex("feffffff" + "00".repeat(16)))));
        int n = new Conntrack(RtNetlink.over(k)).deleteMatching(
                List.of(new ConntrackFilter(IpAddress.Family.IPV4, ConntrackFilter.UDP, 5353, null)));
        assertEquals(1, n);
        assertEquals(2, k.sent.size(), "one dump, one delete");
        assertEquals(hex(ConntrackMessages.deleteRequest(
                new ConntrackEntry(17, ip("10.0.0.2"), ip("198.51.100.1"), 40000, 5353, 0)).build(2, 5)), hex(k.sent.get(1)));
    }

    @Test
    void aKernelRefusalIsAnOsException() throws Exception {
        ScriptedKernel k = new ScriptedKernel();
        k.answers.add(List.of(message(NetlinkConstants.NLMSG_ERROR, 0, 1, hex("ffffffff" + "00".repeat(16)))));
        OsException e = assertThrows(OsException.class, () -> new Conntrack(RtNetlink.over(k)).entries(IpAddress.Family.IPV4));
        assertEquals(1, e.errno());
    }
}
