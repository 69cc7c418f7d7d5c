package dev.jcni.core.os.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.net.MacAddress;
import org.junit.jupiter.api.Test;

class LinkMessagesTest {
    /** A real reply captured from kernel 6.18; setup in the resource's header. */
    @Test
    void parsesCapturedVethReply() throws Exception {
        byte[] payload = Hex.resource("rtm_newlink_vcap0.hex");
        assertEquals(1476, payload.length);
        LinkInfo l = LinkMessages.parse(new NetlinkMessage(LinkMessages.RTM_NEWLINK, 0, 1, 0, payload));
        assertEquals(5, l.index());
        assertEquals("vcap0", l.name());
        assertEquals("vcap0", l.get(LinkAttribute.NAME));
        assertEquals(1400, l.get(LinkAttribute.MTU));
        assertEquals(MacAddress.parse("02:11:22:33:44:55"), l.get(LinkAttribute.MAC));
        assertEquals(500, l.get(LinkAttribute.TX_QUEUE_LENGTH));
        assertEquals("veth", l.kind());
        assertEquals(2, l.get(LinkAttribute.MASTER));
        assertEquals(6, l.get(LinkAttribute.LINK));
        // UP | BROADCAST | MULTICAST | PROMISC; no LOWER_UP (peer is down)
        assertEquals(0x1103, l.flags());
        assertTrue(l.get(LinkAttribute.UP));
        assertTrue(l.get(LinkAttribute.PROMISC));
        // The kernel reports the user-requested ALLMULTI (gflags), not the bridge's implicit one.
        assertFalse(l.get(LinkAttribute.ALLMULTI));
    }

    @Test
    void minimalLoopbackWithoutLinkInfo() {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(LinkMessages.RTM_NEWLINK, 0)
                .u8(0).u8(0).u16(772).u32(1).u32(LinkInfo.IFF_UP | LinkInfo.IFF_LOOPBACK).u32(0)
                .attrString(LinkMessages.IFLA_IFNAME, "lo")
                .attrU32(LinkMessages.IFLA_MTU, 65536);
        byte[] wire = b.build(1, 0);
        byte[] payload = java.util.Arrays.copyOfRange(wire, 16, wire.length);
        LinkInfo l = LinkMessages.parse(new NetlinkMessage(LinkMessages.RTM_NEWLINK, 0, 1, 0, payload));
        assertEquals(new LinkInfo.Builder(1).flags(0x9).set(LinkAttribute.NAME, "lo").set(LinkAttribute.MTU, 65536).build(), l);
        assertNull(l.get(LinkAttribute.MASTER), "no master attribute, no master");
        assertNull(l.get(LinkAttribute.MAC));
        assertFalse(l.get(LinkAttribute.PROMISC));
    }

    @Test
    void hardwareAddressesOtherThanEthernetAreNoMac() {
        for (int length : new int[] {0, 4, 16, 20}) {
            byte[] wire = new NetlinkMessageBuilder(LinkMessages.RTM_NEWLINK, 0)
                    .u8(0).u8(0).u16(32).u32(7).u32(0).u32(0)
                    .attrString(LinkMessages.IFLA_IFNAME, "ib0")
                    .attrBytes(LinkMessages.IFLA_ADDRESS, new byte[length])
                    .build(1, 0);
            byte[] payload = java.util.Arrays.copyOfRange(wire, 16, wire.length);
            LinkInfo l = LinkMessages.parse(new NetlinkMessage(LinkMessages.RTM_NEWLINK, 0, 1, 0, payload));
            assertEquals("ib0", l.name());
            assertNull(l.get(LinkAttribute.MAC), "address of " + length + " bytes");
        }
    }

    @Test
    void everyRowSetThroughTheBuilderReadsBack() throws Exception {
        LinkInfo l = new LinkInfo.Builder(4).flags(LinkInfo.IFF_BROADCAST)
                .set(LinkAttribute.PROMISC, true).set(LinkAttribute.ALLMULTI, true).set(LinkAttribute.UP, true)
                .set(LinkAttribute.MTU, 9000).set(LinkAttribute.MAC, MacAddress.parse("02:00:00:00:00:07")).build();
        assertEquals(LinkInfo.IFF_BROADCAST | LinkInfo.IFF_PROMISC | LinkInfo.IFF_ALLMULTI | LinkInfo.IFF_UP, l.flags());
        assertEquals(9000, l.get(LinkAttribute.MTU));
        LinkInfo off = new LinkInfo.Builder(4).flags(l.flags()).set(LinkAttribute.PROMISC, false).build();
        assertEquals(LinkInfo.IFF_BROADCAST | LinkInfo.IFF_ALLMULTI | LinkInfo.IFF_UP, off.flags(), "only the row's bit is cleared");
    }

    @Test
    void aRowEncodedIsTheRowDecoded() throws Exception {
        // Every attribute row through a request and back through the parser, as one table.
        NetlinkMessageBuilder m = new NetlinkMessageBuilder(LinkMessages.RTM_NEWLINK, 0).u8(0).u8(0).u16(0).u32(8).u32(0).u32(0);
        LinkAttribute.NAME.encode(m, "veth9");
        LinkAttribute.MTU.encode(m, 1280);
        LinkAttribute.MAC.encode(m, MacAddress.parse("02:00:00:00:00:09"));
        LinkAttribute.TX_QUEUE_LENGTH.encode(m, 42);
        LinkAttribute.MASTER.encode(m, 3);
        LinkAttribute.LINK.encode(m, 11);
        byte[] wire = m.build(1, 0);
        LinkInfo l = LinkMessages.parse(new NetlinkMessage(LinkMessages.RTM_NEWLINK, 0, 1, 0,
                java.util.Arrays.copyOfRange(wire, 16, wire.length)));
        assertEquals("veth9", l.name());
        assertEquals(1280, l.get(LinkAttribute.MTU));
        assertEquals(MacAddress.parse("02:00:00:00:00:09"), l.get(LinkAttribute.MAC));
        assertEquals(42, l.get(LinkAttribute.TX_QUEUE_LENGTH));
        assertEquals(3, l.get(LinkAttribute.MASTER));
        assertEquals(11, l.get(LinkAttribute.LINK));
        assertEquals("LinkInfo{index=8, flags=0x0, name=veth9, mtu=1280, mac=02:00:00:00:00:09, txqueuelen=42, master=3, "
                + "link=11, up=false, promisc=false, allmulticast=false}", l.toString());
    }

    @Test
    void changesAreDescribedInIpLinkWords() {
        assertEquals("mtu 1400", LinkAttribute.MTU.describe(1400));
        assertEquals("promisc off", LinkAttribute.PROMISC.describe(false));
        assertEquals("allmulticast on", LinkAttribute.ALLMULTI.describe(true));
        assertEquals("down", LinkAttribute.UP.describe(false));
        assertEquals("txqueuelen 5", LinkAttribute.TX_QUEUE_LENGTH.describe(5));
    }

    @Test
    void otherMessageTypesAreNotLinks() {
        assertNull(LinkMessages.parse(new NetlinkMessage(NetlinkConstants.NLMSG_DONE, 0, 1, 0, new byte[4])));
    }
}
