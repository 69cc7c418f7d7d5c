package dev.jcni.core.invoke;

import dev.jcni.core.os.process.ProcessRunner;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.skel.Command;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One exec of a plugin binary, in CNI terms: the bytes it answered, or its failure as a
 * {@link CniException}. The one place that decides what a failed plugin exec means, for the
 * runtime running a chain and for a plugin running its delegate alike:
 * <ul>
 *   <li>the binary could not be executed: code 5, naming it;</li>
 *   <li>it outlived its deadline: code 11 ("try again later"), naming the plugin, the verb, the
 *       deadline and the pid whose process tree was killed;</li>
 *   <li>it exited non-zero: its own error object from stdout, code, msg and details unchanged
 *       (see {@link PluginErrors} for output that is no error object).</li>
 * </ul>
 */
public final class PluginExec {
    private PluginExec() {}

    /** Runs {@code binary} with exactly {@code env} and {@code stdin} under {@code timeout}; code 5 if it cannot start. */
    public static ProcessRunner.Outcome run(ProcessRunner runner, Path binary, Map<String, String> env, byte[] stdin,
                                            Duration timeout) throws CniException {
        try {
            return runner.run(List.of(binary.toString()), env, stdin, timeout);
        } catch (IOException e) {
            throw new CniException(CniException.IO_FAILURE, "failed to execute plugin " + binary, e.getMessage(), e);
        }
    }

    /** The stdout of an exec that succeeded; otherwise the error it stands for. */
    public static byte[] stdoutOrError(ProcessRunner.Outcome outcome, Command command, String pluginType, Path binary,
                                       Duration timeout) throws CniException {
        if (outcome.timedOut()) {
            throw new CniException(CniException.TRY_AGAIN_LATER, "plugin \"" + pluginType + "\" timed out",
                    command + " did not finish within " + describe(timeout) + "; " + binary
                    + " (pid " + outcome.pid() + ") and its child processes were killed");
        }
        if (outcome.exitCode() != 0) {
            throw PluginErrors.fromOutput(outcome.exitCode(), outcome.stdout(), outcome.stderr());
        }
        return outcome.stdout();
    }

    private static String describe(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }
}
