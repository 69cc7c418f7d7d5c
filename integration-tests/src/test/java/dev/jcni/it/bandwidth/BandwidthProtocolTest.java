package dev.jcni.it.bandwidth;

import dev.jcni.core.skel.StateRoots;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.protocol.Json;
import dev.jcni.it.support.PluginRunner;
import dev.jcni.it.support.PrivateHost;
import dev.jcni.it.support.RequiresRoot;
import dev.jcni.it.support.TestNetns;
import dev.jcni.it.support.TestRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * bin/bandwidth executed as a runtime does, in a {@link PrivateHost} holding the host ends of
 * sandbox veths: every CNI version, bad input changing nothing, CHECK after a change by hand, DEL
 * with the namespace gone and after the reference plugin, GC, STATUS. Assertions read the kernel
 * with {@code ip} and {@code tc}.
 */
@RequiresRoot
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class BandwidthProtocolTest {
    static final String RATES = "\"ingressRate\":10000000,\"ingressBurst\":1000000,\"egressRate\":20000000,\"egressBurst\":2000000";

    PrivateHost host;
    Path locks;
    final List<TestNetns> sandboxes = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        host = PrivateHost.create();
        locks = Files.createTempDirectory(TestRun.current().scratch(), "bandwidth-locks-");
    }

    @AfterEach
    void tearDown() {
        for (TestNetns ns : sandboxes) {
            ns.close();
        }
        if (host != null) {
            host.close();
        }
    }

    /** A sandbox with eth0, the other end of a veth whose host end ({@code jbv<suffix>}) is in the private host. */
    private TestNetns sandbox() {
        TestNetns ns = TestNetns.create();
        sandboxes.add(ns);
        host.vethTo(ns, hostEnd(ns));
        return ns;
    }

    private static String hostEnd(TestNetns ns) {
        return "jbv" + ns.suffix();
    }

    /** A config of {@code network}; with a prevResult naming the sandbox's interfaces unless {@code ns} is null. */
    private static String conf(String version, String network, String keys, TestNetns ns) {
        String prev = ns == null ? "" : ",\"prevResult\":{\"cniVersion\":\"" + version + "\",\"interfaces\":[{\"name\":\"" + hostEnd(ns) + "\"},"
                + "{\"name\":\"eth0\",\"sandbox\":\"" + ns.path() + "\"}],\"ips\":[{" + (version.startsWith("0.3") ? "\"version\":\"4\"," : "")
                + "\"address\":\"10.9.0.2/24\",\"interface\":1}]}";
        return "{\"cniVersion\":\"" + version + "\",\"name\":\"" + network + "\",\"type\":\"bandwidth\""
                + (keys.isEmpty() ? "" : "," + keys) + prev + "}";
    }

    private PluginRunner.Run exec(String command, String container, String netns, String ifName, String stdin) throws Exception {
        return exec(PluginRunner.ours("bandwidth"), command, container, netns, ifName, stdin);
    }

    private PluginRunner.Run exec(Path plugin, String command, String container, String netns, String ifName, String stdin)
            throws Exception {
        Map<String, String> env = PluginRunner.env(command, container, netns, ifName);
        env.put("JCNI_LOCK_DIR", locks.toString());
        env.put(StateRoots.VARIABLE, PluginRunner.TEST_STATE_ROOTS);
        return host.exec(plugin, env, stdin);
    }

    private PluginRunner.Run add(TestNetns ns, String container, String network, String keys) throws Exception {
        return exec("ADD", container, ns.path(), "eth0", conf("1.0.0", network, keys, ns)).assertOk();
    }

    /** Links, qdiscs and the veths' filters of the private host: what a failed request must not change. */
    private String snapshot() {
        StringBuilder sb = new StringBuilder(host.run("ip", "-o", "link", "show").orFail());
        sb.append(host.run("tc", "qdisc", "show").orFail());
        for (TestNetns ns : sandboxes) {
            if (host.linkExists(hostEnd(ns))) {
                sb.append(host.run("tc", "filter", "show", "dev", hostEnd(ns), "ingress").orFail());
                sb.append(host.run("tc", "filter", "show", "dev", hostEnd(ns), "egress").orFail());
            }
        }
        return sb.toString();
    }

    private List<String> ifbs() {
        List<String> out = new ArrayList<>();
        for (String line : host.run("ip", "-o", "link", "show", "type", "ifb").orFail().split("\n")) {
            if (!line.isBlank()) {
                out.add(line.split(": ")[1]);
            }
        }
        return out;
    }

    @ParameterizedTest(name = "cniVersion {0}")
    @ValueSource(strings = {"0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"})
    void everyVersionAddsChecksAndDeletes(String version) throws Exception {
        TestNetns ns = sandbox();
        String stdin = conf(version, "v-net", RATES, ns);
        PluginRunner.Run add = exec("ADD", "c-" + version, ns.path(), "eth0", stdin).assertOk();
        JsonNode result = add.json();
        assertEquals(version, result.path("cniVersion").asText());
        JsonNode ifb = result.path("interfaces").get(2);
        assertTrue(ifb.path("name").asText().matches("bwe[0-9a-f]{12}"), add.stdout());
        assertFalse(ifb.has("sandbox"), add.stdout());
        assertEquals(List.of(ifb.path("name").asText()), ifbs());
        String mac = Json.parse(host.run("ip", "-j", "link", "show", "dev", ifb.path("name").asText()).orFail()).get(0)
                .path("address").asText();
        assertEquals(mac, ifb.path("mac").asText());
        assertEquals(version.startsWith("0.") ? "4" : "", result.path("ips").get(0).path("version").asText(""),
                "ips in the version's own format (\"version\" up to 0.4.0)");
        String qdiscs = host.run("tc", "qdisc", "show", "dev", hostEnd(ns)).orFail();
        assertTrue(qdiscs.contains("qdisc tbf 1: root") && qdiscs.contains("rate 10Mbit"), qdiscs);
        assertTrue(qdiscs.contains("qdisc clsact ffff:"), qdiscs);
        if (!version.startsWith("0.3")) {
            exec("CHECK", "c-" + version, ns.path(), "eth0", stdin).assertOk();
        }
        exec("DEL", "c-" + version, ns.path(), "eth0", stdin).assertOk();
        assertEquals(List.of(), ifbs());
        String after = host.run("tc", "qdisc", "show", "dev", hostEnd(ns)).orFail();
        assertFalse(after.contains("tbf") || after.contains("clsact"), after);
        // DEL answers once the ifb is out of the namespace, not after the kernel's clean-up of
        // it: its name is free at once, and the same attachment adds again.
        exec("ADD", "c-" + version, ns.path(), "eth0", stdin).assertOk();
        assertEquals(List.of(ifb.path("name").asText()), ifbs());
        exec("DEL", "c-" + version, ns.path(), "eth0", stdin).assertOk();
        assertEquals(List.of(), ifbs());
    }

    @Test
    void badInputChangesNothing() throws Exception {
        TestNetns ns = sandbox();
        ns.ip("link", "add", "dm0", "type", "bridge");
        String before = snapshot();
        Object[][] cases = {
            {conf("1.0.0", "n", "\"ingressRate\":1000000", ns), 7, "if rate is set, burst must also be set"},
            {conf("1.0.0", "n", "\"egressBurst\":1000000", ns), 7, "if burst is set, rate must also be set"},
            {conf("1.0.0", "n", "\"egressRate\":1000,\"egressBurst\":34359738368", ns), 7, "burst cannot be more than 4GB"},
            {conf("1.0.0", "n", RATES + ",\"unshapedSubnets\":[\"10.0.0.0/8\"],\"shapedSubnets\":[\"10.1.0.0/16\"]", ns), 7,
                "unshapedSubnets and shapedSubnets cannot be both specified, one of them should be discarded"},
            {conf("1.0.0", "n", RATES + ",\"unshapedSubnets\":[\"10.0.0.0/40\"]", ns), 7,
                "bad subnet \"10.0.0.0/40\" provided, details invalid CIDR address: 10.0.0.0/40"},
            {conf("1.0.0", "n", RATES + ",\"latencyMs\":-1", ns), 7, null},
            {conf("1.0.0", "n", "\"ingressRate\":\"10M\",\"ingressBurst\":1000", ns), 7, null},
            {conf("1.0.0", "n", RATES, null), 7, "must be called as chained plugin"},
            {"{\"cniVersion\":\"0.2.0\",\"name\":\"n\",\"type\":\"bandwidth\"}", 1, null}};
        for (Object[] c : cases) {
            PluginRunner.Run r = exec("ADD", "bad", ns.path(), "eth0", (String) c[0]);
            assertEquals(1, r.exitCode(), r.stdout());
            assertEquals((int) (Integer) c[1], r.json().path("code").asInt(), r.stdout());
            if (c[2] != null) {
                assertEquals(c[2], r.json().path("msg").asText());
            }
            assertEquals(before, snapshot(), "after " + c[0]);
        }
        // An interface that is no veth (a bridge), and one that does not exist: named in the error, nothing made.
        PluginRunner.Run dummy = exec("ADD", "bad", ns.path(), "dm0", conf("1.0.0", "n", RATES, ns));
        assertEquals(100, dummy.json().path("code").asInt(), dummy.stdout());
        assertEquals("container interface dm0 has no veth peer", dummy.json().path("msg").asText());
        assertTrue(dummy.json().path("details").asText().contains("bridge"), dummy.stdout());
        PluginRunner.Run missing = exec("ADD", "bad", ns.path(), "eth9", conf("1.0.0", "n", RATES, ns));
        assertEquals("container interface eth9 not found", missing.json().path("msg").asText(), missing.stdout());
        assertEquals(before, snapshot());
    }

    @Test
    void aRepeatedAddAnswersTheSameAndChangesNothing() throws Exception {
        TestNetns ns = sandbox();
        PluginRunner.Run first = add(ns, "c1", "rep", RATES + ",\"unshapedSubnets\":[\"192.0.2.0/24\"]");
        String made = snapshot();
        PluginRunner.Run second = add(ns, "c1", "rep", RATES + ",\"unshapedSubnets\":[\"192.0.2.0/24\"]");
        assertEquals(first.stdout(), second.stdout());
        assertEquals(made, snapshot());
    }

    @Test
    void checkNamesAParameterChangedByHand() throws Exception {
        TestNetns ns = sandbox();
        String stdin = conf("1.0.0", "drift", RATES, ns);
        exec("ADD", "c1", ns.path(), "eth0", stdin).assertOk();
        String ifb = ifbs().get(0);
        host.run("tc", "qdisc", "change", "dev", ifb, "root", "handle", "1:", "tbf", "rate", "5mbit", "burst", "20000",
                "limit", "30000").orFail();
        PluginRunner.Run check = exec("CHECK", "c1", ns.path(), "eth0", stdin);
        assertEquals(1, check.exitCode());
        JsonNode e = check.json();
        assertEquals(101, e.path("code").asInt(), check.stdout());
        String details = e.path("details").asText();
        assertTrue(details.contains("ifb " + ifb + " root tbf: rate 2500000 (kernel: rate 625000)"), details);
        assertTrue(details.contains("limit 12500 (kernel: limit 30000)"), details);
        host.run("tc", "filter", "del", "dev", hostEnd(ns), "ingress").orFail();
        String rules = exec("CHECK", "c1", ns.path(), "eth0", stdin).json().path("details").asText();
        assertTrue(rules.contains("ingress hook lacks the rule prio 1 protocol all match 00000000/00000000 at 0 -> redirect"), rules);
    }

    @Test
    void delWithTheNamespaceGoneRemovesTheIfbTwice() throws Exception {
        TestNetns ns = sandbox();
        add(ns, "c1", "gone", RATES);
        assertEquals(1, ifbs().size());
        String path = ns.path();
        ns.close();
        assertFalse(Files.exists(Path.of(path)));
        for (int i = 0; i < 2; i++) {
            PluginRunner.Run del = exec("DEL", "c1", path, "eth0", conf("1.0.0", "gone", "", null)).assertOk();
            assertEquals("", del.stdout());
            assertEquals(List.of(), ifbs());
        }
        exec("DEL", "c1", "", "eth0", conf("1.0.0", "gone", "", null)).assertOk();
    }

    @Test
    void gcRemovesOnlyThisNetworksStaleIfbs() throws Exception {
        TestNetns a = sandbox();
        TestNetns b = sandbox();
        TestNetns c = sandbox();
        add(a, "keep", "gcnet", RATES);
        add(b, "stale", "gcnet", RATES + ",\"unshapedSubnets\":[\"192.0.2.0/24\"]");
        add(c, "stale", "othernet", RATES);
        // Someone's ifb named like ours, and one carrying another's alias: never ours.
        host.run("ip", "link", "add", "bwe0123456789ab", "type", "ifb").orFail();
        host.run("ip", "link", "add", "bwi0123456789ab", "type", "ifb").orFail();
        host.run("ip", "link", "set", "dev", "bwi0123456789ab", "alias", "jcni-bandwidth not ours").orFail();
        List<String> before = ifbs();
        assertEquals(6, before.size(), before.toString());
        String gc = "{\"cniVersion\":\"1.1.0\",\"name\":\"gcnet\",\"type\":\"bandwidth\","
                + "\"cni.dev/valid-attachments\":[{\"containerID\":\"keep\",\"ifname\":\"eth0\"}]}";
        Map<String, String> env = PluginRunner.env("GC", "", "", "");
        env.put("JCNI_LOCK_DIR", locks.toString());
        host.exec(PluginRunner.ours("bandwidth"), env, gc).assertOk();
        List<String> after = ifbs();
        assertEquals(4, after.size(), after.toString());
        assertTrue(after.contains("bwe0123456789ab") && after.contains("bwi0123456789ab"), after.toString());
        exec("CHECK", "keep", a.path(), "eth0", conf("1.0.0", "gcnet", RATES, a)).assertOk();
        exec("CHECK", "stale", c.path(), "eth0", conf("1.0.0", "othernet", RATES, c)).assertOk();
    }

    @Test
    void delCleansUpWhatTheReferencePluginMade() throws Exception {
        TestNetns ns = sandbox();
        String stdin = conf("1.0.0", "refnet", RATES, ns);
        exec(PluginRunner.reference("bandwidth"), "ADD", "c1", ns.path(), "eth0", stdin).assertOk();
        List<String> made = ifbs();
        assertEquals(1, made.size());
        assertTrue(made.get(0).startsWith("bwp"), made.toString());
        exec("DEL", "c1", ns.path(), "eth0", stdin).assertOk();
        assertEquals(List.of(), ifbs());
        String qdiscs = host.run("tc", "qdisc", "show", "dev", hostEnd(ns)).orFail();
        assertFalse(qdiscs.contains("ingress") || qdiscs.contains("tbf"), "a redirect to a deleted ifb drops everything: " + qdiscs);
        // And ours again on the same veth.
        exec("ADD", "c1", ns.path(), "eth0", stdin).assertOk();
        exec("CHECK", "c1", ns.path(), "eth0", stdin).assertOk();
    }

    @Test
    void statusAnswers() throws Exception {
        Map<String, String> env = PluginRunner.env("STATUS", "", "", "");
        host.exec(PluginRunner.ours("bandwidth"), env, "{\"cniVersion\":\"1.1.0\",\"name\":\"s\",\"type\":\"bandwidth\"}").assertOk();
    }
}
