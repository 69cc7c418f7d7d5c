package dev.jcni.cnictl.runtime;

import dev.jcni.core.invoke.PluginExec;
import dev.jcni.core.os.process.ProcessRunner;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.skel.Command;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Executes a plugin binary for one verb: the caller's environment plus the {@code CNI_*}
 * variables (ours win, as in libcni's {@code AsEnv}), the request on stdin, a deadline. What a
 * failure means (exec error, timeout, the plugin's own error object) is decided by
 * {@link PluginExec}, the same rules a plugin applies to its delegate; every exec, failed or not,
 * is reported to the {@link ExecObserver} first.
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

    /** The CNI_* variables of an attachment verb (ADD, DEL, CHECK), but CNI_COMMAND, which {@link #exec} sets. */
    static Map<String, String> attachmentEnv(RuntimeConf rt, String cniPath) {
        Map<String, String> env = new HashMap<>();
        env.put("CNI_CONTAINERID", rt.containerId());
        env.put("CNI_NETNS", rt.netns());
        env.put("CNI_ARGS", rt.cniArgsString());
        env.put("CNI_IFNAME", rt.ifName());
        env.put("CNI_PATH", cniPath);
        return env;
    }

    /** GC and STATUS: the attachment variables are present but empty, as libcni sends them. */
    static Map<String, String> networkEnv(String cniPath) {
        return attachmentEnv(RuntimeConf.of("", "", ""), cniPath);
    }

    /** VERSION: placeholder values that plugins built on an old skel insist on. */
    static Map<String, String> versionEnv() {
        return attachmentEnv(RuntimeConf.of("", "dummy", "dummy"), "dummy");
    }

    /**
     * Runs {@code binary} for {@code command} (its CNI_COMMAND) and returns its stdout on success.
     *
     * @param cniEnv the other CNI_* variables ({@link #attachmentEnv}, {@link #networkEnv}, {@link #versionEnv})
     * @throws CniException the plugin's error (exit != 0), a timeout (code 11, naming the plugin),
     *                      or an exec failure (code 5)
     */
    public byte[] exec(Command command, String pluginType, Path binary, Map<String, String> cniEnv, byte[] stdin)
            throws CniException {
        Map<String, String> env = new HashMap<>(baseEnv);
        env.putAll(cniEnv);
        env.put("CNI_COMMAND", command.name());
        ProcessRunner.Outcome outcome = PluginExec.run(runner, binary, env, stdin, timeout);
        observer.onExec(new PluginExecution(command, pluginType, binary, stdin, outcome.stdout(), outcome.stderr(),
                outcome.exitCode(), outcome.elapsed(), outcome.timedOut()));
        return PluginExec.stdoutOrError(outcome, command, pluginType, binary, timeout);
    }
}
