package dev.jcni.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.protocol.Json;
import dev.jcni.it.support.LeftoverSweep;
import dev.jcni.it.support.PrivateHost;
import dev.jcni.it.support.RequiresRoot;
import dev.jcni.it.support.TestRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code bin/cnictl demo}, the README's first command, as a user runs it, in a {@link
 * PrivateHost}: the demo changes "the host" (a bridge, iptables rules, ip_forward), and here that
 * host is a namespace of the test's own, so the real host stays as it was and another run of the
 * suite can run its demo at the same time. The demo's run directories go under this run's lease
 * ({@code JCNI_DEMO_DIR}), where the sweep finds them if the JVM is killed.
 */
@RequiresRoot
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CnictlDemoTest {
    /** Far beyond the "well under a minute" the README promises, so that promise can be checked. */
    private static final Duration DEADLINE = Duration.ofSeconds(180);
    private static final Pattern RUN = Pattern.compile("network namespace jcni-demo-([0-9a-f]{6})");
    private static final Pattern BRIDGE_AND_SUBNET = Pattern.compile("bridge (jcni-br-[0-9a-f]{6}), subnet (\\S+) \\(free on this host\\)");
    private static final Pattern HOST_PORT = Pattern.compile("hostPort (\\d+) -> 8080");

    private Path cnictl;
    private PrivateHost host;
    private Path demoDir;
    /** Files of one test (conflists, plugins, logs), removed after it. */
    private Path work;

    @BeforeEach
    void setUp() throws Exception {
        String bin = System.getProperty("jcni.bin", "");
        cnictl = Path.of(bin, "cnictl");
        assumeTrue(!bin.isEmpty() && Files.isExecutable(cnictl), "skipped: no bin/cnictl (run mvn package first)");
        assumeTrue(Files.isRegularFile(Path.of("/usr/lib/cni/bridge")) || Files.isRegularFile(Path.of(bin, "bridge")),
                "skipped: no bridge plugin, ours or the system's");
        host = PrivateHost.create();
        demoDir = TestRun.current().leaseDir().resolve("demo");
        work = Files.createTempDirectory(TestRun.current().scratch(), "demo-test-");
    }

    @AfterEach
    void tearDown() {
        // The namespaces of demo runs that did not finish (their bridges and rules go with the host).
        LeftoverSweep.removeDemoRuns(demoDir);
        if (host != null) {
            host.close();
        }
        if (work != null) {
            LeftoverSweep.deleteTree(work);
        }
    }

    private Map<String, String> demoEnv() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("JCNI_DEMO_DIR", demoDir.toString());
        return env;
    }

    private Host.Out demo() {
        return Host.run(DEADLINE, demoEnv(), host.inside(cnictl.toString(), "demo"));
    }

    private static String group(Pattern p, String text, int group) {
        Matcher m = p.matcher(text);
        assertTrue(m.find(), "no \"" + p + "\" in:\n" + text);
        return m.group(group);
    }

    /** Nothing of the run is left: its namespace, its bridge in the host, its directory. */
    private void assertGone(String id) {
        assertFalse(Files.exists(Path.of("/run/netns/jcni-demo-" + id)), "namespace of run " + id);
        assertFalse(host.linkExists("jcni-br-" + id), "bridge of run " + id);
        assertFalse(Files.exists(demoDir.resolve("run-" + id)), "directory of run " + id);
    }

    @Test
    void demoPassesAndShowsItsWork() {
        long start = System.nanoTime();
        Host.Out out = demo();
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        String t = out.text();
        assertEquals(0, out.code(), t);
        assertTrue(t.contains("demo passed"), t);
        assertTrue(t.matches("(?s).*GET http://127\\.0\\.0\\.1:\\d+/ -> 200.*"), t);
        assertTrue(t.matches("(?s).*GET http://" + Pattern.quote(PrivateHost.UPLINK_ADDRESS) + ":\\d+/ -> 200.*"),
                "the fetch through the host's own address: " + t);
        assertTrue(t.contains("ADD    bridge"), t);
        assertTrue(t.contains("DEL    tuning"), t);
        assertTrue(t.contains("no cache file"), t);
        assertTrue(t.contains("from the cache (the caller passed none)"), t);
        assertEquals("10.199.77.0/24", group(BRIDGE_AND_SUBNET, t, 2), "the shipped subnet, free on a fresh host");
        assertGone(group(RUN, t, 1));
        assertTrue(seconds < 60, "took " + seconds + " s");
    }

    @Test
    void twoDemosAtOnceOnOneHostBothPass() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Host.Out> a = pool.submit(this::demo);
            Future<Host.Out> b = pool.submit(this::demo);
            String ta = a.get().text();
            String tb = b.get().text();
            assertEquals(0, a.get().code(), ta);
            assertEquals(0, b.get().code(), tb);
            assertTrue(ta.contains("demo passed") && tb.contains("demo passed"), ta + tb);
            assertNotEquals(group(RUN, ta, 1), group(RUN, tb, 1));
            assertNotEquals(group(BRIDGE_AND_SUBNET, ta, 1), group(BRIDGE_AND_SUBNET, tb, 1), "bridges");
            assertNotEquals(group(HOST_PORT, ta, 1), group(HOST_PORT, tb, 1), "hostPorts");
            // The first to claim gets the shipped subnet; the other one, seeing the claim, the next.
            assertEquals(Set.of("10.199.77.0/24", "10.199.78.0/24"),
                    Set.of(group(BRIDGE_AND_SUBNET, ta, 2), group(BRIDGE_AND_SUBNET, tb, 2)), ta + tb);
            assertGone(group(RUN, ta, 1));
            assertGone(group(RUN, tb, 1));
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A plugin type for the killed-demo test: passes the result through, and on CHECK writes its
     * pid to {@code $JT_STALL_MARKER} and waits, so that the demo can be killed at a known point:
     * attached, cached, not yet torn down.
     */
    private static final String STALL = """
            #!/bin/sh
            case "$CNI_COMMAND" in
            VERSION) echo '{"cniVersion":"1.0.0","supportedVersions":["0.4.0","1.0.0"]}' ;;
            ADD) exec python3 -c 'import json,sys; c=json.load(sys.stdin); r=c["prevResult"]; r["cniVersion"]=c["cniVersion"]; print(json.dumps(r))' ;;
            CHECK) echo $$ > "$JT_STALL_MARKER.tmp" && mv "$JT_STALL_MARKER.tmp" "$JT_STALL_MARKER"; exec sleep 600 ;;
            esac
            """;

    /** A demo killed half-way leaves its attachment, namespace, bridge and rules, and a process inside; the next demo removes them. */
    @Test
    void theNextDemoCleansUpAfterAKilledOne() throws Exception {
        Path dir = work;
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        for (String type : List.of("bridge", "host-local", "portmap", "bandwidth", "tuning")) {
            Files.createSymbolicLink(plugins.resolve(type), Path.of("/usr/lib/cni", type));
        }
        Files.writeString(plugins.resolve("jt-stall"), STALL);
        Files.setPosixFilePermissions(plugins.resolve("jt-stall"), PosixFilePermissions.fromString("rwxr-xr-x"));
        ObjectNode conf = (ObjectNode) Json.parse(Files.readString(shippedConflist()));
        ((ArrayNode) conf.get("plugins")).addObject().put("type", "jt-stall");
        Path conflist = dir.resolve("stall.conflist");
        Files.writeString(conflist, Json.toString(conf));
        Path marker = dir.resolve("stalled");
        Path log = dir.resolve("demo.log");

        ProcessBuilder pb = new ProcessBuilder(host.inside(cnictl.toString(), "demo", "--conflist", conflist.toString(),
                "--system-plugins", plugins.toString())).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(demoEnv());
        pb.environment().put("JT_STALL_MARKER", marker.toString());
        Process killed = pb.start();
        try {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (!Files.exists(marker) && killed.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(Files.exists(marker), "the demo never got to CHECK:\n" + Files.readString(log));
        } finally {
            // SIGKILL: no finally block, no shutdown hook runs in the demo.
            killed.destroyForcibly();
            killed.waitFor(10, TimeUnit.SECONDS);
            if (Files.exists(marker)) {
                ProcessHandle.of(Long.parseLong(Files.readString(marker).trim())).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        String t = Files.readString(log);
        String id = group(RUN, t, 1);
        String bridge = group(BRIDGE_AND_SUBNET, t, 1);
        assertTrue(Files.exists(Path.of("/run/netns/jcni-demo-" + id)), "a killed demo leaves its namespace");
        assertTrue(host.linkExists(bridge), "and its bridge");
        String rules = host.firewall();
        assertTrue(rules.contains("jcni-demo-" + id), "and its firewall rules:\n" + rules + "\ndemo:\n" + t);
        assertTrue(Files.isDirectory(demoDir.resolve("run-" + id)), "and its directory");
        // What a killed demo's HTTP server would be: a process still in the sandbox, keeping it alive.
        Process inside = new ProcessBuilder("ip", "netns", "exec", "jcni-demo-" + id, "sleep", "600").start();

        Host.Out next = demo();
        inside.destroyForcibly();
        assertEquals(0, next.code(), next.text());
        assertTrue(next.text().contains("cleaning up after demo run " + id + ", whose process " + killed.pid() + " is gone"),
                next.text());
        assertTrue(next.text().contains("DEL of its attachment done"), next.text());
        assertGone(id);
        assertFalse(host.firewall().contains("jcni-demo-" + id), "rules of the killed run left");
        assertTrue(inside.waitFor(10, TimeUnit.SECONDS));
        assertEquals(137, inside.exitValue(), "the process in the killed run's namespace was killed by the sweep");
    }

    private Path shippedConflist() {
        Path file = cnictl.toAbsolutePath().getParent().getParent().resolve("deploy/demo/jcni-demo.conflist");
        assumeTrue(Files.isRegularFile(file), "skipped: no " + file);
        return file;
    }
}
