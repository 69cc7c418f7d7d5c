package dev.jcni.core.os.netlink;

import static dev.jcni.core.os.netlink.FakeTransport.ack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.ExistsException;
import dev.jcni.core.os.NotFoundException;
import dev.jcni.core.os.OsException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Links' own logic (name retries, waits, errors) against a scripted kernel. */
class LinksTest {
    private final FakeTransport kernel = new FakeTransport();
    private final FakePacing pacing = new FakePacing();
    private final Links links = new Links(new RtNetlink(kernel, 1), pacing);

    /** An RTM_NEWLINK answer: name, flags, and optionally IFLA_LINK, kind and operstate. */
    private static byte[] link(int index, String name, int flags, Integer peer, String kind, OperState state) {
        NetlinkMessageBuilder b = LinkMessages.ifinfo(new NetlinkMessageBuilder(LinkMessages.RTM_NEWLINK, 0), 0, index, flags, 0)
                .attrString(LinkMessages.IFLA_IFNAME, name);
        if (peer != null) {
            b.attrU32(LinkMessages.IFLA_LINK, peer);
        }
        if (state != null) {
            b.attrU8(LinkMessages.IFLA_OPERSTATE, state.number());
        }
        if (kind != null) {
            int info = b.beginNested(LinkMessages.IFLA_LINKINFO);
            b.attrString(LinkMessages.IFLA_INFO_KIND, kind);
            b.endNested(info);
        }
        return b.build(FakeTransport.SEQ, 0);
    }

    private static String peerNameIn(byte[] request) {
        // The peer's IFLA_IFNAME is the last attribute of the request: "veth" + 8 hex digits + NUL.
        String text = new String(request, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = text.lastIndexOf("veth");
        return text.substring(at, at + 12);
    }

    @Test
    void aTakenRandomPeerNameIsDrawnAgain() throws Exception {
        kernel.answer(ack(-Errno.EEXIST))                                // the random peer name is taken over there
                .answer(ack(-Errno.ENODEV))                              // ...and eth0 is free here
                .answer(ack(0))                                          // the second name works
                .answer(link(7, "eth0", 0, 12, "veth", OperState.DOWN), ack(0));
        VethPair pair = links.createVethPair(NewLink.veth("eth0"), NewLink.vethPeer(null), null);
        assertEquals(4, kernel.sent.size());
        String first = peerNameIn(kernel.sent.get(0));
        String second = peerNameIn(kernel.sent.get(2));
        assertTrue(first.matches("veth[0-9a-f]{8}"), first);
        assertNotEquals(first, second);
        assertEquals(second, pair.peerName());
        assertEquals(12, pair.peerIndex());
        assertEquals(7, pair.end().index());
    }

    @Test
    void aTakenEndNameIsAnErrorAtOnce() {
        kernel.answer(ack(-Errno.EEXIST)).answer(link(3, "eth0", 0, null, null, null), ack(0));
        ExistsException e = assertThrows(ExistsException.class,
                () -> links.createVethPair(NewLink.veth("eth0"), NewLink.vethPeer(null), null));
        assertTrue(e.getMessage().startsWith("RTM_NEWLINK create veth eth0 with peer veth"), e.getMessage());
        assertEquals(2, kernel.sent.size(), "no second attempt");
    }

    @Test
    void aTakenNamedPeerIsAnErrorAtOnce() {
        kernel.answer(ack(-Errno.EEXIST));
        assertThrows(ExistsException.class,
                () -> links.createVethPair(NewLink.veth("eth0"), NewLink.vethPeer("vethfixed0"), null));
        assertEquals(1, kernel.sent.size());
    }

    @Test
    void tenTakenRandomNamesGiveUp() {
        for (int i = 0; i < Links.VETH_NAME_ATTEMPTS; i++) {
            kernel.answer(ack(-Errno.EEXIST)).answer(ack(-Errno.ENODEV));
        }
        ExistsException e = assertThrows(ExistsException.class,
                () -> links.createVethPair(NewLink.veth("eth0"), NewLink.vethPeer(null), null));
        assertTrue(e.getMessage().endsWith("10 random peer names were all taken"), e.getMessage());
        assertEquals(20, kernel.sent.size());
    }

    @Test
    void createReadsTheNewLinkBack() throws Exception {
        kernel.answer(ack(0)).answer(link(9, "ifb0", 0, null, "ifb", OperState.DOWN), ack(0));
        LinkInfo ifb = links.create(NewLink.of("ifb", "ifb0"));
        assertEquals("ifb", ifb.kind());
        assertEquals(9, ifb.index());
        assertEquals(LinkMessages.RTM_GETLINK, HostOrder.u16(kernel.sent.get(1), 4));
    }

    @Test
    void deletingAMissingLinkIsNotFound() {
        kernel.answer(ack(-Errno.ENODEV)).answer(ack(-Errno.ENODEV));
        NotFoundException byIndex = assertThrows(NotFoundException.class, () -> links.delete(42));
        assertEquals("RTM_DELLINK index 42: No such device (ENODEV)", byIndex.getMessage());
        NotFoundException byName = assertThrows(NotFoundException.class, () -> links.delete("gone0"));
        assertEquals("RTM_DELLINK gone0: No such device (ENODEV)", byName.getMessage());
    }

    @Test
    void portFlagRefusalNamesTheLink() {
        kernel.answer(ack(-Errno.EOPNOTSUPP)).answer(link(5, "eth0", 0, null, null, null), ack(0));
        OsException e = assertThrows(OsException.class, () -> links.set(5, BridgePortAttribute.HAIRPIN, true));
        assertEquals("RTM_SETLINK bridge port hairpin on on eth0: Operation not supported (EOPNOTSUPP)", e.getMessage());
    }

    @Test
    void awaitRunningPollsUntilTheLinkRuns() throws Exception {
        int up = LinkInfo.IFF_UP;
        kernel.answer(link(4, "veth1", up, null, "veth", OperState.LOWERLAYERDOWN), ack(0))
                .answer(link(4, "veth1", up, null, "veth", OperState.LOWERLAYERDOWN), ack(0))
                .answer(link(4, "veth1", up | LinkInfo.IFF_RUNNING | LinkInfo.IFF_LOWER_UP, null, "veth", OperState.UP), ack(0));
        LinkInfo l = links.awaitRunning(4, Duration.ofSeconds(2));
        assertEquals(OperState.UP, l.get(LinkAttribute.OPERSTATE));
        assertEquals(java.util.List.of(5L, 10L), pacing.pauses, "paced, growing pauses between polls");
    }

    @Test
    void awaitRunningTimesOutNamingTheState() {
        for (int i = 0; i < 100; i++) {
            kernel.answer(link(4, "veth1", LinkInfo.IFF_UP, null, "veth", OperState.LOWERLAYERDOWN), ack(0));
        }
        OsException e = assertThrows(OsException.class, () -> links.awaitRunning(4, Duration.ofMillis(300)));
        assertEquals(Errno.ETIMEDOUT, e.errno());
        assertEquals("wait for veth1 to come up: Connection timed out (ETIMEDOUT): not up after 300 ms: operstate lower-layer-down",
                e.getMessage());
        assertEquals(300, pacing.sleptMillis(), "never sleeps past the deadline");
        assertTrue(pacing.pauses.stream().allMatch(p -> p <= 50), "polls at least every 50 ms: " + pacing.pauses);
    }

    @Test
    void awaitRunningOnAnAdministrativelyDownLinkSaysSo() {
        for (int i = 0; i < 10; i++) {
            kernel.answer(link(4, "veth1", 0, null, "veth", OperState.DOWN), ack(0));
        }
        OsException e = assertThrows(OsException.class, () -> links.awaitRunning(4, Duration.ofMillis(20)));
        assertTrue(e.getMessage().endsWith("operstate down, administratively down"), e.getMessage());
    }
}
