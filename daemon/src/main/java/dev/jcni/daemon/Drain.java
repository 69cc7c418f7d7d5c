package dev.jcni.daemon;

/**
 * Whether jcnid is stopping, and the connections it still owes an answer. Once draining (SIGTERM,
 * a control {@code stop}, a launcher of another build, idleness) nothing new is accepted; the
 * daemon exits when the last connection it took is done.
 */
final class Drain {
    private String reason;
    private int connections;
    private long lastActivity = System.nanoTime();

    /** Starts draining; true the first time (the reason given then is kept). */
    synchronized boolean start(String why) {
        if (reason != null) {
            return false;
        }
        reason = why;
        notifyAll();
        return true;
    }

    synchronized boolean draining() {
        return reason != null;
    }

    synchronized String reason() {
        return reason;
    }

    synchronized void opened() {
        connections++;
        lastActivity = System.nanoTime();
    }

    synchronized void closed() {
        connections--;
        lastActivity = System.nanoTime();
        notifyAll();
    }

    synchronized int connections() {
        return connections;
    }

    /** Draining and nothing owed: time to exit. */
    synchronized boolean drained() {
        return reason != null && connections == 0;
    }

    /** No connection open, and none for at least {@code nanos}. */
    synchronized boolean idleFor(long nanos) {
        return connections == 0 && System.nanoTime() - lastActivity >= nanos;
    }
}
