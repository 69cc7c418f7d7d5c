package dev.jcni.it.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.protocol.Json;
import dev.jcni.it.support.Cmd;
import dev.jcni.it.support.PluginRunner;
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
 * reference {@code tuning} in both directions.
 */
@RequiresRoot
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MixedChainTest {
    private static final Path OURS = PluginRunner.ours("tuning");
    private static final Path REF_BRIDGE = PluginRunner.reference("bridge");
    private static final Path REF_TUNING = PluginRunner.reference("tuning");

    @TempDir
    Path state;
    private TestNetns ns;
    private String bridge;
    private String subnet;
    private final String cid = "mixed-" + Long.toHexString(System.nanoTime());

    @BeforeEach
    void setUp() {
        ns = TestNetns.create();
        String suffix = ns.name().substring(TestNetns.PREFIX.length());
        bridge = "jtb" + suffix;
        // 10.<200..249>.<0..255>.0/24 from the namespace's random suffix: unlikely to clash.
        int n = Integer.parseInt(suffix.substring(0, 4), 16);
        subnet = "10." + (200 + n % 50) + "." + (n / 50 % 256) + ".0/24";
    }

    @AfterEach
    void tearDown() {
        if (ns != null) {
            ns.close();
        }
        Cmd.run(Cmd.DEFAULT_TIMEOUT, "ip", "link", "del", bridge);
    }

    private String bridgeConf(String version) {
        return "{\"cniVersion\":\"" + version + "\",\"name\":\"mixnet\",\"type\":\"bridge\",\"bridge\":\"" + bridge + "\","
                + "\"isGateway\":true,\"ipam\":{\"type\":\"host-local\",\"subnet\":\"" + subnet + "\",\"dataDir\":\"" + state.resolve("ipam") + "\"}}";
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
        JsonNode bridgeResult = PluginRunner.exec(REF_BRIDGE, env("ADD"), bridgeConf(version)).assertOk().json();
        String rpFilter = ns.procSys("net/ipv4/conf/eth0/rp_filter");
        String wanted = rpFilter.equals("2") ? "1" : "2";
        String fields = ",\"mtu\":1400,\"mac\":\"c2:11:22:33:44:66\",\"sysctl\":{\"net.ipv4.conf.IFNAME.rp_filter\":\"" + wanted + "\"}";
        String addConf = tuningConf(version, bridgeResult, fields);
        JsonNode result = PluginRunner.exec(OURS, env("ADD"), addConf).assertOk().json();

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
        // The address the bridge's IPAM gave still works after the MAC change.
        String gateway = bridgeResult.path("ips").get(0).path("gateway").asText();
        ns.exec("ping", "-c", "1", "-W", "2", gateway);

        if (!version.equals("0.3.1")) {
            String checkConf = tuningConf(version, result, fields);
            PluginRunner.exec(OURS, env("CHECK"), checkConf).assertOk();
        }
        // DEL in reverse, as a runtime does, each with the final result.
        PluginRunner.exec(OURS, env("DEL"), tuningConf(version, result, fields)).assertOk();
        assertEquals(rpFilter, ns.procSys("net/ipv4/conf/eth0/rp_filter"));
        PluginRunner.exec(REF_BRIDGE, env("DEL"), bridgeConf(version)).assertOk();
        assertFalse(ns.ip("-j", "link", "show").contains("\"eth0\""), "the reference bridge removed eth0");
        assertFalse(Files.exists(state.resolve("tuning").resolve(cid + "_eth0.json")));
    }

    @Test
    void oursRestoresABackupTheReferenceWrote() throws Exception {
        ns.addVeth("jtr" + ns.name().substring(TestNetns.PREFIX.length()), "eth0");
        JsonNode prev = Json.parse("{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\",\"sandbox\":\"" + ns.path() + "\"}]}");
        String conf = tuningConf("1.0.0", prev, ",\"mtu\":1300,\"promisc\":true");
        PluginRunner.exec(REF_TUNING, env("ADD"), conf).assertOk();
        assertEquals(1300, ns.link("eth0").path("mtu").asInt());
        PluginRunner.exec(OURS, env("DEL"), conf).assertOk();
        assertEquals(1500, ns.link("eth0").path("mtu").asInt());
        assertFalse(TestNetns.hasFlag(ns.link("eth0"), "PROMISC"));
        assertFalse(Files.exists(state.resolve("tuning").resolve(cid + "_eth0.json")));
    }

    @Test
    void theReferenceRestoresABackupWeWrote() throws Exception {
        ns.addVeth("jtr" + ns.name().substring(TestNetns.PREFIX.length()), "eth0");
        JsonNode prev = Json.parse("{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\",\"sandbox\":\"" + ns.path() + "\"}]}");
        String conf = tuningConf("1.0.0", prev, ",\"mtu\":1300,\"allmulti\":true");
        PluginRunner.exec(OURS, env("ADD"), conf).assertOk();
        assertEquals(1300, ns.link("eth0").path("mtu").asInt());
        PluginRunner.exec(REF_TUNING, env("DEL"), conf).assertOk();
        assertEquals(1500, ns.link("eth0").path("mtu").asInt());
        assertFalse(TestNetns.hasFlag(ns.link("eth0"), "ALLMULTI"));
        assertTrue(Files.notExists(state.resolve("tuning").resolve(cid + "_eth0.json")));
    }
}
