package dev.jcni.cnictl.runtime;

import dev.jcni.core.protocol.CniException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Executes a plugin binary for one verb: the caller's environment plus the {@code CNI_*}
 * variables (ours win, as in libcni's {@code AsEnv}), the request on stdin, a deadline.
 * A non-zero exit becomes a {@link CniException} carrying the plugin's code/msg/details.
 */
public final class PluginExecutor {
    private final ProcessRunner runner;
    private final Map<String, String> baseEnv;
    private final Duration timeout;
    private final ExecObserver observer;

    PluginExecutor(ProcessRunner runner, Map<String, String> baseEnv, Duration timeout, ExecObserver observer) {
        this.runner = runner;
        this.baseEnv = Map.copyOf(baseEnv);
        this.timeout = timeout;
        this.observer = observer;
    }

    /** The CNI_* variables of an attachment verb (ADD, DEL, CHECK). */
    static Map<String, String> attachmentEnv(String command, RuntimeConf rt, String cniPath) {
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", rt.containerId());
        env.put("CNI_NETNS", rt.netns());
        env.put("CNI_ARGS", rt.cniArgsString());
        env.put("CNI_IFNAME", rt.ifName());
        env.put("CNI_PATH", cniPath);
        return env;
    }

    /** GC and STATUS: the attachment variables are present but empty, as libcni sends them. */
    static Map<String, String> networkEnv(String command, String cniPath) {
        return attachmentEnv(command, RuntimeConf.of("", "", ""), cniPath);
    }

    /** VERSION: placeholder values that plugins built on an old skel insist on. */
    static Map<String, String> versionEnv() {
        return attachmentEnv("VERSION", RuntimeConf.of("", "dummy", "dummy"), "dummy");
    }

    /**
     * Runs {@code binary} and returns its stdout on success.
     *
     * @throws CniException the plugin's error (exit != 0), a timeout (code 11, naming the plugin),
     *                      or an exec failure (code 5)
     */
    public byte[] exec(String pluginType, Path binary, Map<String, String> cniEnv, byte[] stdin) throws CniException {
        Map<String, String> env = new HashMap<>(baseEnv);
        env.putAll(cniEnv);
        String command = cniEnv.get("CNI_COMMAND");
        ProcessRunner.Outcome outcome;
        try {
            outcome = runner.run(binary, env, stdin, timeout);
        } catch (IOException e) {
            throw new CniException(CniException.IO_FAILURE, "failed to execute plugin " + binary, e.getMessage(), e);
        }
        observer.onExec(new PluginExecution(command, pluginType, binary, stdin, outcome.stdout(), outcome.stderr(),
                outcome.exitCode(), outcome.elapsed(), outcome.timedOut()));
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
