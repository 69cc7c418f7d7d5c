package dev.jcni.core.os.netlink;

import static dev.jcni.core.os.netlink.FakeTransport.ack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.NotFoundException;
import dev.jcni.core.os.OsException;
import org.junit.jupiter.api.Test;

/**
 * Links' requests for bridge ports, and what it does when a step after a change fails. Expected
 * bytes written by hand from linux/rtnetlink.h and linux/if_link.h (struct ifinfomsg: family u8,
 * pad u8, type u16, index s32, flags u32, change u32; IFLA_IFNAME 3, IFLA_MASTER 10) as
 * {@code ip link set dev X master BR} and {@code ip link set dev X nomaster} send them.
 */
class LinksClientTest {
    private final FakeTransport kernel = new FakeTransport();
    private final Links links = new Links(new RtNetlink(kernel, 1), new FakePacing());

    /** A sent request with its sequence number zeroed, as hex. */
    private String sent(int i) {
        byte[] b = kernel.sent.get(i).clone();
        HostOrder.putI32(b, 8, 0);
        return Hex.format(b);
    }

    @Test
    void setMasterSendsIflaMaster() throws Exception {
        kernel.answer(ack(0));
        links.setMaster(5, 2);
        // len 40, RTM_NEWLINK 16, REQUEST|ACK; ifinfomsg index 5, flags 0, change 0; IFLA_MASTER = 2
        assertEquals("28000000" + "1000" + "0500" + "00000000" + "00000000"
                + "00" + "00" + "0000" + "05000000" + "00000000" + "00000000"
                + "0800" + "0a00" + "02000000", sent(0));
    }

    @Test
    void clearMasterSendsIflaMasterZero() throws Exception {
        kernel.answer(ack(0));
        links.clearMaster(5);
        assertEquals("28000000" + "1000" + "0500" + "00000000" + "00000000"
                + "00" + "00" + "0000" + "05000000" + "00000000" + "00000000"
                + "0800" + "0a00" + "00000000", sent(0));
    }

    @Test
    void aRefusedChangeNamesTheLink() {
        kernel.answer(ack(-Errno.EINVAL)).answer(FakeTransport.link(5, "eth0", 0), ack(0));
        OsException e = assertThrows(OsException.class, () -> links.clearMaster(5));
        assertEquals("RTM_NEWLINK set nomaster on eth0: Invalid argument (EINVAL)", e.getMessage());
    }

    @Test
    void aRefusedChangeOfAVanishedLinkKeepsTheIndex() {
        kernel.answer(ack(-Errno.ENODEV)).answer(ack(-Errno.ENODEV));
        OsException e = assertThrows(OsException.class, () -> links.setMaster(5, 2));
        assertEquals("RTM_NEWLINK set master 2 on index 5: No such device (ENODEV)", e.getMessage());
        assertEquals(2, kernel.sent.size(), "looked the name up once");
        assertEquals(LinkMessages.RTM_GETLINK, HostOrder.u16(kernel.sent.get(1), 4));
    }

    @Test
    void nameOrNullIsNullForAMissingLink() throws Exception {
        kernel.answer(ack(-Errno.ENODEV)).answer(FakeTransport.link(6, "eth6", 0), ack(0));
        assertNull(links.nameOrNull(6));
        assertEquals("eth6", links.nameOrNull(6));
    }

    @Test
    void aReplyWithoutALinkIsAProtocolError() {
        kernel.answer(ack(0));
        OsException e = assertThrows(OsException.class, () -> links.byName("eth0"));
        assertEquals(Errno.EPROTO, e.errno());
        assertEquals("RTM_GETLINK eth0: Protocol error (EPROTO): no RTM_NEWLINK in the reply", e.getMessage());
    }

    @Test
    void aVethPairThatCannotBeReadBackIsDeleted() {
        kernel.answer(ack(0))                    // created
                .answer(ack(-Errno.ENODEV))      // but gone when read back
                .answer(ack(0));                 // deleted by name
        assertThrows(NotFoundException.class,
                () -> links.createVethPair(NewLink.veth("eth0"), NewLink.vethPeer("vethfixed0"), null));
        assertEquals(3, kernel.sent.size());
        // len 32, RTM_DELLINK 17, REQUEST|ACK; ifinfomsg index 0; IFLA_IFNAME "eth0\0" (len 9, padded to 12)
        assertEquals("2c000000" + "1100" + "0500" + "00000000" + "00000000"
                + "00" + "00" + "0000" + "00000000" + "00000000" + "00000000"
                + "0900" + "0300" + "6574683000" + "000000", sent(2));
    }

    @Test
    void theNamespaceIdIsReadFromNetnsaNsid() throws Exception {
        // RTM_NEWNSID 88: struct rtgenmsg (family u8, padded to 4), then NETNSA_NSID (1) u32
        NetlinkMessage reply = parse(new NetlinkMessageBuilder(LinkMessages.RTM_NEWNSID, 0).u8(0).u8(0).u16(0)
                .attrU32(2, 99).attrU32(LinkMessages.NETNSA_NSID, 7).build(1, 0));
        assertEquals(7, LinkMessages.parseNamespaceId(reply));
        NetlinkMessage none = parse(new NetlinkMessageBuilder(LinkMessages.RTM_NEWNSID, 0).u8(0).u8(0).u16(0)
                .attrU32(2, 99).build(1, 0));
        assertNull(LinkMessages.parseNamespaceId(none));
        NetlinkMessage other = parse(new NetlinkMessageBuilder(LinkMessages.RTM_NEWLINK, 0).u8(0).u8(0).u16(0)
                .attrU32(LinkMessages.NETNSA_NSID, 7).build(1, 0));
        assertNull(LinkMessages.parseNamespaceId(other));
    }

    @Test
    void aBareIfinfomsgIsALink() throws Exception {
        // 16 bytes of struct ifinfomsg, no attribute: index 9, flags IFF_UP
        NetlinkMessage m = parse(Hex.parse("20000000 1000 0000 01000000 00000000 00 00 0000 09000000 01000000 00000000"));
        LinkInfo l = LinkMessages.parse(m);
        assertEquals(9, l.index());
        assertEquals(LinkInfo.IFF_UP, l.flags());
        NetlinkMessage shorter = parse(Hex.parse("1c000000 1000 0000 01000000 00000000 00 00 0000 09000000 01000000"));
        assertNull(LinkMessages.parse(shorter));
    }

    @Test
    void aPeerInNamespaceDescriptorZeroCarriesIt() {
        // fd 0 is a descriptor like any other: IFLA_NET_NS_FD (28) = 0 in the peer's attributes
        String hex = Hex.format(LinkMessages.create(NewLink.veth("eth0"), NewLink.vethPeer("vethfixed0"), 0).build(0, 0));
        assertEquals(1, count(hex, "08001c0000000000"), hex);
        String none = Hex.format(LinkMessages.create(NewLink.veth("eth0"), NewLink.vethPeer("vethfixed0"), -1).build(0, 0));
        assertEquals(0, count(none, "08001c00"), none);
    }

    private static int count(String hex, String part) {
        int n = 0;
        for (int at = hex.indexOf(part); at >= 0; at = hex.indexOf(part, at + 2)) {
            if (at % 2 == 0) {
                n++;
            }
        }
        return n;
    }

    private static NetlinkMessage parse(byte[] b) throws OsException {
        return NetlinkMessage.parseAll(b, b.length).get(0);
    }
}
