package dev.jcni.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.CniVersion;
import dev.jcni.core.protocol.Result;
import dev.jcni.core.skel.CniPlugin;
import dev.jcni.core.skel.Invocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The daemon's small parts, one behaviour each: drain, log, a request's stderr, warm-up, settings' bounds, counters. */
class DaemonUnitsTest {
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final DaemonLog log = new DaemonLog(new PrintStream(logBytes, true, StandardCharsets.UTF_8));

    private String log() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aDrainStartsOnceKeepsTheFirstReasonAndEndsWhenTheLastConnectionCloses() {
        Drain d = new Drain();
        assertFalse(d.draining());
        assertFalse(d.drained(), "not draining: never drained, even with nothing open");
        d.opened();
        d.opened();
        assertEquals(2, d.connections());
        assertTrue(d.start("SIGTERM"));
        assertFalse(d.start("control stop"), "only the first start counts");
        assertTrue(d.draining());
        assertEquals("SIGTERM", d.reason());
        assertFalse(d.drained(), "two connections still owed");
        d.closed();
        assertEquals(1, d.connections());
        assertFalse(d.drained());
        d.closed();
        assertEquals(0, d.connections());
        assertTrue(d.drained());
    }

    @Test
    void idleMeansNoConnectionOpenAndNoneForThatLong() throws Exception {
        Drain d = new Drain();
        Thread.sleep(5);
        assertTrue(d.idleFor(1_000_000), "nothing since it was made, 5 ms ago");
        assertFalse(d.idleFor(3_600_000_000_000L), "not for an hour");
        d.opened();
        Thread.sleep(5);
        assertFalse(d.idleFor(0), "a connection is open");
        d.closed();
        assertTrue(d.idleFor(0));
        assertFalse(d.idleFor(1_000_000_000L), "the connection just closed: activity is that recent");
    }

    @Test
    void theDaemonLogWritesOneStampedLinePerEventWithItsKind() {
        log.info("started");
        log.warn("odd\nthing");
        log.requestLine(7, "tuning: WARN x");
        String[] lines = log().split("\n", -1);
        assertEquals(4, lines.length, log());
        assertEquals("", lines[3]);
        assertTrue(lines[0].matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z jcnid: started"), lines[0]);
        assertTrue(lines[1].matches("\\S+Z jcnid: WARN odd\\\\nthing"), lines[1]);
        assertTrue(lines[2].matches("\\S+Z jcnid: #7 \\| tuning: WARN x"), lines[2]);
    }

    @Test
    void everyControlCharacterIsEscapedAndNothingElse() {
        assertEquals("\\u0000\\u001f \\u007f~\\u0085\u0084\\u2028\\u2029\u2027", DaemonLog.escape("\u0000\u001f \u007f~\u0085\u0084\u2028\u2029\u2027"));
        assertEquals("x\\ny", DaemonLog.escape("x\ny"));
        assertEquals("ab\\tc", DaemonLog.escape("ab\tc"));
        assertEquals("\\r", DaemonLog.escape("\r"));
        assertEquals("é€ok", DaemonLog.escape("é€ok"));
    }

    @Test
    void aRequestsStderrIsKeptWholeAndLoggedLineByLine() {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        RequestStderr err = new RequestStderr(kept, log, 42);
        byte[] text = "xxfirst\nsecond\nthi".getBytes(StandardCharsets.UTF_8);
        err.write(text, 2, text.length - 2);
        assertEquals("first\nsecond\nthi", kept.toString(StandardCharsets.UTF_8));
        assertEquals(2, log().split("\n").length, "the last line is not complete yet: " + log());
        err.write('r');
        err.write('d');
        err.end();
        assertEquals("first\nsecond\nthird", kept.toString(StandardCharsets.UTF_8));
        String[] lines = log().split("\n");
        assertEquals(3, lines.length, log());
        assertTrue(lines[0].endsWith(" jcnid: #42 | first"), lines[0]);
        assertTrue(lines[1].endsWith(" jcnid: #42 | second"), lines[1]);
        assertTrue(lines[2].endsWith(" jcnid: #42 | third"), lines[2]);
        err.end();
        assertEquals(3, log().split("\n").length, "nothing left to log");
    }

    @Test
    void aRequestsStderrEndingInANewlineLogsNoEmptyLineAtTheEnd() {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        RequestStderr err = new RequestStderr(kept, log, 1);
        err.write("a\n\nb\n".getBytes(StandardCharsets.UTF_8), 0, 5);
        err.end();
        String[] lines = log().split("\n");
        assertEquals(3, lines.length, log());
        assertTrue(lines[1].endsWith("jcnid: #1 | "), "an empty line of the request is a line: " + lines[1]);
    }

    /** Counts what the warm-up asks of a plugin. */
    public static final class CountingPlugin implements CniPlugin {
        static final AtomicInteger MADE = new AtomicInteger();
        static final AtomicInteger VERSIONS = new AtomicInteger();
        static final AtomicInteger ADDS = new AtomicInteger();

        public CountingPlugin() {
            MADE.incrementAndGet();
        }

        @Override public String about() { return "counting"; }

        @Override
        public List<String> supportedVersions() {
            VERSIONS.incrementAndGet();
            return CniVersion.ALL;
        }

        @Override
        public Result add(Invocation inv) throws CniException {
            ADDS.incrementAndGet();
            throw new CniException(100, "the warm-up's ADD must never get this far");
        }

        @Override public void del(Invocation inv) {}
        @Override public void check(Invocation inv) {}
        @Override public void gc(Invocation inv) {}
        @Override public void status(Invocation inv) {}
    }

    /** A plugin whose constructor fails: its warm-up is skipped, the others' still run. */
    public static final class BrokenPlugin implements CniPlugin {
        public BrokenPlugin() {
            throw new IllegalStateException("broken");
        }

        @Override public String about() { return "broken"; }
        @Override public List<String> supportedVersions() { return CniVersion.ALL; }
        @Override public Result add(Invocation inv) { return null; }
        @Override public void del(Invocation inv) {}
        @Override public void check(Invocation inv) {}
        @Override public void gc(Invocation inv) {}
        @Override public void status(Invocation inv) {}
    }

    @Test
    void theWarmUpSendsEachPluginThreeVersionsAndThreeRefusedAddsAndNothingMore() {
        CountingPlugin.MADE.set(0);
        CountingPlugin.VERSIONS.set(0);
        CountingPlugin.ADDS.set(0);
        Warmup.run(PluginRegistry.of(Map.of("a-broken", BrokenPlugin.class, "counting", CountingPlugin.class)));
        assertEquals(6, CountingPlugin.MADE.get(), "a fresh instance for each request: 2 requests x 3 rounds");
        assertEquals(6, CountingPlugin.VERSIONS.get(), "the supported versions asked once per request: VERSION's answer, the ADD's version check");
        assertEquals(0, CountingPlugin.ADDS.get(), "the ADD is refused before the plugin runs");
    }

    @Test
    void settingsAreBoundedAtBothEnds() throws Exception {
        assertEquals(1, DaemonSettings.from(Map.of("JCNI_DAEMON_WORKERS", "1"), 1).workers);
        assertEquals(1024, DaemonSettings.from(Map.of("JCNI_DAEMON_WORKERS", "1024"), 1).workers);
        DaemonSettings.Invalid tooMany = assertThrows(DaemonSettings.Invalid.class,
                () -> DaemonSettings.from(Map.of("JCNI_DAEMON_WORKERS", "1025"), 1));
        assertEquals("JCNI_DAEMON_WORKERS is 1025; it must be 1 to 1024", tooMany.getMessage());
        assertEquals("JCNI_DAEMON_WORKERS \"x\" is not a number",
                assertThrows(DaemonSettings.Invalid.class, () -> DaemonSettings.from(Map.of("JCNI_DAEMON_WORKERS", "x"), 1)).getMessage());
        assertEquals(16, DaemonSettings.from(Map.of("JCNI_DAEMON_WORKERS", ""), 1).workers, "empty is unset");
        Map<String, String> activated = Map.of("LISTEN_PID", "9", "LISTEN_FDS", "1", "JCNI_DAEMON_IDLE_EXIT", "604800");
        assertEquals(604_800, DaemonSettings.from(activated, 9).idleExit.toSeconds());
        assertThrows(DaemonSettings.Invalid.class,
                () -> DaemonSettings.from(Map.of("LISTEN_PID", "9", "LISTEN_FDS", "1", "JCNI_DAEMON_IDLE_EXIT", "604801"), 9));
        assertThrows(DaemonSettings.Invalid.class,
                () -> DaemonSettings.from(Map.of("LISTEN_PID", "9", "LISTEN_FDS", "1", "JCNI_DAEMON_IDLE_EXIT", "-1"), 9));
        assertEquals("LISTEN_FDS \"one\" is not a number",
                assertThrows(DaemonSettings.Invalid.class, () -> DaemonSettings.from(Map.of("LISTEN_PID", "9", "LISTEN_FDS", "one"), 9))
                        .getMessage());
        assertFalse(DaemonSettings.from(Map.of("LISTEN_FDS", "1"), 9).socketActivated(), "no LISTEN_PID");
        assertFalse(DaemonSettings.from(Map.of("LISTEN_PID", "9"), 9).socketActivated(), "no LISTEN_FDS");
        assertEquals(-1, DaemonSettings.from(Map.of(), 9).inheritedDescriptor);
    }

    @Test
    void theSocketPathMayBe107BytesNotMoreUnlessSystemdHandsItOver() throws Exception {
        String longest = "/" + "s".repeat(106);
        assertEquals(longest, DaemonSettings.from(Map.of("JCNI_SOCKET", longest), 1).socketPath);
        String tooLong = longest + "s";
        DaemonSettings.Invalid e = assertThrows(DaemonSettings.Invalid.class, () -> DaemonSettings.from(Map.of("JCNI_SOCKET", tooLong), 1));
        assertTrue(e.getMessage().startsWith("JCNI_SOCKET \"" + tooLong + "\" is longer than a socket path may be"), e.getMessage());
        DaemonSettings handed = DaemonSettings.from(Map.of("JCNI_SOCKET", tooLong, "LISTEN_PID", "1", "LISTEN_FDS", "1"), 1);
        assertTrue(handed.socketActivated(), "systemd's socket is used as it is: its path is only a name then");
    }

    @Test
    void abandonedRequestsAreCountedApart() {
        Stats s = new Stats();
        s.abandoned();
        s.abandoned();
        s.failedAfterAccept();
        s.served("tuning", "ADD", 1_234_567, 0);
        ObjectNode o = Stats.object();
        s.addTo(o);
        assertEquals(2, o.path("errors").path("abandoned").asLong());
        assertEquals(1, o.path("errors").path("failedAfterAccept").asLong());
        assertEquals(0, o.path("errors").path("nonZeroExit").asLong());
        assertEquals(1, s.total());
        assertEquals(1.235, o.path("latencyMillis").path("p50").asDouble(), "milliseconds to the microsecond");
        assertEquals(1, o.path("latencyMillis").path("samples").asInt());
        assertEquals(0, Stats.percentile(new long[] {0, 5}, 0), "rank 0 is the first sample");
    }

    @Test
    void aRegistryServesItsTypesAndNamesThemInOrder() throws Exception {
        PluginRegistry r = PluginRegistry.of(Map.of("zeta", CountingPlugin.class, "alpha", ScriptedPlugin.class));
        assertTrue(r.serves("zeta"));
        assertFalse(r.serves("beta"));
        assertEquals("alpha, zeta", r.toString());
        assertEquals(List.of("alpha", "zeta"), List.copyOf(r.types()));
        assertTrue(r.newInstance("alpha") instanceof ScriptedPlugin);
    }

    @Test
    void workersCountWhatIsBusyOfTheirSize() {
        Workers w = new Workers(3);
        assertEquals(3, w.size());
        assertEquals(0, w.busy());
        assertTrue(w.tryReserve());
        assertEquals(1, w.busy());
        w.release();
        assertEquals(0, w.busy());
    }
}
