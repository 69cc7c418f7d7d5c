package dev.jcni.core.os.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jcni.core.net.MacAddress;
import org.junit.jupiter.api.Test;

/** Golden encodings. Netlink is host-order; these are the little-endian (x86_64, aarch64) bytes. */
class NetlinkMessageBuilderTest {
    private static final int REQUEST_ACK = NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_ACK;

    @Test
    void setMtuOnIndex7() {
        byte[] wire = LinkMessages.set(7, LinkAttribute.MTU, 9000).build(1, REQUEST_ACK);
        assertEquals(Hex.format(Hex.parse(
                "28000000 1000 0500 01000000 00000000"      // nlmsghdr: len 40, RTM_NEWLINK, REQUEST|ACK, seq 1, pid 0
                + "00 00 0000 07000000 00000000 00000000"   // ifinfomsg: AF_UNSPEC, index 7, flags 0, change 0
                + "0800 0400 28230000")),                   // IFLA_MTU = 9000
                Hex.format(wire));
    }

    @Test
    void getLinkByName() {
        byte[] wire = LinkMessages.getByName("eth0").build(2, REQUEST_ACK);
        assertEquals(Hex.format(Hex.parse(
                "34000000 1200 0500 02000000 00000000"      // len 52, RTM_GETLINK
                + "00 00 0000 00000000 00000000 00000000"
                + "0800 1d00 08000000"                      // IFLA_EXT_MASK = RTEXT_FILTER_SKIP_STATS
                + "0900 0300 65746830 00 000000")),         // IFLA_IFNAME "eth0\0" (len 9) + 3 bytes padding
                Hex.format(wire));
    }

    @Test
    void setUpChangesOnlyTheUpFlag() {
        byte[] wire = LinkMessages.set(3, LinkAttribute.UP, true).build(5, REQUEST_ACK);
        assertEquals(Hex.format(Hex.parse(
                "20000000 1000 0500 05000000 00000000"
                + "00 00 0000 03000000 01000000 01000000")),  // flags IFF_UP, change IFF_UP
                Hex.format(wire));
        byte[] down = LinkMessages.set(3, LinkAttribute.PROMISC, false).build(6, REQUEST_ACK);
        assertEquals("00000000" + "00010000", Hex.format(down).substring(48, 64)); // flags 0, change IFF_PROMISC
    }

    @Test
    void txQueueLengthAndMasterAreU32Attributes() {
        assertEquals("0800 0d00 f4010000".replace(" ", ""),
                Hex.format(LinkMessages.set(3, LinkAttribute.TX_QUEUE_LENGTH, 500).build(1, REQUEST_ACK)).substring(64));
        assertEquals("0800 0a00 02000000".replace(" ", ""),
                Hex.format(LinkMessages.set(3, LinkAttribute.MASTER, 2).build(1, REQUEST_ACK)).substring(64));
    }

    @Test
    void allMulticastOnSetsOnlyItsBit() {
        byte[] wire = LinkMessages.set(4, LinkAttribute.ALLMULTI, true).build(1, REQUEST_ACK);
        assertEquals("00020000" + "00020000", Hex.format(wire).substring(48, 64));
        assertEquals(32, wire.length, "no attribute follows the header");
    }

    @Test
    void setMacAddress() {
        byte[] wire = LinkMessages.set(9, LinkAttribute.MAC, MacAddress.fromBytes(new byte[] {2, 0x42, (byte) 0xac, 0x11, 0, 2})).build(1, REQUEST_ACK);
        assertEquals(Hex.format(Hex.parse(
                "2c000000 1000 0500 01000000 00000000"
                + "00 00 0000 09000000 00000000 00000000"
                + "0a00 0100 0242ac110002 0000")),          // IFLA_ADDRESS, len 10, padded to 12
                Hex.format(wire));
    }

    @Test
    void dumpRequestCarriesDumpFlags() {
        byte[] wire = LinkMessages.dumpAll().build(3, NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_DUMP);
        assertEquals("28000000" + "1200" + "0103" + "03000000", Hex.format(wire).substring(0, 24));
    }

    @Test
    void nestedAttributesIncludeInnerPadding() {
        NetlinkMessageBuilder m = new NetlinkMessageBuilder(LinkMessages.RTM_NEWLINK, NetlinkConstants.NLM_F_CREATE)
                .u8(0).u8(0).u16(0).u32(0).u32(0).u32(0);
        int info = m.beginNested(LinkMessages.IFLA_LINKINFO);
        m.attrString(LinkMessages.IFLA_INFO_KIND, "veth");
        m.endNested(info);
        m.attrU8(100, 0xab);
        assertEquals(Hex.format(Hex.parse(
                "38000000 1000 0504 07000000 00000000"      // len 56, flags CREATE|REQUEST|ACK
                + "00 00 0000 00000000 00000000 00000000"
                + "1000 1200"                               // IFLA_LINKINFO, len 16 = 4 + padded inner 12
                + "0900 0100 76657468 00 000000"            // IFLA_INFO_KIND "veth\0"
                + "0500 6400 ab 000000")),                  // u8 attribute padded to 8
                Hex.format(m.build(7, REQUEST_ACK)));
    }

    @Test
    void growsPastItsInitialBuffer() {
        NetlinkMessageBuilder m = new NetlinkMessageBuilder(1, 0);
        for (int i = 0; i < 100; i++) {
            m.attrU64(i, i);
        }
        byte[] wire = m.build(1, 0);
        assertEquals(16 + 100 * 12, wire.length);
        AttributeReader a = new AttributeReader(wire, 16, wire.length);
        int n = 0;
        while (a.next()) {
            assertEquals(n, a.type());
            assertEquals(n, a.u64());
            n++;
        }
        assertEquals(100, n);
    }
}
