package dev.jcni.daemon;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.daemon.Reply;
import dev.jcni.core.daemon.Wire;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netns.NetNs;
import dev.jcni.core.os.socket.PeerCredentials;
import dev.jcni.core.os.socket.SeqpacketListener;
import dev.jcni.core.os.socket.SeqpacketSocket;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The serving loop: accepts connections, checks who connected, and hands each one to a thread of
 * its own ({@link Connection}); stops by draining (nothing new accepted, everything accepted
 * finished), then returns.
 *
 * <p>Checked on the accepting thread, before anything is read: the peer ({@code SO_PEERCRED}:
 * root or our own uid, else declined 4), draining (declined 5), and a bound on open connections
 * (declined 3), so no caller can make the daemon hold more threads than that.
 */
final class Daemon {
    /** How long one accept waits before the loop looks at its state again (drain, idleness). */
    private static final int ACCEPT_WAIT_MILLIS = 200;
    private static final Duration DECLINE_SEND_DEADLINE = Duration.ofSeconds(1);
    /** A declined caller's unread messages dropped before closing: its HELLO and the first STDIN chunks. */
    private static final int MAX_DISCARDED = 64;

    final DaemonSettings settings;
    final String build;
    final PluginRegistry plugins;
    final Workers workers;
    final Drain drain = new Drain();
    final Stats stats = new Stats();
    final DaemonLog log;
    final RequestRunner runner;
    /** Null except in failure-mode tests ({@link TestFault}). */
    final TestFault fault;
    private final SeqpacketListener listener;
    private final PeerCredentials self = PeerCredentials.self();
    private final Semaphore connections;
    private final AtomicLong ids = new AtomicLong();
    private final long started = System.nanoTime();

    Daemon(DaemonSettings settings, String build, PluginRegistry plugins, NetNs ownNamespace, SeqpacketListener listener,
            DaemonLog log, TestFault fault) {
        this.settings = settings;
        this.fault = fault;
        this.build = build;
        this.plugins = plugins;
        this.workers = new Workers(settings.workers);
        this.connections = new Semaphore(settings.connections);
        this.log = log;
        this.runner = new RequestRunner(ownNamespace, log, fault);
        this.listener = listener;
    }

    /** Serves until drained; closes the listener (removing the socket file it made) before returning. */
    void serve() throws OsException {
        try {
            // Once draining (stop removed the socket file) new launchers find no socket and run
            // in-process at once; those queued already are still accepted, and declined as draining.
            while (!drain.drained()) {
                if (settings.idleExit != null && !drain.draining() && drain.idleFor(settings.idleExit.toNanos())) {
                    stop("idle for " + settings.idleExit.toSeconds() + " s (socket-activated)");
                    continue;
                }
                SeqpacketSocket c = listener.accept(ACCEPT_WAIT_MILLIS);
                if (c != null) {
                    admit(c);
                }
            }
        } finally {
            listener.close();
        }
        log.info("drained (" + drain.reason() + "), " + stats.total() + " requests served; exiting");
    }

    /** Starts draining: accept nothing new, finish what was accepted, then {@link #serve} returns. */
    void stop(String why) {
        if (drain.start(why)) {
            // At once, not at the loop's next turn: a launcher connecting now finds no socket.
            listener.removeFile();
            log.info("stopping: " + why + "; finishing " + drain.connections() + " open requests");
        }
    }

    private void admit(SeqpacketSocket c) {
        long id = ids.incrementAndGet();
        try {
            PeerCredentials peer = c.peer();
            if (peer.uid() != 0 && peer.uid() != self.uid()) {
                decline(c, id, Wire.DECLINED_PEER, "uid " + peer.uid() + " (pid " + peer.pid() + ") is neither root nor this daemon's uid "
                        + self.uid());
                c.close();
                return;
            }
            if (drain.draining()) {
                decline(c, id, Wire.DECLINED_DRAINING, "jcnid is stopping: " + drain.reason());
                c.close();
                return;
            }
            if (!connections.tryAcquire()) {
                decline(c, id, Wire.DECLINED_BUSY, "too many open connections (" + settings.connections + ")");
                c.close();
                return;
            }
        } catch (OsException | RuntimeException e) {
            log.warn("#" + id + " dropped: " + e.getMessage());
            c.close();
            return;
        }
        drain.opened();
        Thread t = new Thread(new Connection(this, c, id), "jcnid-request-" + id);
        t.setDaemon(true);
        try {
            t.start();
        } catch (OutOfMemoryError | RuntimeException e) {
            finished();
            decline(c, id, Wire.DECLINED_BUSY, "cannot start a thread: " + e);
            c.close();
        }
    }

    /** Called by each connection's thread when it is done. */
    void finished() {
        connections.release();
        drain.closed();
    }

    /** Sends DECLINED (best effort: a launcher that went away runs in-process anyway) and counts it. */
    void decline(SeqpacketSocket c, long id, int reason, String message) {
        stats.declined(reason);
        log.info("#" + id + " declined (" + Wire.reasonName(reason) + "): " + message);
        try {
            c.sendTimeout(DECLINE_SEND_DEADLINE);
            c.send(Reply.encodeDeclined(reason, message));
            // Unread request messages would turn the caller's read of this answer into ECONNRESET.
            c.discardPending(MAX_DISCARDED);
        } catch (OsException | RuntimeException e) {
            // the caller is gone or not reading: nothing to do
        }
    }

    /** {@code cnictl daemon status}: who we are, what we serve, what we did. */
    ObjectNode status() {
        ObjectNode o = Stats.object();
        o.put("pid", ProcessHandle.current().pid());
        o.put("build", build);
        o.put("uptimeSeconds", (System.nanoTime() - started) / 1_000_000_000L);
        o.put("socket", settings.socketPath);
        o.put("socketActivated", settings.socketActivated());
        ArrayNode served = o.putArray("plugins");
        for (String type : plugins.types()) {
            served.add(type);
        }
        ObjectNode w = o.putObject("workers");
        w.put("size", workers.size());
        w.put("busy", workers.busy());
        o.put("draining", drain.draining());
        if (drain.draining()) {
            o.put("drainReason", drain.reason());
        }
        stats.addTo(o);
        return o;
    }
}
