package dev.jcni.it.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.protocol.Json;
import dev.jcni.it.support.Cmd;
import dev.jcni.it.support.JcnidProcess;
import dev.jcni.it.support.PluginRunner;
import dev.jcni.it.support.RequiresRoot;
import dev.jcni.it.support.TestNetns;
import dev.jcni.it.support.TestRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Upgrade loops under load: 100 ADD/DEL pairs (host-local, 20 at a time) through the native
 * launchers of two installations of different builds, the real bin/ (A) and a test copy (B: the
 * same jars plus one more, so another identity, its launchers compiled with it by
 * deploy/install-launchers.sh), the pairs switching A → B → A. A supervisor plays systemd's
 * Restart: whenever jcnid exits it starts the daemon of the build the launchers now use. Each
 * switch makes the running daemon decline the other build's launcher (which runs in-process) and
 * drain; the next daemon serves. No request may be lost: every ADD answers a lease (or a clean
 * error 11), every DEL succeeds, every daemon exits 0, and no lease is left.
 */
@RequiresRoot
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class DaemonUpgradeTest {
    private static final int PAIRS = 100;
    private static final String SUBNET = "10.40.0";

    @Test
    void upgradeLoopsUnderOneHundredParallelAddDelPairsLoseNoRequest() throws Exception {
        Path work = Files.createTempDirectory(TestRun.current().scratch(), "upgrade-");
        Path a = PluginRunner.OUR_BIN;
        Path b = copyWithAnotherBuild(a, work.resolve("bin"));
        assertTrue(!identity(a).equals(identity(b)), "two builds: " + identity(a));
        Path daemonDir = JcnidProcess.newDirectory();
        String socket = daemonDir.resolve("run/jcnid.sock").toString();
        String network = "up-" + TestRun.current().nextId();
        String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"" + network + "\",\"ipam\":{\"type\":\"host-local\",\"dataDir\":\""
                + work.resolve("ipam") + "\",\"ranges\":[[{\"subnet\":\"" + SUBNET + ".0/24\"}]]}}";
        String stdin = conf;

        AtomicReference<Path> current = new AtomicReference<>(a);
        Set<Path> started = ConcurrentHashMap.newKeySet();
        List<String> logs = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean done = new AtomicBoolean();
        List<String> daemons = Collections.synchronizedList(new ArrayList<>());
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        Thread supervisor = new Thread(() -> {
            int n = 0;
            while (!done.get()) {
                Path install = current.get();
                JcnidProcess d;
                try {
                    d = JcnidProcess.start(install.resolve("jcnid"), daemonDir, "jcnid-" + n++, Map.of("JCNI_DAEMON_WORKERS", "32"));
                } catch (AssertionError e) {
                    if (e.getMessage() != null && e.getMessage().startsWith("jcnid exited with 0 before serving")) {
                        // Started for one build, and a launcher of the other came before its first status: drained at once.
                        daemons.add((install.equals(a) ? "A" : "B") + " drained before its first status");
                        started.add(install);
                        continue;
                    }
                    problems.add("a daemon did not start: " + e.getMessage());
                    return;
                }
                started.add(install);
                try {
                    while (d.process.isAlive() && !done.get()) {
                        d.process.waitFor(100, TimeUnit.MILLISECONDS);
                    }
                    if (d.process.isAlive()) {
                        d.terminate();
                    }
                    int code = d.awaitExit();
                    daemons.add((install.equals(a) ? "A" : "B") + " exit " + code);
                    if (code != 0) {
                        problems.add("a daemon exited " + code + ":\n" + d.log());
                    }
                    String log = d.log();
                    logs.add((install.equals(a) ? "A" : "B") + ":\n" + String.join("\n", log.lines()
                            .filter(l -> !l.contains(" exit 0 in ")).toList()));
                    served.addAndGet(log.lines().filter(l -> l.contains(" host-local ") && l.contains(" exit 0 in ")).count());
                } catch (InterruptedException e) {
                    d.close();
                    return;
                }
            }
        }, "jcnid supervisor");
        supervisor.start();

        try (TestNetns sandbox = TestNetns.create()) {
            ExecutorService pool = Executors.newFixedThreadPool(20);
            List<Future<String>> pairs = new ArrayList<>();
            for (int i = 0; i < PAIRS; i++) {
                int pair = i;
                Path install = i < PAIRS / 3 || i >= 2 * PAIRS / 3 ? a : b;
                boolean third = i >= 2 * PAIRS / 3;
                pairs.add(pool.submit(() -> {
                    if (third) {
                        // The switch back to A is only a switch if B's daemon got to serve: on a
                        // busy machine its start (no valid start-up cache for the copy) can take
                        // longer than the last third of the pairs, all then run in-process and
                        // nothing replaces B. Wait for it, bounded; the assertions below say if it never came.
                        awaitStarted(started, b);
                    }
                    current.set(install);
                    return pair(install, pair, sandbox.path(), socket, work, stdin);
                }));
            }
            List<String> answers = new ArrayList<>();
            for (Future<String> f : pairs) {
                answers.add(f.get(600, TimeUnit.SECONDS));
            }
            pool.shutdown();
            done.set(true);
            supervisor.join(TimeUnit.SECONDS.toMillis(120));
            assertEquals(List.of(), problems);
            long leased = answers.stream().filter(s -> s.startsWith("lease")).count();
            long tryAgain = answers.stream().filter(s -> s.equals("try again")).count();
            assertEquals(PAIRS, leased + tryAgain, "every ADD answered a lease or error 11: " + answers);
            assertTrue(daemons.size() >= 3, "the daemon was replaced at each switch of build: " + daemons + "\n" + String.join("\n", logs));
            assertTrue(served.get() > 0, "daemons served some of the pairs");
            try (Stream<Path> left = Files.list(work.resolve("ipam").resolve(network))) {
                assertEquals(List.of(), left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(SUBNET)).toList(),
                        "no lease left");
            }
        } finally {
            done.set(true);
            supervisor.join(TimeUnit.SECONDS.toMillis(120));
        }
    }

    /** Waits (at most two minutes) until a daemon of {@code install} has started. */
    private static void awaitStarted(Set<Path> started, Path install) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!started.contains(install) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private final java.util.concurrent.atomic.AtomicLong served = new java.util.concurrent.atomic.AtomicLong();

    /** One ADD then DEL through {@code install}'s launcher: "lease <address>" or "try again"; a lost DEL fails. */
    private static String pair(Path install, int i, String netns, String socket, Path work, String stdin) throws Exception {
        String container = "up-" + i;
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_CONTAINERID", container);
        env.put("CNI_NETNS", netns);
        env.put("CNI_IFNAME", "eth" + i);
        env.put("CNI_PATH", install.toString());
        env.put("JCNI_SOCKET", socket);
        // Whatever the suite's mode (JCNI_DAEMON=off in the in-process run): these launchers try the daemon.
        env.put("JCNI_DAEMON", "on");
        env.put("JCNI_LOCK_DIR", work.resolve("locks").toString());
        env.put("JCNI_STATE_ROOTS", PluginRunner.TEST_STATE_ROOTS);
        env.put("CNI_COMMAND", "ADD");
        PluginRunner.Run add = PluginRunner.exec(install.resolve("host-local"), env, stdin);
        String answer;
        if (add.exitCode() == 0) {
            JsonNode ip = add.json().path("ips").path(0).path("address");
            assertTrue(ip.asText().startsWith(SUBNET + "."), add.stdout());
            answer = "lease " + ip.asText();
        } else {
            assertEquals(1, add.exitCode(), add.stdout() + add.stderr());
            assertEquals(11, Json.parse(add.stdout()).path("code").asInt(), "only a clean try-again: " + add.stdout());
            answer = "try again";
        }
        env.put("CNI_COMMAND", "DEL");
        PluginRunner.Run del = PluginRunner.exec(install.resolve("host-local"), env, stdin);
        assertEquals(0, del.exitCode(), "DEL " + container + ": " + del.stdout() + del.stderr());
        return answer;
    }

    /** A copy of bin/ with one jar more in lib/ (a new build), its scripts and launchers pointing at the copy. */
    private static Path copyWithAnotherBuild(Path from, Path to) throws Exception {
        Cmd.check("cp", "-a", from.toString(), to.toString());
        try (ZipOutputStream jar = new ZipOutputStream(Files.newOutputStream(to.resolve("lib/zz-upgrade.jar")))) {
            jar.putNextEntry(new ZipEntry("upgrade.txt"));
            jar.write(("build " + TestRun.current().token()).getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        String oldLib = from.resolve("lib").toString();
        String newLib = to.resolve("lib").toString();
        List<Path> scripts = new ArrayList<>();
        scripts.add(to.resolve("jcnid"));
        try (Stream<Path> jvm = Files.list(to.resolve("lib/jvm"))) {
            jvm.forEach(scripts::add);
        }
        for (Path script : scripts) {
            Files.writeString(script, Files.readString(script).replace(oldLib + "/", newLib + "/"));
        }
        Path installer = from.getParent().resolve("deploy/install-launchers.sh");
        Cmd.Result r = Cmd.run(Duration.ofSeconds(300), "sh", installer.toString(), to.toString());
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        return to;
    }

    /** The identity the launchers of an installation carry (their ELF note). */
    private static String identity(Path install) throws Exception {
        byte[] head = Files.readAllBytes(install.resolve("host-local"));
        String text = new String(head, 0, Math.min(head.length, 4096), StandardCharsets.ISO_8859_1);
        int at = text.indexOf("JCNI-NATIVE-LAUNCHER-1 build=");
        assertTrue(at >= 0, install + "/host-local is no native launcher");
        return text.substring(at + "JCNI-NATIVE-LAUNCHER-1 build=".length(), at + "JCNI-NATIVE-LAUNCHER-1 build=".length() + 16);
    }
}
