package dev.jcni.portmap;

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
}
