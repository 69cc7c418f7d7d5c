package dev.jcni.it.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.cnictl.runtime.CniRuntime;
import dev.jcni.cnictl.runtime.ConfigLoader;
import dev.jcni.cnictl.runtime.NetworkConfigList;
import dev.jcni.cnictl.runtime.RuntimeConf;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.protocol.Result;
import dev.jcni.it.support.PluginRunner;
import dev.jcni.it.support.PrivateHost;
import dev.jcni.it.support.RequiresRoot;
import dev.jcni.it.support.TestNetns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Mixed chains through the jcni runtime, in a private host: our bridge at the head of Debian's
 * reference portmap, bandwidth and tuning (they read our result as the reference bridge's), and
 * the reference bridge delegating to our host-local (it reads our IPAM result and our store).
 */
@RequiresRoot
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class BridgeChainTest {
    BridgeLab lab;
    TestNetns sandbox;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(Files.isExecutable(PluginRunner.reference("portmap")), "skipped: the reference plugins are not installed");
        lab = new BridgeLab();
        sandbox = lab.sandbox();
    }

    @AfterEach
    void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    /** A runtime whose CNI_PATH holds, for each type, {@code ours} or the reference's, run in the private host. */
    private CniRuntime runtime(List<String> ours, List<String> reference) throws Exception {
        Path plugins = lab.work.resolve("plugins");
        lab.host.pluginDir(plugins, PluginRunner.OUR_BIN, ours.toArray(new String[0]));
        lab.host.pluginDir(plugins, PluginRunner.REFERENCE_BIN, reference.toArray(new String[0]));
        Map<String, String> env = PluginRunner.runtimeEnvironment(lab.work);
        return CniRuntime.builder().pluginPath(List.of(plugins)).cacheDir(lab.work.resolve("cache")).environment(env)
                .timeout(Duration.ofSeconds(60)).build();
    }

    private NetworkConfigList list(String plugins) throws Exception {
        Path file = lab.work.resolve("net.conflist");
        Files.writeString(file, "{\"cniVersion\":\"1.0.0\",\"name\":\"" + lab.network + "\",\"plugins\":[" + plugins + "]}");
        return ConfigLoader.fromFile(file);
    }

    private String bridge(String extra) {
        return "{\"type\":\"bridge\",\"bridge\":\"jbr0\",\"isGateway\":true,\"ipMasq\":true,\"hairpinMode\":true" + extra + ","
                + "\"ipam\":{\"type\":\"host-local\",\"dataDir\":\"" + lab.ipamDir() + "\","
                + "\"ranges\":[[{\"subnet\":\"10.35.0.0/24\"}]],\"routes\":[{\"dst\":\"0.0.0.0/0\"}]}}";
    }

    @Test
    void ourBridgeAheadOfTheReferencePortmapBandwidthAndTuning() throws Exception {
        CniRuntime runtime = runtime(List.of("bridge", "host-local"), List.of("portmap", "bandwidth", "tuning"));
        NetworkConfigList list = list(bridge("") + ","
                + "{\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true},\"snat\":true},"
                + "{\"type\":\"bandwidth\",\"ingressRate\":10000000,\"ingressBurst\":1000000,\"egressRate\":10000000,\"egressBurst\":1000000},"
                + "{\"type\":\"tuning\",\"mtu\":1400,\"sysctl\":{\"net.ipv4.conf.eth0.rp_filter\":\"2\"}}");
        ObjectNode caps = (ObjectNode) Json.parse("{\"portMappings\":[{\"hostPort\":18081,\"containerPort\":8080,\"protocol\":\"tcp\"}]}");
        RuntimeConf rt = new RuntimeConf(lab.id("chain"), sandbox.path(), "eth0", List.of(), caps);
        CniRuntime.AddResult r = runtime.add(list, rt);
        Result result = r.result();
        assertEquals("jbr0", result.interfaces().get(0).name());
        assertEquals("eth0", result.interfaces().get(2).name());
        assertTrue(result.interfaces().size() >= 4, "bandwidth added its ifb: " + result.interfaces());
        assertEquals(1400, BridgeLab.ipJson(sandbox.name(), "link", "show", "eth0").get(0).get("mtu").asInt(), "tuning's MTU");
        assertEquals("2", sandbox.procSys("net/ipv4/conf/eth0/rp_filter"));
        String hostVeth = result.interfaces().get(1).name();
        assertTrue(lab.host.run("tc", "qdisc", "show", "dev", hostVeth).orFail().contains("tbf"), "bandwidth shaped our veth");
        lab.serveTcp(sandbox, 8080);
        assertNotNull(BridgeLab.tcpWithin(sandbox, "10.35.0.2", 8080, 10));
        String viaHostPort = null;
        for (int i = 0; i < 50 && viaHostPort == null; i++) {
            viaHostPort = tcpFromHost(PrivateHost.UPLINK_ADDRESS, 18081);
        }
        assertNotNull(viaHostPort, "the reference portmap forwards to the address our bridge gave");
        runtime.del(list, rt);
        assertFalse(lab.host.run("iptables-save", "-t", "nat").orFail().contains(lab.id("chain")), "portmap's rules are gone");
        assertEquals(List.of(), lab.ports("jbr0"));
        assertEquals(Map.of(), lab.leases());
        assertFalse(lab.ruleset().contains("masquerade comment"));
    }

    private String tcpFromHost(String address, int port) throws Exception {
        try (var s = lab.host.connect(address, port)) {
            return new String(s.getInputStream().readAllBytes()).trim();
        } catch (java.io.IOException e) {
            Thread.sleep(100);
            return null;
        }
    }

    @Test
    void theReferenceBridgeDelegatingToOurHostLocal() throws Exception {
        CniRuntime runtime = runtime(List.of("host-local"), List.of("bridge"));
        NetworkConfigList list = list(bridge(""));
        RuntimeConf rt = RuntimeConf.of(lab.id("ref"), sandbox.path(), "eth0");
        Result result = runtime.add(list, rt).result();
        assertEquals("10.35.0.2/24", result.ips().get(0).address().toString());
        assertEquals(Map.of("10.35.0.2", lab.id("ref") + "\r\neth0"), lab.leases(), "our store, the reference's format");
        assertEquals(List.of("10.35.0.2/24"), BridgeLab.addresses(sandbox.name(), "eth0"));
        assertTrue(BridgeLab.pingWithin(sandbox, "10.35.0.1", 5));
        runtime.check(list, rt);
        runtime.del(list, rt);
        assertEquals(Map.of(), lab.leases());
    }
}
