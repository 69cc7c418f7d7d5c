package dev.jcni.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings, the request environment, statistics, the worker bound and the plugin registry. */
class DaemonPartsTest {
    @TempDir
    Path tmp;

    @Test
    void settingsComeFromTheEnvironment() throws Exception {
        DaemonSettings defaults = DaemonSettings.from(Map.of(), 42);
        assertEquals("/run/jcni/jcnid.sock", defaults.socketPath);
        assertEquals(DaemonSettings.DEFAULT_WORKERS, defaults.workers);
        assertFalse(defaults.socketActivated());
        assertNull(defaults.idleExit, "no idle exit without socket activation");

        DaemonSettings set = DaemonSettings.from(Map.of("JCNI_SOCKET", "/tmp/x/j.sock", "JCNI_DAEMON_WORKERS", "3"), 42);
        assertEquals("/tmp/x/j.sock", set.socketPath);
        assertEquals(3, set.workers);
        assertEquals(3 * 2 + 8, set.connections);

        assertThrows(DaemonSettings.Invalid.class, () -> DaemonSettings.from(Map.of("JCNI_DAEMON_WORKERS", "0"), 42));
        assertThrows(DaemonSettings.Invalid.class, () -> DaemonSettings.from(Map.of("JCNI_DAEMON_WORKERS", "many"), 42));
        assertThrows(DaemonSettings.Invalid.class, () -> DaemonSettings.from(Map.of("JCNI_SOCKET", "/" + "s".repeat(107)), 42));
    }

    @Test
    void socketActivationIsLISTEN_PIDForUsAndOneDescriptor() throws Exception {
        DaemonSettings activated = DaemonSettings.from(Map.of("LISTEN_PID", "42", "LISTEN_FDS", "1"), 42);
        assertTrue(activated.socketActivated());
        assertEquals(3, activated.inheritedDescriptor);
        assertEquals(Duration.ofMinutes(10), activated.idleExit);
        assertEquals(Duration.ofSeconds(30),
                DaemonSettings.from(Map.of("LISTEN_PID", "42", "LISTEN_FDS", "1", "JCNI_DAEMON_IDLE_EXIT", "30"), 42).idleExit);
        assertNull(DaemonSettings.from(Map.of("LISTEN_PID", "42", "LISTEN_FDS", "1", "JCNI_DAEMON_IDLE_EXIT", "0"), 42).idleExit);
        assertFalse(DaemonSettings.from(Map.of("LISTEN_PID", "41", "LISTEN_FDS", "1"), 42).socketActivated(), "meant for another process");
        assertFalse(DaemonSettings.from(Map.of("LISTEN_PID", "42", "LISTEN_FDS", "0"), 42).socketActivated());
        assertThrows(DaemonSettings.Invalid.class, () -> DaemonSettings.from(Map.of("LISTEN_PID", "42", "LISTEN_FDS", "2"), 42));
    }

    @Test
    void theRequestEnvironmentIsBuiltAsTheJvmBuildsItsOwn() {
        Map<String, String> env = RequestEnvironment.of(List.of("A=1", "B=x=y", "A=2", "NOEQ", "=empty", "C="));
        assertEquals(Map.of("A", "1", "B", "x=y", "", "empty", "C", ""), env);
    }

    @Test
    void percentilesAreNearestRank() {
        long[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(5, Stats.percentile(sorted, 50));
        assertEquals(9, Stats.percentile(sorted, 90));
        assertEquals(10, Stats.percentile(sorted, 99));
        assertEquals(7, Stats.percentile(new long[] {7}, 50));
        assertEquals(0, Stats.percentile(new long[0], 50));
    }

    @Test
    void verbsACallerMadeUpAreCountedTogetherNotByTheirText() {
        Stats s = new Stats();
        for (int i = 0; i < 1000; i++) {
            s.served("tuning", "X" + i, 1_000_000, 1);
        }
        s.served("tuning", "add", 1_000_000, 1);
        s.served("tuning", "VERSION", 1_000_000, 0);
        ObjectNode o = Stats.object();
        s.addTo(o);
        com.fasterxml.jackson.databind.JsonNode tuning = o.path("requests").path("byPlugin").path("tuning");
        assertEquals(2, tuning.size(), tuning.toString());
        assertEquals(1001, tuning.path("(other)").asLong());
        assertEquals(1, tuning.path("VERSION").asLong());
    }

    @Test
    void statsCountPerPluginAndVerbAndKeepTheLatestWindow() {
        Stats s = new Stats();
        s.served("tuning", "ADD", 2_000_000, 0);
        s.served("tuning", "ADD", 4_000_000, 1);
        s.served("bridge", "DEL", 6_000_000, 0);
        s.declined(3);
        s.declined(3);
        s.failedAfterAccept();
        ObjectNode o = Stats.object();
        s.addTo(o);
        assertEquals(3, o.path("requests").path("total").asLong());
        assertEquals(2, o.path("requests").path("byPlugin").path("tuning").path("ADD").asLong());
        assertEquals(1, o.path("requests").path("byPlugin").path("bridge").path("DEL").asLong());
        assertEquals(4.0, o.path("latencyMillis").path("p50").asDouble());
        assertEquals(6.0, o.path("latencyMillis").path("p99").asDouble());
        assertEquals(1, o.path("errors").path("nonZeroExit").asLong());
        assertEquals(1, o.path("errors").path("failedAfterAccept").asLong());
        assertEquals(2, o.path("errors").path("declined").path("busy").asLong());
        for (int i = 0; i < Stats.WINDOW; i++) {
            s.served("tuning", "DEL", 1_000_000, 0);
        }
        ObjectNode later = Stats.object();
        s.addTo(later);
        assertEquals(Stats.WINDOW, later.path("latencyMillis").path("samples").asInt());
        assertEquals(1.0, later.path("latencyMillis").path("p99").asDouble(), "older samples left the window");
    }

    @Test
    void workersAreABoundNotAQueue() {
        Workers w = new Workers(2);
        assertTrue(w.tryReserve());
        assertTrue(w.tryReserve());
        assertFalse(w.tryReserve());
        assertEquals(2, w.busy());
        w.release();
        assertEquals(1, w.busy());
        assertTrue(w.tryReserve());
    }

    @Test
    void theRegistryFindsDeclaredPluginsInJarsAndDirectoriesFirstDeclarationWinning() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("classes/META-INF/jcni/plugins"));
        Files.writeString(dir.resolve("scripted"), ScriptedPlugin.class.getName() + "\n");
        Files.writeString(dir.resolve("not-a-plugin"), String.class.getName());
        Files.writeString(dir.resolve("missing"), "dev.jcni.NoSuchClass");
        Path jar = tmp.resolve("p.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("META-INF/jcni/plugins/scripted"));
            out.write("dev.jcni.Shadowed".getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new JarEntry("META-INF/jcni/plugins/other"));
            out.write(ScriptedPlugin.class.getName().getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new JarEntry("META-INF/jcni/plugins/sub/deeper"));
            out.write(ScriptedPlugin.class.getName().getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PluginRegistry r = PluginRegistry.scan(tmp.resolve("classes") + ":" + jar + "::/nonexistent.jar",
                getClass().getClassLoader(), new DaemonLog(new PrintStream(log, true, StandardCharsets.UTF_8)));
        assertEquals(List.of("other", "scripted"), List.copyOf(r.types()));
        assertTrue(r.newInstance("scripted") instanceof ScriptedPlugin);
        assertNull(r.newInstance("bridge"));
        String warnings = log.toString(StandardCharsets.UTF_8);
        assertTrue(warnings.contains("not-a-plugin: java.lang.String is no CniPlugin"), warnings);
        assertTrue(warnings.contains("missing: dev.jcni.NoSuchClass cannot be loaded"), warnings);
    }

    @Test
    void theDaemonLogKeepsEachLineOneLine() {
        assertEquals("a\\nb\\r\\tc\\u001b", DaemonLog.escape("a\nb\r\tc\u001b"));
        assertEquals("plain", DaemonLog.escape("plain"));
    }

    @Test
    void theTestFaultIsOffUnlessJcnidsEnvironmentSpellsOneOut() throws Exception {
        DaemonLog log = new DaemonLog(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertNull(TestFault.from(Map.of(), log));
        assertNull(TestFault.from(Map.of(TestFault.VARIABLE, ""), log));
        assertEquals("SIGKILL at bridge after IPAM ADD", TestFault.from(Map.of(TestFault.VARIABLE, "kill:bridge:after:IPAM ADD"), log).toString());
        assertEquals("SIGSTOP at tuning after_accept", TestFault.from(Map.of(TestFault.VARIABLE, "stop:tuning:after-accept"), log).toString());
        assertEquals("SIGKILL at bridge before_accept", TestFault.from(Map.of(TestFault.VARIABLE, "kill:bridge:before-accept"), log).toString());
        for (String bad : List.of("kill", "kill:bridge", "term:bridge:after-accept", "kill::after-accept", "kill:bridge:after:",
                "kill:bridge:during")) {
            assertThrows(DaemonSettings.Invalid.class, () -> TestFault.from(Map.of(TestFault.VARIABLE, bad), log), bad);
        }
    }

    @Test
    void aPhaseFaultListensOnlyToItsPluginsRequests() throws Exception {
        DaemonLog log = new DaemonLog(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        TestFault fault = TestFault.from(Map.of(TestFault.VARIABLE, "kill:bridge:after:masquerade"), log);
        assertNull(fault.phasesOf("host-local"));
        assertTrue(fault.phasesOf("bridge") != null);
        assertNull(TestFault.from(Map.of(TestFault.VARIABLE, "kill:bridge:after-accept"), log).phasesOf("bridge"));
    }
}
