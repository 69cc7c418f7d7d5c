package dev.jcni.it.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.it.support.Cmd;
import dev.jcni.it.support.DaemonFaults;
import dev.jcni.it.support.JcnidProcess;
import dev.jcni.it.support.PluginRunner;
import dev.jcni.it.support.PrivateHost;
import dev.jcni.it.support.RequiresRoot;
import dev.jcni.it.support.TestNetns;
import dev.jcni.it.support.TestRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real daemon failing in the middle of a bridge ADD (with host-local and ipMasq), through the
 * real launcher, in a private host: jcnid SIGKILLs itself at an injected point
 * ({@code JCNI_DAEMON_TEST_FAULT} in its own environment) or hangs (SIGSTOP). The launcher must
 * answer ADD with CNI error 11 once the daemon accepted, run DEL in-process, and the runtime's DEL
 * plus a retried ADD must leave exactly one veth, one address, one lease and one masquerade rule,
 * and after the last DEL none.
 */
@RequiresRoot
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class DaemonFaultTest {
    private static final String SUBNET = "10.39.0";
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private PrivateHost host;
    private TestNetns sandbox;
    private DaemonFaults faults;
    private Path work;
    private String network;
    private String bridge;

    @BeforeEach
    void setUp() throws Exception {
        host = PrivateHost.create();
        sandbox = TestNetns.create();
        faults = DaemonFaults.create("daemon-fault-");
        cleanup.add(faults);
        work = faults.work();
        network = "df-" + sandbox.suffix();
        bridge = "jdf" + sandbox.suffix().substring(0, 8);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
        sandbox.close();
        host.close();
    }

    private JcnidProcess daemon(String fault) {
        return faults.daemon(fault);
    }

    private String conf(boolean ipMasq) {
        return "{\"cniVersion\":\"1.0.0\",\"name\":\"" + network + "\",\"type\":\"bridge\",\"bridge\":\"" + bridge
                + "\",\"isGateway\":true,\"ipMasq\":" + ipMasq + ",\"ipam\":{\"type\":\"host-local\",\"dataDir\":\"" + work.resolve("ipam")
                + "\",\"ranges\":[[{\"subnet\":\"" + SUBNET + ".0/24\"}]]}}";
    }

    /** bin/bridge, the native launcher, run by a runtime in the private host. */
    private PluginRunner.Run bridge(String verb, String container, Map<String, String> extra) throws Exception {
        Map<String, String> env = faults.env(verb, container, sandbox.path());
        env.putAll(extra);
        return host.exec(PluginRunner.ours("bridge"), env, conf(true));
    }

    private List<String> hostVeths() {
        List<String> names = new ArrayList<>();
        for (String line : host.run("ip", "-o", "link", "show", "type", "veth").orFail().split("\n")) {
            String name = line.replaceAll("^\\d+: ([^:@]+).*$", "$1").trim();
            if (!line.isBlank() && !name.startsWith("uplink")) {
                names.add(name);
            }
        }
        return names;
    }

    private List<String> leases() throws Exception {
        Path dir = work.resolve("ipam").resolve(network);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(SUBNET + ".")).sorted().toList();
        }
    }

    private long masqueradeRules() {
        String rules = host.run("nft", "list", "ruleset").orFail();
        return rules.lines().filter(l -> l.contains("masquerade") && l.contains("id: ")).count();
    }

    private long bridgeAddresses() {
        String addrs = host.run("ip", "-o", "-4", "addr", "show", "dev", bridge).stdout();
        return addrs.lines().filter(l -> l.contains(SUBNET + ".1/24")).count();
    }

    private void assertNothingLeft(String when) throws Exception {
        assertEquals(List.of(), hostVeths(), when + ": no veth in the host");
        assertFalse(sandbox.execResult("ip", "link", "show", "dev", "eth0").ok(), when + ": no eth0 in the sandbox");
        assertEquals(List.of(), leases(), when + ": no lease");
        assertEquals(0, masqueradeRules(), when + ": no masquerade rule:\n" + host.run("nft", "list", "ruleset").stdout());
    }

    /**
     * Exactly one of everything an ADD makes: one veth, one lease (the result's address; host-local
     * goes on after its last reservation, so a retry gets the next one), one masquerade rule, one
     * gateway address, the address once on eth0.
     */
    /** The runtime's retried ADD: served by {@code daemon}, one attachment; then its DEL leaves nothing. */
    private void assertRetryServedOnceThenDeleted(JcnidProcess daemon, String container, String why) throws Exception {
        assertExactlyOneAttachment(bridge("ADD", container, Map.of()));
        assertTrue(daemon.awaitLog("bridge ADD " + container + " exit 0").contains("bridge ADD " + container + " exit 0"), why);
        assertEquals(0, bridge("DEL", container, Map.of()).exitCode());
        assertNothingLeft("after the last DEL");
    }

    private void assertExactlyOneAttachment(PluginRunner.Run add) throws Exception {
        assertEquals(0, add.exitCode(), add.stdout() + add.stderr());
        String address = add.json().path("ips").path(0).path("address").asText();
        assertTrue(address.startsWith(SUBNET + ".") && address.endsWith("/24"), add.stdout());
        assertEquals(1, hostVeths().size(), "one veth: " + hostVeths());
        assertEquals(List.of(address.substring(0, address.indexOf('/'))), leases());
        assertEquals(1, masqueradeRules(), host.run("nft", "list", "ruleset").stdout());
        assertEquals(1, bridgeAddresses(), "one gateway address on the bridge");
        String eth0 = sandbox.ip("-o", "-4", "addr", "show", "dev", "eth0");
        assertEquals(1, eth0.lines().filter(l -> l.contains(" " + address + " ")).count(), eth0);
    }

    /** After ACCEPTED the daemon dies: ADD is 11; DEL (in-process, no daemon) cleans; a retried ADD attaches once. */
    @ParameterizedTest
    @ValueSource(strings = {"after-accept", "after:veth pair", "after:IPAM ADD", "after:masquerade"})
    void aDaemonKilledAfterAcceptingAnAddAnswersTryAgainAndLeavesNoDuplicate(String point) throws Exception {
        JcnidProcess d = daemon("kill:bridge:" + point);
        String container = "kill-" + sandbox.suffix();
        DaemonFaults.assertTryAgain(bridge("ADD", container, Map.of()));
        assertEquals(137, d.awaitExit(), "killed by its own SIGKILL:\n" + d.log());
        assertTrue(d.log().contains("TEST FAULT (JCNI_DAEMON_TEST_FAULT): SIGKILL to myself"), d.log());
        if (!point.equals("after-accept")) {
            assertTrue(d.log().contains("bridge " + point.replace(':', ' ')), d.log());
        }

        PluginRunner.Run del = bridge("DEL", container, Map.of());
        assertEquals(0, del.exitCode(), del.stdout() + del.stderr());
        assertNothingLeft("after the runtime's DEL");

        assertRetryServedOnceThenDeleted(daemon(null), container, "served by the new daemon");
    }

    /** Before ACCEPTED nothing ran: the launcher runs the ADD in-process, exactly once. */
    @Test
    void aDaemonKilledBeforeAcceptingLeavesTheAddToTheInProcessPath() throws Exception {
        JcnidProcess d = daemon("kill:bridge:before-accept");
        String container = "early-" + sandbox.suffix();
        assertExactlyOneAttachment(bridge("ADD", container, Map.of()));
        assertEquals(137, d.awaitExit(), d.log());
        assertFalse(d.log().contains("bridge ADD " + container + " exit"), "the daemon never ran it:\n" + d.log());
        assertEquals(0, bridge("DEL", container, Map.of()).exitCode());
        assertNothingLeft("after DEL");
    }

    /** A daemon that hangs after accepting: ADD hits the launcher's deadline (11); DEL runs in-process. */
    @Test
    void aHungDaemonMeetsTheLaunchersDeadline() throws Exception {
        JcnidProcess d = daemon("stop:bridge:after-accept");
        String container = "hung-" + sandbox.suffix();
        long start = System.nanoTime();
        PluginRunner.Run add = bridge("ADD", container, Map.of("JCNI_DAEMON_DEADLINE", "3"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        DaemonFaults.assertTryAgain(add);
        assertTrue(add.stdout().contains("no RESULT within 3 s"), add.stdout());
        assertTrue(millis >= 3000, "answered after the deadline, not before: " + millis + " ms");
        assertTrue(d.stopped(), "the daemon is still hung");

        PluginRunner.Run del = bridge("DEL", container, Map.of("JCNI_DAEMON_DEADLINE", "3"));
        assertEquals(0, del.exitCode(), del.stdout() + del.stderr());
        assertNothingLeft("after DEL beside a hung daemon");
        assertTrue(d.stopped(), "DEL ran in-process: the hung daemon never answered");
    }

    /**
     * Hung after ACCEPTED, continued after the launcher's deadline: the launcher answered 11, the
     * runtime's DEL ran in-process meanwhile, and jcnid must not start the ADD now (it would
     * attach what the DEL removed).
     */
    @Test
    void aDaemonContinuedAfterTheLaunchersDeadlineDoesNotStartTheAdd() throws Exception {
        JcnidProcess d = daemon("stop:bridge:after-accept");
        String container = "late-" + sandbox.suffix();
        PluginRunner.Run add = bridge("ADD", container, Map.of("JCNI_DAEMON_DEADLINE", "3"));
        DaemonFaults.assertTryAgain(add);
        assertTrue(add.stdout().contains("no RESULT within 3 s"), add.stdout());
        assertTrue(d.stopped(), "the daemon is still hung");
        PluginRunner.Run del = bridge("DEL", container, Map.of("JCNI_DAEMON_DEADLINE", "3"));
        assertEquals(0, del.exitCode(), del.stdout() + del.stderr());
        assertNothingLeft("after the runtime's DEL");

        d.signal("CONT");
        String log = d.awaitLog("abandoned, no RESULT");
        assertTrue(log.contains("bridge ADD " + container + " abandoned, no RESULT: not started: the launcher's deadline of 3 s "
                + "(JCNI_DAEMON_DEADLINE) minus 300 ms passed "), log);
        assertFalse(log.contains("bridge ADD " + container + " exit"), "the ADD never ran:\n" + log);
        Thread.sleep(500); // whatever a late ADD would do, it would do now
        assertNothingLeft("after the daemon continued");

        assertRetryServedOnceThenDeleted(d, container, "the continued daemon serves the retried ADD");
    }

    /**
     * Hung in the middle of an ADD (the veth pair made), continued after the launcher's deadline:
     * the next phase mark fails the ADD, bridge's undo removes the veth pair, no RESULT is sent.
     */
    @Test
    void aDaemonContinuedAfterTheDeadlineInTheMiddleOfAnAddUndoesIt() throws Exception {
        JcnidProcess d = daemon("stop:bridge:after:veth pair");
        String container = "mid-" + sandbox.suffix();
        PluginRunner.Run add = bridge("ADD", container, Map.of("JCNI_DAEMON_DEADLINE", "3"));
        DaemonFaults.assertTryAgain(add);
        assertTrue(d.stopped(), "the daemon is still hung");
        assertEquals(1, hostVeths().size(), "the hung ADD made its veth pair: " + hostVeths());

        DaemonFaults.continueAndAssertAbandoned(d, "bridge", container, "veth pair");
        assertNothingLeft("after the daemon continued");

        PluginRunner.Run del = bridge("DEL", container, Map.of());
        assertEquals(0, del.exitCode(), del.stdout() + del.stderr());
        assertNothingLeft("after the runtime's DEL");
    }

    /**
     * Hung before ACCEPTED and continued more than 4 s after the HELLO arrived: jcnid declines (3)
     * rather than accepting late, and the launcher runs the ADD in-process, exactly once.
     */
    @Test
    void aDaemonContinuedMoreThanFourSecondsAfterTheHelloDeclinesAndTheAddRunsOnceInProcess() throws Exception {
        JcnidProcess d = daemon("stop:bridge:before-accept");
        String container = "slow-" + sandbox.suffix();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<PluginRunner.Run> add = pool.submit(() -> bridge("ADD", container, Map.of("JCNI_LAUNCHER_DEBUG", "1")));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!d.stopped()) {
                assertFalse(add.isDone(), "ADD ended before the daemon reached it:\n" + d.log());
                assertTrue(System.nanoTime() < deadline, "the daemon never reached the request:\n" + d.log());
                Thread.sleep(5);
            }
            long stoppedAt = System.nanoTime();
            Thread.sleep(4300); // the HELLO arrived before the stop: more than 4 s ago, less than the launcher's 5 s
            d.signal("CONT");
            PluginRunner.Run r = add.get(120, TimeUnit.SECONDS);
            long millis = (System.nanoTime() - stoppedAt) / 1_000_000;
            assertExactlyOneAttachment(r);
            String log = d.awaitLog("declined (busy): too slow to accept");
            assertTrue(log.matches("(?s).*declined \\(busy\\): too slow to accept \\(4[0-9]{3} ms after the HELLO\\).*"), log);
            assertFalse(log.contains("bridge ADD " + container + " exit"), "the daemon never ran it:\n" + log);
            assertTrue(r.stderr().contains("DECLINED 3: too slow to accept"), "the launcher read the decline (" + millis + " ms):\n" + r.stderr());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, bridge("DEL", container, Map.of()).exitCode());
        assertNothingLeft("after DEL");
    }

    /**
     * The namespace's bind mount (/run/netns/x) is unmounted and removed after the launcher opened
     * it and before the daemon accepted: the request lands in that namespace all the same.
     */
    @Test
    void aNamespaceWhoseBindMountWentAwayAfterTheLauncherOpenedItStillGetsTheRequest() throws Exception {
        String name = "jcni-t-" + TestRun.current().nextId();
        TestRun.current().record(TestRun.NETNS, name, true);
        Cmd.check("ip", "netns", "add", name);
        String path = "/run/netns/" + name;
        Process holder = new ProcessBuilder("ip", "netns", "exec", name, "sleep", "600").start();
        cleanup.add(() -> {
            holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            Cmd.run(Cmd.DEFAULT_TIMEOUT, "ip", "netns", "del", name);
            TestRun.current().record(TestRun.NETNS, name, false);
        });
        String held = "/proc/" + holder.pid() + "/ns/net";
        awaitNamespace(held, path);

        JcnidProcess d = daemon("stop:bridge:before-accept");
        String container = "gone-" + sandbox.suffix();
        Map<String, String> env = faults.env("ADD", container, path);
        env.put("JCNI_LAUNCHER_DEBUG", "1");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<PluginRunner.Run> add = pool.submit(() -> host.exec(PluginRunner.ours("bridge"), env, conf(false)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!d.stopped()) {
                if (add.isDone()) {
                    PluginRunner.Run early = add.get();
                    throw new AssertionError("ADD ended before the daemon accepted it: exit " + early.exitCode() + " " + early.stdout()
                            + early.stderr() + "\n" + d.log());
                }
                assertTrue(System.nanoTime() < deadline, "the daemon never reached the request:\n" + d.log());
                Thread.sleep(5);
            }
            Cmd.check("umount", "--lazy", path); // MNT_DETACH, as `ip netns delete` does
            Files.delete(Path.of(path));
            d.signal("CONT");
            PluginRunner.Run r = add.get(120, TimeUnit.SECONDS);
            assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
            assertFalse(Files.exists(Path.of(path)));
            assertTrue(d.awaitLog("bridge ADD " + container + " exit 0").contains("bridge ADD " + container + " exit 0"),
                    "the daemon ran it");
            String eth0 = Cmd.check("nsenter", "--net=" + held, "ip", "-o", "-4", "addr", "show", "dev", "eth0");
            assertTrue(eth0.contains(r.json().path("ips").path(0).path("address").asText()), eth0);
        } finally {
            pool.shutdownNow();
        }
        PluginRunner.Run del = host.exec(PluginRunner.ours("bridge"), faults.env("DEL", container, held), conf(false));
        assertEquals(0, del.exitCode(), del.stdout() + del.stderr());
        assertEquals(List.of(), leases());
    }

    private static void awaitNamespace(String held, String path) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String want = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        while (true) {
            try {
                String inside = Files.readSymbolicLink(Path.of(held)).toString();
                if (!inside.equals(want)) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // the holder has not exec'd into the namespace yet
            }
            assertTrue(System.nanoTime() < deadline, "the holder never entered " + path);
            Thread.sleep(10);
        }
    }
}
