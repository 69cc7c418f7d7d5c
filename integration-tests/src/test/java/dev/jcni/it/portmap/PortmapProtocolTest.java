package dev.jcni.it.portmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.os.nft.NftListing;
import dev.jcni.core.protocol.Json;
import dev.jcni.it.support.LeftoverSweep;
import dev.jcni.it.support.PluginRunner;
import dev.jcni.it.support.PrivateHost;
import dev.jcni.it.support.RequiresRoot;
import dev.jcni.it.support.TestNetns;
import dev.jcni.it.support.TestRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * bin/portmap executed as a runtime does, in a {@link PrivateHost}, with the previous result
 * written by hand (no interface plugin needed for what is checked here: the ruleset): every CNI
 * version, DEL twice and without runtimeConfig, 100 concurrent ADD/DEL pairs leaving nothing, 50
 * concurrent first ADDs leaving one masquerade rule per mark bit and, after their DELs, exactly
 * the shared base.
 */
@RequiresRoot
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class PortmapProtocolTest {
    PrivateHost host;
    TestNetns sandbox;
    Path work;

    @BeforeEach
    void setUp() throws Exception {
        host = PrivateHost.create();
        sandbox = TestNetns.create();
        work = Files.createTempDirectory(TestRun.current().scratch(), "portmap-proto-");
    }

    @AfterEach
    void tearDown() {
        if (sandbox != null) {
            sandbox.close();
        }
        if (host != null) {
            host.close();
        }
        if (work != null) {
            LeftoverSweep.deleteTree(work);
        }
    }

    private static String prev(String version, String ip) {
        String v = version.startsWith("0.") ? ",\"version\":\"4\"" : "";
        return "{\"cniVersion\":\"" + version + "\",\"interfaces\":[{\"name\":\"eth0\",\"sandbox\":\"/run/netns/none\"}],"
                + "\"ips\":[{\"address\":\"" + ip + "/24\"" + v + ",\"interface\":0}]}";
    }

    private static String conf(String version, String prev, int hostPort) {
        return "{\"cniVersion\":\"" + version + "\",\"name\":\"pmproto\",\"type\":\"portmap\","
                + (hostPort > 0 ? "\"runtimeConfig\":{\"portMappings\":[{\"hostPort\":" + hostPort + ",\"containerPort\":80,\"protocol\":\"tcp\"}]}," : "")
                + "\"prevResult\":" + prev + "}";
    }

    private PluginRunner.Run exec(String command, String cid, String stdin) throws Exception {
        Map<String, String> env = PluginRunner.env(command, cid, "", "eth0");
        env.put("JCNI_LOCK_DIR", work.resolve("locks").toString());
        // ADD checks CNI_NETNS (a sandbox, not the host); the ruleset is the host's, so one sandbox serves all.
        env.put("CNI_NETNS", sandbox.path());
        if (command.equals("DEL")) {
            env.put("CNI_NETNS", "");
        }
        return host.exec(PluginRunner.ours("portmap"), env, stdin);
    }

    private NftListing table() throws Exception {
        return NftListing.parse(host.run("nft", "-j", "list", "table", "inet", "cni_hostport").orFail());
    }

    private int leftovers() throws Exception {
        NftListing l = table();
        int n = 0;
        for (var c : l.chains()) {
            n += c.name().startsWith("cnihp-") ? 1 : 0;
        }
        for (var s : l.sets()) {
            n += s.listedElements().size();
        }
        return n;
    }

    @ParameterizedTest(name = "cniVersion {0}")
    @ValueSource(strings = {"0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"})
    void everyVersionAddsChecksAndDeletes(String version) throws Exception {
        String prev = prev(version, "10.199.0.5");
        PluginRunner.Run add = exec("ADD", "v", conf(version, prev, 18090)).assertOk();
        JsonNode out = add.json();
        assertEquals(version, out.get("cniVersion").asText());
        assertEquals(Json.parse(prev.getBytes(StandardCharsets.UTF_8)).get("ips"), out.get("ips"), "the result is prevResult");
        assertEquals(2, leftovers(), "one chain, one element");
        if (!version.startsWith("0.3")) {
            exec("CHECK", "v", conf(version, prev, 18090)).assertOk();
        }
        exec("DEL", "v", "{\"cniVersion\":\"" + version + "\",\"name\":\"pmproto\",\"type\":\"portmap\"}").assertOk();
        assertEquals(0, leftovers());
    }

    @Test
    void delWithoutMappingsTwiceAndAfterTheChainWasRemovedByHand() throws Exception {
        exec("ADD", "d", conf("1.0.0", prev("1.0.0", "10.199.0.6"), 18091)).assertOk();
        String bare = "{\"cniVersion\":\"1.0.0\",\"name\":\"pmproto\",\"type\":\"portmap\"}";
        exec("DEL", "d", bare).assertOk();
        assertEquals(0, leftovers());
        exec("DEL", "d", bare).assertOk();
        // A DEL finding the table gone altogether succeeds too.
        host.run("nft", "delete", "table", "inet", "cni_hostport").orFail();
        exec("DEL", "d", bare).assertOk();
    }

    @Test
    void checkFailsWhenAnElementWasRemovedBehindItsBack() throws Exception {
        String c = conf("1.0.0", prev("1.0.0", "10.199.0.7"), 18092);
        exec("ADD", "k", c).assertOk();
        exec("CHECK", "k", c).assertOk();
        host.run("nft", "delete", "element", "inet", "cni_hostport", "hostports_v4", "{ tcp . 18092 }").orFail();
        PluginRunner.Run check = exec("CHECK", "k", c);
        assertEquals(1, check.exitCode());
        assertEquals(101, check.json().get("code").asInt(), check.stdout());
        assertTrue(check.json().get("details").asText().contains("hostports_v4 has no element tcp/18092"), check.stdout());
        // DEL still removes the rest (its batch deletes the missing element under an assert that makes it first).
        exec("DEL", "k", "{\"cniVersion\":\"1.0.0\",\"name\":\"pmproto\",\"type\":\"portmap\"}").assertOk();
        assertEquals(0, leftovers());
    }

    @Test
    void hundredConcurrentAddDelPairsLeaveNothing() throws Exception {
        List<String> failures = concurrently(100, n -> {
            String cid = "cc" + n;
            String ip = "10.199." + (1 + n / 200) + "." + (10 + n % 200);
            PluginRunner.Run add = exec("ADD", cid, conf("1.0.0", prev("1.0.0", ip), 20000 + n));
            PluginRunner.Run del = exec("DEL", cid, "{\"cniVersion\":\"1.0.0\",\"name\":\"pmproto\",\"type\":\"portmap\"}");
            return add.exitCode() == 0 && del.exitCode() == 0 ? null
                    : cid + ": ADD " + add.exitCode() + " " + add.stdout() + add.stderr() + " DEL " + del.exitCode() + " " + del.stdout();
        });
        assertEquals(List.of(), failures);
        assertEquals(0, leftovers(), "no chain or element of any of them is left");
        assertSharedPartIsTheBase(table(), List.of(13));
    }

    /**
     * The shared part, and nothing else: the lookup chain's four rules, one entry rule in each hook
     * chain, and one masquerade chain per mark bit in {@code bits} holding exactly its one rule.
     */
    private static void assertSharedPartIsTheBase(NftListing l, List<Integer> bits) {
        List<String> chains = new ArrayList<>();
        for (var c : l.chains()) {
            chains.add(c.name());
        }
        List<String> expected = new ArrayList<>(List.of("hostports", "prerouting", "output"));
        for (int bit : bits) {
            expected.add("masquerade-bit" + bit);
        }
        assertEquals(new java.util.TreeSet<>(expected), new java.util.TreeSet<>(chains), "chains");
        for (var s : l.sets()) {
            assertEquals(List.of(), s.listedElements(), "map " + s.name());
        }
        Map<String, List<String>> rules = new java.util.TreeMap<>();
        for (var r : l.rules()) {
            rules.computeIfAbsent(r.chain().name(), k -> new ArrayList<>()).add(r.statements().toString());
        }
        assertEquals(4, rules.get("hostports").size(), "hostports: " + rules.get("hostports"));
        assertEquals(1, rules.get("prerouting").size(), "prerouting: " + rules.get("prerouting"));
        assertEquals(1, rules.get("output").size(), "output: " + rules.get("output"));
        for (int bit : bits) {
            List<String> masq = rules.get("masquerade-bit" + bit);
            assertEquals(1, masq.size(), "exactly one masquerade rule for bit " + bit + ": " + masq);
            assertTrue(masq.get(0).contains("masquerade") && masq.get(0).contains(Long.toString(1L << bit)), masq.get(0));
        }
    }

    /**
     * 50 first ADDs at once in a fresh host, half with markMasqBit 13 and half with 20: the
     * shared part is created 50 times concurrently, and each mark bit ends with exactly one
     * masquerade rule; after all the DELs (at once too) the shared part is exactly the base.
     */
    @Test
    void fiftyConcurrentFirstAddsLeaveOneMasqueradeRulePerMark() throws Exception {
        assertFalse(host.run("nft", "list", "table", "inet", "cni_hostport").ok(), "a fresh host has no table yet");
        List<String> failures = concurrently(50, n -> {
            String cid = "first" + n;
            String ip = "10.199.7." + (10 + n);
            String c = conf("1.0.0", prev("1.0.0", ip), 21000 + n).replace("\"type\":\"portmap\",",
                    "\"type\":\"portmap\",\"markMasqBit\":" + (n % 2 == 0 ? 13 : 20) + ",");
            PluginRunner.Run add = exec("ADD", cid, c);
            return add.exitCode() == 0 ? null : cid + ": ADD " + add.exitCode() + " " + add.stdout() + add.stderr();
        });
        assertEquals(List.of(), failures);
        NftListing added = table();
        int chains = 0;
        for (var c : added.chains()) {
            chains += c.name().startsWith("cnihp-") ? 1 : 0;
        }
        assertEquals(50, chains);
        for (int bit : List.of(13, 20)) {
            int rules = 0;
            for (var r : added.rules()) {
                rules += r.chain().name().equals("masquerade-bit" + bit) ? 1 : 0;
            }
            assertEquals(1, rules, "masquerade rules of bit " + bit + " after 50 concurrent first ADDs");
        }
        failures = concurrently(50, n -> {
            PluginRunner.Run del = exec("DEL", "first" + n, "{\"cniVersion\":\"1.0.0\",\"name\":\"pmproto\",\"type\":\"portmap\"}");
            return del.exitCode() == 0 ? null : "first" + n + ": DEL " + del.exitCode() + " " + del.stdout() + del.stderr();
        });
        assertEquals(List.of(), failures);
        assertSharedPartIsTheBase(table(), List.of(13, 20));
    }

    private interface Job {
        String run(int n) throws Exception;
    }

    /** Runs {@code job} for 0..n-1, all at once; the non-null answers (failures). */
    private static List<String> concurrently(int n, Job job) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                results.add(pool.submit(() -> {
                    start.await();
                    return job.run(k);
                }));
            }
            start.countDown();
            List<String> failures = new ArrayList<>();
            for (Future<String> f : results) {
                String r = f.get(240, TimeUnit.SECONDS);
                if (r != null) {
                    failures.add(r);
                }
            }
            return failures;
        } finally {
            pool.shutdownNow();
        }
    }
}
