package dev.jcni.bridge;

import dev.jcni.core.testing.CapturedLog;
import static dev.jcni.bridge.FakeKernel.prefix;
import static dev.jcni.bridge.Requests.conf;
import static dev.jcni.bridge.Requests.invocation;
import static dev.jcni.bridge.Requests.l3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.netlink.NewLink;
import dev.jcni.core.os.nft.ListTarget;
import dev.jcni.core.os.nft.NftNotFoundException;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.skel.Command;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * A failed ADD leaves nothing of its own: whatever step fails, the veth, a bridge it created, the
 * gateway address it added, its firewall rules and its lease (IPAM DEL) are gone. And what can be
 * known before the first change fails the ADD before it.
 */
class BridgeUndoTest {
    static final String EVERYTHING = l3(",\"isGateway\":true,\"ipMasq\":true,\"macspoofchk\":true,\"hairpinMode\":true");

    final FakeKernel k = new FakeKernel();

    private CniException failedAdd(String json) {
        return assertThrows(CniException.class, () -> k.plugin().add(invocation(Command.ADD, json)));
    }

    /** No link, address or rule of the attachment; the bridge only if it existed before. */
    private void assertNothingLeft(boolean bridgeExisted) throws Exception {
        assertTrue(k.sandbox.links.isEmpty(), "sandbox links: " + k.sandbox.links.keySet() + " " + k.sandbox.log);
        for (FakeNamespace.Link l : k.host.links.values()) {
            assertTrue(!"veth".equals(l.kind), "host veth left: " + l.name);
            assertTrue(l.addresses.isEmpty(), "address left on " + l.name + ": " + l.addresses);
        }
        assertEquals(bridgeExisted, k.host.byName("br0") != null, "bridge");
        assertTrue(rulesOf(Masquerade.CHECKS).isEmpty(), "masquerade rules left: " + rulesOf(Masquerade.CHECKS));
        assertTrue(chainsOf(SpoofCheck.TABLE).stream().noneMatch(c -> c.startsWith("sc-")), "spoof chains left");
    }

    private List<String> rulesOf(dev.jcni.core.os.nft.Chain chain) throws Exception {
        try {
            return k.nft.list(ListTarget.chain(chain)).rules(chain).stream().map(r -> r.comment()).toList();
        } catch (NftNotFoundException e) {
            return List.of();
        }
    }

    private List<String> chainsOf(dev.jcni.core.os.nft.Table table) throws Exception {
        try {
            return k.nft.list(ListTarget.table(table)).chains(table).stream().map(c -> c.name()).toList();
        } catch (NftNotFoundException e) {
            return List.of();
        }
    }

    @ParameterizedTest(name = "{0} fails in the {1}")
    @CsvSource({
        "createVethPair, sandbox, failed to make veth pair: ",
        "set hairpin, host, failed to setup hairpin mode for ",
        "addAddress, sandbox, failed to add IP addr 10.22.0.5/16 to \"eth0\": ",
        "addRoute, sandbox, failed to add route '",
        "awaitRunning, host, bridge port in error state: ",
        "addAddress, host, failed to set bridge addr: could not add IP address 10.22.0.1/16 to \"br0\": ",
        "writeSysctl net/ipv4/ip_forward, host, failed to enable forwarding: ",
    })
    void aFailingStepLeavesNothingAndReleasesTheLease(String operation, String where, String message) throws Exception {
        (where.equals("host") ? k.host : k.sandbox).failOn(operation, Errno.EPERM);
        CniException e = failedAdd(EVERYTHING);
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
        assertNothingLeft(false);
        if (!operation.equals("createVethPair") && !operation.equals("set hairpin")) {
            assertEquals(List.of("ADD host-local ctr1/eth0", "DEL host-local ctr1/eth0"), k.ipam.calls);
        } else {
            assertEquals(List.of(), k.ipam.calls, "IPAM is not asked before the port is ready");
        }
        // The same request goes through once the kernel cooperates: nothing was left in the way.
        k.plugin().add(invocation(Command.ADD, EVERYTHING));
    }

    @Test
    void failingIpamAddIsUndoneToo() throws Exception {
        k.ipam.failing = "ADD";
        CniException e = failedAdd(EVERYTHING);
        assertEquals("no IP addresses available in range set: 10.22.0.0/16", e.getMessage());
        assertEquals(100, e.code(), "the delegate's error, unchanged");
        assertNothingLeft(false);
        assertEquals(List.of("ADD host-local ctr1/eth0", "DEL host-local ctr1/eth0"), k.ipam.calls,
                "a failed delegate ADD gets its DEL (the spec's SHOULD)");
    }

    @Test
    void ipamWithoutAddressesFailsAndReleases() throws Exception {
        k.ipam.lease = "{\"cniVersion\":\"1.0.0\"}";
        CniException e = failedAdd(EVERYTHING);
        assertEquals("IPAM plugin returned missing IP config", e.msg());
        assertNothingLeft(false);
    }

    @Test
    void bridgeCreatedMeanwhileWithOtherPortsStaysWithItsGateway() throws Exception {
        k.plugin().add(invocation(Command.ADD, EVERYTHING, "other", Requests.NETNS, null));
        k.sandbox = new FakeNamespace("sandbox2");
        k.host.failOn("writeSysctl net/ipv4/ip_forward", Errno.EPERM);
        k.host.sysctls.put("net/ipv4/ip_forward", "0");
        failedAdd(EVERYTHING);
        assertNotNull(k.host.byName("br0"));
        assertEquals(List.of(prefix("10.22.0.1/16")), k.host.byName("br0").addresses, "the other attachment's gateway");
        assertEquals(1, rulesOf(Masquerade.CHECKS).size(), "only the other attachment's masquerade rule");
    }

    @Test
    void replacedAddressComesBackWhenTheAddFails() throws Exception {
        k.host.create(NewLink.bridge("br0"));
        k.host.byName("br0").addresses.add(prefix("10.99.0.1/24"));
        k.host.failOn("writeSysctl net/ipv4/ip_forward", Errno.EPERM);
        failedAdd(l3(",\"isGateway\":true,\"forceAddress\":true"));
        assertEquals(List.of(prefix("10.99.0.1/24")), k.host.byName("br0").addresses);
    }

    // Refused before the first change: nothing is logged on either side.

    private void assertUntouched() {
        assertEquals(List.of(), k.host.log, "host changes");
        assertEquals(List.of(), k.sandbox.log, "sandbox changes");
        assertEquals(List.of(), k.ipam.calls);
        assertEquals(List.of(), k.nft.batches());
    }

    @Test
    void aLinkOfTheBridgesNameThatIsNoBridge() throws Exception {
        k.host.addLink("br0", "dummy");
        CniException e = failedAdd(EVERYTHING);
        assertEquals("failed to create bridge \"br0\": \"br0\" already exists but is not a bridge", e.getMessage());
        assertUntouched();
    }

    @Test
    void anInterfaceNameTakenInTheSandbox() throws Exception {
        k.sandbox.addLink("eth0", "dummy");
        CniException e = failedAdd(EVERYTHING);
        assertEquals("container veth name (\"eth0\") already exists", e.msg());
        assertUntouched();
    }

    @Test
    void ipamPluginMissing() throws Exception {
        k.ipam.missing = true;
        CniException e = failedAdd(EVERYTHING);
        assertEquals("failed to find plugin \"host-local\" in path [/opt/cni/bin]", e.getMessage());
        assertUntouched();
    }

    @Test
    void nftablesMissingWhenTheConfigNeedsIt() throws Exception {
        k.nftMissing = "no libnftables and no nft";
        CniException e = failedAdd(EVERYTHING);
        assertEquals("ipMasq needs nftables, which cannot be used", e.msg());
        assertUntouched();
        k.plugin().add(invocation(Command.ADD, l3("")));
    }

    @Test
    void layerTwoInAVersionWhoseResultNeedsAnAddress() throws Exception {
        CniException e = failedAdd(conf("0.2.0", ""));
        assertEquals("cannot convert: no valid IP addresses", e.msg());
        assertUntouched();
    }

    @Test
    void sandboxGone() throws Exception {
        k.presence = dev.jcni.core.skel.Sandbox.Presence.GONE;
        CniException e = failedAdd(EVERYTHING);
        assertEquals(4, e.code());
        assertUntouched();
    }

    @Test
    void hostLinksThatCannotBeReadFailTheAddBeforeAnyChange() throws Exception {
        k.host.failOn("linkOrNull", Errno.EIO);
        CniException e = failedAdd(EVERYTHING);
        assertTrue(e.msg().startsWith("cannot read the host's links: "), e.msg());
        assertUntouched();
    }

    @Test
    void aBridgeThisAddMadeStaysWhenAnotherAttachmentJoinedItMeanwhile() throws Exception {
        // Another ADD of the network makes its port while this one waits for its lease.
        k.ipam.duringAdd = () -> {
            FakeNamespace.Link port = k.host.addLink("vethother", "veth");
            port.master = k.host.byName("br0").index;
        };
        k.host.failOn("writeSysctl net/ipv4/ip_forward", Errno.EPERM);
        try (CapturedLog log = new CapturedLog(BridgePlugin.NAME, new BridgePlugin(), true)) {
            failedAdd(EVERYTHING);
            assertTrue(log.has("INFO", "undo: bridge br0 has ports of other attachments by now; it stays"), log.toString());
        }
        assertNotNull(k.host.byName("br0"));
        assertTrue(k.sandbox.links.isEmpty(), "this attachment's veth went");
    }

    @Test
    void aGatewayAddressThisAddPutOnAStillUsedBridgeStays() throws Exception {
        k.plugin().add(invocation(Command.ADD, l3(""), "other", Requests.NETNS, null));
        assertTrue(k.host.byName("br0").addresses.isEmpty(), "without isGateway the bridge has no address");
        k.sandbox = new FakeNamespace("sandbox2");
        k.host.failOn("writeSysctl net/ipv4/ip_forward", Errno.EPERM);
        try (CapturedLog log = new CapturedLog(BridgePlugin.NAME, new BridgePlugin(), true)) {
            failedAdd(l3(",\"isGateway\":true"));
            assertTrue(log.has("INFO", "undo: br0 serves other attachments by now; 10.22.0.1/16 stays"), log.toString());
        }
        assertEquals(List.of(prefix("10.22.0.1/16")), k.host.byName("br0").addresses);
    }

    @Test
    void aVlanGatewayThisAddMadeGoesWithIt() throws Exception {
        k.host.failOn("writeSysctl net/ipv4/ip_forward", Errno.EPERM);
        failedAdd(l3(",\"vlan\":100,\"isGateway\":true"));
        assertNull(k.host.byName("br0.100"));
        assertNothingLeft(false);
    }
}
