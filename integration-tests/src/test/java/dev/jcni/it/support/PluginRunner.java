package dev.jcni.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.os.process.ProcessRunner;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.skel.StateRoots;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Executes a plugin binary the way a runtime does: a minimal environment with the CNI_*
 * variables, the config on stdin, stdout and stderr captured separately.
 */
public final class PluginRunner {
    /** Our launchers, written by the build (surefire passes the path). */
    public static final Path OUR_BIN = Path.of(System.getProperty("jcni.bin", "../bin")).toAbsolutePath().normalize();
    /** Debian's reference plugins. */
    public static final Path REFERENCE_BIN = Path.of("/usr/lib/cni");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ProcessRunner RUNNER = new ProcessRunner();

    public record Run(int exitCode, String stdout, String stderr) {
        public JsonNode json() {
            try {
                return Json.parse(stdout.getBytes(StandardCharsets.UTF_8));
            } catch (Json.JsonSyntaxException e) {
                throw new AssertionError("stdout is not JSON: " + e.getMessage() + "\nstdout: " + stdout + "\nstderr: " + stderr);
            }
        }

        public Run assertOk() {
            if (exitCode != 0) {
                throw new AssertionError("plugin failed with exit " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr);
            }
            return this;
        }
    }

    private PluginRunner() {}

    public static Path ours(String plugin) {
        return OUR_BIN.resolve(plugin);
    }

    public static Path reference(String plugin) {
        return REFERENCE_BIN.resolve(plugin);
    }

    /** Environment for an attachment verb; add or override entries as needed. */
    public static Map<String, String> env(String command, String containerId, String netns, String ifName) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", containerId);
        env.put("CNI_NETNS", netns);
        env.put("CNI_IFNAME", ifName);
        env.put("CNI_PATH", OUR_BIN + ":" + REFERENCE_BIN);
        env.put(StateRoots.VARIABLE, TEST_STATE_ROOTS);
        return env;
    }

    /**
     * The node's state directories in these tests: the system's temporary directory, where each
     * run's scratch directory lives, and the defaults. A config's dataDir elsewhere is refused.
     */
    public static final String TEST_STATE_ROOTS = System.getProperty("java.io.tmpdir") + ":" + StateRoots.DEFAULT_ROOTS;

    /**
     * The variables that choose how this test JVM's plugins run ({@link PluginMode}): the
     * {@code JCNI_DAEMON} and {@code JCNI_SOCKET} the build gave this JVM. Every way the tests
     * exec a plugin with an environment of their own adds these unless the test set them itself
     * (the launcher's and the daemon's own tests do), so that both modes reach every test.
     */
    public static Map<String, String> modeEnvironment() {
        Map<String, String> mode = new LinkedHashMap<>();
        for (String name : List.of("JCNI_DAEMON", "JCNI_SOCKET")) {
            String value = System.getenv(name);
            if (value != null) {
                mode.put(name, value);
            }
        }
        return mode;
    }

    /**
     * The environment a runtime in these tests passes its plugins: this JVM's own (so the mode's
     * variables too), a lock directory in {@code work}, and the test state roots.
     */
    public static Map<String, String> runtimeEnvironment(Path work) {
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.put("JCNI_LOCK_DIR", work.resolve("locks").toString());
        env.put(StateRoots.VARIABLE, TEST_STATE_ROOTS);
        return env;
    }

    public static Run exec(Path binary, Map<String, String> env, String stdin) throws IOException, InterruptedException {
        requireExecutable(binary);
        return exec(List.of(binary.toString()), env, stdin);
    }

    /** Runs {@code argv} (a plugin, or a plugin behind {@code nsenter}) the way {@link #exec(Path, Map, String)} runs a plugin. */
    static Run exec(List<String> argv, Map<String, String> env, String stdin) throws IOException {
        // Runtimes pass few variables: the plugin gets exactly env (and the mode's), so the test sees what a plugin gets.
        Map<String, String> withMode = new LinkedHashMap<>(env);
        for (Map.Entry<String, String> m : modeEnvironment().entrySet()) {
            withMode.putIfAbsent(m.getKey(), m.getValue());
        }
        ProcessRunner.Outcome o = RUNNER.run(argv, withMode, stdin.getBytes(StandardCharsets.UTF_8), TIMEOUT);
        if (o.timedOut()) {
            throw new AssertionError(argv + " did not finish within " + TIMEOUT.toSeconds() + " s");
        }
        return new Run(o.exitCode(), Cmd.text(o.stdout()), Cmd.text(o.stderr()));
    }

    static void requireExecutable(Path binary) {
        if (!Files.isExecutable(binary)) {
            throw new AssertionError(binary + " is missing: run `mvn package` first");
        }
    }
}
