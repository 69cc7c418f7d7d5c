package dev.jcni.cnictl.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one executable with a given environment and stdin, under a deadline.
 *
 * <p>stdin, stdout and stderr go through private temporary files rather than pipes. With pipes,
 * a plugin that leaves a background child holding stdout makes the reader wait for that child
 * (the classic Go {@code cmd.Wait} hang); with files the runtime waits only for the plugin's own
 * exit, and no reader threads are needed.
 *
 * <p>On timeout the plugin and every process it started are killed (SIGKILL), children included,
 * so a hung plugin leaves nothing running; the plugin itself is reaped, so no zombie remains.
 * "Text file busy" on exec (a plugin binary being replaced) is retried, as libcni does.
 */
final class ProcessRunner {
    /** What happened to the process. */
    record Outcome(int exitCode, byte[] stdout, byte[] stderr, Duration elapsed, boolean timedOut, long pid) {}

    private final int textBusyRetries;
    private final Duration textBusyDelay;

    ProcessRunner(int textBusyRetries, Duration textBusyDelay) {
        this.textBusyRetries = textBusyRetries;
        this.textBusyDelay = textBusyDelay;
    }

    Outcome run(Path executable, Map<String, String> env, byte[] stdin, Duration timeout) throws IOException {
        Path in = Files.createTempFile("jcni-stdin-", "");
        Path out = Files.createTempFile("jcni-stdout-", "");
        Path err = Files.createTempFile("jcni-stderr-", "");
        try {
            Files.write(in, stdin);
            ProcessBuilder pb = new ProcessBuilder(executable.toString())
                    .redirectInput(in.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            Map<String, String> childEnv = pb.environment();
            childEnv.clear();
            childEnv.putAll(env);
            long start = System.nanoTime();
            Process process = startRetryingTextBusy(pb);
            boolean timedOut = false;
            try {
                if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                    timedOut = true;
                    killTree(process.toHandle());
                    process.waitFor();
                }
            } catch (InterruptedException e) {
                killTree(process.toHandle());
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + executable, e);
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            return new Outcome(process.exitValue(), Files.readAllBytes(out), Files.readAllBytes(err), elapsed, timedOut,
                    process.pid());
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private Process startRetryingTextBusy(ProcessBuilder pb) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                return pb.start();
            } catch (IOException e) {
                String m = String.valueOf(e.getMessage());
                boolean busy = m.contains("error=26") || m.contains("Text file busy");
                if (!busy || attempt >= textBusyRetries) {
                    throw e;
                }
                try {
                    Thread.sleep(textBusyDelay.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * SIGKILLs {@code root} and all its descendants. Each process's children are listed before it
     * is killed, because once a parent dies its children are re-parented and no longer show up
     * under it.
     */
    static void killTree(ProcessHandle root) {
        List<ProcessHandle> children = new ArrayList<>();
        root.children().forEach(children::add);
        root.destroyForcibly();
        for (ProcessHandle child : children) {
            killTree(child);
        }
    }
}
