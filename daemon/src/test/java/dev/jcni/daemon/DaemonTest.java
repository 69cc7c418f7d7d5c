package dev.jcni.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.daemon.DaemonClient;
import dev.jcni.core.daemon.ProtocolException;
import dev.jcni.core.daemon.Hello;
import dev.jcni.core.daemon.Wire;
import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.socket.Descriptor;
import dev.jcni.core.os.socket.SeqpacketSocket;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.skel.Log;
import dev.jcni.core.skel.PluginMain;
import dev.jcni.core.skel.Skel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * jcnid in this JVM, over its real socket, with a scripted plugin: what it answers, what it
 * declines and why, how it drains. The caller is this process (its own namespace, so no setns
 * and no root needed); the root integration tests run the real plugins from other namespaces.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DaemonTest {
    private static final String CONFIG = "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"scripted\",\"do\":\"%s\"}";
    /** A path that exists nowhere: only the passed descriptor can answer for it. */
    private static final String NOWHERE = "/nonexistent/jcnid-test/sandbox";

    @TempDir
    Path tmp;
    private DaemonHarness d;

    @BeforeEach
    void start() throws Exception {
        d = new DaemonHarness(tmp, 4);
    }

    @AfterEach
    void stop() throws Exception {
        d.close();
    }

    private static String config(String what) {
        return String.format(CONFIG, what);
    }

    private static Map<String, String> addEnv(String netns) {
        Map<String, String> env = DaemonHarness.env("ADD");
        env.put("CNI_NETNS", netns);
        env.put("CNI_NETNS_OVERRIDE", "1"); // the test's sandbox is its own namespace
        return env;
    }

    @Test
    void anAddIsAnsweredByteForByteAsThePluginProcessAnswersIt() throws Exception {
        Map<String, String> env = addEnv("/proc/self/ns/net");
        env.put("JCNI_CALLER_LC_ALL", "unset");
        env.put("LC_ALL", "C.UTF-8");
        DaemonClient.Answer a = d.request("scripted", env, config("log"), "/proc/self/ns/net");
        assertTrue(a.accepted());

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Skel.Outcome direct;
        try (Log.Capture c = Log.capture(new PrintStream(err, true, StandardCharsets.UTF_8))) {
            direct = PluginMain.handle("scripted", new ScriptedPlugin(), env,
                    new ByteArrayInputStream(config("log").getBytes(StandardCharsets.UTF_8)));
        }
        assertEquals(0, a.exitCode());
        assertEquals(direct.exitCode(), a.exitCode());
        assertArrayEquals(direct.stdout(), a.stdout());
        assertArrayEquals(err.toByteArray(), a.stderr());
        assertEquals("10.9.0.5/24", Json.parse(a.stdout()).path("ips").path(0).path("address").asText());
        assertEquals("scripted: WARN [ADD ctr-1/eth0] logged for ctr-1\n", new String(a.stderr(), StandardCharsets.UTF_8));
    }

    @Test
    void theRequestsLogLinesAndASummaryGoToTheDaemonsLog() throws Exception {
        d.request("scripted", addEnv(NOWHERE), config("log"), "/proc/self/ns/net");
        String log = d.logMatching("(?s).*jcnid: #\\d+ scripted ADD ctr-1 exit 0 in [0-9.]+ ms\n.*");
        assertTrue(log.matches("(?s).*jcnid: #\\d+ \\| scripted: WARN \\[ADD ctr-1/eth0\\] logged for ctr-1\n.*"), log);
    }

    @Test
    void cniNetnsResolvesToThePassedDescriptorNeverToThePath() throws Exception {
        DaemonClient.Answer a = d.request("scripted", addEnv(NOWHERE), config("netns"), "/proc/self/ns/net");
        String err = new String(a.stderr(), StandardCharsets.UTF_8);
        assertEquals(0, a.exitCode(), err + new String(a.stdout(), StandardCharsets.UTF_8));
        assertTrue(err.contains("opened " + NOWHERE + " as " + NOWHERE), err);
    }

    @Test
    void delWithoutANamespaceNeedsNoSandboxDescriptor() throws Exception {
        DaemonClient.Answer a = d.request("scripted", DaemonHarness.env("DEL"), config(""), null);
        assertEquals(0, a.exitCode(), new String(a.stdout(), StandardCharsets.UTF_8));
        assertEquals(0, a.stdout().length);
    }

    @Test
    void equalsSignsInValuesAndRepeatedNamesReadAsTheJvmReadsThem() throws Exception {
        List<String> env = DaemonHarness.entries(DaemonHarness.env("DEL"));
        env.add(0, "CNI_ARGS=K=a=b;IgnoreUnknown=1");
        env.add("CNI_ARGS=K=second");          // later duplicate: ignored, as System.getenv ignores it
        env.add("JCNI_MARK=x=y");
        env.add("NO_EQUALS_SIGN");
        DaemonClient.Answer a = d.request(DaemonHarness.BUILD, "scripted", env, config("args").getBytes(StandardCharsets.UTF_8), null);
        assertEquals("scripted: WARN [DEL ctr-1/eth0] K is a=b, JCNI_MARK is x=y\n", new String(a.stderr(), StandardCharsets.UTF_8));
    }

    @Test
    void aPluginErrorIsItsExitCodeAndJson() throws Exception {
        DaemonClient.Answer a = d.request("scripted", DaemonHarness.env("DEL"), config("fail"), null);
        assertTrue(a.accepted());
        assertEquals(1, a.exitCode());
        assertEquals(7, Json.parse(a.stdout()).path("code").asInt());
    }

    @Test
    void stdinOverSixteenMebibytesGetsThePluginProcesssOwnError() throws Exception {
        byte[] huge = new byte[16 * 1024 * 1024 + 1];
        java.util.Arrays.fill(huge, (byte) ' ');
        List<Descriptor> pass = List.of(Descriptor.openReadOnly("/proc/self/ns/net"));
        Hello hello = new Hello(Wire.KIND_PLUGIN, DaemonHarness.BUILD, "scripted", List.of("scripted"),
                DaemonHarness.entries(DaemonHarness.env("DEL")), Wire.FLAG_STDIN_TRUNCATED, huge.length);
        DaemonClient.Answer a;
        try {
            a = DaemonClient.request(d.socket, hello, pass, huge, DaemonHarness.WAIT);
        } finally {
            pass.get(0).close();
        }
        assertEquals(1, a.exitCode());
        JsonNode e = Json.parse(a.stdout());
        assertEquals(6, e.path("code").asInt());
        assertEquals("network config on stdin is too large", e.path("msg").asText());
    }

    @Test
    void theDaemonFailureVariableIsAnsweredWithCode11AsInProcess() throws Exception {
        Map<String, String> env = DaemonHarness.env("DEL");
        env.put(PluginMain.DAEMON_FAILURE, "test");
        DaemonClient.Answer a = d.request("scripted", env, config(""), null);
        assertEquals(11, Json.parse(a.stdout()).path("code").asInt());
    }

    @Test
    void declinesBeforeAcceptingAndChangesNothing() throws Exception {
        Map<String, String> withNetns = addEnv(NOWHERE);
        assertDeclined(Wire.DECLINED_MALFORMED, d.request("scripted", withNetns, config(""), null));
        Path file = Files.writeString(tmp.resolve("not-a-namespace"), "x");
        assertDeclined(Wire.DECLINED_MALFORMED, d.request("scripted", withNetns, config(""), file.toString()));
        assertDeclined(Wire.DECLINED_MALFORMED, d.request("scripted", DaemonHarness.env("DEL"), config(""), "/proc/self/ns/net"));
        assertDeclined(Wire.DECLINED_UNKNOWN_PLUGIN, d.request("bridge", DaemonHarness.env("DEL"), config(""), null));
        assertDeclined(Wire.DECLINED_MALFORMED, d.request("not-hex-build!!!", "scripted", List.of("CNI_COMMAND=DEL"), new byte[0], null));
        assertEquals(0, d.daemon.stats.total());
        assertFalse(d.daemon.drain.draining(), "a malformed build is no reason to drain");
    }

    @Test
    void garbageAndBadVersionsAreDeclinedWithTheirReasons() throws Exception {
        assertDeclined(Wire.DECLINED_MALFORMED, raw(HexFormat.of().parseHex("deadbeef00"), 0));
        byte[] v2 = new Hello(Wire.KIND_PLUGIN, DaemonHarness.BUILD, "scripted", List.of(), List.of(), 0, 0).encode();
        v2[5] = 2;
        assertDeclined(Wire.DECLINED_VERSION, raw(v2, 1));
        byte[] good = new Hello(Wire.KIND_PLUGIN, DaemonHarness.BUILD, "scripted", List.of(), List.of("CNI_COMMAND=VERSION"), 0, 0).encode();
        assertDeclined(Wire.DECLINED_MALFORMED, raw(good, 3));
        assertDeclined(Wire.DECLINED_MALFORMED, raw(good, 0));
        assertTrue(d.log().contains("declined (malformed request)"), d.log());
        // The daemon is still serving.
        assertEquals(0, d.request("scripted", DaemonHarness.env("DEL"), config(""), null).exitCode());
    }

    @Test
    void stdinLongerThanAnnouncedIsMalformed() throws Exception {
        byte[] hello = new Hello(Wire.KIND_PLUGIN, DaemonHarness.BUILD, "scripted", List.of(),
                DaemonHarness.entries(DaemonHarness.env("DEL")), 0, 4).encode();
        try (SeqpacketSocket s = SeqpacketSocket.connect(d.socket); Descriptor own = Descriptor.openReadOnly("/proc/self/ns/net")) {
            s.receiveTimeout(DaemonHarness.WAIT);
            s.send(hello, hello.length, List.of(own));
            s.send("{\"too\":\"long\"}".getBytes(StandardCharsets.UTF_8));
            assertDeclined(Wire.DECLINED_MALFORMED, DaemonClient.readAnswer(s));
        }
    }

    @Test
    void aRequestWhoseStdinNeverComesIsDeclinedAfterTheReadDeadline() throws Exception {
        byte[] hello = new Hello(Wire.KIND_PLUGIN, DaemonHarness.BUILD, "scripted", List.of(),
                DaemonHarness.entries(DaemonHarness.env("DEL")), 0, 10).encode();
        try (SeqpacketSocket s = SeqpacketSocket.connect(d.socket); Descriptor own = Descriptor.openReadOnly("/proc/self/ns/net")) {
            s.receiveTimeout(DaemonHarness.WAIT);
            s.send(hello, hello.length, List.of(own));
            long start = System.nanoTime();
            DaemonClient.Answer a = DaemonClient.readAnswer(s);
            long waited = (System.nanoTime() - start) / 1_000_000;
            assertDeclined(Wire.DECLINED_MALFORMED, a);
            assertTrue(a.message().contains("no STDIN in time"), a.message());
            assertTrue(waited >= 4_500, "declined after " + waited + " ms");
        }
    }

    @Test
    void aRequestWhoseDeadlinePassedBeforeItCouldBeAcceptedIsDeclinedBusy() throws Exception {
        Map<String, String> env = DaemonHarness.env("DEL");
        env.put("JCNI_DAEMON_DEADLINE", "1"); // given up 0.9 s after the HELLO
        byte[] stdin = config("").getBytes(StandardCharsets.UTF_8);
        byte[] hello = new Hello(Wire.KIND_PLUGIN, DaemonHarness.BUILD, "scripted", List.of(), DaemonHarness.entries(env), 0, stdin.length)
                .encode();
        try (SeqpacketSocket s = SeqpacketSocket.connect(d.socket); Descriptor own = Descriptor.openReadOnly("/proc/self/ns/net")) {
            s.receiveTimeout(DaemonHarness.WAIT);
            s.send(hello, hello.length, List.of(own));
            Thread.sleep(1200); // stdin late: the request is complete only after its deadline
            s.send(stdin);
            DaemonClient.Answer a = DaemonClient.readAnswer(s);
            assertDeclined(Wire.DECLINED_BUSY, a);
            assertTrue(a.message().startsWith("too slow to accept: the launcher's deadline of 1 s (JCNI_DAEMON_DEADLINE) minus 100 ms passed 1."),
                    a.message());
        }
        assertFalse(d.log().contains("scripted DEL ctr-1 exit"), d.log());
    }

    @Test
    void noFreeWorkerIsBusyAndTheRunningRequestStillFinishes() throws Exception {
        d.close();
        d = new DaemonHarness(tmp.resolve("one"), 1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<DaemonClient.Answer> blocked = pool.submit(() -> d.request("scripted", DaemonHarness.env("DEL"), config("block"), null));
            assertTrue(ScriptedPlugin.ENTERED.tryAcquire(20, TimeUnit.SECONDS));
            assertDeclined(Wire.DECLINED_BUSY, d.request("scripted", DaemonHarness.env("DEL"), config(""), null));
            ScriptedPlugin.GATE.release();
            assertEquals(0, blocked.get(20, TimeUnit.SECONDS).exitCode());
            assertEquals(0, d.request("scripted", DaemonHarness.env("DEL"), config(""), null).exitCode(), "the worker is free again");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLauncherOfAnotherBuildIsDeclinedAndTheDaemonDrainsAndReturns() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<DaemonClient.Answer> inFlight = pool.submit(() -> d.request("scripted", DaemonHarness.env("DEL"), config("block"), null));
            assertTrue(ScriptedPlugin.ENTERED.tryAcquire(20, TimeUnit.SECONDS));
            DaemonClient.Answer other = d.request("fedcba9876543210", "scripted", List.of("CNI_COMMAND=VERSION"), new byte[0], null);
            assertDeclined(Wire.DECLINED_BUILD, other);
            assertTrue(d.daemon.drain.draining());
            // New launchers find no socket (they run in-process at once) ...
            waitForNoSocket();
            // ... and the accepted request is finished before the daemon returns.
            ScriptedPlugin.GATE.release();
            DaemonClient.Answer finished = inFlight.get(20, TimeUnit.SECONDS);
            assertTrue(finished.accepted());
            assertEquals(0, finished.exitCode());
            d.awaitExit();
            assertTrue(d.log().contains("drained (a launcher of build fedcba9876543210 asked"), d.log());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void statusReportsWhoWhatAndHowFastAndStopDrains() throws Exception {
        for (int i = 0; i < 3; i++) {
            d.request("scripted", DaemonHarness.env("DEL"), config(""), null);
        }
        d.request("scripted", DaemonHarness.env("DEL"), config("fail"), null);
        // Counted once the reply is written, just after the caller has it.
        d.logMatching("(?s)(.*scripted DEL ctr-1 exit [01] in ){4}.*");
        DaemonClient.Answer s = DaemonClient.control(d.socket, "status", "", DaemonHarness.WAIT);
        assertTrue(s.accepted());
        JsonNode status = Json.parse(s.stdout());
        assertEquals(ProcessHandle.current().pid(), status.path("pid").asLong());
        assertEquals(DaemonHarness.BUILD, status.path("build").asText());
        assertEquals(4, status.path("requests").path("byPlugin").path("scripted").path("DEL").asLong());
        assertEquals(4, status.path("latencyMillis").path("samples").asInt());
        assertTrue(status.path("latencyMillis").path("p99").asDouble() >= status.path("latencyMillis").path("p50").asDouble());
        assertEquals(1, status.path("errors").path("nonZeroExit").asLong());
        assertEquals(4, status.path("workers").path("size").asInt());
        assertFalse(status.path("draining").asBoolean());

        DaemonClient.Answer stop = DaemonClient.control(d.socket, "stop", "", DaemonHarness.WAIT);
        assertEquals("{\"stopping\":true}\n", new String(stop.stdout(), StandardCharsets.UTF_8));
        d.awaitExit();
        assertFalse(Files.exists(Path.of(d.socket)), "the socket file it made is removed");
        assertThrows(OsException.class, () -> SeqpacketSocket.connect(d.socket));
    }

    @Test
    void aRequestStillRunningPastTheLaunchersDeadlineFailsAtItsNextPhaseAndGetsNoResult() throws Exception {
        Map<String, String> env = DaemonHarness.env("DEL");
        env.put("JCNI_DAEMON_DEADLINE", "1"); // given up 0.9 s after the HELLO
        String slow = "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"scripted\",\"do\":\"slow\",\"millis\":1300}";
        ProtocolException e = assertThrows(ProtocolException.class, () -> d.request("scripted", env, slow, null));
        assertEquals("the daemon closed the connection", e.getMessage(), "ACCEPTED, then no RESULT");
        String log = d.logMatching("(?s).*abandoned, no RESULT.*");
        assertTrue(log.matches("(?s).*jcnid: #\\d+ \\| scripted: WARN \\[DEL ctr-1/eth0\\] undo: jcnid gave the request up at \"slept\": "
                + "the launcher's deadline of 1 s \\(JCNI_DAEMON_DEADLINE\\) minus 100 ms passed 1\\.\\d s after the HELLO\n.*"), log);
        assertTrue(log.matches("(?s).*jcnid: WARN #\\d+ scripted DEL ctr-1 abandoned, no RESULT: failed at \"slept\" \\(its undo ran, exit 1\\): "
                + "the launcher's deadline of 1 s .*"), log);
        assertFalse(log.contains("scripted DEL ctr-1 exit"), "not counted as served:\n" + log);
        JsonNode status = Json.parse(DaemonClient.control(d.socket, "status", "", DaemonHarness.WAIT).stdout());
        assertEquals(1, status.path("errors").path("abandoned").asLong());
        assertEquals(0, status.path("requests").path("total").asLong());

        // Within its deadline the same request is answered as ever.
        env.put("JCNI_DAEMON_DEADLINE", "5");
        DaemonClient.Answer a = d.request("scripted", env, slow, null);
        assertEquals(0, a.exitCode(), new String(a.stderr(), StandardCharsets.UTF_8));
        assertEquals(0, a.stdout().length);
        d.logMatching("(?s).*scripted DEL ctr-1 exit 0 in .*");
    }

    @Test
    void anUnknownControlVerbIsDeclined() throws Exception {
        assertDeclined(Wire.DECLINED_UNKNOWN_PLUGIN, DaemonClient.control(d.socket, "reboot", "", DaemonHarness.WAIT));
    }

    @Test
    void twentyConcurrentRequestsAreAllAnsweredWhileStopping() throws Exception {
        d.close();
        d = new DaemonHarness(tmp.resolve("many"), 20);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<DaemonClient.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                // One attachment each: requests for the same attachment wait for its lock.
                Map<String, String> env = DaemonHarness.env("DEL", "ctr-" + i);
                answers.add(pool.submit(() -> d.request("scripted", env, config("block"), null)));
            }
            assertTrue(ScriptedPlugin.ENTERED.tryAcquire(20, 30, TimeUnit.SECONDS), "all 20 running");
            d.daemon.stop("test stop with 20 in flight");
            ScriptedPlugin.GATE.release(20);
            for (Future<DaemonClient.Answer> f : answers) {
                DaemonClient.Answer a = f.get(30, TimeUnit.SECONDS);
                assertTrue(a.accepted());
                assertEquals(0, a.exitCode());
            }
            d.awaitExit();
            assertEquals(20, d.daemon.stats.total());
        } finally {
            pool.shutdownNow();
        }
    }

    private void waitForNoSocket() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Files.exists(Path.of(d.socket))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the socket file is still there");
            }
            Thread.sleep(20);
        }
        OsException e = assertThrows(OsException.class, () -> SeqpacketSocket.connect(d.socket));
        assertEquals(Errno.ENOENT, e.errno());
    }

    /** Sends {@code hello} with {@code descriptors} copies of our namespace descriptor, and reads the answer. */
    private DaemonClient.Answer raw(byte[] hello, int descriptors) throws Exception {
        List<Descriptor> pass = new ArrayList<>();
        try (SeqpacketSocket s = SeqpacketSocket.connect(d.socket)) {
            for (int i = 0; i < descriptors; i++) {
                pass.add(Descriptor.openReadOnly("/proc/self/ns/net"));
            }
            s.receiveTimeout(DaemonHarness.WAIT);
            s.send(hello, hello.length, pass);
            return DaemonClient.readAnswer(s);
        } finally {
            for (Descriptor x : pass) {
                x.close();
            }
        }
    }

    private static void assertDeclined(int reason, DaemonClient.Answer a) {
        assertFalse(a.accepted(), "accepted, expected declined " + Wire.reasonName(reason));
        assertEquals(reason, a.reason(), a.message());
    }

}
