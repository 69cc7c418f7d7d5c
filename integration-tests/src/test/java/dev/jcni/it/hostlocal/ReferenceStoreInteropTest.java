package dev.jcni.it.hostlocal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.it.support.PluginRunner;
import dev.jcni.it.support.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Our host-local and the reference's (Debian's 1.1.1) on ONE data directory: each reads,
 * continues and releases what the other wrote, both give the same addresses for the same
 * requests, and both say the same thing about the same bad input.
 */
@RequiresRoot
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ReferenceStoreInteropTest extends HostLocalSandboxTest {
    @BeforeEach
    void referenceInstalled() {
        assumeTrue(HostLocalExec.referenceInstalled(), "skipped: the reference plugins are not installed (containernetworking-plugins)");
    }

    private String dualStack(String version) {
        return HostLocalExec.conf(version, "mixed", HostLocalExec.ipam(dataDir,
                "[[{\"subnet\":\"10.44.0.0/24\"}],[{\"subnet\":\"fd44::/64\"}]]", ",\"routes\":[{\"dst\":\"0.0.0.0/0\"}]"));
    }

    @Test
    void eachReadsContinuesAndReleasesTheOthersLeases() throws Exception {
        String conf = dualStack("1.0.0");
        Path store = dataDir.resolve("mixed");
        JsonNode first = exec.add(HostLocalExec.REFERENCE, conf, "a");
        assertEquals("10.44.0.2", HostLocalExec.address(first, 0));
        exec.run(HostLocalExec.OURS, "CHECK", conf, "a").assertOk();

        JsonNode second = exec.add(HostLocalExec.OURS, conf, "b");
        assertEquals("10.44.0.3", HostLocalExec.address(second, 0), "ours continues the reference's round robin");
        assertEquals("fd44::3", HostLocalExec.address(second, 1));
        exec.run(HostLocalExec.REFERENCE, "CHECK", conf, "b").assertOk();
        JsonNode third = exec.add(HostLocalExec.REFERENCE, conf, "c");
        assertEquals("10.44.0.4", HostLocalExec.address(third, 0), "and the reference continues ours");

        Map<String, String> files = HostLocalExec.store(store);
        assertEquals(exec.id("a") + "\r\neth0", files.get("10.44.0.2"));
        assertEquals(exec.id("b") + "\r\neth0", files.get("10.44.0.3"), "ours writes the reference's bytes");
        assertEquals(exec.id("b") + "\r\neth0", files.get("fd44::3"));
        assertEquals("10.44.0.4", files.get("last_reserved_ip.0"));
        assertEquals("fd44::4", files.get("last_reserved_ip.1"));

        exec.run(HostLocalExec.OURS, "DEL", conf, "a").assertOk();
        exec.run(HostLocalExec.REFERENCE, "DEL", conf, "b").assertOk();
        files = HostLocalExec.store(store);
        assertFalse(files.containsKey("10.44.0.2") || files.containsKey("fd44::2"), "ours released the reference's leases: " + files.keySet());
        assertFalse(files.containsKey("10.44.0.3") || files.containsKey("fd44::3"), "the reference released ours: " + files.keySet());
        assertTrue(files.containsKey("10.44.0.4"));
        JsonNode gone = HostLocalExec.error(exec.run(HostLocalExec.REFERENCE, "CHECK", conf, "b"));
        assertEquals("host-local: Failed to find address added by container " + exec.id("b"), gone.path("msg").asText());
        JsonNode missing = HostLocalExec.error(exec.run(HostLocalExec.OURS, "CHECK", conf, "a"));
        assertEquals("host-local: Failed to find address added by container " + exec.id("a"), missing.path("msg").asText());
        exec.run(HostLocalExec.OURS, "DEL", conf, "c").assertOk();
    }

    /** Leases from before the interface name was recorded (the container ID alone) are released by ours. */
    @Test
    void theFormatWithoutInterfaceNameIsReleased() throws Exception {
        String conf = dualStack("0.4.0");
        exec.add(HostLocalExec.REFERENCE, conf, "old");
        Path store = dataDir.resolve("mixed");
        // Rewrite the reference's lease as its releases before 0.7 wrote them.
        Files.writeString(store.resolve("10.44.0.2"), exec.id("old"));
        Files.writeString(store.resolve("fd44::2"), exec.id("old") + "\n");
        exec.run(HostLocalExec.OURS, "CHECK", conf, "old").assertOk();
        exec.run(HostLocalExec.OURS, "DEL", conf, "old", "net7", null).assertOk();
        assertFalse(HostLocalExec.store(store).containsKey("10.44.0.2"));
        assertFalse(HostLocalExec.store(store).containsKey("fd44::2"));
    }

    /** The same sequence of requests on two fresh stores: the same addresses, routes and gateways, in every version both speak. */
    @Test
    void sameRequestsSameResults() throws Exception {
        for (String version : new String[] {"0.2.0", "0.3.1", "0.4.0", "1.0.0"}) {
            List<JsonNode> ours = new ArrayList<>();
            List<JsonNode> theirs = new ArrayList<>();
            for (Path binary : new Path[] {HostLocalExec.OURS, HostLocalExec.REFERENCE}) {
                Path dir = dataDir.resolve(version + (binary == HostLocalExec.OURS ? "-ours" : "-ref"));
                String ranges = "[[{\"subnet\":\"10.45.0.0/29\"},{\"subnet\":\"10.45.1.0/24\",\"rangeStart\":\"10.45.1.250\","
                        + "\"gateway\":\"10.45.1.254\"}],[{\"subnet\":\"fd45::/120\",\"rangeEnd\":\"fd45::4\"}]]";
                String conf = HostLocalExec.conf(version, "same", HostLocalExec.ipam(dir, ranges,
                        ",\"routes\":[{\"dst\":\"0.0.0.0/0\"},{\"dst\":\"192.168.0.0/16\",\"gw\":\"10.45.0.1\"},{\"dst\":\"::/0\"}]"));
                List<JsonNode> out = binary == HostLocalExec.OURS ? ours : theirs;
                for (int i = 0; i < 6; i++) {
                    String args = i == 2 ? "IgnoreUnknown=1;IP=10.45.1.252" : null;
                    PluginRunner.Run r = exec.run(binary, "ADD", conf, "s" + i, "eth0", args);
                    out.add(r.exitCode() == 0 ? withoutDns(r.json()) : r.json().path("msg"));
                }
            }
            assertEquals(theirs, ours, "cniVersion " + version);
        }
    }

    private static JsonNode withoutDns(JsonNode result) {
        // The Go 1.0.0 type prints an empty "dns": {}, ours leaves it out, as the spec allows.
        ((ObjectNode) result).remove("dns");
        return result;
    }

    /** Bad input, the same message word for word (the reference answers them all with code 999). */
    @Test
    void sameMessagesForTheSameMistakes() throws Exception {
        String dir = dataDir.toString();
        String[] ipams = {
            "{\"type\":\"host-local\",\"dataDir\":\"" + dir + "\"}",
            "{\"type\":\"host-local\",\"dataDir\":\"" + dir + "\",\"ranges\":[[]]}",
            "{\"type\":\"host-local\",\"dataDir\":\"" + dir + "\",\"ranges\":[[{\"subnet\":\"10.46.0.0/24\"},{\"subnet\":\"fd46::/64\"}]]}",
            "{\"type\":\"host-local\",\"dataDir\":\"" + dir + "\",\"ranges\":[[{\"subnet\":\"10.46.0.0/22\"},{\"subnet\":\"10.46.2.0/24\"}]]}",
            "{\"type\":\"host-local\",\"dataDir\":\"" + dir + "\",\"ranges\":[[{\"subnet\":\"10.46.0.0/31\"}]]}",
            "{\"type\":\"host-local\",\"dataDir\":\"" + dir + "\",\"ranges\":[[{\"subnet\":\"10.46.0.7/24\"}]]}",
            "{\"type\":\"host-local\",\"dataDir\":\"" + dir + "\",\"ranges\":[[{\"subnet\":\"fd46::1:0/64\"}]]}",
            "{\"type\":\"host-local\",\"dataDir\":\"" + dir + "\",\"ranges\":[[{\"subnet\":\"::ffff:10.46.0.0/120\"}]]}",
            "{\"type\":\"host-local\",\"dataDir\":\"" + dir + "\",\"ranges\":[[{\"subnet\":\"10.46.0.0/24\",\"rangeStart\":\"10.46.1.1\"}]]}",
            "{\"type\":\"host-local\",\"dataDir\":\"" + dir + "\",\"ranges\":[[{\"subnet\":\"10.46.0.0/24\",\"rangeEnd\":\"10.46.1.1\"}]]}",
            "{\"type\":\"host-local\",\"dataDir\":\"" + dir + "\",\"ranges\":[[{\"subnet\":\"10.46.0.0/24\",\"rangeStart\":\"10.46.0.50\",\"rangeEnd\":\"10.46.0.40\"}]]}",
            "{\"type\":\"host-local\",\"dataDir\":\"" + dir + "\",\"ranges\":[[{\"rangeStart\":\"10.46.0.5\"}]]}",
            "{\"type\":\"host-local\",\"dataDir\":\"" + dir + "\",\"ranges\":[[{\"subnet\":\"10.46.0.0/24\"}],[{\"subnet\":\"10.46.0.0/25\"}]]}",
            "{\"type\":\"host-local\",\"dataDir\":\"" + dir + "\",\"ranges\":[[{\"subnet\":\"10.46.0.0/33\"}]]}",
            "{\"type\":\"host-local\",\"dataDir\":\"" + dir + "\",\"ranges\":[[{\"subnet\":\"10.46.0.0/24\",\"gateway\":\"10.46.0.x\"}]]}",
        };
        List<String> cases = new ArrayList<>();
        for (String ipam : ipams) {
            cases.add(HostLocalExec.conf("1.0.0", "msgs", ipam));
        }
        cases.add("{\"cniVersion\":\"1.0.0\",\"name\":\"msgs\",\"type\":\"bridge\"}");
        cases.add(HostLocalExec.conf("0.2.0", "msgs", "{\"type\":\"host-local\",\"dataDir\":\"" + dir
                + "\",\"ranges\":[[{\"subnet\":\"10.46.0.0/24\"}],[{\"subnet\":\"10.47.0.0/24\"}]]}"));
        cases.add("{\"cniVersion\":\"1.0.0\",\"name\":\"msgs\",\"type\":\"bridge\",\"args\":{\"cni\":{\"ips\":[\"10.46.0.x\"]}},"
                + "\"ipam\":{\"type\":\"host-local\",\"dataDir\":\"" + dir + "\",\"subnet\":\"10.46.0.0/24\"}}");
        cases.add("{\"cniVersion\":\"1.0.0\",\"name\":\"msgs\",\"type\":\"bridge\",\"runtimeConfig\":{\"ips\":[\"\"]},"
                + "\"ipam\":{\"type\":\"host-local\",\"dataDir\":\"" + dir + "\",\"subnet\":\"10.46.0.0/24\"}}");
        for (String conf : cases) {
            String ours = HostLocalExec.error(exec.run(HostLocalExec.OURS, "ADD", conf, "m")).path("msg").asText();
            String theirs = HostLocalExec.error(exec.run(HostLocalExec.REFERENCE, "ADD", conf, "m")).path("msg").asText();
            assertEquals(theirs, ours, conf);
        }
        String good = HostLocalExec.conf("1.0.0", "msgs", "{\"type\":\"host-local\",\"dataDir\":\"" + dir
                + "\",\"subnet\":\"10.46.0.0/30\"}");
        String badArg = HostLocalExec.error(exec.run(HostLocalExec.OURS, "ADD", good, "m", "eth0", "IP=10.46.0.300")).path("msg").asText();
        assertEquals(HostLocalExec.error(exec.run(HostLocalExec.REFERENCE, "ADD", good, "m", "eth0", "IP=10.46.0.300")).path("msg").asText(),
                badArg);
        assertEquals(HostLocalExec.error(exec.run(HostLocalExec.REFERENCE, "ADD", good, "m", "eth0", "IP=10.46.0.1")).path("msg").asText(),
                HostLocalExec.error(exec.run(HostLocalExec.OURS, "ADD", good, "m", "eth0", "IP=10.46.0.1")).path("msg").asText());
        assertEquals(HostLocalExec.error(exec.run(HostLocalExec.REFERENCE, "ADD", good, "m", "eth0", "IP=10.46.0.9")).path("msg").asText(),
                HostLocalExec.error(exec.run(HostLocalExec.OURS, "ADD", good, "m", "eth0", "IP=10.46.0.9")).path("msg").asText());
        // Allocation failures, on one store both use: the /30 holds one address.
        exec.add(HostLocalExec.REFERENCE, good, "holder");
        for (String[] request : new String[][] {{"holder", null}, {"other", null}, {"other", "IP=10.46.0.2"}}) {
            String theirs = HostLocalExec.error(exec.run(HostLocalExec.REFERENCE, "ADD", good, request[0], "eth0", request[1]))
                    .path("msg").asText();
            String ours = HostLocalExec.error(exec.run(HostLocalExec.OURS, "ADD", good, request[0], "eth0", request[1]))
                    .path("msg").asText();
            assertEquals(theirs, ours, request[0] + " " + request[1]);
        }
        exec.run(HostLocalExec.OURS, "DEL", good, "holder").assertOk();
    }
}
