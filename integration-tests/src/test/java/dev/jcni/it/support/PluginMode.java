package dev.jcni.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.daemon.DaemonClient;
import dev.jcni.core.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * The two ways every plugin runs, and so every integration test: {@code in-process} (the native
 * launcher never tries a daemon, {@code JCNI_DAEMON=off}, and execs the JVM path) and
 * {@code daemon} (a {@code bin/jcnid} started here for the whole test session answers every
 * launcher at the {@code JCNI_SOCKET} the build gives the test JVM, so every child inherits it).
 * The surefire executions of integration-tests' pom choose the mode with the system property
 * {@value #PROPERTY}; CI runs both.
 *
 * <p>In daemon mode the session fails unless the daemon served requests of every plugin and
 * exited 0 on SIGTERM at the end: a suite that silently fell back to the in-process path would
 * otherwise pass without testing the daemon at all.
 */
public final class PluginMode implements LauncherSessionListener {
    public static final String PROPERTY = "jcni.it.mode";
    /** The directory the daemon's socket is in ({@code <dir>/run/jcnid.sock}), from the build. */
    public static final String DIRECTORY_PROPERTY = "jcni.it.daemon.dir";
    /** Set by the build from {@code -Djcni.it.partial=true}: a run of a few test classes. */
    public static final String PARTIAL_PROPERTY = "jcni.it.partial";
    private static final List<String> PLUGINS = List.of("bridge", "host-local", "portmap", "bandwidth", "tuning");

    private JcnidProcess daemon;

    /** The mode of this test JVM: "daemon" or "in-process". */
    public static String current() {
        return "daemon".equals(System.getProperty(PROPERTY)) ? "daemon" : "in-process";
    }

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (!"daemon".equals(current()) || RootCondition.missingPrerequisite() != null) {
            return;
        }
        Path dir = Path.of(System.getProperty(DIRECTORY_PROPERTY));
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create " + dir, e);
        }
        daemon = JcnidProcess.start(dir, Map.of());
        String expected = System.getenv("JCNI_SOCKET");
        if (!daemon.socket.equals(expected)) {
            daemon.close();
            throw new IllegalStateException("the daemon listens at " + daemon.socket + " but the tests' JCNI_SOCKET is "
                    + expected + ": fix integration-tests' pom");
        }
        System.err.println("PluginMode: every plugin runs through jcnid (pid " + daemon.process.pid() + ") at " + daemon.socket);
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (daemon == null) {
            return;
        }
        List<String> problems = new ArrayList<>();
        try {
            DaemonClient.Answer a = DaemonClient.control(daemon.socket, "status", "", Duration.ofSeconds(10));
            JsonNode status = Json.parse(new String(a.stdout(), StandardCharsets.UTF_8));
            JsonNode byPlugin = status.path("requests").path("byPlugin");
            System.err.println("PluginMode: jcnid served " + status.path("requests").path("total").asLong()
                    + " requests: " + byPlugin + "; latency " + status.path("latencyMillis") + "; errors " + status.path("errors"));
            if (status.path("requests").path("total").asLong() == 0) {
                problems.add("jcnid served no request at all: the tests ran every plugin in-process");
            }
            // A partial run (-Djcni.it.partial=true with -Dtest=...) need not reach every plugin.
            for (String plugin : Boolean.getBoolean(PARTIAL_PROPERTY) ? List.<String>of() : PLUGINS) {
                if (!byPlugin.has(plugin)) {
                    problems.add("jcnid served no request of " + plugin + ": the tests ran it in-process only");
                }
            }
        } catch (Exception e) {
            problems.add("jcnid did not answer its status at the end of the session: " + e);
        }
        daemon.terminate();
        int code = daemon.awaitExit();
        if (code != 0) {
            problems.add("jcnid exited " + code + " on SIGTERM");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("; ", problems) + "\njcnid's log:\n" + tail(daemon.log()));
        }
    }

    private static String tail(String log) {
        return log.length() > 20_000 ? log.substring(log.length() - 20_000) : log;
    }
}
