package dev.jcni.daemon;

import java.util.concurrent.Semaphore;

/**
 * The bound on requests running at once: a request reserves a worker before it is accepted, and
 * none free means "busy" (declined, the launcher runs it in-process) rather than a wait. Each
 * request runs on a fresh platform thread of its own (its connection's), which may enter the
 * caller's namespace and then ends: no pooled thread ever carries a namespace into the next
 * request. A request that delegates to one of our plugins through its launcher is answered
 * in-process inside the same worker (InProcessPlugins), or, exec'ed, is declined busy by a full
 * pool and runs in its own JVM: a nested request never waits for a worker, so it cannot deadlock.
 */
final class Workers {
    private final int size;
    private final Semaphore free;

    Workers(int size) {
        this.size = size;
        this.free = new Semaphore(size);
    }

    boolean tryReserve() {
        return free.tryAcquire();
    }

    void release() {
        free.release();
    }

    int size() {
        return size;
    }

    int busy() {
        return size - free.availablePermits();
    }
}
