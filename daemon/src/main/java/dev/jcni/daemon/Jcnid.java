package dev.jcni.daemon;

import dev.jcni.core.daemon.BuildIdentity;
import dev.jcni.core.os.netns.NetNs;
import dev.jcni.core.os.socket.SeqpacketListener;
import dev.jcni.core.skel.CallerEnvironment;
import java.nio.file.Path;

/**
 * {@code bin/jcnid}: the node daemon, in the foreground (what a systemd unit or a container
 * runs). Settings come from the environment ({@link DaemonSettings}): {@code JCNI_SOCKET},
 * {@code JCNI_DAEMON_WORKERS}, systemd's {@code LISTEN_FDS}/{@code LISTEN_PID}. It logs to stderr
 * and exits 0 after SIGTERM, SIGINT or a control {@code stop} once everything accepted is done;
 * 1 when it cannot start or fails, 2 for a setting it cannot use.
 *
 * <p>It serves only when started through its launcher script (which sets
 * {@code JCNI_CALLER_LC_ALL}, as every jcni launcher script does): the build checks each start-up
 * cache by running the main class directly, and that run must not become a daemon on the build
 * host's default socket. Started otherwise it says so and exits 0.
 *
 * <p>Its build identity is that of the jars beside its own ({@link BuildIdentity#libraryOf}: the
 * directory of the jar this class was loaded from, {@code bin/lib} of an installation), computed
 * once at start: a launcher built from other jars is declined and makes this daemon drain.
 */
public final class Jcnid {
    private static final int BACKLOG = 128;

    private Jcnid() {}

    public static void main(String[] args) {
        DaemonLog log = new DaemonLog(System.err);
        if (System.getenv(CallerEnvironment.SAVED_LC_ALL) == null) {
            // Not started through bin/jcnid (every launcher script records the caller's LC_ALL):
            // the build's start-up cache check runs each main class directly, and must not start
            // a daemon on the build host's default socket.
            log.info("not started through its launcher script (bin/jcnid); not serving");
            System.exit(0);
        }
        int code;
        try {
            code = run(log);
        } catch (Exception e) {
            log.warn("cannot go on: " + e);
            code = 1;
        }
        System.exit(code);
    }

    private static int run(DaemonLog log) throws Exception {
        long pid = ProcessHandle.current().pid();
        EarlySignal early = new EarlySignal();
        Signals.onTermination(early);
        DaemonSettings settings;
        TestFault fault;
        try {
            settings = DaemonSettings.from(System.getenv(), pid);
            fault = TestFault.from(System.getenv(), log);
        } catch (DaemonSettings.Invalid e) {
            log.warn("cannot start: " + e.getMessage());
            return 2;
        }
        Path lib = BuildIdentity.libraryOf(Jcnid.class);
        if (lib == null) {
            log.warn("cannot start: jcnid runs from the jars of an installation's bin/lib, whose identity it serves");
            return 2;
        }
        String build = BuildIdentity.of(lib);
        PluginRegistry plugins = PluginRegistry.scan(System.getProperty("java.class.path"), Jcnid.class.getClassLoader(), log);
        NetNs own = NetNs.openCurrent();
        Warmup.run(plugins);
        SeqpacketListener listener;
        try {
            listener = settings.socketActivated() ? SeqpacketListener.inherit(settings.inheritedDescriptor)
                    : SeqpacketListener.bind(settings.socketPath, BACKLOG);
        } catch (dev.jcni.core.os.OsException e) {
            log.warn("cannot start: " + e.getMessage());
            return 1;
        }
        Daemon daemon = new Daemon(settings, build, plugins, own, listener, log, fault);
        if (fault != null) {
            log.warn("TEST FAULT INJECTION ON (" + TestFault.VARIABLE + "): " + fault + "; for tests only, never on a node");
        }
        log.info("pid " + pid + ", build " + build + " (" + lib + "), serving " + plugins + " at " + settings.socketPath
                + (settings.socketActivated() ? " (socket-activated)" : "") + " with " + settings.workers + " workers");
        early.attach(daemon);
        daemon.serve();
        return 0;
    }

    /** A signal before the daemon exists is kept and applied once it does. */
    private static final class EarlySignal implements Signals.Handler {
        private Daemon daemon;
        private String pending;

        @Override
        public synchronized void terminate(String signal) {
            if (daemon != null) {
                daemon.stop(signal);
            } else {
                pending = signal;
            }
        }

        synchronized void attach(Daemon d) {
            daemon = d;
            if (pending != null) {
                d.stop(pending + " during start-up");
            }
        }
    }
}
