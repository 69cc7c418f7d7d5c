package dev.jcni.daemon;

import dev.jcni.core.daemon.Wire;
import dev.jcni.core.os.socket.SeqpacketListener;
import dev.jcni.core.os.socket.SeqpacketSocket;
import java.time.Duration;
import java.util.Map;

/**
 * jcnid's settings, all from its environment (it takes no arguments): where to listen, how many
 * requests at once, and whether it was socket-activated.
 */
final class DaemonSettings {
    static final String WORKERS = "JCNI_DAEMON_WORKERS";
    static final String IDLE_EXIT = "JCNI_DAEMON_IDLE_EXIT";
    static final int DEFAULT_WORKERS = 16;
    static final int MAX_WORKERS = 1024;
    /** Under socket activation only: exit after this long without a connection (systemd starts us again). */
    static final Duration DEFAULT_IDLE_EXIT = Duration.ofMinutes(10);
    /** Each read of a request: HELLO and every STDIN chunk (docs/daemon-protocol.md). */
    static final Duration READ_DEADLINE = Duration.ofSeconds(5);
    /**
     * ACCEPTED is never sent later than this after the HELLO arrived (DECLINED 3 instead): the
     * launcher gives up after 5 s and runs the request in-process.
     */
    static final Duration LATEST_ACCEPT = Duration.ofSeconds(4);
    /** Each reply message: a launcher that stops reading does not hold a worker for ever. */
    static final Duration SEND_DEADLINE = Duration.ofSeconds(30);

    final String socketPath;
    final int workers;
    /** Connections being read or run at once; beyond it a new one is declined busy at once. */
    final int connections;
    /** systemd's listening descriptor, or -1 when jcnid binds the socket itself. */
    final int inheritedDescriptor;
    /** Null: never exit when idle. */
    final Duration idleExit;

    private DaemonSettings(String socketPath, int workers, int inheritedDescriptor, Duration idleExit) {
        this.socketPath = socketPath;
        this.workers = workers;
        this.connections = workers * 2 + 8;
        this.inheritedDescriptor = inheritedDescriptor;
        this.idleExit = idleExit;
    }

    /** A setting that cannot be used; jcnid says so and exits. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    static DaemonSettings from(Map<String, String> env, long pid) throws Invalid {
        String socket = Wire.socketPath(env.get(Wire.SOCKET_VARIABLE));
        int workers = number(env, WORKERS, DEFAULT_WORKERS, 1, MAX_WORKERS);
        boolean activated = socketActivated(env, pid);
        if (!activated && !SeqpacketSocket.fitsAddress(socket)) {
            throw new Invalid(Wire.SOCKET_VARIABLE + " \"" + socket + "\" is longer than a socket path may be (107 bytes)");
        }
        Duration idle = null;
        if (activated) {
            int seconds = number(env, IDLE_EXIT, (int) DEFAULT_IDLE_EXIT.toSeconds(), 0, 86_400 * 7);
            idle = seconds == 0 ? null : Duration.ofSeconds(seconds);
        }
        return new DaemonSettings(socket, workers, activated ? SeqpacketListener.SYSTEMD_FIRST_DESCRIPTOR : -1, idle);
    }

    /** sd_listen_fds(3): LISTEN_PID names this process and LISTEN_FDS is at least 1. */
    static boolean socketActivated(Map<String, String> env, long pid) throws Invalid {
        String listenPid = env.get("LISTEN_PID");
        String listenFds = env.get("LISTEN_FDS");
        if (listenPid == null || listenFds == null || !listenPid.equals(Long.toString(pid))) {
            return false;
        }
        try {
            int n = Integer.parseInt(listenFds);
            if (n < 1) {
                return false;
            }
            if (n > 1) {
                throw new Invalid("LISTEN_FDS is " + n + "; jcnid serves one socket (its .socket unit must list one)");
            }
            return true;
        } catch (NumberFormatException e) {
            throw new Invalid("LISTEN_FDS \"" + listenFds + "\" is not a number");
        }
    }

    private static int number(Map<String, String> env, String name, int otherwise, int min, int max) throws Invalid {
        String text = env.get(name);
        if (text == null || text.isEmpty()) {
            return otherwise;
        }
        try {
            int v = Integer.parseInt(text);
            if (v < min || v > max) {
                throw new Invalid(name + " is " + v + "; it must be " + min + " to " + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new Invalid(name + " \"" + text + "\" is not a number");
        }
    }

    boolean socketActivated() {
        return inheritedDescriptor >= 0;
    }
}
