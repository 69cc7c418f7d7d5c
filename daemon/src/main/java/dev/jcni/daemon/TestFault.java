package dev.jcni.daemon;

import dev.jcni.core.skel.Log;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * TEST ONLY: a fault injected into jcnid so that the failure-mode tests can kill or hang the real
 * daemon at a chosen point of a request (docs/daemon.md, "Failure modes"). Off unless
 * {@code JCNI_DAEMON_TEST_FAULT} is set in jcnid's OWN environment (a node setting, like every
 * other jcnid setting): nothing in a request, its environment or its network config can switch it
 * on. jcnid logs a warning at start when it is set; never set it on a real node.
 *
 * <p>{@code JCNI_DAEMON_TEST_FAULT=ACTION:PLUGIN:POINT}
 * <ul>
 *   <li>ACTION {@code kill}: jcnid sends itself SIGKILL (a crash: no drain, no reply, nothing
 *       cleaned up); {@code stop}: SIGSTOP (a hung daemon, until someone sends SIGCONT);</li>
 *   <li>PLUGIN: the plugin type whose requests trigger it ({@code bridge});</li>
 *   <li>POINT {@code before-accept}: the request was read, checked and given a worker, ACCEPTED
 *       not sent yet; {@code after-accept}: ACCEPTED sent, nothing run yet; {@code after:PHASE}:
 *       as soon as the request reaches a phase its plugin marks with {@link Log#timing}
 *       ({@code after:veth pair}, {@code after:IPAM ADD}, {@code after:masquerade} for bridge's ADD).</li>
 * </ul>
 * It fires once: the first matching request of this daemon.
 */
final class TestFault {
    static final String VARIABLE = "JCNI_DAEMON_TEST_FAULT";

    enum Point { BEFORE_ACCEPT, AFTER_ACCEPT, PHASE }

    private final String signal;
    private final String plugin;
    private final Point point;
    private final String phase;
    private final DaemonLog log;
    private final AtomicBoolean fired = new AtomicBoolean();

    private TestFault(String signal, String plugin, Point point, String phase, DaemonLog log) {
        this.signal = signal;
        this.plugin = plugin;
        this.point = point;
        this.phase = phase;
        this.log = log;
    }

    /** The fault jcnid's environment asks for, or null (the variable unset or empty: always, on a real node). */
    static TestFault from(Map<String, String> env, DaemonLog log) throws DaemonSettings.Invalid {
        String text = env.get(VARIABLE);
        if (text == null || text.isEmpty()) {
            return null;
        }
        String[] parts = text.split(":", 3);
        if (parts.length != 3 || parts[1].isEmpty()) {
            throw new DaemonSettings.Invalid(VARIABLE + " \"" + text + "\" is not ACTION:PLUGIN:POINT");
        }
        String signal;
        if (parts[0].equals("kill")) {
            signal = "KILL";
        } else if (parts[0].equals("stop")) {
            signal = "STOP";
        } else {
            throw new DaemonSettings.Invalid(VARIABLE + " \"" + text + "\": the action is kill or stop");
        }
        String where = parts[2];
        if (where.equals("before-accept")) {
            return new TestFault(signal, parts[1], Point.BEFORE_ACCEPT, null, log);
        }
        if (where.equals("after-accept")) {
            return new TestFault(signal, parts[1], Point.AFTER_ACCEPT, null, log);
        }
        if (where.startsWith("after:") && where.length() > "after:".length()) {
            return new TestFault(signal, parts[1], Point.PHASE, where.substring("after:".length()), log);
        }
        throw new DaemonSettings.Invalid(VARIABLE + " \"" + text + "\": the point is before-accept, after-accept or after:PHASE");
    }

    /** Fires when a request of this fault's plugin reaches {@code where} (not a phase). */
    void at(Point where, String requestPlugin) {
        if (where == point && plugin.equals(requestPlugin)) {
            fire(where.name().toLowerCase().replace('_', '-'));
        }
    }

    /** The phase listener for a request of {@code requestPlugin}, or null when this fault is not about its phases. */
    Log.Phases phasesOf(String requestPlugin) {
        if (point != Point.PHASE || !plugin.equals(requestPlugin)) {
            return null;
        }
        return new Log.Phases() {
            @Override
            public void reached(String reached) {
                if (phase.equals(reached)) {
                    fire("after " + reached);
                }
            }
        };
    }

    private void fire(String where) {
        if (!fired.compareAndSet(false, true)) {
            return;
        }
        long pid = ProcessHandle.current().pid();
        log.warn("TEST FAULT (" + VARIABLE + "): SIG" + signal + " to myself (" + pid + ") at " + plugin + " " + where);
        try {
            // A real signal, from outside: Runtime.halt would still close descriptors in an order
            // of the JVM's choosing, and a hang needs SIGSTOP anyway.
            Process kill = new ProcessBuilder("/bin/kill", "-" + signal, Long.toString(pid)).inheritIO().start();
            kill.waitFor();
            if (signal.equals("KILL")) {
                while (true) {
                    Thread.sleep(60_000);
                }
            }
        } catch (IOException e) {
            log.warn("TEST FAULT: cannot run /bin/kill: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "SIG" + signal + " at " + plugin + " " + (point == Point.PHASE ? "after " + phase : point.name().toLowerCase());
    }
}
