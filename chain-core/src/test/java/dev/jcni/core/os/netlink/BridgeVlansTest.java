package dev.jcni.core.os.netlink;

import static dev.jcni.core.os.netlink.FakeTransport.ack;
import static dev.jcni.core.os.netlink.FakeTransport.done;
import static dev.jcni.core.os.netlink.Golden.assertDump;
import static dev.jcni.core.os.netlink.Golden.assertRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bridge VLAN entries. Requests: the bytes iproute2 6.1's {@code bridge} sent for the command in
 * each test's comment (port index 4), captured with {@code strace -e trace=sendmsg -e write=3}
 * on kernel 6.18 (2026-11-30), sequence number zeroed. This kernel has no bridge VLAN filtering and
 * refused every one with EOPNOTSUPP, so replies carrying VLAN lists are built here in the layout
 * of the kernel's br_fill_ifvlaninfo_compressed (net/bridge/br_netlink.c).
 */
class BridgeVlansTest {
    private static final int MULTI = NetlinkConstants.NLM_F_MULTI;

    /** {@code bridge vlan add dev d0 vid 100 pvid untagged master}. */
    @Test
    void accessVlan() {
        assertRequest("340000001300050000000000000000000700000004000000000000000000000014001a0006000000010000000800020006006400",
                BridgeVlanMessages.add(4, BridgeVlan.access(100)));
    }

    /** {@code bridge vlan add dev d0 vid 300 master}. */
    @Test
    void taggedVlan() {
        assertRequest("340000001300050000000000000000000700000004000000000000000000000014001a0006000000010000000800020000002c01",
                BridgeVlanMessages.add(4, BridgeVlan.tagged(300)));
    }

    /** {@code bridge vlan add dev d0 vid 200-210 master}: one range, two entries. */
    @Test
    void trunkRange() {
        assertRequest("3c000000130005000000000000000000070000000400000000000000000000001c001a00060000000100000008000200"
                + "0800c800080002001000d200", BridgeVlanMessages.add(4, BridgeVlan.range(200, 210)));
    }

    /** {@code bridge vlan del dev d0 vid 1 master} and {@code ... vid 200-210 master}: RTM_DELLINK. */
    @Test
    void deletes() {
        assertRequest("340000001100050000000000000000000700000004000000000000000000000014001a0006000000010000000800020000000100",
                BridgeVlanMessages.delete(4, BridgeVlan.tagged(1)));
        assertRequest("3c000000110005000000000000000000070000000400000000000000000000001c001a00060000000100000008000200"
                + "0800c800080002001000d200", BridgeVlanMessages.delete(4, BridgeVlan.range(200, 210)));
    }

    /**
     * {@code bridge vlan show} sends this dump with IFLA_EXT_MASK RTEXT_FILTER_BRVLAN (2); ours
     * asks for RTEXT_FILTER_BRVLAN_COMPRESSED (4), so a port with a 4094-VID trunk answers with
     * two entries, not 4094 (the only difference: the mask's value).
     */
    @Test
    void dumpRequest() {
        assertDump("280000001200010300000000000000000700000000000000000000000000000008001d00" + "04000000",
                BridgeVlanMessages.dump());
    }

    /** An AF_BRIDGE RTM_NEWLINK for port {@code index} with {vid, flags} entries in IFLA_AF_SPEC. */
    private static byte[] portVlans(int index, int flags, int... vidFlags) {
        NetlinkMessageBuilder b = LinkMessages.ifinfo(new NetlinkMessageBuilder(LinkMessages.RTM_NEWLINK, 0),
                LinkMessages.AF_BRIDGE, index, 0, 0).attrString(LinkMessages.IFLA_IFNAME, "p" + index);
        int spec = b.beginNested(LinkMessages.IFLA_AF_SPEC);
        for (int i = 0; i < vidFlags.length; i += 2) {
            byte[] info = new byte[4];
            HostOrder.putU16(info, 0, vidFlags[i + 1]);
            HostOrder.putU16(info, 2, vidFlags[i]);
            b.attrBytes(BridgeVlanMessages.IFLA_BRIDGE_VLAN_INFO, info);
        }
        b.endNested(spec);
        return b.build(FakeTransport.SEQ, flags);
    }

    @Test
    void parsesEntriesAndRanges() throws OsException {
        FakeTransport kernel = new FakeTransport();
        kernel.answer(portVlans(3, MULTI, 1, 6),
                portVlans(4, MULTI, 1, 6, 200, 8, 210, 16, 300, 0, 400, 4 | 8, 4094, 4 | 16),
                done(0));
        List<BridgeVlan> vlans = new BridgeVlans(new RtNetlink(kernel, 1)).list(4);
        assertEquals(List.of(BridgeVlan.access(1), BridgeVlan.range(200, 210), BridgeVlan.tagged(300),
                BridgeVlan.read(400, 4094, 4)), vlans);
        assertEquals("vid 400-4094 untagged", vlans.get(3).toString());
        assertEquals("vid 1 pvid untagged", vlans.get(0).toString());
    }

    @Test
    void aPortWithoutEntriesHasNone() throws OsException {
        FakeTransport kernel = new FakeTransport();
        kernel.answer(portVlans(3, MULTI, 1, 6), done(0));
        assertTrue(new BridgeVlans(new RtNetlink(kernel, 1)).list(4).isEmpty());
    }

    @Test
    void deleteAllRemovesEveryEntry() throws OsException {
        FakeTransport kernel = new FakeTransport();
        kernel.answer(portVlans(4, MULTI, 1, 6, 200, 8, 210, 16), done(0)).answer(ack(0)).answer(ack(0));
        new BridgeVlans(new RtNetlink(kernel, 1)).deleteAll(4);
        assertEquals(3, kernel.sent.size());
        assertEquals(Hex.format(BridgeVlanMessages.delete(4, BridgeVlan.access(1)).build(2, 5)), Hex.format(kernel.sent.get(1)));
        assertEquals(Hex.format(BridgeVlanMessages.delete(4, BridgeVlan.range(200, 210)).build(3, 5)), Hex.format(kernel.sent.get(2)));
    }

    @Test
    void aKernelWithoutVlanFilteringRefuses() {
        FakeTransport kernel = new FakeTransport();
        kernel.answer(ack(-Errno.EOPNOTSUPP));
        OsException e = assertThrows(OsException.class, () -> new BridgeVlans(new RtNetlink(kernel, 1)).add(4, BridgeVlan.access(100)));
        assertEquals(Errno.EOPNOTSUPP, e.errno());
        assertEquals("RTM_SETLINK bridge vlan add vid 100 pvid untagged on index 4: Operation not supported (EOPNOTSUPP)", e.getMessage());
    }

    @Test
    void vidsOutOfRangeAreRefusedBeforeTheKernel() {
        assertThrows(IllegalArgumentException.class, () -> BridgeVlan.tagged(0));
        assertThrows(IllegalArgumentException.class, () -> BridgeVlan.tagged(4095));
        assertThrows(IllegalArgumentException.class, () -> BridgeVlan.range(10, 9));
        assertThrows(IllegalArgumentException.class, () -> BridgeVlan.read(10, 20, 2), "a range cannot be the PVID");
    }
}
