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
        assertEquals(1400, l.mtu());
        assertEquals(MacAddress.parse("02:11:22:33:44:55"), l.mac());
        assertEquals(500, l.txQueueLen());
        assertEquals("veth", l.kind());
        assertEquals(2, l.masterIndex());
        assertEquals(6, l.linkIndex());
        // UP | BROADCAST | MULTICAST | PROMISC; no LOWER_UP (peer is down)
        assertEquals(0x1103, l.flags());
        assertTrue(l.isUp());
        assertTrue(l.promisc());
        // The kernel reports the user-requested ALLMULTI (gflags), not the bridge's implicit one.
        assertFalse(l.allMulti());
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
        assertEquals(new LinkInfo(1, "lo", 65536, null, 0x9, 0, null, 0, 0), l);
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
            assertNull(l.mac(), "address of " + length + " bytes");
        }
    }

    @Test
    void otherMessageTypesAreNotLinks() {
        assertNull(LinkMessages.parse(new NetlinkMessage(NetlinkConstants.NLMSG_DONE, 0, 1, 0, new byte[4])));
    }
}
