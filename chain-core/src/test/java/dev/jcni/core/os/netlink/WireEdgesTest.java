package dev.jcni.core.os.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jcni.core.net.IpAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The message builder past its first buffer, RTA_MULTIPATH read at its edges, and bridge VLAN
 * dumps that break the BEGIN/END pairing. Bytes written by hand: struct rtnexthop {u16 len;
 * u8 flags; u8 hops; s32 ifindex} (linux/rtnetlink.h; hops is the weight less one), RTA_GATEWAY 5,
 * RTA_MULTIPATH 9; struct bridge_vlan_info {u16 flags; u16 vid} (linux/if_bridge.h;
 * BRIDGE_VLAN_INFO_RANGE_BEGIN 8, _RANGE_END 16), IFLA_AF_SPEC 26, IFLA_BRIDGE_VLAN_INFO 2.
 */
class WireEdgesTest {
    @Test
    void fieldsPastTheFirstBufferAreKept() {
        NetlinkMessageBuilder m = new NetlinkMessageBuilder(0x1234, 0);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            m.u16(i).u8(0xaa).u8(0xbb).u32(i * 7);
            expected.append(String.format("%02x%02x", i & 0xff, i >> 8)).append("aabb")
                    .append(String.format("%02x%02x%02x%02x", (i * 7) & 0xff, (i * 7) >> 8, 0, 0));
        }
        byte[] b = m.build(0x01020304, 0x0100);
        assertEquals(16 + 200 * 8, b.length);
        assertEquals(String.format("%08x", Integer.reverseBytes(16 + 1600)) + "3412" + "0001" + "04030201" + "00000000"
                + expected, Hex.format(b));
    }

    private static AttributeReader multipath(String payloadHex) {
        byte[] payload = Hex.parse(payloadHex);
        byte[] b = new byte[4 + payload.length];
        HostOrder.putU16(b, 0, b.length);
        HostOrder.putU16(b, 2, RouteAttribute.RTA_MULTIPATH);
        System.arraycopy(payload, 0, b, 4, payload.length);
        AttributeReader a = new AttributeReader(b, 0, b.length);
        a.next();
        return a;
    }

    @Test
    void multipathKeepsTheHopsWithAGatewayOrADevice() throws Exception {
        List<Nexthop> hops = Nexthop.LIST.get(multipath(
                "0800 00 00 00000000"                                  // neither gateway nor device: left out
                + "1000 04 01 03000000 0800 0500 0a010001"             // via 10.1.0.1 dev 3 weight 2 onlink
                + "0800 00 00 05000000"));                             // dev 5, exactly 8 bytes, last
        assertEquals(List.of(Nexthop.via(IpAddress.parse("10.1.0.1"), 3).weight(2).flags(4), Nexthop.via(null, 5)), hops);
    }

    @Test
    void multipathStopsAtATruncatedHop() throws Exception {
        List<Nexthop> hops = Nexthop.LIST.get(multipath("0800 00 00 05000000" + "1000 00 00 06000000"));
        assertEquals(List.of(Nexthop.via(null, 5)), hops);
        assertEquals(List.of(), Nexthop.LIST.get(multipath("0700 00 00 05000000")), "shorter than an rtnexthop");
    }

    private static List<BridgeVlan> vlans(String infos) throws Exception {
        byte[] spec = Hex.parse(infos);
        NetlinkMessageBuilder m = new NetlinkMessageBuilder(LinkMessages.RTM_NEWLINK, 0)
                .u8(7).u8(0).u16(0).u32(4).u32(0).u32(0);
        int nest = m.beginNested(LinkMessages.IFLA_AF_SPEC);
        m.bytes(spec);
        m.endNested(nest);
        byte[] b = m.build(1, 0);
        return BridgeVlanMessages.parse(NetlinkMessage.parseAll(b, b.length).get(0));
    }

    @Test
    void aRangeBeginWithoutItsEndIsDropped() throws Exception {
        // BEGIN 10, then a plain 20: 20 alone
        assertEquals(List.of(BridgeVlan.tagged(20)), vlans("0800 0200 0800 0a00" + "0800 0200 0000 1400"));
        // BEGIN 10, END 12: one range
        assertEquals(List.of(BridgeVlan.range(10, 12)), vlans("0800 0200 0800 0a00" + "0800 0200 1000 0c00"));
        // an END with no BEGIN before it is a single VID
        assertEquals(List.of(BridgeVlan.tagged(12)), vlans("0800 0200 1000 0c00"));
        // a BEGIN of VID 0 opens no range
        assertEquals(List.of(BridgeVlan.tagged(12)), vlans("0800 0200 0800 0000" + "0800 0200 1000 0c00"));
    }

    @Test
    void u32sAcrossTheFirstBufferAreKept() {
        // 2 + 4k: the u32 at offset 126 of the 128-byte first buffer runs past its end
        NetlinkMessageBuilder m = new NetlinkMessageBuilder(0, 0).u16(0xbeef);
        StringBuilder expected = new StringBuilder("efbe");
        for (int i = 0; i < 40; i++) {
            m.u32(0x11223344 + i);
            expected.append(String.format("%02x", 0x44 + i)).append("332211");
        }
        byte[] b = m.build(0, 0);
        assertEquals(expected.toString(), Hex.format(b).substring(32));
    }

    @Test
    void attrCharsChains() {
        byte[] b = new NetlinkMessageBuilder(0, 0).attrChars(1, "htb").u8(9).build(0, 0);
        // nlattr len 7 ("htb" without NUL), padded to 8, then the u8
        assertEquals("0700" + "0100" + "687462" + "00" + "09", Hex.format(b).substring(32));
    }
}
