package dev.jcni.it.support;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command with a timeout and captures its output. Output goes to temporary files rather
 * than pipes, so no reader threads are needed and a chatty command cannot block on a full pipe.
 *
 * <p>Never call this from inside {@code NetNs.run}: the child would be forked from the namespaced
 * thread, and the JDK's process reaper thread, if started there, would stay in the namespace.
 */
public final class Cmd {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    private Cmd() {}

    /** Exit code and output of a finished command. */
    public record Result(String command, int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** stdout, or an AssertionError with everything needed to see why it failed. */
        public String orFail() {
            if (exitCode != 0) {
                throw new AssertionError("`" + command + "` exited " + exitCode + ": " + stderr.trim() + " " + stdout.trim());
            }
            return stdout;
        }
    }

    /** Runs {@code command} (no shell); kills it after {@code timeout}, which then fails the test. */
    public static Result run(Duration timeout, String... command) {
        String shown = String.join(" ", command);
        File out = null;
        File err = null;
        try {
            out = File.createTempFile("jcni-cmd", ".out");
            err = File.createTempFile("jcni-cmd", ".err");
            Process p = new ProcessBuilder(Arrays.asList(command))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out)
                    .redirectError(err)
                    .start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError("`" + shown + "` did not finish within " + timeout);
            }
            return new Result(shown, p.exitValue(), read(out), read(err));
        } catch (IOException e) {
            throw new AssertionError("cannot run `" + shown + "`: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running `" + shown + "`", e);
        } finally {
            delete(out);
            delete(err);
        }
    }

    /** Runs with the default timeout; returns stdout or fails on a non-zero exit. */
    public static String check(String... command) {
        return run(DEFAULT_TIMEOUT, command).orFail();
    }

    private static String read(File f) throws IOException {
        return new String(Files.readAllBytes(f.toPath()), StandardCharsets.UTF_8);
    }

    private static void delete(File f) {
        if (f != null && !f.delete()) {
            f.deleteOnExit();
        }
    }
}
