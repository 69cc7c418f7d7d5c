package dev.jcni.it.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.net.MacAddress;
import dev.jcni.core.os.Errno;
import dev.jcni.core.os.ExistsException;
import dev.jcni.core.os.InvalidArgumentException;
import dev.jcni.core.os.NotFoundException;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netlink.LinkAttribute;
import dev.jcni.core.os.netlink.LinkInfo;
import dev.jcni.core.os.netlink.NewLink;
import dev.jcni.core.os.netlink.OperState;
import dev.jcni.core.os.netlink.VethPair;
import dev.jcni.it.support.RequiresRoot;
import dev.jcni.it.support.TestNetns;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Veth pairs against the real kernel, as the bridge plugin makes them: created from inside a
 * sandbox namespace with the peer placed directly in a second namespace (standing in for the
 * host) by descriptor; then found again from the host side, moved, waited for and deleted.
 * Everything is checked with {@code ip -j} in both namespaces.
 */
@RequiresRoot
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VethKernelTest {
    private static final MacAddress MAC = MacAddress.fromBytes(new byte[] {0x02, 0x42, (byte) 0xac, 0x11, 0x00, 0x07});

    private TestNetns sandboxNs;
    private TestNetns hostNs;
    private Rtnl sandbox;
    private Rtnl host;

    @BeforeEach
    void setUp() throws Exception {
        sandboxNs = TestNetns.create();
        hostNs = TestNetns.create();
        sandbox = Rtnl.of(sandboxNs);
        host = Rtnl.of(hostNs);
    }

    @AfterEach
    void tearDown() {
        Rtnl.closeAll(sandbox, host, sandboxNs, hostNs);
    }

    private VethPair eth0WithRandomPeer() throws OsException {
        return sandbox.links().createVethPair(NewLink.veth("eth0").set(LinkAttribute.MTU, 1400).set(LinkAttribute.MAC, MAC),
                NewLink.vethPeer(null).set(LinkAttribute.MTU, 1400), host.ns);
    }

    @Test
    void createdInsideWithThePeerInTheOtherNamespace() throws Exception {
        VethPair pair = eth0WithRandomPeer();
        assertTrue(pair.peerName().matches("veth[0-9a-f]{8}"), pair.peerName());

        JsonNode end = sandboxNs.link("eth0");
        assertEquals("veth", end.get("linkinfo").get("info_kind").asText());
        assertEquals(1400, end.get("mtu").asInt());
        assertEquals(MAC.toString(), end.get("address").asText());
        assertEquals(pair.end().index(), end.get("ifindex").asInt());
        assertEquals(pair.peerIndex(), end.get("link_index").asInt());

        JsonNode peer = hostNs.link(pair.peerName());
        assertEquals(pair.peerIndex(), peer.get("ifindex").asInt());
        assertEquals(1400, peer.get("mtu").asInt());
        assertEquals(end.get("ifindex").asInt(), peer.get("link_index").asInt());
        assertFalse(sandbox.hasLink(pair.peerName()), "the peer never lands in the sandbox");

        Integer nsid = pair.end().get(LinkAttribute.LINK_NETNSID);
        assertEquals(sandbox.links().namespaceId(host.ns), nsid, "the end points at the host namespace");
        assertEquals(end.get("link_netnsid").asInt(), nsid);
    }

    @Test
    void takenNamesAreExists() throws Exception {
        String peer = "jp" + hostNs.suffix();
        sandbox.links().createVethPair(NewLink.veth("eth0"), NewLink.vethPeer(peer), host.ns);
        ExistsException sameEnd = assertThrows(ExistsException.class,
                () -> sandbox.links().createVethPair(NewLink.veth("eth0"), NewLink.vethPeer(null), host.ns));
        assertEquals(Errno.EEXIST, sameEnd.errno());
        assertThrows(ExistsException.class,
                () -> sandbox.links().createVethPair(NewLink.veth("eth1"), NewLink.vethPeer(peer), host.ns));
        assertFalse(sandbox.hasLink("eth1"), "nothing half-made");
    }

    @Test
    void theHostEndOfTheSandboxInterface() throws Exception {
        VethPair pair = eth0WithRandomPeer();
        LinkInfo hostEnd = host.links().vethPeerOf(sandbox.ns, "eth0");
        assertEquals(pair.peerName(), hostEnd.name());
        assertEquals(hostNs.link(pair.peerName()).get("ifindex").asInt(), hostEnd.index());
    }

    @Test
    void aSameNumberedVethOfAnotherPairIsNotThePeer() throws Exception {
        // Two more namespaces with a veth pair of their own, numbered as the first pair is
        // (fresh namespaces number their links alike): from the other host namespace, the index
        // the sandbox's eth0 names is a veth pointing at index 2 too, but of another namespace.
        try (TestNetns otherSandboxNs = TestNetns.create(); TestNetns otherHostNs = TestNetns.create();
                Rtnl otherSandbox = Rtnl.of(otherSandboxNs); Rtnl otherHost = Rtnl.of(otherHostNs)) {
            VethPair pair = eth0WithRandomPeer();
            VethPair other = otherSandbox.links().createVethPair(NewLink.veth("eth0"), NewLink.vethPeer(null), otherHost.ns);
            assertEquals(pair.peerIndex(), other.peerIndex(), "precondition: same peer indices");
            assertEquals(pair.end().index(), other.end().index(), "precondition: same end indices");
            NotFoundException e = assertThrows(NotFoundException.class, () -> otherHost.links().vethPeerOf(sandbox.ns, "eth0"));
            assertTrue(e.getMessage().contains("is not in this one"), e.getMessage());
            assertEquals(other.peerName(), otherHost.links().vethPeerOf(otherSandbox.ns, "eth0").name());
        }
    }

    @Test
    void onlyAVethHasAPeer() throws Exception {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> host.links().vethPeerOf(sandbox.ns, "lo"));
        assertTrue(e.getMessage().endsWith(": Invalid argument (EINVAL): lo is not a veth"), e.getMessage());
        assertThrows(NotFoundException.class, () -> host.links().vethPeerOf(sandbox.ns, "nosuch0"));
    }

    @Test
    void deletingTakesThePeerAlongAndASecondDeleteIsNotFound() throws Exception {
        VethPair pair = eth0WithRandomPeer();
        int index = pair.end().index();
        sandbox.links().delete("eth0");
        assertFalse(sandbox.hasLink("eth0"));
        assertFalse(host.hasLink(pair.peerName()), "a veth's peer goes with it");
        NotFoundException byName = assertThrows(NotFoundException.class, () -> sandbox.links().delete("eth0"));
        assertEquals(Errno.ENODEV, byName.errno());
        assertThrows(NotFoundException.class, () -> sandbox.links().delete(index));
    }

    @Test
    void deleteByIndex() throws Exception {
        VethPair pair = eth0WithRandomPeer();
        host.links().delete(pair.peerIndex());
        assertFalse(sandbox.hasLink("eth0"));
    }

    @Test
    void movedToAnotherNamespaceByDescriptor() throws Exception {
        VethPair pair = sandbox.links().createVethPair(NewLink.veth("mv0"), NewLink.vethPeer("mv1"), null);
        assertTrue(sandbox.hasLink("mv1"), "both ends here at first");
        sandbox.links().moveTo(pair.peerIndex(), host.ns);
        assertFalse(sandbox.hasLink("mv1"));
        assertEquals("veth", hostNs.link("mv1").get("linkinfo").get("info_kind").asText());
        assertEquals(sandboxNs.link("mv0").get("ifindex").asInt(), hostNs.link("mv1").get("link_index").asInt());
    }

    @Test
    void waitsForTheLinkToRun() throws Exception {
        VethPair pair = eth0WithRandomPeer();
        int end = pair.end().index();
        sandbox.links().set(end, LinkAttribute.UP, true);
        OsException timeout = assertThrows(OsException.class, () -> sandbox.links().awaitRunning(end, Duration.ofMillis(300)));
        assertEquals(Errno.ETIMEDOUT, timeout.errno());
        // The kernel moves the operstate from down to lower-layer-down asynchronously (linkwatch).
        assertTrue(timeout.getMessage().matches(".*not up after 300 ms: operstate (down|lower-layer-down)"), timeout.getMessage());
        assertFalse(TestNetns.hasFlag(sandboxNs.link("eth0"), "LOWER_UP"), "no carrier while the peer is down");

        hostNs.ip("link", "set", pair.peerName(), "up");
        LinkInfo running = sandbox.links().awaitRunning(end, Duration.ofSeconds(10));
        assertTrue(running.isRunning());
        assertEquals(OperState.UP, running.get(LinkAttribute.OPERSTATE));
        assertEquals("UP", sandboxNs.link("eth0").get("operstate").asText());
    }
}
