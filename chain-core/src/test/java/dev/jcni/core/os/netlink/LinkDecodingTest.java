package dev.jcni.core.os.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.net.MacAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RTM_NEWLINK replies the kernel sent (captured; each resource's header says how), decoded. */
class LinkDecodingTest {
    /** The one RTM_NEWLINK of the resource. */
    private static LinkInfo only(String resource) throws Exception {
        List<LinkInfo> links = new ArrayList<>();
        for (NetlinkMessage m : Golden.messages(resource)) {
            LinkInfo l = LinkMessages.parse(m);
            if (l != null) {
                links.add(l);
            }
        }
        assertEquals(1, links.size(), resource);
        return links.get(0);
    }

    @Test
    void bridgePortFlagsFromSlaveData() throws Exception {
        LinkInfo d0 = only("rtm_newlink_port.hex");
        assertEquals(4, d0.index());
        assertEquals("d0", d0.name());
        assertEquals("veth", d0.kind());
        assertEquals("bridge", d0.portKind());
        assertEquals(2, d0.get(LinkAttribute.MASTER));
        assertEquals(3, d0.get(LinkAttribute.LINK));
        assertNull(d0.get(LinkAttribute.LINK_NETNSID), "the peer is in the same namespace");
        assertEquals(OperState.UP, d0.get(LinkAttribute.OPERSTATE));
        assertTrue(d0.isRunning());
        assertTrue(d0.get(BridgePortAttribute.HAIRPIN));
        assertTrue(d0.get(BridgePortAttribute.ISOLATED));
        assertTrue(d0.get(BridgePortAttribute.LEARNING));
        assertTrue(d0.get(BridgePortAttribute.FLOOD));
        assertTrue(d0.get(BridgePortAttribute.MCAST_FLOOD));
        assertTrue(d0.get(BridgePortAttribute.BCAST_FLOOD));
        assertFalse(d0.get(BridgePortAttribute.GUARD));
        assertEquals(0, d0.get(BridgePortAttribute.STATE), "disabled: the bridge is down");
        assertNull(d0.get(BridgeAttribute.VLAN_FILTERING), "a port is no bridge");
    }

    @Test
    void anAliasReadsWithoutItsNul() throws Exception {
        LinkInfo ifb = only("rtm_newlink_ifb_alias.hex");
        assertEquals("bwtest", ifb.name());
        assertEquals("ifb", ifb.kind());
        assertEquals("jcni-bandwidth x", ifb.get(LinkAttribute.ALIAS));
        assertNull(only("rtm_newlink_port.hex").get(LinkAttribute.ALIAS), "no alias set: none reported");
    }

    @Test
    void bridgeOptions() throws Exception {
        LinkInfo br0 = only("rtm_newlink_bridge.hex");
        assertEquals("br0", br0.name());
        assertEquals("bridge", br0.kind());
        assertNull(br0.portKind());
        assertFalse(br0.get(BridgeAttribute.VLAN_FILTERING));
        // Reported only by kernels built with bridge VLAN filtering; this one is not.
        assertNull(br0.get(BridgeAttribute.DEFAULT_PVID));
        assertNull(br0.get(BridgePortAttribute.HAIRPIN), "a bridge is no port");
        assertEquals(OperState.DOWN, br0.get(LinkAttribute.OPERSTATE));
        assertFalse(br0.isRunning());
    }

    @Test
    void vethPeerInAnotherNamespace() throws Exception {
        LinkInfo eth0 = only("rtm_newlink_veth_netns.hex");
        assertEquals(5, eth0.index());
        assertEquals("eth0", eth0.name());
        assertEquals(1400, eth0.get(LinkAttribute.MTU));
        assertEquals(MacAddress.parse("02:42:ac:11:00:02"), eth0.get(LinkAttribute.MAC));
        assertEquals(2, eth0.get(LinkAttribute.LINK), "the peer's index over there");
        assertEquals(0, eth0.get(LinkAttribute.LINK_NETNSID), "over there is nsid 0 here");
        assertEquals(OperState.DOWN, eth0.get(LinkAttribute.OPERSTATE));
        assertNull(eth0.portKind());
    }

    @Test
    void portFlagsFromAnAfBridgeDump() throws Exception {
        List<LinkInfo> bridgeFamily = new ArrayList<>();
        for (NetlinkMessage m : Golden.messages("rtm_newlink_af_bridge_dump.hex")) {
            if (m.type() == LinkMessages.RTM_NEWLINK && m.u8At(0) == LinkMessages.AF_BRIDGE) {
                bridgeFamily.add(LinkMessages.parse(m));
            }
        }
        assertEquals(1, bridgeFamily.size(), "one port");
        LinkInfo d0 = bridgeFamily.get(0);
        assertEquals("d0", d0.name());
        assertEquals("bridge", d0.portKind());
        assertTrue(d0.get(BridgePortAttribute.HAIRPIN));
        assertTrue(d0.get(BridgePortAttribute.ISOLATED));
        assertTrue(d0.get(BridgePortAttribute.LEARNING));
        assertFalse(d0.get(BridgePortAttribute.GUARD));
    }

    @Test
    void protinfoOfAnotherFamilyIsNoPortFlags() {
        // IPv6 fills IFLA_PROTINFO of AF_INET6 link dumps with its own attributes (type 4 is
        // IFLA_INET6_CONF there); read as port flags it would say "hairpin".
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(LinkMessages.RTM_NEWLINK, 0);
        LinkMessages.ifinfo(b, 10, 7, 0, 0).attrString(LinkMessages.IFLA_IFNAME, "eth0");
        int p = b.beginNested(LinkMessages.IFLA_PROTINFO);
        b.attrU8(4, 1);
        b.endNested(p);
        byte[] wire = b.build(1, 0);
        LinkInfo l = LinkMessages.parse(new NetlinkMessage(LinkMessages.RTM_NEWLINK, 0, 1, 0,
                java.util.Arrays.copyOfRange(wire, 16, wire.length)));
        assertNull(l.get(BridgePortAttribute.HAIRPIN));
        assertNull(l.portKind());
    }

    @Test
    void runningNeedsUpAndRunning() {
        assertTrue(new LinkInfo.Builder(1).flags(LinkInfo.IFF_UP | LinkInfo.IFF_RUNNING).build().isRunning());
        assertFalse(new LinkInfo.Builder(1).flags(LinkInfo.IFF_UP | LinkInfo.IFF_LOWER_UP).build().isRunning());
        assertFalse(new LinkInfo.Builder(1).flags(LinkInfo.IFF_RUNNING).build().isRunning());
    }

    @Test
    void portAndBridgeValuesTakePartInEqualityAndText() {
        LinkInfo a = new LinkInfo.Builder(3).portKind("bridge").set(BridgePortAttribute.HAIRPIN, true).build();
        LinkInfo b = new LinkInfo.Builder(3).portKind("bridge").set(BridgePortAttribute.HAIRPIN, false).build();
        assertFalse(a.equals(b));
        assertEquals("LinkInfo{index=3, flags=0x0, up=false, promisc=false, allmulticast=false, port of bridge, hairpin=true}",
                a.toString());
        LinkInfo br = new LinkInfo.Builder(2).kind("bridge").set(BridgeAttribute.VLAN_FILTERING, true).build();
        assertEquals("LinkInfo{index=2, flags=0x0, kind=bridge, up=false, promisc=false, allmulticast=false, vlan_filtering=true}",
                br.toString());
    }

    @Test
    void operStatesByNumber() {
        assertEquals(OperState.LOWERLAYERDOWN, OperState.of(3));
        assertEquals("lower-layer-down", OperState.LOWERLAYERDOWN.text());
        assertEquals(OperState.UP, OperState.of(6));
        assertEquals(OperState.UNKNOWN, OperState.of(99));
    }
}
