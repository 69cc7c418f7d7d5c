package dev.jcni.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.os.netns.NetNs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The launcher's deadline as jcnid reads it, and what it does to a request past it. */
class RequestDeadlineTest {
    private static final long SECOND = 1_000_000_000L;

    private static RequestDeadline deadline(String setting, long helloNanos) {
        Map<String, String> env = new HashMap<>();
        if (setting != null) {
            env.put("JCNI_DAEMON_DEADLINE", setting);
        }
        return new RequestDeadline(env, helloNanos);
    }

    /** The launcher's strtoll reading: whole string, base 10, 1 s to a year, else 300. */
    @Test
    void theSettingIsReadAsTheLauncherReadsIt() {
        Object[][] table = {
            {null, 300L}, {"", 300L}, {"3", 3L}, {"1", 1L}, {" 3", 3L}, {"\t\n\u000b\f\r 7", 7L}, {"+3", 3L}, {"007", 7L},
            {"-3", 300L}, {"0", 300L}, {"-0", 300L}, {"+0", 300L}, {"3 ", 300L}, {"3s", 300L}, {"s3", 300L}, {"+", 300L},
            {" ", 300L}, {"-", 300L}, {"3.5", 300L}, {"\u0663", 300L}, {"31536000", 31_536_000L}, {"31536001", 300L},
            {"99999999999999999999999", 300L}, {"\u00a03", 300L}, {"1 2", 300L},
        };
        for (Object[] row : table) {
            assertEquals((long) row[1], RequestDeadline.seconds((String) row[0]), "\"" + row[0] + "\"");
            assertEquals((long) row[1], deadline((String) row[0], 0).seconds(), "from the environment: \"" + row[0] + "\"");
        }
    }

    @Test
    void theMarginIsATenthOfTheDeadlineAtMostFiveSeconds() {
        assertEquals(Duration.ofMillis(100), RequestDeadline.margin(1));
        assertEquals(Duration.ofMillis(300), RequestDeadline.margin(3));
        assertEquals(Duration.ofMillis(4900), RequestDeadline.margin(49));
        assertEquals(Duration.ofSeconds(5), RequestDeadline.margin(50));
        assertEquals(Duration.ofSeconds(5), RequestDeadline.margin(51));
        assertEquals(Duration.ofSeconds(5), RequestDeadline.margin(300));
    }

    @Test
    void itPassesAtTheDeadlineMinusTheMarginAfterTheHello() {
        long hello = 1_000 * SECOND;
        RequestDeadline three = deadline("3", hello);
        assertFalse(three.passed(hello));
        assertFalse(three.passed(hello + 2_700_000_000L), "2.7 s: not yet");
        assertTrue(three.passed(hello + 2_700_000_001L));
        RequestDeadline byDefault = deadline(null, hello);
        assertFalse(byDefault.passed(hello + 295 * SECOND));
        assertTrue(byDefault.passed(hello + 295 * SECOND + 1));
    }

    @Test
    void nanoTimeWrappingAroundDoesNotEndARequest() {
        long hello = Long.MAX_VALUE - SECOND;
        RequestDeadline three = deadline("3", hello);
        assertFalse(three.passed(hello + 2 * SECOND), "2 s later, with the clock past Long.MAX_VALUE");
        assertTrue(three.passed(hello + 3 * SECOND));
    }

    @Test
    void whyNamesTheDeadlineTheMarginAndTheTimeSinceTheHello() {
        RequestDeadline three = deadline("3", 5 * SECOND);
        assertEquals("the launcher's deadline of 3 s (JCNI_DAEMON_DEADLINE) minus 300 ms passed 3.4 s after the HELLO",
                three.why(5 * SECOND + 3_499_000_000L));
        assertEquals("the launcher's deadline of 3 s (JCNI_DAEMON_DEADLINE) minus 300 ms passed 12.0 s after the HELLO",
                three.why(17 * SECOND));
    }

    @Test
    void theGuardLetsPhasesPassBeforeTheDeadlineAndTellsTheFaultOfEach() {
        List<String> told = new ArrayList<>();
        RequestDeadline.Guard guard = deadline("300", System.nanoTime()).guard(told::add);
        guard.reached("a");
        guard.reached("b");
        assertEquals(List.of("a", "b"), told);
        assertNull(guard.abandonedAt());
    }

    @Test
    void theFirstPhasePastTheDeadlineFailsTheRequestOnceAfterTheFaultWasTold() {
        List<String> told = new ArrayList<>();
        RequestDeadline.Guard guard = deadline("3", System.nanoTime() - 10 * SECOND).guard(told::add);
        RequestDeadline.Abandoned e = assertThrows(RequestDeadline.Abandoned.class, () -> guard.reached("veth pair"));
        assertEquals(List.of("veth pair"), told, "the fault fires first (a SIGSTOP there is what a test continues after)");
        assertTrue(e.getMessage().startsWith("jcnid gave the request up at \"veth pair\": the launcher's deadline of 3 s "), e.getMessage());
        assertEquals(e.getMessage(), e.toString(), "logged by the skel as one line of its own");
        assertEquals(0, e.getStackTrace().length, "no stack trace for the skel to print");
        assertEquals("veth pair", guard.abandonedAt());
        guard.reached("undo: IPAM DEL"); // the undo's own marks pass
        assertEquals("veth pair", guard.abandonedAt());
        assertEquals(List.of("veth pair", "undo: IPAM DEL"), told);
    }

    @Test
    void aGuardWithoutAFaultStillFails() {
        RequestDeadline.Guard guard = deadline("1", System.nanoTime() - 2 * SECOND).guard(null);
        assertThrows(RequestDeadline.Abandoned.class, () -> guard.reached("x"));
        guard.reached("y");
        assertEquals("x", guard.abandonedAt());
    }

    /** Past the deadline before it starts, the request is not run at all. */
    @Test
    void aRequestPastItsDeadlineIsNotStarted() throws Exception {
        ScriptedPlugin.ENTERED.drainPermits();
        Map<String, String> env = DaemonHarness.env("DEL");
        env.put("JCNI_DAEMON_DEADLINE", "2");
        byte[] stdin = "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"scripted\",\"do\":\"block\"}".getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        try (NetNs own = NetNs.openCurrent()) {
            RequestRunner runner = new RequestRunner(own, new DaemonLog(new java.io.PrintStream(log, true, StandardCharsets.UTF_8)), null);
            RequestRunner.Output out = runner.run(7, "scripted", new ScriptedPlugin(), env, stdin, own, null,
                    new RequestDeadline(env, System.nanoTime() - 3 * SECOND));
            assertEquals(0, ScriptedPlugin.ENTERED.availablePermits(), "the plugin never ran");
            assertEquals(0, out.stdout().length);
            assertEquals(0, out.stderr().length);
            assertTrue(out.abandoned().startsWith("not started: the launcher's deadline of 2 s (JCNI_DAEMON_DEADLINE) minus 200 ms passed 3."),
                    out.abandoned());
            assertTrue(out.abandoned().endsWith("; nothing ran"), out.abandoned());
            assertEquals("", log.toString(StandardCharsets.UTF_8));

            env.put("JCNI_DAEMON_DEADLINE", "300");
            byte[] plain = "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"scripted\"}".getBytes(StandardCharsets.UTF_8);
            RequestRunner.Output ran = runner.run(8, "scripted", new ScriptedPlugin(), env, plain, own, null,
                    new RequestDeadline(env, System.nanoTime() - 3 * SECOND));
            assertNull(ran.abandoned());
            assertEquals(0, ran.exitCode());
        }
    }
}
