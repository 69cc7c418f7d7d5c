package dev.jcni.daemon;

import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netns.NamespaceOverride;
import dev.jcni.core.os.netns.NetNs;
import dev.jcni.core.skel.CniPlugin;
import dev.jcni.core.skel.Log;
import dev.jcni.core.skel.PluginMain;
import dev.jcni.core.skel.Skel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Runs one accepted plugin request exactly as a plugin process would, with the caller's view:
 *
 * <ul>
 *   <li>in the caller's network namespace: when the launcher's own namespace (the first
 *       descriptor) is not the daemon's, the request runs on a fresh thread that entered it
 *       ({@link NetNs#run}), so host-side links, routes and rules land where the caller's
 *       in-process run would have put them;</li>
 *   <li>with the request's {@code CNI_NETNS} string bound to the passed sandbox descriptor
 *       ({@link NamespaceOverride}): the daemon never opens that path, which may not exist in its
 *       mount view;</li>
 *   <li>through {@link PluginMain#handle}, the plugin process's own entry (environment restored,
 *       stdin bound, last resort);</li>
 *   <li>with its log captured ({@link Log#capture}) as its stderr, each line also copied to the
 *       daemon's log;</li>
 *   <li>within the launcher's deadline ({@link RequestDeadline}): not started past it, failed at
 *       the first phase mark past it.</li>
 * </ul>
 */
final class RequestRunner {
    /**
     * What the request's process would have printed and how it would have exited; {@code abandoned}
     * is null, or says why jcnid gave the request up ({@link RequestDeadline}): then no RESULT is sent.
     */
    record Output(int exitCode, byte[] stdout, byte[] stderr, String abandoned) {
        Output(int exitCode, byte[] stdout, byte[] stderr) {
            this(exitCode, stdout, stderr, null);
        }
    }

    private final NetNs daemonNamespace;
    private final DaemonLog log;
    private final TestFault fault;

    RequestRunner(NetNs daemonNamespace, DaemonLog log, TestFault fault) {
        this.daemonNamespace = daemonNamespace;
        this.log = log;
        this.fault = fault;
    }

    /**
     * Runs {@code plugin} as {@code type} for this environment and stdin.
     *
     * @param caller  the launcher's own namespace
     * @param sandbox the opened CNI_NETNS, or null (then CNI_NETNS is unset or empty)
     * @param deadline when the launcher gives up: past it the request is not started, and the
     *                 first phase mark reached past it fails the request (then {@link Output#abandoned})
     * @throws OsException when the caller's namespace cannot be entered: nothing ran
     */
    Output run(long id, String type, CniPlugin plugin, Map<String, String> env, byte[] stdin, NetNs caller, NetNs sandbox,
            RequestDeadline deadline) throws OsException {
        long now = System.nanoTime();
        if (deadline.passed(now)) {
            return new Output(1, new byte[0], new byte[0], "not started: " + deadline.why(now) + "; nothing ran");
        }
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        RequestStderr tee = new RequestStderr(stderr, log, id);
        PrintStream stream = new PrintStream(tee, true, StandardCharsets.UTF_8);
        RequestDeadline.Guard phases = deadline.guard(fault == null ? null : fault.phasesOf(type));
        NetNs.Task<Skel.Outcome, RuntimeException> task = new NetNs.Task<Skel.Outcome, RuntimeException>() {
            @Override
            public Skel.Outcome run() {
                try (Log.Capture capture = Log.capture(stream, phases);
                     NamespaceOverride.Binding binding = sandbox == null ? null
                             : NamespaceOverride.bind(env.get("CNI_NETNS"), sandbox)) {
                    return PluginMain.handle(type, plugin, env, new ByteArrayInputStream(stdin));
                }
            }
        };
        Skel.Outcome outcome = caller.sameNamespaceAs(daemonNamespace) ? task.run() : caller.run(task);
        stream.flush();
        tee.end();
        String abandonedAt = phases.abandonedAt();
        String abandoned = abandonedAt == null ? null
                : "failed at \"" + abandonedAt + "\" (its undo ran, exit " + outcome.exitCode() + "): " + deadline.why(System.nanoTime());
        return new Output(outcome.exitCode(), outcome.stdout(), stderr.toByteArray(), abandoned);
    }
}
