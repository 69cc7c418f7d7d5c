package dev.jcni.it.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.os.process.ProcessRunner;
import dev.jcni.it.support.Cmd;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/daemon-protocol.md's failure table, the rows before ACCEPTED: whenever the daemon does not
 * take the request, the launcher execs its in-process path (here a {@link StandIn} recording what
 * it got) with the caller's environment untouched, and with the caller's stdin: untouched when the
 * launcher had not read it yet, else the very bytes it read.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LauncherBeforeAcceptTest {
    static final byte[] CONFIG = "{\"cniVersion\":\"1.0.0\",\"name\":\"l\",\"type\":\"tuning\",\"mtu\":1400}\n"
            .getBytes(StandardCharsets.UTF_8);
    static final int MAX_STDIN = (16 << 20) + 1;

    @TempDir
    Path dir;
    StandIn plugin;

    @BeforeEach
    void setUp() throws Exception {
        plugin = StandIn.create(dir, "tuning");
    }

    /** What a runtime passes, with the launcher pointed at {@code socket}. */
    static Map<String, String> env(String command, Path socket) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", "launcher-1");
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", "/opt/cni/bin");
        env.put("JCNI_SOCKET", socket.toString());
        env.put("JAVA_TOOL_OPTIONS", "-Dleak=1");
        env.put("LC_ALL", "C");
        return env;
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** The stand-in ran with exactly the caller's environment and this stdin, and its answer came back. */
    void assertInProcess(ProcessRunner.Outcome o, Map<String, String> env, byte[] stdin, String what) throws Exception {
        assertTrue(plugin.ran(), what + ": the in-process path did not run; stderr: " + new String(o.stderr(), StandardCharsets.UTF_8));
        assertEquals(StandIn.EXIT, o.exitCode(), what);
        assertEquals(StandIn.STDOUT, new String(o.stdout(), StandardCharsets.UTF_8), what);
        assertEquals(StandIn.STDERR, new String(o.stderr(), StandardCharsets.UTF_8), what);
        assertEquals(env, plugin.env(), what + ": the environment reached the in-process path untouched");
        byte[] got = plugin.stdin();
        assertEquals(stdin.length, got.length, what + ": stdin length");
        assertArrayEquals(stdin, got, what + ": stdin");
    }

    @Test
    void noSocketStaleSocketAndSwitchedOffRunInProcessWithoutReadingStdin() throws Exception {
        Map<String, String> env = env("ADD", dir.resolve("absent.sock"));
        assertInProcess(plugin.run(env, CONFIG), env, CONFIG, "no socket file");

        try (FakeJcnid stale = FakeJcnid.start(dir.resolve("stale"), "stale")) {
            env = env("ADD", stale.socket());
            assertTrue(Files.exists(stale.socket()), "the stale socket file is there");
            assertInProcess(plugin.run(env, CONFIG), env, CONFIG, "a socket file nobody listens on");
        }

        try (FakeJcnid daemon = FakeJcnid.start(dir.resolve("live"), "result", "--exit", "0")) {
            env = env("ADD", daemon.socket());
            env.put("JCNI_DAEMON", "off");
            assertInProcess(plugin.run(env, CONFIG), env, CONFIG, "JCNI_DAEMON=off");
            assertEquals(List.of(), daemon.requests(), "JCNI_DAEMON=off never contacts the daemon");
            env.put("JCNI_DAEMON", "on");
            ProcessRunner.Outcome served = plugin.run(env, CONFIG);
            assertFalse(plugin.ran(), "any other value tries the daemon");
            assertEquals(0, served.exitCode());
            assertEquals(1, daemon.requests().size());
        }

        // 108 bytes: one more than sun_path holds.
        Path longPath = dir.resolve("x".repeat(Math.max(1, 108 - dir.toString().length() - 1)));
        assertEquals(108, longPath.toString().length());
        env = env("ADD", longPath);
        assertInProcess(plugin.run(env, CONFIG), env, CONFIG, "a socket path longer than 107 bytes");
    }

    @Test
    void aNamespaceThatIsNoNamespaceRunsInProcessWithoutContactingTheDaemon() throws Exception {
        Path fifo = dir.resolve("fifo");
        Cmd.check("mkfifo", fifo.toString());
        Path regular = Files.writeString(dir.resolve("regular"), "not a namespace\n");
        try (FakeJcnid daemon = FakeJcnid.start(dir.resolve("d"), "result", "--exit", "0")) {
            for (String netns : List.of(fifo.toString(), regular.toString(), dir.toString(), "/dev/null", "/run/netns/absent-" + dir.getFileName(),
                    "/proc/self/ns/mnt")) {
                Map<String, String> env = env("ADD", daemon.socket());
                env.put("CNI_NETNS", netns);
                long start = System.nanoTime();
                assertInProcess(plugin.run(env, CONFIG), env, CONFIG, "CNI_NETNS " + netns);
                assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 10, netns + ": took too long");
            }
            assertEquals(List.of(), daemon.requests(), "the daemon was never contacted");
        }
    }

    @Test
    void everyDeclineRunsInProcessWithTheBytesRead() throws Exception {
        try (FakeJcnid daemon = FakeJcnid.start(dir, "decline", "--reason", "1", "--message", "version")) {
            Map<String, String> env = env("ADD", daemon.socket());
            assertInProcess(plugin.run(env, CONFIG), env, CONFIG, "DECLINED 1");
            assertArrayEquals(CONFIG, daemon.stdin(1), "the daemon got the stdin the in-process path got");
        }
        for (int reason = 2; reason <= 7; reason++) {
            try (FakeJcnid daemon = FakeJcnid.start(dir.resolve("reason-" + reason), "decline", "--reason", String.valueOf(reason), "--message", "no " + reason)) {
                Map<String, String> env = env(reason % 2 == 0 ? "DEL" : "ADD", daemon.socket());
                byte[] stdin = random(1000 * reason, reason);
                assertInProcess(plugin.run(env, stdin), env, stdin, "DECLINED " + reason);
                assertEquals(1, daemon.requests().size());
            }
        }
    }

    @Test
    void emptyAndLargestStdinReachTheInProcessPathIntact() throws Exception {
        try (FakeJcnid daemon = FakeJcnid.start(dir, "decline", "--reason", "3", "--message", "busy")) {
            Map<String, String> env = env("ADD", daemon.socket());
            assertInProcess(plugin.run(env, new byte[0]), env, new byte[0], "empty stdin");
            JsonNode empty = daemon.requests().get(0);
            assertEquals(0, empty.path("stdinLength").asLong());
            assertEquals(0, empty.path("stdinChunks").size(), "no STDIN message for empty stdin");

            byte[] largest = random(MAX_STDIN, 16);
            assertInProcess(plugin.run(env, largest), env, largest, "16 MiB + 1 bytes");
            JsonNode big = daemon.requests().get(1);
            assertEquals(MAX_STDIN, big.path("stdinLength").asLong());
            assertEquals(2, big.path("flags").asInt() & 2, "flag bit 1: the launcher stopped at the bound");
            assertArrayEquals(largest, daemon.stdin(2));
            long sum = 0;
            for (JsonNode chunk : big.path("stdinChunks")) {
                assertTrue(chunk.asInt() > 0 && chunk.asInt() <= 65536, "chunk of " + chunk);
                sum += chunk.asLong();
            }
            assertEquals(MAX_STDIN, sum);

            byte[] bound = random(16 << 20, 17);
            assertInProcess(plugin.run(env, bound), env, bound, "16 MiB");
            assertEquals(0, daemon.requests().get(2).path("flags").asInt() & 2, "16 MiB is within the bound");

            // More than the bound: the launcher reads no further, and the in-process path gets
            // what it read, which its own bound (16 MiB + 1) refuses the same way.
            byte[] more = random(MAX_STDIN + 4096, 18);
            ProcessRunner.Outcome o = plugin.run(env, more);
            assertInProcess(o, env, Arrays.copyOf(more, MAX_STDIN), "more than 16 MiB + 1");
            assertEquals(2, daemon.requests().get(3).path("flags").asInt() & 2);
        }
    }

    @Test
    void aDaemonThatNeverAnswersIsGivenUpAfterFiveSeconds() throws Exception {
        try (FakeJcnid daemon = FakeJcnid.start(dir, "silent")) {
            Map<String, String> env = env("ADD", daemon.socket());
            long start = System.nanoTime();
            ProcessRunner.Outcome o = plugin.run(env, CONFIG);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertInProcess(o, env, CONFIG, "no answer to HELLO");
            assertTrue(ms >= 4900 && ms < 30_000, "gave up after " + ms + " ms");
            assertEquals(1, daemon.requests().size());
        }
    }

    @Test
    void aMalformedAnswerOrADaemonClosingMidRequestRunsInProcess() throws Exception {
        try (FakeJcnid daemon = FakeJcnid.start(dir, "bad-magic")) {
            Map<String, String> env = env("ADD", daemon.socket());
            assertInProcess(plugin.run(env, CONFIG), env, CONFIG, "an answer with another magic");
        }
        // The daemon reads HELLO and closes while the launcher still sends 8 MiB of stdin: the
        // send fails (EPIPE or ECONNREFUSED), and the launcher runs the request in-process.
        try (FakeJcnid daemon = FakeJcnid.start(dir.resolve("closing"), "close-after-hello")) {
            Map<String, String> env = env("ADD", daemon.socket());
            byte[] stdin = random(8 << 20, 8);
            assertInProcess(plugin.run(env, stdin), env, stdin, "the daemon closed while stdin was being sent");
        }
    }

    @Test
    void aFullBacklogIsGivenUpAfterOneSecond() throws Exception {
        try (FakeJcnid daemon = FakeJcnid.start(dir, "full-backlog")) {
            Map<String, String> env = env("ADD", daemon.socket());
            long start = System.nanoTime();
            ProcessRunner.Outcome o = plugin.run(env, CONFIG);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertInProcess(o, env, CONFIG, "a listen backlog that stays full");
            assertTrue(ms >= 950 && ms < 20_000, "gave up after " + ms + " ms");
        }
    }

    @Test
    void aRequestThatCannotBeSentRunsInProcessWithoutContactingTheDaemon() throws Exception {
        try (FakeJcnid daemon = FakeJcnid.start(dir, "result", "--exit", "0")) {
            Map<String, String> big = env("ADD", daemon.socket());
            for (int i = 0; i < 700; i++) {
                big.put("BIG_" + i, "v".repeat(90)); // about 70 KB: more than one message
            }
            assertInProcess(plugin.run(big, CONFIG), big, CONFIG, "an environment larger than a message");

            Map<String, String> many = env("ADD", daemon.socket());
            for (int i = 0; i < 4100; i++) {
                many.put("E" + i, "");
            }
            assertInProcess(plugin.run(many, CONFIG), many, CONFIG, "more than 4096 environment entries");
            assertEquals(List.of(), daemon.requests());

            // Bytes that are no UTF-8 cannot be a protocol string (a Java daemon would decode
            // them differently from the JVM's own environment): in-process.
            Map<String, String> env = env("ADD", daemon.socket());
            env.put("PATH", "/usr/bin:/bin");
            plugin.forget();
            ProcessRunner.Outcome o = new ProcessRunner().run(List.of("/bin/sh", "-c",
                    "NOT_UTF8=$(printf 'caf\\351') exec '" + plugin.launcher() + "'"), env, CONFIG, Duration.ofSeconds(60));
            assertEquals(StandIn.EXIT, o.exitCode(), new String(o.stderr(), StandardCharsets.UTF_8));
            assertTrue(plugin.ran());
            assertArrayEquals(CONFIG, plugin.stdin());
            assertEquals(List.of(), daemon.requests(), "nothing was sent");
        }
    }
}
