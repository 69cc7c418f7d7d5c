package dev.jcni.bridge;

import static dev.jcni.bridge.FakeKernel.prefix;
import static dev.jcni.bridge.Requests.NETNS;
import static dev.jcni.bridge.Requests.invocation;
import static dev.jcni.bridge.Requests.l3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.os.nft.Chain;
import dev.jcni.core.os.nft.ListTarget;
import dev.jcni.core.os.nft.NftNotFoundException;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.protocol.Result;
import dev.jcni.core.protocol.ResultCodec;
import dev.jcni.core.skel.Command;
import dev.jcni.core.skel.Sandbox;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DEL, CHECK, GC and STATUS against the in-memory node. */
class BridgeVerbsTest {
    static final String FULL = l3(",\"isGateway\":true,\"ipMasq\":true,\"macspoofchk\":true");

    final FakeKernel k = new FakeKernel();

    /** ADD of {@code containerId} in a sandbox of its own (the one {@code k.sandbox} then is). */
    private Result add(String json, String containerId) throws Exception {
        k.sandbox = new FakeNamespace("sandbox of " + containerId);
        k.presence = Sandbox.Presence.SANDBOX;
        return k.plugin().add(invocation(Command.ADD, json, containerId, NETNS, null));
    }

    private void del(String json, String containerId, String netns) throws Exception {
        k.plugin().del(invocation(Command.DEL, json, containerId, netns, null));
    }

    private List<String> masqueradeComments() throws Exception {
        try {
            List<String> out = new ArrayList<>();
            for (dev.jcni.core.os.nft.Rule r : k.nft.list(ListTarget.chain(Masquerade.CHECKS)).rules(Masquerade.CHECKS)) {
                out.add(r.comment());
            }
            return out;
        } catch (NftNotFoundException e) {
            return List.of();
        }
    }

    private List<String> spoofChains() throws Exception {
        try {
            List<String> out = new ArrayList<>();
            for (Chain c : k.nft.list(ListTarget.table(SpoofCheck.TABLE)).chains(SpoofCheck.TABLE)) {
                if (c.name().startsWith("sc-")) {
                    out.add(c.name());
                }
            }
            return out;
        } catch (NftNotFoundException e) {
            return List.of();
        }
    }

    // ------------------------------------------------------------------ DEL

    @Test
    void delRemovesTheInterfaceTheLeaseAndTheRulesButNotTheBridge() throws Exception {
        add(FULL, "ctr1");
        assertEquals(1, masqueradeComments().size());
        assertEquals(1, spoofChains().size());
        del(FULL, "ctr1", NETNS);
        assertNull(k.sandbox.byName("eth0"));
        assertTrue(k.host.links.values().stream().noneMatch(l -> "veth".equals(l.kind)), "the peer went with it");
        assertEquals(List.of("ADD host-local ctr1/eth0", "DEL host-local ctr1/eth0"), k.ipam.calls);
        assertEquals(List.of(), masqueradeComments());
        assertEquals(List.of(), spoofChains());
        assertNotNull(k.host.byName("br0"), "the bridge stays, as with the reference");
        assertEquals(List.of(prefix("10.22.0.1/16")), k.host.byName("br0").addresses);
    }

    @Test
    void delWithTheNamespaceGoneOrUnnamedStillReleasesAndRemovesRulesByIdentity() throws Exception {
        add(FULL, "ctr1");
        k.sandbox.links.clear();  // the sandbox died: its links went with it
        k.presence = Sandbox.Presence.GONE;
        del(FULL, "ctr1", NETNS);
        assertEquals(List.of(), masqueradeComments(), "no address is needed to find the rules");
        assertEquals(List.of(), spoofChains());
        assertEquals("DEL host-local ctr1/eth0", k.ipam.calls.get(1));

        add(FULL, "ctr2");
        del(FULL, "ctr2", "");
        assertEquals(List.of(), masqueradeComments());
        assertEquals("DEL host-local ctr2/eth0", k.ipam.calls.get(k.ipam.calls.size() - 1));
    }

    @Test
    void delTwiceAndDelWithoutAddSucceed() throws Exception {
        add(FULL, "ctr1");
        del(FULL, "ctr1", NETNS);
        del(FULL, "ctr1", NETNS);
        del(FULL, "never-added", NETNS);
        assertEquals(List.of(), masqueradeComments());
    }

    @Test
    void delTouchesOnlyItsOwnAttachment() throws Exception {
        add(FULL, "ctr1");
        FakeNamespace first = k.sandbox;
        k.ipam.lease = "{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.22.0.6/16\",\"gateway\":\"10.22.0.1\"}]}";
        add(FULL, "ctr2");
        del(FULL, "ctr2", NETNS);
        assertEquals(1, masqueradeComments().size());
        assertTrue(masqueradeComments().get(0).endsWith("id: ctr1"), masqueradeComments().toString());
        assertEquals(1, spoofChains().size());
        assertNotNull(first.byName("eth0"));
    }

    @Test
    void delNeverDeletesInTheHostsOwnNamespace() throws Exception {
        k.host.addLink("eth0", "veth");
        k.presence = Sandbox.Presence.HOST;
        del(FULL, "ctr1", "/proc/self/ns/net");
        assertNotNull(k.host.byName("eth0"));
    }

    @Test
    void delWithAConfigEditedIntoAnInvalidOneStillCleansUp() throws Exception {
        add(FULL, "ctr1");
        del(l3(",\"ipMasq\":\"yes\",\"macspoofchk\":true,\"vlan\":99999,\"hairpinMode\":true,\"promiscMode\":true"), "ctr1", NETNS);
        assertEquals(List.of(), masqueradeComments());
        assertEquals(List.of(), spoofChains());
    }

    // ------------------------------------------------------------------ CHECK

    private Result addWithPrev(String json) throws Exception {
        return add(json, "ctr1");
    }

    private void check(String json, Result prev) throws Exception {
        ObjectNode conf = (ObjectNode) Json.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        conf.set("prevResult", ResultCodec.toJson(prev, "1.0.0"));
        k.plugin().check(invocation(Command.CHECK, Json.toString(conf)));
    }

    private CniException checkFails(String json, Result prev) {
        return assertThrows(CniException.class, () -> check(json, prev));
    }

    @Test
    void checkPassesRightAfterAddAndAsksIpam() throws Exception {
        Result r = addWithPrev(FULL);
        check(FULL, r);
        assertEquals("CHECK host-local ctr1/eth0", k.ipam.calls.get(1));
    }

    @Test
    void checkFindsEachKindOfDrift() throws Exception {
        Result r = addWithPrev(FULL);
        FakeNamespace.Link eth0 = k.sandbox.byName("eth0");

        eth0.addresses.clear();
        assertEquals("Failed to match addr 10.22.0.5/16 on interface eth0", checkFails(FULL, r).getMessage());
        eth0.addresses.add(prefix("10.22.0.5/16"));

        List<dev.jcni.core.os.netlink.Route> routes = new ArrayList<>(k.sandbox.routes);
        k.sandbox.routes.clear();
        assertEquals("Failed to find Gateway 10.22.0.1 for interface eth0", checkFails(FULL, r).getMessage(),
                "(the kernel's subnet route is gone too, as a fake does not make one)");
        k.sandbox.routes.add(dev.jcni.core.os.netlink.Route.to(prefix("10.22.0.0/16")).build());
        assertEquals("Expected Route {Dst:0.0.0.0/0 GW:<nil>} not found in routing table", checkFails(FULL, r).getMessage());
        k.sandbox.routes.addAll(routes);
        check(FULL, r);

        String mac = r.interfaces().get(0).mac();
        Result otherMac = r.withInterface(0, r.interfaces().get(0).withMac("0a:00:00:00:00:01"));
        assertEquals("Bridge interface br0 Mac doesn't match: 0a:00:00:00:00:01", checkFails(FULL, otherMac).getMessage());
        assertTrue(mac != null);

        CniException promisc = checkFails(l3(",\"isGateway\":true,\"promiscMode\":true"), r);
        assertEquals("Bridge interface br0 configured Promisc Mode true doesn't match current state: false ", promisc.getMessage());

        Result otherContainerMac = r.withInterface(2, r.interfaces().get(2).withMac("0a:00:00:00:00:02"));
        assertEquals("Interface eth0 Mac 0a:00:00:00:00:02 doesn't match container Mac: " + eth0.mac,
                checkFails(FULL, otherContainerMac).getMessage());

        k.host.links.remove(eth0.peer.index);
        assertEquals("Interface name " + eth0.peer.name + " not found", checkFails(FULL, r).getMessage());
    }

    @Test
    void checkWithoutPrevResultOrWithTheBridgeGone() throws Exception {
        Result r = addWithPrev(FULL);
        CniException none = assertThrows(CniException.class, () -> k.plugin().check(invocation(Command.CHECK, FULL)));
        assertEquals("Required prevResult missing", none.msg());
        k.host.links.remove(k.host.byName("br0").index);
        assertEquals("Interface name br0 not found", checkFails(FULL, r).getMessage());
        Result noBridge = new Result(r.cniVersion(), r.interfaces().subList(1, 3), r.ips(), r.routes(), r.dns());
        assertEquals("Interface name missing ", checkFails(FULL, noBridge).getMessage());
        assertEquals(101, checkFails(FULL, noBridge).code());
    }

    @Test
    void checkOfTheSandboxOfAnotherPath() throws Exception {
        Result r = addWithPrev(FULL);
        Result moved = r.withInterface(2, new Result.Interface("eth0", r.interfaces().get(2).mac(), null, "/run/netns/other", null, null));
        assertEquals("Sandbox in prevResult  doesn't match configured netns: " + NETNS, checkFails(FULL, moved).getMessage());
    }

    // ------------------------------------------------------------------ GC

    @Test
    void gcRemovesTheRulesOfAttachmentsNotValidAndForwardsToIpam() throws Exception {
        add(FULL, "keep");
        add(FULL, "stale");
        String otherNetwork = FULL.replace("\"name\":\"net\"", "\"name\":\"other\"");
        k.sandbox = new FakeNamespace("sandbox of stranger");
        k.plugin().add(invocation(Command.ADD, otherNetwork, "stranger", NETNS, null));
        assertEquals(3, masqueradeComments().size());
        String v11 = FULL.replace("1.0.0", "1.1.0");
        String gc = v11.substring(0, v11.length() - 1) + ",\"cni.dev/valid-attachments\":[{\"containerID\":\"keep\",\"ifname\":\"eth0\"}]}";
        k.plugin().gc(invocation(Command.GC, gc, "", "", null));
        List<String> left = masqueradeComments();
        assertEquals(2, left.size(), left.toString());
        assertTrue(left.stream().anyMatch(c -> c.endsWith("id: keep")));
        assertTrue(left.stream().anyMatch(c -> c.endsWith("id: stranger")), "another network's rules are not this GC's");
        assertEquals(2, spoofChains().size());
        assertTrue(spoofChains().contains(new Attachment("net", "keep", "eth0").spoofChain()));
        assertTrue(spoofChains().contains(new Attachment("other", "stranger", "eth0").spoofChain()));
        assertTrue(k.ipam.calls.contains("GC host-local /"), k.ipam.calls.toString());
    }

    @Test
    void gcWithoutTheListTreatsEveryAttachmentAsGone() throws Exception {
        add(FULL, "a");
        k.plugin().gc(invocation(Command.GC, FULL.replace("1.0.0", "1.1.0"), "", "", null));
        assertEquals(List.of(), masqueradeComments());
        assertEquals(List.of(), spoofChains());
    }

    @Test
    void gcGoesOnPastAFailureAndReportsIt() throws Exception {
        add(FULL, "a");
        k.ipam.failing = "GC";
        CniException e = assertThrows(CniException.class,
                () -> k.plugin().gc(invocation(Command.GC, FULL.replace("1.0.0", "1.1.0"), "", "", null)));
        assertEquals("no IP addresses available in range set: 10.22.0.0/16", e.msg());
        assertEquals(List.of(), masqueradeComments(), "the firewall part ran");
    }

    // ------------------------------------------------------------------ STATUS

    private void status(String json) throws Exception {
        k.plugin().status(invocation(Command.STATUS, json.replace("1.0.0", "1.1.0"), "", "", null));
    }

    @Test
    void statusPassesOnAUsableNodeAndAsksIpam() throws Exception {
        status(FULL);
        assertEquals(List.of("STATUS host-local /"), k.ipam.calls);
        k.host.create(dev.jcni.core.os.netlink.NewLink.bridge("br0"));
        status(FULL);
    }

    @Test
    void statusReportsABridgeThatCannotBeUsed() throws Exception {
        k.host.addLink("br0", "dummy");
        CniException e = assertThrows(CniException.class, () -> status(FULL));
        assertEquals(50, e.code());
        assertEquals("bridge cannot serve ADD: \"br0\" exists but is not a bridge", e.msg());
    }

    @Test
    void statusReportsNftablesMissingWhenNeededAndIpamProblems() throws Exception {
        k.nftMissing = "no nft";
        assertEquals(50, assertThrows(CniException.class, () -> status(FULL)).code());
        status(l3(""));
        k.ipam.missing = true;
        assertEquals(50, assertThrows(CniException.class, () -> status(l3(""))).code());
        k.ipam.missing = false;
        k.ipam.failing = "STATUS";
        k.ipam.failure = new CniException(50, "no IP addresses available in range set: 10.22.0.0/16");
        CniException e = assertThrows(CniException.class, () -> status(l3("")));
        assertEquals("no IP addresses available in range set: 10.22.0.0/16", e.msg(), "IPAM's STATUS error passes unchanged");
    }

    // ------------------------------------------------------------------ more of CHECK, GC and STATUS

    private static dev.jcni.core.os.netlink.Route via(String dst, String gw) throws Exception {
        return dev.jcni.core.os.netlink.Route.to(prefix(dst))
                .set(dev.jcni.core.os.netlink.RouteAttribute.GATEWAY, dev.jcni.core.net.IpAddress.parse(gw)).build();
    }

    private void replaceRoute(String dst, String gw) throws Exception {
        k.sandbox.routes.removeIf(r -> r.destination().equals(prefix(dst)));
        k.sandbox.routes.add(via(dst, gw));
    }

    @Test
    void checkFindsRoutesByTheirGatewayOrNextHopsAndDefaultRoutesByDestinationAlone() throws Exception {
        k.ipam.lease = "{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.22.0.5/16\",\"gateway\":\"10.22.0.1\"}],"
                + "\"routes\":[{\"dst\":\"0.0.0.0/0\",\"gw\":\"10.22.0.1\"},{\"dst\":\"10.50.0.0/16\",\"gw\":\"10.22.0.2\"},"
                + "{\"dst\":\"10.70.0.0/16\",\"gw\":\"10.22.0.3\"},{\"dst\":\"10.70.0.0/16\",\"gw\":\"10.22.0.4\"}]}";
        Result r = addWithPrev(FULL);
        check(FULL, r);  // 10.70.0.0/16 is one multipath route: each gateway is one of its next hops
        replaceRoute("0.0.0.0/0", "10.22.0.254");
        check(FULL, r);
        replaceRoute("10.50.0.0/16", "10.22.0.9");
        assertEquals("Expected Route {Dst:10.50.0.0/16 GW:10.22.0.2} not found in routing table", checkFails(FULL, r).getMessage());
        replaceRoute("10.50.0.0/16", "10.22.0.2");
        replaceRoute("10.70.0.0/16", "10.22.0.3");
        assertEquals("Expected Route {Dst:10.70.0.0/16 GW:10.22.0.4} not found in routing table", checkFails(FULL, r).getMessage());
        k.sandbox.routes.removeIf(route -> route.destination().equals(prefix("10.70.0.0/16")));
        k.sandbox.routes.add(dev.jcni.core.os.netlink.Route.to(prefix("10.70.0.0/16")).set(dev.jcni.core.os.netlink.RouteAttribute.NEXTHOPS,
                List.of(dev.jcni.core.os.netlink.Nexthop.via(dev.jcni.core.net.IpAddress.parse("10.22.0.3"), 2),
                        dev.jcni.core.os.netlink.Nexthop.via(dev.jcni.core.net.IpAddress.parse("10.22.0.5"), 2))).build());
        assertEquals("Expected Route {Dst:10.70.0.0/16 GW:10.22.0.4} not found in routing table", checkFails(FULL, r).getMessage(),
                "a multipath route without that next hop");
    }

    @Test
    void gcReportsEveryFailureInOrder() throws Exception {
        add(FULL, "a");
        k.runner = new FlakyRunner(k.nft, new NftNotFoundException("apply", dev.jcni.core.os.Errno.ENOENT, "No such file or directory",
                null, ""), Integer.MAX_VALUE);
        k.ipam.failing = "GC";
        CniException e = assertThrows(CniException.class,
                () -> k.plugin().gc(invocation(Command.GC, FULL.replace("1.0.0", "1.1.0"), "", "", null)));
        assertEquals("spoof check state of network net kept changing", e.msg(), "the first failure");
        assertEquals(CniException.TRY_AGAIN_LATER, e.code());
        assertEquals("spoof check state of network net kept changing; no IP addresses available in range set: 10.22.0.0/16", e.details());
    }

    @Test
    void checkComparesTheHostVethsMacAndNeedsTheVethOfThisContainer() throws Exception {
        Result r = addWithPrev(FULL);
        Result.Interface hostVeth = r.interfaces().get(1);
        Result otherMac = r.withInterface(1, hostVeth.withMac("0a:00:00:00:00:03"));
        assertEquals("Interface " + hostVeth.name() + " Mac doesn't match: 0a:00:00:00:00:03 not found", checkFails(FULL, otherMac).getMessage());
        check(FULL, r.withInterface(1, hostVeth.withMac("")));

        FakeNamespace first = k.sandbox;
        k.ipam.lease = "{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.22.0.6/16\",\"gateway\":\"10.22.0.1\"}]}";
        Result second = add(FULL, "ctr2");
        k.sandbox = first;
        Result someoneElses = r.withInterface(1, second.interfaces().get(1));
        assertEquals("CNI veth created for bridge br0 was not found", checkFails(FULL, someoneElses).getMessage());
    }

    @Test
    void gcOfALayerTwoNetworkAsksNoIpam() throws Exception {
        k.plugin().gc(invocation(Command.GC, Requests.conf("1.1.0", ",\"ipMasq\":true"), "", "", null));
        assertEquals(List.of(), k.ipam.calls);
    }

    @Test
    void statusNamesWhatTheLinkInTheWayIsAndWhichSettingNeedsNftables() throws Exception {
        k.host.addLink("br0", null);
        assertEquals("it is a device without a kind", assertThrows(CniException.class, () -> status(FULL)).details());
        k.host.links.clear();
        k.host.addLink("br0", "dummy");
        assertEquals("it is a dummy", assertThrows(CniException.class, () -> status(FULL)).details());
        k.host.links.clear();
        k.nftMissing = "no nft";
        assertEquals("bridge cannot serve ADD: macspoofchk needs nftables",
                assertThrows(CniException.class, () -> status(l3(",\"macspoofchk\":true"))).msg());
        assertEquals("bridge cannot serve ADD: ipMasq needs nftables",
                assertThrows(CniException.class, () -> status(l3(",\"ipMasq\":true,\"macspoofchk\":true"))).msg());
    }

    @Test
    void everyVersionIsServedAsByTheReference() {
        BridgePlugin plugin = k.plugin();
        assertEquals(List.of("0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"), plugin.supportedVersions());
        assertTrue(plugin.about().contains("bridge"), plugin.about());
    }
}
