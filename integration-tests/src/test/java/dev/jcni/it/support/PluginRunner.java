package dev.jcni.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Executes a plugin binary the way a runtime does: a minimal environment with the CNI_*
 * variables, the config on stdin, stdout and stderr captured separately.
 */
public final class PluginRunner {
    /** Our launchers, written by the build (surefire passes the path). */
    public static final Path OUR_BIN = Path.of(System.getProperty("jcni.bin", "../bin")).toAbsolutePath().normalize();
    /** Debian's reference plugins. */
    public static final Path REFERENCE_BIN = Path.of("/usr/lib/cni");

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
        return env;
    }

    public static Run exec(Path binary, Map<String, String> env, String stdin) throws IOException, InterruptedException {
        if (!Files.isExecutable(binary)) {
            throw new AssertionError(binary + " is missing: run `mvn package` first");
        }
        ProcessBuilder pb = new ProcessBuilder(binary.toString());
        // Runtimes pass few variables; start from nothing so the test sees what a plugin gets.
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<byte[]> out = readAsync(p.getInputStream());
        CompletableFuture<byte[]> err = readAsync(p.getErrorStream());
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(binary + " did not finish within 60 s");
        }
        return new Run(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8), new String(err.join(), StandardCharsets.UTF_8));
    }

    private static CompletableFuture<byte[]> readAsync(InputStream in) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(in.readAllBytes());
            } catch (IOException e) {
                f.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return f;
    }
}
