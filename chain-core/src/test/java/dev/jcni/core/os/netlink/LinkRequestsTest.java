package dev.jcni.core.os.netlink;

import static dev.jcni.core.os.netlink.Golden.assertRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jcni.core.net.MacAddress;
import org.junit.jupiter.api.Test;

/**
 * Link requests, byte for byte. Unless a test says otherwise, the expected bytes are what
 * iproute2 6.1 sent on kernel 6.18 for the command in the test's comment, captured with
 * {@code strace -e trace=sendmsg -e write=3 <command>} (2026-11-30), sequence number zeroed.
 */
class LinkRequestsTest {
    /** {@code ip link add eth0 mtu 1400 address 02:42:ac:11:00:02 type veth peer name vethab12cd34 mtu 1400 netns NS} (ip opened NS as fd 4). */
    @Test
    void vethWithPeerInAnotherNamespace() throws Exception {
        NewLink end = NewLink.veth("eth0").set(LinkAttribute.MTU, 1400).set(LinkAttribute.MAC, MacAddress.parse("02:42:ac:11:00:02"));
        NewLink peer = NewLink.vethPeer("vethab12cd34").set(LinkAttribute.MTU, 1400);
        assertRequest("880000001000050600000000000000000000000000000000000000000000000008000400780500000a0001000242ac1100"
                + "0200000900030065746830000000004800120008000100766574683c000200380001000000000000000000000000000000"
                + "0000080004007805000008001c00040000001100030076657468616231326364333400000000",
                LinkMessages.create(end, peer, 4));
    }

    /** {@code ip link add eth1 type veth peer name vethab12cd35 netns NS} (fd 4). */
    @Test
    void vethWithoutOptions() {
        assertRequest("6c0000001000050600000000000000000000000000000000000000000000000009000300657468310000000040001200"
                + "080001007665746834000200300001000000000000000000000000000000000008001c0004000000110003007665746861"
                + "6231326364333500000000",
                LinkMessages.create(NewLink.veth("eth1"), NewLink.vethPeer("vethab12cd35"), 4));
    }

    /** {@code ip link add brv type bridge vlan_filtering 1 vlan_default_pvid 1} (this kernel refused it: EOPNOTSUPP). */
    @Test
    void bridgeWithVlanOptions() {
        assertRequest("4c000000100005060000000000000000000000000000000000000000000000000800030062727600240012000a0001006272"
                + "696467650000140002000500070001000000" + "0600270001000000",
                LinkMessages.create(NewLink.bridge("brv").set(BridgeAttribute.DEFAULT_PVID, 1)
                        .set(BridgeAttribute.VLAN_FILTERING, true), null, -1));
    }

    /** {@code ip link add brm mtu 1400 type bridge}: no IFLA_INFO_DATA without options. */
    @Test
    void bridgeWithMtu() {
        assertRequest("400000001000050600000000000000000000000000000000000000000000000008000400780500000800030062726d0010"
                + "0012000a0001006272696467650000",
                LinkMessages.create(NewLink.bridge("brm").set(LinkAttribute.MTU, 1400), null, -1));
    }

    /** {@code ip link set dev bwtest alias "jcni-bandwidth x"} (index 2): the alias without its NUL, as ip sends it. */
    @Test
    void alias() {
        assertRequest("34000000100005000000000000000000000000000200000000000000000000001400140"
                + "06a636e692d62616e64776964746820" + "78",
                LinkMessages.set(2, LinkAttribute.ALIAS, "jcni-bandwidth x"));
    }

    /** {@code ip link set dev bwtest alias ""}: an empty alias removes it. */
    @Test
    void emptyAlias() {
        assertRequest("24000000100005000000000000000000000000000200000000000000000000000400140" + "0",
                LinkMessages.set(2, LinkAttribute.ALIAS, ""));
    }

    /** {@code ip link add ifbx type ifb}: the generic path the bandwidth plugin uses. */
    @Test
    void ifb() {
        assertRequest("38000000100005060000000000000000000000000000000000000000000000000900030069666278000000000c00120007"
                + "000100696662" + "00",
                LinkMessages.create(NewLink.of("ifb", "ifbx"), null, -1));
    }

    /**
     * {@code ip link add ifbx type ifb up}: a flag row travels in ifi_flags and ifi_change. Not
     * captured: iproute2's bytes for the command above with ifi_flags = ifi_change = IFF_UP.
     */
    @Test
    void createdUp() {
        assertRequest("38000000100005060000000000000000" + "000000000000000001000000" + "01000000"
                + "0900030069666278000000000c0012000700010069666200",
                LinkMessages.create(NewLink.of("ifb", "ifbx").set(LinkAttribute.UP, true), null, -1));
    }

    /** {@code ip link del dev ifbx} (index 9). */
    @Test
    void deleteByIndex() {
        assertRequest("2000000011000500000000000000000000000000090000000000000000000000", LinkMessages.delete(9));
    }

    /**
     * Deleting by name: iproute2 resolves the name to an index first, so this one is not
     * captured. The kernel's rtnl_dellink takes IFLA_IFNAME when ifi_index is 0: the delete
     * above with index 0 and IFLA_IFNAME "ifbx".
     */
    @Test
    void deleteByName() {
        assertRequest("2c000000110005000000000000000000" + "00000000000000000000000000000000" + "090003006966627800000000",
                LinkMessages.deleteByName("ifbx"));
    }

    /** {@code ip link set dev eth1 master br0} (index 6, master 2) and {@code ... nomaster}. */
    @Test
    void masterAndNoMaster() {
        assertRequest("280000001000050000000000000000000000000006000000000000000000000008000a0002000000",
                LinkMessages.set(6, LinkAttribute.MASTER, 2));
        assertRequest("280000001000050000000000000000000000000006000000000000000000000008000a0000000000",
                LinkMessages.set(6, LinkAttribute.MASTER, 0));
    }

    /** {@code ip link set dev brm netns NS} (index 8, NS opened as fd 4; the kernel refused: a bridge cannot move). */
    @Test
    void moveToNamespace() {
        assertRequest("280000001000050000000000000000000000000008000000000000000000000008001c0004000000",
                LinkMessages.moveTo(8, 4));
    }

    /** {@code ip link set dev eth1 up} (index 6). */
    @Test
    void up() {
        assertRequest("2000000010000500000000000000000000000000060000000100000001000000", LinkMessages.set(6, LinkAttribute.UP, true));
    }

    /** {@code bridge link set dev d0 hairpin on|off}, {@code isolated on}, {@code learning off}, {@code flood off} (index 4). */
    @Test
    void bridgePortFlags() {
        String head = "2c000000130005000000000000000000070000000400000000000000000000000c000c80";
        assertRequest(head + "0500040001000000", LinkMessages.setPort(4, BridgePortAttribute.HAIRPIN, true));
        assertRequest(head + "0500040000000000", LinkMessages.setPort(4, BridgePortAttribute.HAIRPIN, false));
        assertRequest(head + "0500210001000000", LinkMessages.setPort(4, BridgePortAttribute.ISOLATED, true));
        assertRequest(head + "0500080000000000", LinkMessages.setPort(4, BridgePortAttribute.LEARNING, false));
        assertRequest(head + "0500090000000000", LinkMessages.setPort(4, BridgePortAttribute.FLOOD, false));
    }

    /**
     * {@code ip netns list} asking for a namespace's id (opened as fd 6). ip sends it without
     * NLM_F_ACK (it reads the answer itself); ours asks for the ACK, as every request does: 0x05.
     */
    @Test
    void namespaceId() {
        assertRequest("1c0000005a000500" + "0000000000000000" + "00000000" + "0800030006000000", LinkMessages.getNamespaceId(6));
    }

    @Test
    void namespaceIdReply() {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(LinkMessages.RTM_NEWNSID, 0).u8(0).attrU32(LinkMessages.NETNSA_NSID, 3);
        byte[] wire = b.build(1, 0);
        assertEquals(3, LinkMessages.parseNamespaceId(new NetlinkMessage(LinkMessages.RTM_NEWNSID, 0, 1, 0,
                java.util.Arrays.copyOfRange(wire, 16, wire.length))));
        b = new NetlinkMessageBuilder(LinkMessages.RTM_NEWNSID, 0).u8(0).attrU32(LinkMessages.NETNSA_NSID, -1);
        wire = b.build(1, 0);
        assertEquals(-1, LinkMessages.parseNamespaceId(new NetlinkMessage(LinkMessages.RTM_NEWNSID, 0, 1, 0,
                java.util.Arrays.copyOfRange(wire, 16, wire.length))), "not assigned");
    }

    @Test
    void requestsThatCannotBeMadeAreRefusedBeforeTheKernel() {
        assertThrows(IllegalArgumentException.class, () -> NewLink.veth("eth0").set(LinkAttribute.NAME, "x"));
        assertThrows(IllegalArgumentException.class, () -> NewLink.of("ifb", "ifb0").set(BridgeAttribute.VLAN_FILTERING, true));
        assertThrows(IllegalArgumentException.class, () -> NewLink.of("", "x"));
        assertThrows(IllegalArgumentException.class, () -> NewLink.veth(""));
        assertThrows(NullPointerException.class, () -> NewLink.veth("eth0").set(LinkAttribute.MTU, null));
    }

    @Test
    void aRowSetTwiceKeepsItsPlaceAndTheLastValue() {
        NewLink l = NewLink.of("dummy", "d0").set(LinkAttribute.MTU, 1400).set(LinkAttribute.TX_QUEUE_LENGTH, 5)
                .set(LinkAttribute.MTU, 1500);
        assertEquals(1500, l.get(LinkAttribute.MTU));
        assertEquals("dummy d0 mtu 1500 txqueuelen 5", l.toString());
        assertEquals("bridge br0 mtu 1400 vlan_filtering on vlan_default_pvid 7", NewLink.bridge("br0").set(BridgeAttribute.DEFAULT_PVID, 7)
                .set(LinkAttribute.MTU, 1400).set(BridgeAttribute.VLAN_FILTERING, true).toString());
    }

    @Test
    void randomVethNamesAreVethAndEightHexDigits() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 200; i++) {
            String name = Links.randomVethName();
            assertEquals(12, name.length(), name);
            assertEquals(true, name.matches("veth[0-9a-f]{8}"), name);
            seen.add(name);
        }
        assertEquals(true, seen.size() > 190, "names repeat: " + seen.size());
    }
}
