package dev.jcni.core.os.conntrack;

import static dev.jcni.core.os.conntrack.ConntrackMessagesTest.UDP_ENTRY;
import static dev.jcni.core.os.conntrack.ConntrackMessagesTest.hex;
import static dev.jcni.core.os.conntrack.ConntrackMessagesTest.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.conntrack.ConntrackMessagesTest.ScriptedKernel;
import dev.jcni.core.os.netlink.NetlinkConstants;
import dev.jcni.core.os.netlink.RtNetlink;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Dumps the kernel marks interrupted, refused deletes, IPv6 entries in a zone and protocols without ports; golden bytes by hand. */
class ConntrackDumpTest {
    private static final int MULTI = NetlinkConstants.NLM_F_MULTI;
    private static final int DUMP_INTR = 0x10; // NLM_F_DUMP_INTR, linux/netlink.h

    @BeforeAll
    static void littleEndianHost() {
        org.junit.jupiter.api.Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] done(int seq) {
        return message(NetlinkConstants.NLMSG_DONE, MULTI, seq, hex("00000000"));
    }

    @Test
    void aDumpMarkedInterruptedIsTakenAgain() throws Exception {
        ScriptedKernel k = new ScriptedKernel();
        k.answers.add(List.of(message(0x0100, MULTI | DUMP_INTR, 1, hex(UDP_ENTRY)), done(1)));
        k.answers.add(List.of(message(0x0100, MULTI, 2, hex(UDP_ENTRY)), done(2)));
        List<ConntrackEntry> entries = new Conntrack(RtNetlink.over(k)).entries(IpAddress.Family.IPV4);
        assertEquals(1, entries.size());
        assertEquals(2, k.sent.size(), "the interrupted dump was repeated");
    }

    @Test
    void aDumpInterruptedFiveTimesIsEintr() {
        ScriptedKernel k = new ScriptedKernel();
        for (int seq = 1; seq <= 6; seq++) {
            k.answers.add(List.of(message(0x0100, MULTI | DUMP_INTR, seq, hex(UDP_ENTRY)), done(seq)));
        }
        OsException e = assertThrows(OsException.class, () -> new Conntrack(RtNetlink.over(k)).entries(IpAddress.Family.IPV4));
        assertEquals(Errno.EINTR, e.errno());
        assertEquals(5, k.sent.size());
    }

    @Test
    void aRefusedDeleteIsAnOsExceptionAndAnswersToOtherRequestsAreSkipped() {
        ScriptedKernel k = new ScriptedKernel();
        k.answers.add(List.of(message(0x0100, MULTI, 1, hex(UDP_ENTRY)), done(1)));
        k.answers.add(List.of(
                message(NetlinkConstants.NLMSG_ERROR, 0, 99, hex("00000000" + "00".repeat(16))),   // an ACK of another request
                message(NetlinkConstants.NLMSG_ERROR, 0, 2, hex("ffffffff" + "00".repeat(16)))));  // EPERM for ours
        OsException e = assertThrows(OsException.class, () -> new Conntrack(RtNetlink.over(k)).deleteMatching(
                List.of(new ConntrackFilter(IpAddress.Family.IPV4, ConntrackFilter.UDP, 5353, null))));
        assertEquals(Errno.EPERM, e.errno());
    }

    @Test
    void parsesAnIpv6EntryInAZone() throws Exception {
        String payload = "0a 00 0000"
                + "4c00 0180"
                + "2c00 0180"
                + "1400 0300 20010db8000000000000000000000002"
                + "1400 0400 20010db8000000000000000000000001"
                + "1c00 0280" + "0500 0100 84 000000" + "0600 0200 0001 0000" + "0600 0300 ffff 0000"
                + "0600 1200 0007 0000";                           // CTA_ZONE 7
        assertEquals(new ConntrackEntry(132, IpAddress.parse("2001:db8::2"), IpAddress.parse("2001:db8::1"), 1, 65535, 7),
                ConntrackMessages.parseEntry(ConntrackMessagesTest.dumped(payload)));
    }

    @Test
    void deleteOfAnIcmpEntryCarriesNoPorts() throws Exception {
        ConntrackEntry e = new ConntrackEntry(1, IpAddress.parse("10.0.0.2"), IpAddress.parse("10.0.0.1"), 0, 0, 0);
        byte[] wire = ConntrackMessages.deleteRequest(e).build(1, NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_ACK);
        String expected = "38000000 0201 0500 01000000 00000000"   // 56 bytes, CT_DELETE, REQUEST|ACK, seq 1
                + "02 00 0000"
                + "2400 0180"                                     // CTA_TUPLE_ORIG, 36 bytes
                + "1400 0180" + "0800 0100 0a000002" + "0800 0200 0a000001"
                + "0c00 0280" + "0500 0100 01 000000";            // CTA_TUPLE_PROTO: the protocol alone
        assertEquals(ConntrackMessagesTest.hex(hex(expected)), ConntrackMessagesTest.hex(wire));
    }
}
