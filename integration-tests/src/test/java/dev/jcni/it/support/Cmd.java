package dev.jcni.it.support;

import dev.jcni.core.os.process.ProcessRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Runs a host command ({@code ip}, {@code cat}…) for a test, through the project's
 * {@link ProcessRunner}, in the tests' style: a failure to run or a timeout is an
 * {@link AssertionError} naming the command.
 *
 * <p>Never call this from inside {@code NetNs.run}: the child would be forked from the namespaced
 * thread, and the JDK's process reaper thread, if started there, would stay in the namespace.
 */
public final class Cmd {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);
    private static final ProcessRunner RUNNER = new ProcessRunner();

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

    /**
     * Runs {@code command} (no shell) with the test JVM's environment and nothing on stdin; kills
     * it and its children after {@code timeout}, which then fails the test.
     */
    public static Result run(Duration timeout, String... command) {
        String shown = String.join(" ", command);
        ProcessRunner.Outcome o;
        try {
            o = RUNNER.run(List.of(command), null, null, timeout);
        } catch (IOException e) {
            throw new AssertionError("cannot run `" + shown + "`: " + e, e);
        }
        if (o.timedOut()) {
            throw new AssertionError("`" + shown + "` did not finish within " + timeout);
        }
        return new Result(shown, o.exitCode(), text(o.stdout()), text(o.stderr()));
    }

    /** Runs with the default timeout; returns stdout or fails on a non-zero exit. */
    public static String check(String... command) {
        return run(DEFAULT_TIMEOUT, command).orFail();
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
