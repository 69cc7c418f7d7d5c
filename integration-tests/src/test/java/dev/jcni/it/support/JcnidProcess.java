package dev.jcni.it.support;

import dev.jcni.core.daemon.DaemonClient;
import dev.jcni.core.daemon.Wire;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/jcnid} started by a test, listening at {@code JCNI_SOCKET} in a directory of this
 * run's scratch space (never the node's default path), its stderr in a file there. {@link #close}
 * stops it (SIGTERM, then SIGKILL after a deadline) if a test did not.
 */
public final class JcnidProcess implements AutoCloseable {
    public static final Path JCNID = PluginRunner.ours("jcnid");
    private static final Duration READY = Duration.ofSeconds(90);
    private static final Duration EXIT = Duration.ofSeconds(60);

    public final Path dir;
    public final String socket;
    public final Process process;
    private final Path log;

    private JcnidProcess(Path dir, String socket, Process process, Path log) {
        this.dir = dir;
        this.socket = socket;
        this.process = process;
        this.log = log;
    }

    /** A directory for a daemon's socket (the daemon makes its 0700 {@code run/} inside). */
    public static Path newDirectory() {
        try {
            return Files.createTempDirectory(TestRun.current().scratch(), "jcnid-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JcnidProcess start(Map<String, String> settings) {
        return start(newDirectory(), settings);
    }

    /** Starts jcnid with its socket at {@code dir/run/jcnid.sock} and waits until it answers a status request. */
    public static JcnidProcess start(Path dir, Map<String, String> settings) {
        return start(JCNID, dir, "jcnid", settings);
    }

    /**
     * {@link #start(Path, Map)} with another installation's {@code bin/jcnid} (a test copy of
     * bin/ of another build), its stderr in {@code dir/<name>.log} and stdout in {@code dir/<name>.out}.
     */
    public static JcnidProcess start(Path jcnid, Path dir, String name, Map<String, String> settings) {
        if (!Files.isExecutable(jcnid)) {
            throw new AssertionError(jcnid + " is missing: run `mvn package` first");
        }
        String socket = dir.resolve("run/jcnid.sock").toString();
        Path log = dir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(jcnid.toString());
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        env.put(Wire.SOCKET_VARIABLE, socket);
        env.putAll(settings);
        pb.redirectOutput(dir.resolve(name + ".out").toFile());
        pb.redirectError(log.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JcnidProcess d = new JcnidProcess(dir, socket, p, log);
        d.awaitReady();
        return d;
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("jcnid exited with " + process.exitValue() + " before serving:\n" + log());
            }
            try {
                DaemonClient.Answer a = DaemonClient.control(socket, "status", "", Duration.ofSeconds(5));
                if (a.accepted()) {
                    return;
                }
            } catch (Exception notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                close();
                throw new AssertionError("jcnid did not answer within " + READY.toSeconds() + " s:\n" + log());
            }
            sleep(50);
        }
    }

    /** The daemon's stderr so far. */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** The daemon's log once it contains {@code text}. */
    public String awaitLog(String text) {
        long deadline = System.nanoTime() + EXIT.toNanos();
        while (!log().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("jcnid never logged \"" + text + "\":\n" + log());
            }
            sleep(20);
        }
        return log();
    }

    /** Sends {@code signal} ("KILL", "STOP", "CONT") to the daemon's JVM (bin/jcnid execs it). */
    public void signal(String signal) {
        Cmd.check("kill", "-" + signal, Long.toString(process.pid()));
    }

    /** Whether the daemon is stopped (SIGSTOP): state T in /proc/PID/stat. */
    public boolean stopped() {
        try {
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("T");
        } catch (IOException e) {
            return false;
        }
    }

    /** Sends SIGTERM. */
    public void terminate() {
        process.destroy();
    }

    /** Waits for the daemon to exit by itself; its exit code. */
    public int awaitExit() {
        try {
            if (!process.waitFor(EXIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("jcnid still runs after " + EXIT.toSeconds() + " s:\n" + log());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive() && stopped()) {
            // A hung daemon (a test's SIGSTOP) would run what it accepted if continued: killed instead.
            process.destroyForcibly();
        }
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(EXIT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    public static Map<String, String> settings(String... pairs) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
