package dev.jcni.core.os.netlink;

import static dev.jcni.core.os.netlink.FakeTransport.ack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.internal.NamespaceDescriptors;
import dev.jcni.core.os.netns.NetNs;
import org.junit.jupiter.api.Test;

/**
 * Requests that name a namespace by descriptor, against a scripted kernel, with a handle on this
 * thread's own namespace (opening it needs no privilege). linux/if_link.h: IFLA_NET_NS_FD 28;
 * linux/net_namespace.h: RTM_NEWNSID 88, RTM_GETNSID 90, NETNSA_NSID 1, NETNSA_FD 3.
 */
class LinksNamespaceTest {
    private final FakeTransport kernel = new FakeTransport();
    private final Links links = new Links(new RtNetlink(kernel, 1), new FakePacing());

    private static byte[] newNsid(int id) {
        return new NetlinkMessageBuilder(LinkMessages.RTM_NEWNSID, 0).u8(0).u8(0).u16(0)
                .attrU32(LinkMessages.NETNSA_NSID, id).build(FakeTransport.SEQ, 0);
    }

    @Test
    void moveToSendsTheNamespaceDescriptor() throws Exception {
        try (NetNs own = NetNs.openCurrent()) {
            int fd = NamespaceDescriptors.of(own);
            kernel.answer(ack(0));
            links.moveTo(5, own);
            byte[] sent = kernel.sent.get(0).clone();
            HostOrder.putI32(sent, 8, 0);
            assertEquals("28000000" + "1000" + "0500" + "00000000" + "00000000"
                    + "00" + "00" + "0000" + "05000000" + "00000000" + "00000000"
                    + "0800" + "1c00" + Hex.format(new byte[] {(byte) fd, (byte) (fd >> 8), (byte) (fd >> 16), (byte) (fd >> 24)}),
                    Hex.format(sent));
        }
    }

    @Test
    void aRefusedMoveNamesTheLink() throws Exception {
        try (NetNs own = NetNs.openCurrent()) {
            kernel.answer(ack(-Errno.EINVAL)).answer(FakeTransport.link(5, "br0", 0), ack(0));
            OsException e = assertThrows(OsException.class, () -> links.moveTo(5, own));
            assertEquals("RTM_NEWLINK move to " + own.path() + " on br0: Invalid argument (EINVAL)", e.getMessage());
        }
    }

    @Test
    void theNamespaceIdIsTheReplysNsid() throws Exception {
        try (NetNs own = NetNs.openCurrent()) {
            kernel.answer(newNsid(0), ack(0)).answer(newNsid(7), ack(0)).answer(newNsid(-1), ack(0));
            assertEquals(0, links.namespaceId(own));
            assertEquals(7, links.namespaceId(own));
            assertEquals(-1, links.namespaceId(own), "NETNSA_NSID_NOT_ASSIGNED");
            byte[] sent = kernel.sent.get(0);
            assertEquals(LinkMessages.RTM_GETNSID, HostOrder.u16(sent, 4));
            assertEquals(LinkMessages.NETNSA_FD, HostOrder.u16(sent, 22));
            assertEquals(NamespaceDescriptors.of(own), HostOrder.i32(sent, 24));
        }
    }

    @Test
    void aReplyWithoutNsidIsAProtocolError() throws Exception {
        try (NetNs own = NetNs.openCurrent()) {
            kernel.answer(FakeTransport.link(5, "br0", 0), ack(0));
            OsException e = assertThrows(OsException.class, () -> links.namespaceId(own));
            assertEquals(Errno.EPROTO, e.errno());
            assertEquals("RTM_GETNSID " + own.path() + ": Protocol error (EPROTO): no RTM_NEWNSID in the reply", e.getMessage());
        }
    }

    @Test
    void aNewLinkTellsWhatItSets() {
        NewLink l = NewLink.of("dummy", "d0").set(LinkAttribute.MTU, 1400);
        assertEquals(1400, l.get(LinkAttribute.MTU));
        assertNull(l.get(LinkAttribute.MASTER));
    }
}
