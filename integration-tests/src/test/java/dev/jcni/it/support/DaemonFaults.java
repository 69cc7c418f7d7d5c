package dev.jcni.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.protocol.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * jcnids of a test's own with a test fault ({@code JCNI_DAEMON_TEST_FAULT}, docs/daemon.md
 * "Failure modes"), the environment of a runtime whose launchers reach them whatever the suite's
 * mode, and what a failed request must look like from both sides. Closing stops every daemon
 * started (a hung one is killed, never continued).
 */
public final class DaemonFaults implements AutoCloseable {
    /** The launcher's deadline the "continued after the deadline" tests give a request, in seconds. */
    public static final String SHORT_DEADLINE = "3";

    private final Path daemonDir = JcnidProcess.newDirectory();
    private final Path work;
    private final List<JcnidProcess> started = new ArrayList<>();

    private DaemonFaults(Path work) {
        this.work = work;
    }

    /** With a scratch directory of this run's, named {@code prefix...}, for state, locks and logs. */
    public static DaemonFaults create(String prefix) {
        try {
            return new DaemonFaults(Files.createTempDirectory(TestRun.current().scratch(), prefix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The scratch directory: plugins' data directories go below it (it is in the test's state roots). */
    public Path work() {
        return work;
    }

    /** A jcnid with {@code fault} ({@code stop:tuning:after:applied}; null: none), on this object's socket. */
    public JcnidProcess daemon(String fault) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (fault != null) {
            settings.put("JCNI_DAEMON_TEST_FAULT", fault);
        }
        JcnidProcess d = JcnidProcess.start(JcnidProcess.JCNID, daemonDir, "jcnid-" + TestRun.current().nextId(), settings);
        started.add(d);
        return d;
    }

    /** A runtime's environment for {@code verb} on eth0 whose launchers try this object's daemon. */
    public Map<String, String> env(String verb, String container, String netns) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", verb);
        env.put("CNI_CONTAINERID", container);
        env.put("CNI_NETNS", netns);
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", PluginRunner.OUR_BIN.toString());
        env.put("JCNI_SOCKET", daemonDir.resolve("run/jcnid.sock").toString());
        // Whatever the suite's mode (JCNI_DAEMON=off in the in-process run): these launchers try the daemon.
        env.put("JCNI_DAEMON", "on");
        env.put("JCNI_LOCK_DIR", work.resolve("locks").toString());
        env.put("JCNI_STATE_ROOTS", PluginRunner.TEST_STATE_ROOTS);
        return env;
    }

    /** The launcher's answer when the daemon failed it after ACCEPTED: CNI error 11. */
    public static void assertTryAgain(PluginRunner.Run add) throws Exception {
        assertEquals(1, add.exitCode(), add.stdout() + add.stderr());
        JsonNode error = Json.parse(add.stdout());
        assertEquals(11, error.path("code").asInt(), add.stdout());
        assertEquals("the jcni daemon failed during the request; try again", error.path("msg").asText(), add.stdout());
    }

    /**
     * Continues {@code daemon}, hung at {@code phase} of {@code plugin}'s ADD of {@code container}
     * past the launcher's {@link #SHORT_DEADLINE}, and checks its log: the ADD failed at that mark,
     * its undo ran, and no RESULT was sent.
     */
    public static String continueAndAssertAbandoned(JcnidProcess daemon, String plugin, String container, String phase) {
        daemon.signal("CONT");
        String log = daemon.awaitLog("abandoned, no RESULT");
        assertTrue(log.contains(plugin + " ADD " + container + " abandoned, no RESULT: failed at \"" + phase + "\" (its undo ran, exit 1): "
                + "the launcher's deadline of " + SHORT_DEADLINE + " s "), log);
        assertTrue(log.contains("jcnid gave the request up at \"" + phase + "\""), log);
        return log;
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }
}
