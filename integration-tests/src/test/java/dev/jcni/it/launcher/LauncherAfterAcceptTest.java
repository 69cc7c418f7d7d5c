package dev.jcni.it.launcher;

import static dev.jcni.it.launcher.LauncherBeforeAcceptTest.CONFIG;
import static dev.jcni.it.launcher.LauncherBeforeAcceptTest.env;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.os.process.ProcessRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/daemon-protocol.md's failure table, the row after ACCEPTED: the daemon may have changed
 * state, so the launcher never silently runs a verb twice. DEL, GC, STATUS and VERSION (which may
 * run twice) re-run in-process with the bytes read; ADD, CHECK and any other verb exec the
 * in-process path with JCNI_DAEMON_FAILURE=<why> added, from which the Java side answers CNI
 * error 11. The in-process path here is a {@link StandIn}, so the test sees exactly what it was
 * given; nothing the daemon sent before failing reaches stdout.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LauncherAfterAcceptTest {
    static final String FAILURE = "JCNI_DAEMON_FAILURE";

    @TempDir
    Path dir;
    StandIn plugin;

    @BeforeEach
    void setUp() throws Exception {
        plugin = StandIn.create(dir, "tuning");
    }

    /** Ran in-process with stdin intact; returns the JCNI_DAEMON_FAILURE it was given (null if none). */
    private String inProcess(ProcessRunner.Outcome o, Map<String, String> env, String what) throws Exception {
        assertTrue(plugin.ran(), what + ": the in-process path did not run; stderr: " + new String(o.stderr(), StandardCharsets.UTF_8));
        assertEquals(StandIn.EXIT, o.exitCode(), what);
        assertEquals(StandIn.STDOUT, new String(o.stdout(), StandardCharsets.UTF_8), what + ": stdout is the in-process path's alone");
        assertEquals(StandIn.STDERR, new String(o.stderr(), StandardCharsets.UTF_8), what);
        assertArrayEquals(CONFIG, plugin.stdin(), what + ": stdin");
        Map<String, String> got = new TreeMap<>(plugin.env());
        String failure = got.remove(FAILURE);
        assertEquals(new TreeMap<>(env), got, what + ": the caller's environment, and nothing else but " + FAILURE);
        return failure;
    }

    @Test
    void aDaemonClosingAfterAcceptedNeverRunsAStateChangingVerbTwice() throws Exception {
        try (FakeJcnid daemon = FakeJcnid.start(dir.resolve("d"), "close-after-accept")) {
            for (String verb : List.of("ADD", "CHECK", "SOMETHING-ELSE")) {
                Map<String, String> env = env(verb, daemon.socket());
                String failure = inProcess(plugin.run(env, CONFIG), env, verb);
                assertEquals("connection closed after ACCEPTED, before RESULT", failure, verb);
            }
            for (String verb : List.of("DEL", "GC", "STATUS", "VERSION")) {
                Map<String, String> env = env(verb, daemon.socket());
                assertNull(inProcess(plugin.run(env, CONFIG), env, verb), verb + " re-runs in-process as it is");
            }
            assertEquals(7, daemon.requests().size(), "every request reached the daemon first");
        }
    }

    @Test
    void aCallersOwnFailureVariableIsReplacedNotDoubled() throws Exception {
        try (FakeJcnid daemon = FakeJcnid.start(dir.resolve("d"), "close-after-accept")) {
            Map<String, String> env = env("ADD", daemon.socket());
            env.put(FAILURE, "forged");
            ProcessRunner.Outcome o = plugin.run(env, CONFIG);
            assertTrue(plugin.ran());
            assertEquals("connection closed after ACCEPTED, before RESULT", plugin.env().get(FAILURE));
            String environ = Files.readString(dir.resolve("stand-in/env"), StandardCharsets.UTF_8);
            assertEquals(environ.indexOf(FAILURE + "="), environ.lastIndexOf(FAILURE + "="), "one entry: " + o);
        }
    }

    @Test
    void aDaemonHangingAfterAcceptedIsGivenUpAtTheDeadline() throws Exception {
        try (FakeJcnid daemon = FakeJcnid.start(dir.resolve("d"), "hang-after-accept")) {
            Map<String, String> env = env("ADD", daemon.socket());
            env.put("JCNI_DAEMON_DEADLINE", "2");
            long start = System.nanoTime();
            String failure = inProcess(plugin.run(env, CONFIG), env, "ADD");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals("no RESULT within 2 s", failure);
            assertTrue(ms >= 1950 && ms < 20_000, "gave up after " + ms + " ms");

            env = env("DEL", daemon.socket());
            env.put("JCNI_DAEMON_DEADLINE", "1");
            start = System.nanoTime();
            assertNull(inProcess(plugin.run(env, CONFIG), env, "DEL"));
            ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(ms >= 950 && ms < 20_000, "gave up after " + ms + " ms");
        }
    }

    @Test
    void aDaemonDyingInTheMiddleOfItsReplyRelaysNothing() throws Exception {
        Path out = Files.write(dir.resolve("out"), "{\"cniVersion\":\"1.0.0\",\"partial\":true}".repeat(5000).getBytes(StandardCharsets.UTF_8));
        try (FakeJcnid daemon = FakeJcnid.start(dir.resolve("d"), "partial-result", "--stdout", out.toString())) {
            Map<String, String> env = env("ADD", daemon.socket());
            String failure = inProcess(plugin.run(env, CONFIG), env, "ADD");
            assertTrue(failure.startsWith("connection closed in the middle of the RESULT"), failure);
            env = env("DEL", daemon.socket());
            assertNull(inProcess(plugin.run(env, CONFIG), env, "DEL"));
        }
    }
}
