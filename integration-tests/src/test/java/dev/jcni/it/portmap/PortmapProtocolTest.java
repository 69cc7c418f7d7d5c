package dev.jcni.it.portmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * version, DEL twice and without runtimeConfig, 100 concurrent ADD/DEL pairs leaving nothing.
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
    }

    @Test
    void hundredConcurrentAddDelPairsLeaveNothing() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(100);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    String cid = "cc" + n;
                    String ip = "10.199." + (1 + n / 200) + "." + (10 + n % 200);
                    PluginRunner.Run add = exec("ADD", cid, conf("1.0.0", prev("1.0.0", ip), 20000 + n));
                    PluginRunner.Run del = exec("DEL", cid, "{\"cniVersion\":\"1.0.0\",\"name\":\"pmproto\",\"type\":\"portmap\"}");
                    return add.exitCode() == 0 && del.exitCode() == 0 ? null
                            : cid + ": ADD " + add.exitCode() + " " + add.stdout() + add.stderr() + " DEL " + del.exitCode() + " " + del.stdout();
                }));
            }
            List<String> failures = new ArrayList<>();
            for (Future<String> f : results) {
                String r = f.get(240, TimeUnit.SECONDS);
                if (r != null) {
                    failures.add(r);
                }
            }
            assertEquals(List.of(), failures);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, leftovers(), "no chain or element of any of them is left");
        NftListing l = table();
        for (var c : l.chains()) {
            assertTrue(List.of("hostports", "prerouting", "output", "masquerading").contains(c.name()), "unexpected chain " + c.name());
        }
        int shared = 0;
        for (var r : l.rules()) {
            if (r.chain().name().equals("masquerading")) {
                // Concurrent first ADDs may each add the masquerade rule: copies of the one rule, nothing else.
                assertTrue(r.statements().toString().contains("masquerade") && r.statements().toString().contains("8192"), r.toString());
            } else {
                shared++;
            }
        }
        assertEquals(4 + 1 + 1, shared, "only the shared rules remain: " + l.rules());
    }
}
