package dev.jcni.it.portmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.cnictl.runtime.CniRuntime;
import dev.jcni.cnictl.runtime.GcAttachment;
import dev.jcni.cnictl.runtime.NetworkConfigList;
import dev.jcni.cnictl.runtime.RuntimeConf;
import dev.jcni.core.os.nft.NftListing;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Json;
import dev.jcni.it.support.ChainLab;
import dev.jcni.it.support.PluginRunner;
import dev.jcni.it.support.PrivateHost;
import dev.jcni.it.support.RequiresRoot;
import dev.jcni.it.support.TestNetns;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our portmap behind an interface plugin ({@link InterfacePlugin}: Debian's reference bridge
 * today), driven by the jcni runtime, with real traffic. The plugins run in a
 * {@link PrivateHost}, whose uplink address plays the host's own address: the bridge, the
 * nftables table, route_localnet and conntrack are that namespace's, never the real host's.
 * Each sandbox serves its name over TCP 8080 and UDP 5353 (dual-stack).
 */
@RequiresRoot
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class PortmapTrafficTest {
    static final String BRIDGE = "jpmbr0";
    static final String SUBNET4 = "10.198.0.0/24";
    static final String SUBNET6 = "fd00:198::/64";
    static final String GATEWAY6 = "fd00:198::1";

    ChainLab lab;
    PrivateHost host;
    Path work;
    String tag;
    CniRuntime runtime;
    NetworkConfigList list;

    @BeforeEach
    void setUp() throws Exception {
        lab = ChainLab.open("portmap");
        host = lab.host();
        tag = lab.tag();
        work = lab.work();
    }

    @AfterEach
    void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    private void network(InterfacePlugin iface, Map<String, String> env) throws Exception {
        assumeTrue(iface.installed(), "skipped: " + iface + " is not installed in " + iface.dir);
        String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"pm-" + tag + "\",\"plugins\":["
                + "{\"type\":\"bridge\",\"bridge\":\"" + BRIDGE + "\",\"isGateway\":true,\"ipMasq\":false,\"hairpinMode\":true,"
                + "\"ipam\":{\"type\":\"host-local\",\"ranges\":[[{\"subnet\":\"" + SUBNET4 + "\"}],[{\"subnet\":\"" + SUBNET6 + "\"}]],"
                + "\"routes\":[{\"dst\":\"0.0.0.0/0\"},{\"dst\":\"::/0\"}],\"dataDir\":\"" + work.resolve("ipam") + "\"}},"
                + "{\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true}}]}";
        list = lab.network(conf);
        Path plugins = work.resolve("plugins");
        host.pluginDir(plugins, iface.dir, "bridge", "host-local");
        host.pluginDir(plugins, PluginRunner.OUR_BIN, "portmap");
        Map<String, String> environment = PluginRunner.runtimeEnvironment(work);
        environment.putAll(env);
        runtime = lab.runtime(plugins, environment, Duration.ofSeconds(60));
        // The private host: the sandboxes' default routes, and IPv6 forwarding (the bridge sets IPv4's).
        host.run("sysctl", "-qw", "net.ipv6.conf.all.forwarding=1").orFail();
    }

    private static ObjectNode mappings(String json) throws Exception {
        return (ObjectNode) Json.parse("{\"portMappings\":" + json + "}");
    }

    private static String tcp(int hostPort) {
        return "{\"hostPort\":" + hostPort + ",\"containerPort\":8080,\"protocol\":\"tcp\"}";
    }

    private static String udp(int hostPort) {
        return "{\"hostPort\":" + hostPort + ",\"containerPort\":5353,\"protocol\":\"udp\"}";
    }

    /** A sandbox attached with {@code mappingsJson}, serving; returns its IPv4 and IPv6 addresses. */
    private String[] attach(String name, String mappingsJson) throws Exception {
        TestNetns ns = lab.sandbox();
        RuntimeConf rt = new RuntimeConf(name + "-" + tag, ns.path(), "eth0", List.of(), mappings(mappingsJson));
        CniRuntime.AddResult r = lab.add(rt);
        Process server = Sandboxes.serve(ns, work);
        lab.closeFirst(server::destroyForcibly);
        String v4 = null;
        String v6 = null;
        for (var ip : r.result().ips()) {
            if (ip.address().address().isIpv4()) {
                v4 = ip.address().address().toString();
            } else {
                v6 = ip.address().address().toString();
            }
        }
        for (int i = 0; i < 100 && Sandboxes.tcp(host.path(), v4, 8080) == null; i++) {
            Thread.sleep(100);
        }
        return new String[] {v4, v6, ns.path(), rt.containerId()};
    }

    private RuntimeConf rt(String[] sandbox) {
        for (RuntimeConf rt : lab.attached()) {
            if (rt.containerId().equals(sandbox[3])) {
                return rt;
            }
        }
        throw new AssertionError("not attached: " + sandbox[3]);
    }

    private String nameOf(String[] sandbox) {
        return "jcni-t-" + sandbox[2].substring(sandbox[2].lastIndexOf("jcni-t-") + "jcni-t-".length());
    }

    private NftListing table() throws Exception {
        return NftListing.parse(host.run("nft", "-j", "list", "table", "inet", "cni_hostport").orFail());
    }

    private int ourChains() throws Exception {
        int n = 0;
        for (var c : table().chains()) {
            n += c.name().startsWith("cnihp-") ? 1 : 0;
        }
        return n;
    }

    private int elements() throws Exception {
        int n = 0;
        for (var s : table().sets()) {
            n += s.listedElements().size();
        }
        return n;
    }

    @ParameterizedTest
    @EnumSource(InterfacePlugin.class)
    void hostLoopbackHairpinSiblingAndIpv6(InterfacePlugin iface) throws Exception {
        network(iface, Map.of());
        String[] a = attach("a", "[" + tcp(18080) + "]");
        String[] b = attach("b", "[]");
        String an = nameOf(a);
        assertTrue(Sandboxes.tcp(host.path(), PrivateHost.UPLINK_ADDRESS, 18080).startsWith(an + " "), "host -> its own address");
        String viaLoopback = Sandboxes.tcp(host.path(), "127.0.0.1", 18080);
        assertTrue(viaLoopback != null && viaLoopback.startsWith(an + " "), "host -> 127.0.0.1: " + viaLoopback);
        assertFalse(viaLoopback.contains("127.0.0.1"), "127.0.0.1 traffic is masqueraded: " + viaLoopback);
        assertEquals("1", host.run("cat", "/proc/sys/net/ipv4/conf/" + BRIDGE + "/route_localnet").orFail().trim());
        assertEquals("0", host.run("cat", "/proc/sys/net/ipv4/conf/uplink0/route_localnet").orFail().trim(), "only where needed");
        String hairpin = Sandboxes.tcp(a[2], PrivateHost.UPLINK_ADDRESS, 18080);
        assertTrue(hairpin != null && hairpin.startsWith(an + " "), "hairpin: " + hairpin);
        String sibling = Sandboxes.tcp(b[2], PrivateHost.UPLINK_ADDRESS, 18080);
        assertTrue(sibling != null && sibling.startsWith(an + " "), "sandbox -> another sandbox's hostPort: " + sibling);
        // IPv6: the host's bridge address, from the host and hairpin from the sandbox itself.
        // The bridge's IPv6 address is usable once its duplicate address detection is over.
        String v6 = null;
        for (int i = 0; i < 50 && v6 == null; i++) {
            v6 = Sandboxes.tcp(host.path(), GATEWAY6, 18080);
            if (v6 == null) {
                Thread.sleep(200);
            }
        }
        assertTrue(v6 != null && v6.startsWith(an + " "), "IPv6 host -> hostPort: " + v6);
        String hairpin6 = Sandboxes.tcp(a[2], GATEWAY6, 18080);
        assertTrue(hairpin6 != null && hairpin6.startsWith(an + " "), "IPv6 hairpin: " + hairpin6);
        // Only local destinations are intercepted: B's own port 18080 is not redirected to A.
        assertNull(Sandboxes.tcp(host.path(), b[0], 18080), "traffic to a non-local address with the hostPort is not DNATed");
        runtime.check(list, rt(a));
        runtime.del(list, rt(a));
        assertNull(Sandboxes.tcp(host.path(), PrivateHost.UPLINK_ADDRESS, 18080), "answers after DEL");
        assertEquals(0, ourChains());
        assertEquals(0, elements());
        runtime.del(list, rt(a));  // twice
    }

    @ParameterizedTest
    @EnumSource(InterfacePlugin.class)
    void hostIpBoundMappingAnswersOnlyThere(InterfacePlugin iface) throws Exception {
        network(iface, Map.of());
        String[] a = attach("a", "[{\"hostPort\":18081,\"containerPort\":8080,\"hostIP\":\"" + PrivateHost.UPLINK_ADDRESS + "\"}]");
        assertTrue(Sandboxes.tcp(host.path(), PrivateHost.UPLINK_ADDRESS, 18081).startsWith(nameOf(a) + " "));
        assertNull(Sandboxes.tcp(host.path(), "127.0.0.1", 18081), "not on 127.0.0.1");
        assertNull(Sandboxes.tcp(host.path(), "10.198.0.1", 18081), "not on the bridge address");
        assertEquals("0", host.run("cat", "/proc/sys/net/ipv4/conf/" + BRIDGE + "/route_localnet").orFail().trim(),
                "no mapping answers on 127.0.0.1, so route_localnet stays off");
    }

    @ParameterizedTest
    @EnumSource(InterfacePlugin.class)
    void udpHostPortReusedAfterDelReachesTheNewSandbox(InterfacePlugin iface) throws Exception {
        network(iface, Map.of());
        String[] a = attach("a", "[" + udp(15353) + "]");
        assertEquals(nameOf(a), Sandboxes.udp(host.path(), 40123, PrivateHost.UPLINK_ADDRESS, 15353, 3000));
        String flows = host.run("conntrack", "-L", "-p", "udp", "--dport", "15353").stdout();
        assertTrue(flows.contains("sport=40123"), "the flow is tracked: " + flows);
        runtime.del(list, rt(a));
        String after = host.run("conntrack", "-L", "-p", "udp", "--dport", "15353").stdout();
        assertFalse(after.contains("sport=40123"), "DEL flushed the flow: " + after);
        String[] b = attach("b", "[" + udp(15353) + "]");
        // The same client port: without the flush the old flow would still send it to A's address.
        assertEquals(nameOf(b), Sandboxes.udp(host.path(), 40123, PrivateHost.UPLINK_ADDRESS, 15353, 3000));
    }

    @ParameterizedTest
    @EnumSource(InterfacePlugin.class)
    void takeoverThenTheOldOwnersDelLeavesTheNewOwner(InterfacePlugin iface) throws Exception {
        network(iface, Map.of());
        String[] a = attach("a", "[" + tcp(18082) + "]");
        String[] b = attach("b", "[" + tcp(18082) + "]");
        assertTrue(Sandboxes.tcp(host.path(), PrivateHost.UPLINK_ADDRESS, 18082).startsWith(nameOf(b) + " "), "the newest ADD owns it");
        runtime.del(list, rt(a));
        assertTrue(Sandboxes.tcp(host.path(), PrivateHost.UPLINK_ADDRESS, 18082).startsWith(nameOf(b) + " "), "A's DEL left B's mapping");
        assertEquals(1, ourChains());
    }

    @ParameterizedTest
    @EnumSource(InterfacePlugin.class)
    void strictPolicyRefusesAndNamesTheOwner(InterfacePlugin iface) throws Exception {
        network(iface, Map.of("JCNI_PORTMAP_CONFLICT", "strict"));
        String[] a = attach("a", "[" + tcp(18083) + "]");
        CniException e = assertThrows(CniException.class, () -> attach("b", "[" + tcp(18083) + "]"));
        assertTrue(e.getMessage().contains("hostPort already in use") && e.getMessage().contains(a[3] + "/eth0"), e.getMessage());
        assertTrue(Sandboxes.tcp(host.path(), PrivateHost.UPLINK_ADDRESS, 18083).startsWith(nameOf(a) + " "), "A still owns it");
    }

    @ParameterizedTest
    @EnumSource(InterfacePlugin.class)
    void gcRemovesStaleAndKeepsValid(InterfacePlugin iface) throws Exception {
        network(iface, Map.of());
        String[] live = attach("live", "[" + tcp(18084) + "]");
        attach("stale", "[" + tcp(18085) + "]");
        assertEquals(2, ourChains());
        runtime.gc(list, List.of(new GcAttachment(live[3], "eth0")));
        assertEquals(1, ourChains());
        assertTrue(Sandboxes.tcp(host.path(), PrivateHost.UPLINK_ADDRESS, 18084).startsWith(nameOf(live) + " "));
        assertNull(Sandboxes.tcp(host.path(), PrivateHost.UPLINK_ADDRESS, 18085));
    }
}
