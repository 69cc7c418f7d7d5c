package dev.jcni.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.skel.Skel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The whole request through the skel, in every CNI version: the result in that version's shape. */
class BridgeVersionsTest {
    @TempDir
    Path locks;

    private Skel.Outcome run(FakeKernel k, String command, String version, String extra) {
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", "ctr1");
        env.put("CNI_NETNS", "/proc/self/ns/net");
        env.put("CNI_NETNS_OVERRIDE", "1");
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", "/opt/cni/bin");
        env.put("JCNI_LOCK_DIR", locks.toString());
        String conf = "{\"cniVersion\":\"" + version + "\",\"name\":\"net\",\"type\":\"bridge\",\"bridge\":\"br0\",\"isGateway\":true,"
                + "\"ipam\":{\"type\":\"host-local\"}" + extra + "}";
        return new Skel(BridgePlugin.NAME, k.plugin()).run(env, conf.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"})
    void addAnswersInTheRequestsVersion(String version) throws Exception {
        FakeKernel k = new FakeKernel();
        Skel.Outcome o = run(k, "ADD", version, "");
        String out = new String(o.stdout(), StandardCharsets.UTF_8);
        assertEquals(0, o.exitCode(), out);
        JsonNode r = Json.parse(o.stdout());
        assertEquals(version, r.get("cniVersion").asText());
        if (version.startsWith("0.1") || version.startsWith("0.2")) {
            assertEquals("10.22.0.5/16", r.get("ip4").get("ip").asText());
            assertEquals("10.22.0.1", r.get("ip4").get("gateway").asText());
            assertFalse(r.has("interfaces"));
        } else {
            assertEquals(3, r.get("interfaces").size());
            assertEquals("/proc/self/ns/net", r.get("interfaces").get(2).get("sandbox").asText());
            assertEquals(2, r.get("ips").get(0).get("interface").asInt());
            assertEquals(version.startsWith("0."), r.get("ips").get(0).has("version"), "0.x results carry ips[].version");
        }
        Skel.Outcome del = run(k, "DEL", version, "");
        assertEquals(0, del.exitCode(), new String(del.stdout(), StandardCharsets.UTF_8));
        assertTrue(k.sandbox.links.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.4.0", "1.0.0", "1.1.0"})
    void badInputIsCodeSevenAndChangesNothing(String version) throws Exception {
        FakeKernel k = new FakeKernel();
        Skel.Outcome o = run(k, "ADD", version, ",\"vlan\":5000");
        assertEquals(1, o.exitCode());
        JsonNode err = Json.parse(o.stdout());
        assertEquals(7, err.get("code").asInt());
        assertEquals("invalid VLAN ID 5000 (must be between 0 and 4094)", err.get("msg").asText());
        assertTrue(k.host.log.isEmpty() && k.sandbox.log.isEmpty() && k.ipam.calls.isEmpty());
    }
}
