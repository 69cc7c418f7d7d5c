package dev.jcni.it.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.protocol.Json;
import dev.jcni.it.support.PluginRunner;
import dev.jcni.it.support.PrivateHost;
import dev.jcni.it.support.RequiresRoot;
import dev.jcni.it.support.TestNetns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Our tuning with the Debian reference plugins: behind the reference {@code bridge} (a
 * third-party interface plugin at the head of the chain), and sharing backup files with the
 * reference {@code tuning} in both directions. The chain runs in a {@link PrivateHost}, as a
 * runtime on that host would run it: the bridge, its subnet and the ip_forward its isGateway sets
 * stay in that namespace, never on the real host.
 */
@RequiresRoot
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MixedChainTest {
    private static final Path OURS = PluginRunner.ours("tuning");
    private static final Path REF_BRIDGE = PluginRunner.reference("bridge");
    private static final Path REF_TUNING = PluginRunner.reference("tuning");

    /** Private to the test's host namespace, so fixed. */
    private static final String BRIDGE = "jtbr0";
    private static final String SUBNET = "10.198.0.0/24";

    @TempDir
    Path state;
    private PrivateHost host;
    private TestNetns ns;
    private String cid;

    @BeforeEach
    void setUp() {
        host = PrivateHost.create();
        ns = TestNetns.create();
        cid = "mixed-" + ns.suffix();
    }

    @AfterEach
    void tearDown() {
        if (ns != null) {
            ns.close();
        }
        if (host != null) {
            host.close();
        }
    }

    /** Runs a plugin of the chain in the private host, as the runtime there would. */
    private PluginRunner.Run exec(Path plugin, Map<String, String> env, String stdin) throws Exception {
        return host.exec(plugin, env, stdin);
    }

    private String bridgeConf(String version) {
        return "{\"cniVersion\":\"" + version + "\",\"name\":\"mixnet\",\"type\":\"bridge\",\"bridge\":\"" + BRIDGE + "\","
                + "\"isGateway\":true,\"ipam\":{\"type\":\"host-local\",\"subnet\":\"" + SUBNET + "\",\"dataDir\":\"" + state.resolve("ipam") + "\"}}";
    }

    private String tuningConf(String version, JsonNode prevResult, String fields) {
        return "{\"cniVersion\":\"" + version + "\",\"name\":\"mixnet\",\"type\":\"tuning\",\"dataDir\":\"" + state.resolve("tuning") + "\""
                + fields + (prevResult == null ? "" : ",\"prevResult\":" + Json.toString(prevResult)) + "}";
    }

    private Map<String, String> env(String command) {
        Map<String, String> env = PluginRunner.env(command, cid, ns.path(), "eth0");
        env.put("JCNI_TUNING_ALLOWLIST", "/nonexistent/jcni-it/allowlist.conf"); // the node's: none, whatever this host's /etc holds
        return env;
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"0.3.1", "0.4.0", "1.0.0"})
    void tuningBehindTheReferenceBridge(String version) throws Exception {
        JsonNode bridgeResult = exec(REF_BRIDGE, env("ADD"), bridgeConf(version)).assertOk().json();
        assertTrue(host.linkExists(BRIDGE), "the bridge is made in the runtime's host namespace");
        JsonNode original = ns.link("eth0");
        String rpFilter = ns.procSys("net/ipv4/conf/eth0/rp_filter");
        String wanted = rpFilter.equals("2") ? "1" : "2";
        String fields = ",\"mtu\":1400,\"mac\":\"c2:11:22:33:44:66\",\"sysctl\":{\"net.ipv4.conf.IFNAME.rp_filter\":\"" + wanted + "\"}";
        String addConf = tuningConf(version, bridgeResult, fields);
        JsonNode result = exec(OURS, env("ADD"), addConf).assertOk().json();

        assertEquals(version, result.path("cniVersion").asText());
        int eth0 = -1;
        for (int i = 0; i < result.path("interfaces").size(); i++) {
            if (result.path("interfaces").get(i).path("name").asText().equals("eth0")) {
                eth0 = i;
            }
        }
        assertEquals("c2:11:22:33:44:66", result.path("interfaces").get(eth0).path("mac").asText());
        // Everything else the bridge reported passes through.
        ObjectNode expected = ((ObjectNode) bridgeResult.deepCopy());
        ((ObjectNode) expected.path("interfaces").get(eth0)).put("mac", "c2:11:22:33:44:66");
        assertEquals(expected.path("ips"), result.path("ips"));
        assertEquals(expected.path("interfaces"), result.path("interfaces"));
        assertEquals(expected.path("routes"), result.path("routes"));

        JsonNode link = ns.link("eth0");
        assertEquals(1400, link.path("mtu").asInt());
        assertEquals("c2:11:22:33:44:66", link.path("address").asText());
        assertEquals(wanted, ns.procSys("net/ipv4/conf/eth0/rp_filter"));
        assertTrue(Files.exists(state.resolve("tuning").resolve(cid + "_eth0.json")), "the backup DEL restores from");
        // The address the bridge's IPAM gave still works after the MAC change.
        String gateway = bridgeResult.path("ips").get(0).path("gateway").asText();
        ns.exec("ping", "-c", "1", "-W", "2", gateway);

        if (!version.equals("0.3.1")) {
            String checkConf = tuningConf(version, result, fields);
            exec(OURS, env("CHECK"), checkConf).assertOk();
        }
        // DEL in reverse, as a runtime does, each with the final result.
        exec(OURS, env("DEL"), tuningConf(version, result, fields)).assertOk();
        assertEquals(rpFilter, ns.procSys("net/ipv4/conf/eth0/rp_filter"));
        JsonNode restored = ns.link("eth0");
        assertEquals(original.path("mtu").asInt(), restored.path("mtu").asInt());
        assertEquals(original.path("address").asText(), restored.path("address").asText());
        exec(REF_BRIDGE, env("DEL"), bridgeConf(version)).assertOk();
        assertFalse(ns.ip("-j", "link", "show").contains("\"eth0\""), "the reference bridge removed eth0");
        assertFalse(Files.exists(state.resolve("tuning").resolve(cid + "_eth0.json")));
    }

    @Test
    void oursRestoresABackupTheReferenceWrote() throws Exception {
        ns.addVeth("jtr" + ns.suffix(), "eth0");
        JsonNode prev = Json.parse("{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\",\"sandbox\":\"" + ns.path() + "\"}]}");
        String conf = tuningConf("1.0.0", prev, ",\"mtu\":1300,\"promisc\":true");
        exec(REF_TUNING, env("ADD"), conf).assertOk();
        assertEquals(1300, ns.link("eth0").path("mtu").asInt());
        assertTrue(TestNetns.hasFlag(ns.link("eth0"), "PROMISC"));
        assertTrue(Files.exists(state.resolve("tuning").resolve(cid + "_eth0.json")), "the reference's backup");
        exec(OURS, env("DEL"), conf).assertOk();
        assertEquals(1500, ns.link("eth0").path("mtu").asInt());
        assertFalse(TestNetns.hasFlag(ns.link("eth0"), "PROMISC"));
        assertFalse(Files.exists(state.resolve("tuning").resolve(cid + "_eth0.json")));
    }

    @Test
    void theReferenceRestoresABackupWeWrote() throws Exception {
        ns.addVeth("jtr" + ns.suffix(), "eth0");
        JsonNode prev = Json.parse("{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\",\"sandbox\":\"" + ns.path() + "\"}]}");
        String conf = tuningConf("1.0.0", prev, ",\"mtu\":1300,\"allmulti\":true");
        exec(OURS, env("ADD"), conf).assertOk();
        assertEquals(1300, ns.link("eth0").path("mtu").asInt());
        assertTrue(TestNetns.hasFlag(ns.link("eth0"), "ALLMULTI"));
        assertTrue(Files.exists(state.resolve("tuning").resolve(cid + "_eth0.json")), "our backup");
        exec(REF_TUNING, env("DEL"), conf).assertOk();
        assertEquals(1500, ns.link("eth0").path("mtu").asInt());
        assertFalse(TestNetns.hasFlag(ns.link("eth0"), "ALLMULTI"));
        assertTrue(Files.notExists(state.resolve("tuning").resolve(cid + "_eth0.json")));
    }
}
