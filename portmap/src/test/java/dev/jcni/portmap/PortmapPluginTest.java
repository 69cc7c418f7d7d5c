package dev.jcni.portmap;

import dev.jcni.core.testing.CapturedLog;
import static dev.jcni.portmap.Requests.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.os.conntrack.ConntrackFilter;
import dev.jcni.core.os.nft.ListTarget;
import dev.jcni.core.os.nft.NftListing;
import dev.jcni.core.os.nft.NftSet;
import dev.jcni.core.os.nft.SetElement;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Result;
import dev.jcni.core.protocol.ResultCodec;
import dev.jcni.core.skel.Command;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verbs against a FakeNftRunner: what ends up in the ruleset, not how. */
class PortmapPluginTest {
    static final String WEB = "[{\"hostPort\":8080,\"containerPort\":80,\"protocol\":\"tcp\"}]";
    static final String DNS = "[{\"hostPort\":5353,\"containerPort\":53,\"protocol\":\"udp\"}]";

    final FakeHost host = new FakeHost();
    final PortmapPlugin plugin = host.plugin();

    Result add(String cid, String net, String mappings) throws Exception {
        return add(cid, net, mappings, Map.of());
    }

    Result add(String cid, String net, String mappings, Map<String, String> node) throws Exception {
        return plugin.add(Requests.invocation(Command.ADD, cid, config(net, mappings, ""), node));
    }

    void del(String cid, String net) throws Exception {
        plugin.del(Requests.invocation(Command.DEL, cid, "{\"cniVersion\":\"1.0.0\",\"name\":\"" + net + "\",\"type\":\"portmap\"}"));
    }

    NftListing table() throws Exception {
        return host.nft.list(ListTarget.table(new HostportTable().table));
    }

    /** key text -> the chain it goes to, for one map. */
    Map<String, String> elements(String map) throws Exception {
        NftSet s = table().set(new HostportTable().table, map);
        java.util.TreeMap<String, String> out = new java.util.TreeMap<>();
        for (SetElement e : s.listedElements()) {
            out.put(e.key().toString(), e.verdict().target());
        }
        return out;
    }

    static String chain(String net, String cid) {
        return new Attachment(net, cid, "eth0").chainName();
    }

    @Test
    void addReturnsPrevResultAndMapsBothFamilies() throws Exception {
        Result r = add("c1", "net1", WEB);
        Result prev = ResultCodec.parse(Requests.invocation(Command.ADD, "c1", config("net1", WEB, "")).config().object("prevResult"), "1.0.0");
        assertEquals(ResultCodec.toJson(prev, "1.0.0"), ResultCodec.toJson(r, "1.0.0"));
        assertEquals(Map.of("{\"concat\":[\"tcp\",8080]}", chain("net1", "c1")), elements("hostports_v4"));
        assertEquals(Map.of("{\"concat\":[\"tcp\",8080]}", chain("net1", "c1")), elements("hostports_v6"));
        assertEquals("1", host.sysctls.get("net/ipv4/conf/br0/route_localnet"), "127.0.0.1 reaches the container through br0");
        assertTrue(host.flushed.isEmpty(), "no UDP mapping, no flush: " + host.flushed);
    }

    @Test
    void noMappingsChangesNothing() throws Exception {
        add("c1", "net1", "[]");
        add("c1", "net1", null);
        assertTrue(host.nft.batches().isEmpty());
        assertEquals("0", host.sysctls.get("net/ipv4/conf/br0/route_localnet"));
    }

    @Test
    void addWithoutPrevResultFails() throws Exception {
        String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"portmap\",\"runtimeConfig\":{\"portMappings\":" + WEB + "}}";
        CniException e = assertThrows(CniException.class, () -> plugin.add(Requests.invocation(Command.ADD, "c1", conf)));
        assertEquals("must be called as chained plugin", e.msg());
        assertTrue(host.nft.batches().isEmpty());
    }

    @Test
    void snatOffNeedsNoLocalnetAndNoMarks() throws Exception {
        plugin.add(Requests.invocation(Command.ADD, "c1", config("net1", WEB, "\"snat\":false")));
        assertEquals("0", host.sysctls.get("net/ipv4/conf/br0/route_localnet"));
        assertFalse(String.join("\n", host.nft.batches()).contains("mangle"), "no mark rule without snat");
    }

    @Test
    void hostIpBoundMappingGoesToTheAddressMapOfItsFamilyOnly() throws Exception {
        add("c1", "net1", "[{\"hostPort\":8080,\"containerPort\":80,\"hostIP\":\"198.51.100.1\"}]");
        assertEquals(Map.of("{\"concat\":[\"198.51.100.1\",\"tcp\",8080]}", chain("net1", "c1")), elements("hostip_hostports_v4"));
        assertTrue(elements("hostip_hostports_v6").isEmpty());
        assertTrue(elements("hostports_v4").isEmpty());
        assertEquals("0", host.sysctls.get("net/ipv4/conf/br0/route_localnet"), "not reachable on 127.0.0.1, so not needed");
    }

    @Test
    void reAddIsIdempotent() throws Exception {
        add("c1", "net1", WEB);
        String before = table().toString();
        add("c1", "net1", WEB);
        assertEquals(before.replaceAll("\"handle\":\\d+", ""), table().toString().replaceAll("\"handle\":\\d+", ""));
    }

    @Test
    void takeoverIsTheDefaultAndTheOldOwnersDelLeavesTheNewOwner() throws Exception {
        add("a", "net1", WEB);
        add("b", "net1", WEB);
        assertEquals(chain("net1", "b"), elements("hostports_v4").get("{\"concat\":[\"tcp\",8080]}"));
        del("a", "net1");
        assertEquals(chain("net1", "b"), elements("hostports_v4").get("{\"concat\":[\"tcp\",8080]}"), "A's DEL removed B's element");
        assertNull(table().chain(new HostportTable().table, chain("net1", "a")), "A's chain is gone");
        assertNotEquals(null, table().chain(new HostportTable().table, chain("net1", "b")));
        del("b", "net1");
        assertTrue(elements("hostports_v4").isEmpty());
    }

    @Test
    void strictRefusesNamingTheOwnerAndChangesNothing() throws Exception {
        add("a", "net1", WEB);
        String before = table().toString();
        Map<String, String> strict = Map.of(ConflictPolicy.VARIABLE, "strict");
        CniException e = assertThrows(CniException.class, () -> add("b", "net1", WEB, strict));
        assertEquals("hostPort already in use: tcp/8080 (IPV4) is mapped by \"" + new Attachment("net1", "a", "eth0").comment() + "\"", e.msg());
        assertEquals(before, table().toString(), "nothing changed");
        // A hostIP-bound key over A's any-address key would steal A's port on that address: refused too.
        CniException bound = assertThrows(CniException.class,
                () -> add("b", "net1", "[{\"hostPort\":8080,\"containerPort\":80,\"hostIP\":\"198.51.100.1\"}]", strict));
        assertTrue(bound.msg().contains("tcp/8080 (IPV4)"), bound.msg());
        assertEquals(before, table().toString(), "the probe of A's any-address key left nothing");
        // Another port is fine, hostIP-bound too: its probe of the any-address key leaves nothing.
        add("b", "net1", "[{\"hostPort\":8081,\"containerPort\":80},{\"hostPort\":8082,\"containerPort\":80,\"hostIP\":\"198.51.100.1\"}]", strict);
        assertEquals(chain("net1", "b"), elements("hostports_v4").get("{\"concat\":[\"tcp\",8081]}"));
        assertNull(elements("hostports_v4").get("{\"concat\":[\"tcp\",8082]}"), "the probe's element is gone");
        assertEquals(chain("net1", "b"), elements("hostip_hostports_v4").get("{\"concat\":[\"198.51.100.1\",\"tcp\",8082]}"));
    }

    @Test
    void unknownPolicyIsAnEnvironmentError() {
        CniException e = assertThrows(CniException.class, () -> add("b", "net1", WEB, Map.of(ConflictPolicy.VARIABLE, "yolo")));
        assertEquals(CniException.INVALID_ENVIRONMENT, e.code());
    }

    @Test
    void delNeedsNoRuntimeConfigIsIdempotentAndFlushesUdp() throws Exception {
        add("c1", "net1", DNS);
        assertEquals(List.of(new ConntrackFilter(IpAddress.Family.IPV4, 17, 5353, null), new ConntrackFilter(IpAddress.Family.IPV6, 17, 5353, null)),
                host.flushed, "ADD flushes stale UDP flows of its host ports");
        host.flushed.clear();
        del("c1", "net1");
        assertTrue(elements("hostports_v4").isEmpty());
        assertNull(table().chain(new HostportTable().table, chain("net1", "c1")));
        assertEquals(2, host.flushed.size(), "DEL flushes them too: " + host.flushed);
        int batches = host.nft.batches().size();
        del("c1", "net1");
        assertEquals(batches, host.nft.batches().size(), "a second DEL finds nothing and sends nothing");
    }

    @Test
    void anotherNetworkOfTheSameContainerIsUntouched() throws Exception {
        add("c1", "net1", WEB);
        add("c1", "net2", "[{\"hostPort\":9090,\"containerPort\":90}]");
        del("c1", "net1");
        assertEquals(Map.of("{\"concat\":[\"tcp\",9090]}", chain("net2", "c1")), elements("hostports_v4"));
    }

    @Test
    void gcRemovesOnlyStaleAttachmentsOfItsNetwork() throws Exception {
        add("live", "net1", WEB);
        add("stale", "net1", "[{\"hostPort\":8081,\"containerPort\":80}]");
        add("other", "net2", "[{\"hostPort\":8082,\"containerPort\":80}]");
        plugin.gc(Requests.invocation(Command.GC, "", "{\"cniVersion\":\"1.1.0\",\"name\":\"net1\",\"type\":\"portmap\","
                + "\"cni.dev/valid-attachments\":[{\"containerID\":\"live\",\"ifname\":\"eth0\"}]}"));
        assertEquals(Map.of("{\"concat\":[\"tcp\",8080]}", chain("net1", "live"), "{\"concat\":[\"tcp\",8082]}", chain("net2", "other")),
                elements("hostports_v4"));
        assertNull(table().chain(new HostportTable().table, chain("net1", "stale")));
        // No list at all: everything of net1 is stale, net2 stays.
        plugin.gc(Requests.invocation(Command.GC, "", "{\"cniVersion\":\"1.1.0\",\"name\":\"net1\",\"type\":\"portmap\"}"));
        assertEquals(Map.of("{\"concat\":[\"tcp\",8082]}", chain("net2", "other")), elements("hostports_v4"));
    }

    @Test
    void checkComparesContentAndReportsEveryDifference() throws Exception {
        add("c1", "net1", WEB);
        plugin.check(Requests.invocation(Command.CHECK, "c1", config("net1", WEB, "")));
        // The mapping changed in the config: the chain's rules and the elements differ.
        CniException e = assertThrows(CniException.class, () -> plugin.check(Requests.invocation(Command.CHECK, "c1",
                config("net1", "[{\"hostPort\":8080,\"containerPort\":81}]", ""))));
        assertEquals(CniException.CHECK_DRIFT, e.code());
        assertTrue(e.details().contains("dnat"), e.details());
        // Element removed behind the plugin's back.
        HostportTable t = new HostportTable();
        host.nft.apply(dev.jcni.core.os.nft.Nft.batch().delete(t.portsV6.elements(SetElement.of("tcp", 8080))).build());
        CniException missing = assertThrows(CniException.class, () -> plugin.check(Requests.invocation(Command.CHECK, "c1", config("net1", WEB, ""))));
        assertEquals("map hostports_v6 has no element tcp/8080 (IPV6)", missing.details());
        host.sysctls.put("net/ipv4/conf/br0/route_localnet", "0");
        CniException both = assertThrows(CniException.class, () -> plugin.check(Requests.invocation(Command.CHECK, "c1", config("net1", WEB, ""))));
        assertTrue(both.details().contains("route_localnet is 0"), both.details());
        assertTrue(both.details().contains("hostports_v6"), both.details());
    }

    @Test
    void statusReportsUnusableNftables() throws Exception {
        plugin.status(Requests.invocation(Command.STATUS, "", "{\"cniVersion\":\"1.1.0\",\"name\":\"n\",\"type\":\"portmap\"}"));
        host.unavailable = "libnftables: not installed";
        CniException e = assertThrows(CniException.class,
                () -> plugin.status(Requests.invocation(Command.STATUS, "", "{\"cniVersion\":\"1.1.0\",\"name\":\"n\",\"type\":\"portmap\"}")));
        assertEquals(CniException.NOT_AVAILABLE, e.code());
        assertEquals("libnftables: not installed", e.details());
    }

    @Test
    void manyAttachmentsGetOneElementEach() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ids.add("c" + i);
            add("c" + i, "net1", "[{\"hostPort\":" + (20000 + i) + ",\"containerPort\":80}]");
        }
        assertEquals(50, elements("hostports_v4").size());
        for (String id : ids) {
            del(id, "net1");
        }
        assertTrue(elements("hostports_v4").isEmpty());
        NftListing l = table();
        for (dev.jcni.core.os.nft.Chain c : l.chains()) {
            assertFalse(c.name().startsWith("cnihp-"), "left " + c.name());
        }
    }

    // ------------------------------------------------------------------ what is reported, and when

    static final String SCTP = "[{\"hostPort\":9999,\"containerPort\":99,\"protocol\":\"sctp\"}]";

    /** A config whose prevResult has an IPv4 address only. */
    static String configV4Only(String net, String mappings) {
        return "{\"cniVersion\":\"1.0.0\",\"name\":\"" + net + "\",\"type\":\"portmap\",\"runtimeConfig\":{\"portMappings\":" + mappings
                + "},\"prevResult\":{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\",\"sandbox\":\"/run/netns/x\"}],"
                + "\"ips\":[{\"address\":\"10.88.0.9/16\",\"interface\":0}]}}";
    }

    @Test
    void everyVersionIsServedAsByTheReference() {
        assertEquals(List.of("0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"), plugin.supportedVersions());
        assertTrue(plugin.about().contains("portmap"), plugin.about());
    }

    @Test
    void theDebugLogShowsWhereAnAddAndADelSpendTheirTime() throws Exception {
        try (CapturedLog log = new CapturedLog(PortmapPlugin.NAME, new PortmapPlugin(), true)) {
            add("c1", "net1", WEB);
            assertEquals(List.of("planned", "applied"), log.timeline(), log.toString());
            assertTrue(log.has("INFO", "set net/ipv4/conf/br0/route_localnet = 1 for 127.0.0.1 traffic to 10.88.0.9"), log.toString());
        }
        try (CapturedLog log = new CapturedLog(PortmapPlugin.NAME, new PortmapPlugin(), true)) {
            add("c1", "net1", WEB);
            assertFalse(log.toString().contains("route_localnet = 1"), "already set: not written again: " + log);
        }
        try (CapturedLog log = new CapturedLog(PortmapPlugin.NAME, new PortmapPlugin(), true)) {
            del("c1", "net1");
            assertEquals(List.of("applied"), log.timeline(), log.toString());
        }
    }

    @Test
    void aMappingForAFamilyTheContainerLacksIsWarnedAboutAndNotMapped() throws Exception {
        String mappings = "[{\"hostPort\":8080,\"containerPort\":80},{\"hostPort\":8443,\"containerPort\":443,\"hostIP\":\"2001:db8::1\"}]";
        try (CapturedLog log = new CapturedLog(PortmapPlugin.NAME, new PortmapPlugin(), false)) {
            plugin.add(Requests.invocation(Command.ADD, "c1", configV4Only("net1", mappings)));
            assertEquals(List.of("portmap: WARN runtimeConfig.portMappings[1] (tcp/[2001:db8::1]:8443) applies to no address of eth0 "
                    + "in prevResult: not mapped"), log.lines(), "the mapping that applies is not warned about");
        }
        assertEquals(Map.of("{\"concat\":[\"tcp\",8080]}", chain("net1", "c1")), elements("hostports_v4"));
        assertTrue(elements("hostip_hostports_v6").isEmpty());
    }

    @Test
    void anAddWhoseMappingsApplyToNoAddressChangesNothing() throws Exception {
        plugin.add(Requests.invocation(Command.ADD, "c1", configV4Only("net1", "[{\"hostPort\":8443,\"containerPort\":443,\"hostIP\":\"2001:db8::1\"}]")));
        assertEquals(List.of(), host.nft.batches());
        assertEquals(0, host.runner.applies);
    }

    @Test
    void aTakeoverIsWarnedAboutNamingThePreviousOwner() throws Exception {
        add("a", "net1", WEB);
        try (CapturedLog log = new CapturedLog(PortmapPlugin.NAME, new PortmapPlugin(), false)) {
            add("b", "net1", WEB);
            String previous = "\"" + new Attachment("net1", "a", "eth0").comment() + "\"";
            assertTrue(log.has("WARN", "hostPort tcp/8080 (IPV4) is mapped by " + previous + "; b/eth0 of network net1 took it over "
                    + "(node policy JCNI_PORTMAP_CONFLICT=takeover)"), log.toString());
            assertTrue(log.has("WARN", "hostPort tcp/8080 (IPV6) is mapped by " + previous + "; b/eth0 of network net1 took it over "
                    + "(node policy JCNI_PORTMAP_CONFLICT=takeover)"), log.toString());
        }
    }

    @Test
    void routeLocalnetThatCannotBeSetFailsTheAddBeforeAnyChange() throws Exception {
        host.noRoute = new dev.jcni.core.os.NotFoundException("RTM_GETROUTE 10.88.0.9", dev.jcni.core.os.Errno.ENETUNREACH, "no route");
        CniException noRoute = assertThrows(CniException.class, () -> add("c1", "net1", WEB));
        assertEquals("unable to enable route_localnet (no route to 10.88.0.9)", noRoute.msg());
        assertEquals(host.noRoute.getMessage(), noRoute.details());
        host.noRoute = null;
        host.sysctls.clear();
        CniException noSysctl = assertThrows(CniException.class, () -> add("c1", "net1", WEB));
        assertEquals("unable to enable route_localnet (net/ipv4/conf/br0/route_localnet)", noSysctl.msg());
        assertEquals(List.of(), host.nft.batches());
    }

    @Test
    void tcpMappingsNeverDumpConntrackUdpOnesFlushItsFlows() throws Exception {
        add("c1", "net1", WEB);
        del("c1", "net1");
        assertEquals(0, host.conntrackCalls, "nothing of TCP to flush: the table is not even dumped");
        try (CapturedLog log = new CapturedLog(PortmapPlugin.NAME, new PortmapPlugin(), true)) {
            plugin.add(Requests.invocation(Command.ADD, "c2", configV4Only("net1", DNS)));
            assertTrue(log.lines().stream().anyMatch(l -> l.contains(" INFO ") && l.contains("ADD: flushed 1 conntrack entry for [")),
                    log.toString());
            add("c3", "net1", "[{\"hostPort\":5354,\"containerPort\":53,\"protocol\":\"udp\"}]");
            assertTrue(log.lines().stream().anyMatch(l -> l.contains(" INFO ") && l.contains("ADD: flushed 2 conntrack entries for [")),
                    log.toString());
        }
    }

    @Test
    void aConntrackFlushThatFailsIsAWarningTheMappingStays() throws Exception {
        host.conntrackFailure = dev.jcni.core.os.OsException.fromErrno("ctnetlink dump", dev.jcni.core.os.Errno.EPERM);
        try (CapturedLog log = new CapturedLog(PortmapPlugin.NAME, new PortmapPlugin(), false)) {
            add("c1", "net1", DNS);
            assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("portmap: WARN failed to delete stale conntrack entries for [")
                    && l.endsWith(": " + host.conntrackFailure.getMessage())), log.toString());
        }
        assertEquals(Map.of("{\"concat\":[\"udp\",5353]}", chain("net1", "c1")), elements("hostports_v4"));
    }

    @Test
    void gcFlushesTheFlowsOfTheMappingsItRemoves() throws Exception {
        add("stale", "net1", DNS);
        host.flushed.clear();
        plugin.gc(Requests.invocation(Command.GC, "", "{\"cniVersion\":\"1.1.0\",\"name\":\"net1\",\"type\":\"portmap\"}"));
        assertEquals(List.of(new ConntrackFilter(IpAddress.Family.IPV4, 17, 5353, null), new ConntrackFilter(IpAddress.Family.IPV6, 17, 5353, null)),
                host.flushed);
    }

    @Test
    void sctpIsMatchedAndFlushedAsSctp() throws Exception {
        add("c1", "net1", SCTP);
        dev.jcni.core.os.nft.Statement port = dev.jcni.core.os.nft.Statement.match(dev.jcni.core.os.nft.Expr.SCTP_DPORT, 9999);
        for (dev.jcni.core.os.nft.Rule r : table().rules(new HostportTable().table.chain(chain("net1", "c1")))) {
            assertTrue(r.statements().contains(port), r.statements().toString());
        }
        host.flushed.clear();
        del("c1", "net1");
        assertEquals(List.of(new ConntrackFilter(IpAddress.Family.IPV4, 132, 9999, null), new ConntrackFilter(IpAddress.Family.IPV6, 132, 9999, null)),
                host.flushed);
    }

    @Test
    void nftablesRefusingABatchIsAPluginFailureNamingTheAttachment() throws Exception {
        add("c1", "net1", WEB);
        dev.jcni.core.os.nft.NftException refused = new dev.jcni.core.os.nft.NftException("apply", dev.jcni.core.os.Errno.EPERM,
                "Operation not permitted", "{\"nftables\":[]}", "Error: Operation not permitted");
        host.runner.refuseEvery = refused;
        try (CapturedLog log = new CapturedLog(PortmapPlugin.NAME, new PortmapPlugin(), true)) {
            CniException addFailed = assertThrows(CniException.class, () -> add("c2", "net1", "[{\"hostPort\":9090,\"containerPort\":80}]"));
            assertEquals(CniException.PLUGIN_FAILURE, addFailed.code());
            assertEquals("cannot set up the port mappings of c2/eth0 of network net1", addFailed.msg());
            assertEquals(refused.getMessage(), addFailed.details());
            assertTrue(log.has("DEBUG", "the batch nftables refused: {\"nftables\":[]}"), log.toString());
        }
        assertEquals("cannot remove the port mappings of c1/eth0 of network net1", assertThrows(CniException.class, () -> del("c1", "net1")).msg());
        assertEquals("cannot collect stale port mappings of network net1", assertThrows(CniException.class, () -> plugin.gc(
                Requests.invocation(Command.GC, "", "{\"cniVersion\":\"1.1.0\",\"name\":\"net1\",\"type\":\"portmap\"}"))).msg());
        host.runner.refuseEvery = new dev.jcni.core.os.nft.NftException("apply", dev.jcni.core.os.Errno.EPERM, "Operation not permitted", null, "");
        try (CapturedLog log = new CapturedLog(PortmapPlugin.NAME, new PortmapPlugin(), true)) {
            assertThrows(CniException.class, () -> del("c1", "net1"));
            assertFalse(log.toString().contains("the batch nftables refused"), "no batch to show: " + log);
        }
    }

    @Test
    void aResultTheRequestsVersionCannotExpressFailsTheAdd() throws Exception {
        String conf = "{\"cniVersion\":\"0.2.0\",\"name\":\"net1\",\"type\":\"portmap\",\"runtimeConfig\":{\"portMappings\":" + WEB + "},"
                + "\"prevResult\":{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\",\"sandbox\":\"/run/netns/x\"}]}}";
        CniException e = assertThrows(CniException.class, () -> plugin.add(Requests.invocation(Command.ADD, "c1", conf)));
        assertEquals(CniException.INCOMPATIBLE_VERSION, e.code());
        assertEquals(List.of(), host.nft.batches());
    }

    // ------------------------------------------------------------------ CHECK, each difference

    CniException checkFails(String cid, String mappings, String extra) {
        CniException e = assertThrows(CniException.class, () -> plugin.check(Requests.invocation(Command.CHECK, cid, config("net1", mappings, extra))));
        assertEquals(CniException.CHECK_DRIFT, e.code());
        return e;
    }

    @Test
    void checkOnANodeWithoutTheTableSaysSoOnce() {
        host.sysctls.put("net/ipv4/conf/br0/route_localnet", "1");
        assertEquals("chain hostports of table inet cni_hostport does not exist", checkFails("c1", WEB, "").details());
    }

    @Test
    void checkOfAnAttachmentWithoutSnatNeedsNoMasqueradeChain() throws Exception {
        plugin.add(Requests.invocation(Command.ADD, "c1", config("net1", WEB, "\"snat\":false")));
        plugin.check(Requests.invocation(Command.CHECK, "c1", config("net1", WEB, "\"snat\":false")));
        add("c2", "net1", "[{\"hostPort\":9090,\"containerPort\":80}]");
        HostportTable t = new HostportTable();
        host.nft.apply(dev.jcni.core.os.nft.Nft.batch().flush(t.masqueradeChain(13)).build());
        assertTrue(checkFails("c2", "[{\"hostPort\":9090,\"containerPort\":80}]", "").details().contains("chain masquerade-bit13 has 0 rules"));
    }

    @Test
    void checkOfAnAttachmentWhoseKeyWasTakenOverNamesTheNewOwner() throws Exception {
        add("a", "net1", WEB);
        add("b", "net1", WEB);
        String details = checkFails("a", WEB, "").details();
        assertTrue(details.contains("map hostports_v4 sends tcp/8080 (IPV4) to goto " + chain("net1", "b") + ", not to " + chain("net1", "a")),
                details);
    }

    @Test
    void checkReportsAnExtraSharedRuleAndAMissingElementTogether() throws Exception {
        add("c1", "net1", WEB);
        HostportTable t = new HostportTable();
        host.nft.apply(dev.jcni.core.os.nft.Nft.batch().add(dev.jcni.core.os.nft.Rule.in(t.hostports, dev.jcni.core.os.nft.Verdict.ACCEPT))
                .delete(t.portsV6.elements(SetElement.of("tcp", 8080))).build());
        String details = checkFails("c1", WEB, "").details();
        assertTrue(details.startsWith("chain hostports has "), details);
        assertTrue(details.contains("map hostports_v6 has no element tcp/8080 (IPV6)"), details);
    }

    @Test
    void checkNumbersTheRulesThatDifferFromOne() throws Exception {
        add("c1", "net1", WEB);
        HostportTable t = new HostportTable();
        dev.jcni.core.os.nft.Chain own = t.table.chain(chain("net1", "c1"));
        List<dev.jcni.core.os.nft.Rule> listed = table().rules(own);
        dev.jcni.core.os.nft.NftBatch.Builder b = dev.jcni.core.os.nft.Nft.batch().flush(own);
        for (int i = 0; i < listed.size(); i++) {
            b.add(dev.jcni.core.os.nft.Rule.in(own, listed.get(i).statements()).withComment(i == 1 ? "edited by hand" : listed.get(i).comment()));
        }
        host.nft.apply(b.build());
        String edited = checkFails("c1", WEB, "").details();
        assertEquals("chain " + own.name() + " rule 2 has comment \"edited by hand\", expected \"" + listed.get(1).comment() + "\"", edited);
        // Per family: the localhost mark rule (IPv4), the hairpin mark rule, the dnat rule: rules 3 and 5 are the dnats.
        String dnat = checkFails("c1", "[{\"hostPort\":8080,\"containerPort\":81}]", "").details();
        assertTrue(dnat.contains("chain " + own.name() + " rule 3 is ") && dnat.contains("chain " + own.name() + " rule 5 is "), dnat);
    }

    @Test
    void anAddressConditionMakesTheFamilyMatchImpliedAsNftListsIt() throws Exception {
        plugin.add(Requests.invocation(Command.ADD, "c1", config("net1", WEB, "\"snat\":false,\"conditionsV4\":[\"ip saddr 192.0.2.0/24\"]")));
        dev.jcni.core.os.nft.Statement v4 = dev.jcni.core.os.nft.Statement.match(dev.jcni.core.os.nft.Expr.META_NFPROTO, "ipv4");
        dev.jcni.core.os.nft.Statement v6 = dev.jcni.core.os.nft.Statement.match(dev.jcni.core.os.nft.Expr.META_NFPROTO, "ipv6");
        List<dev.jcni.core.os.nft.Rule> rules = table().rules(new HostportTable().table.chain(chain("net1", "c1")));
        assertEquals(2, rules.size(), "one dnat rule per family without snat");
        assertFalse(rules.get(0).statements().contains(v4), "ip saddr implies IPv4: " + rules.get(0).statements());
        assertTrue(rules.get(1).statements().contains(v6), "no condition for IPv6: the family is matched: " + rules.get(1).statements());
    }
}
