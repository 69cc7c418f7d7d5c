package dev.jcni.core.os.internal;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Frees used libnftables contexts on a thread of its own, so the request that used one does not
 * wait for it.
 *
 * <p>Why: {@code nft_ctx_free} first closes the context's netfilter netlink socket, and the kernel
 * (nf_tables' {@code NETLINK_URELEASE} handler) then flushes its pending transaction-destroy
 * work, which waits for an RCU grace period, whenever a recent commit left objects to destroy (a
 * flushed chain, a deleted rule or element). Measured here: 6-17 ms per close after such a
 * commit, against 0.05 ms otherwise; it was most of bridge's masquerade step and of every
 * portmap DEL through jcnid. Nothing a request answers depends on that wait: the commit is
 * complete when {@code nft_run_cmd_from_buffer} returns.
 *
 * <p>The free still runs under {@link LibNftables#LOCK}, because {@code nft_ctx_free} also
 * releases libnftables' global interface cache. A plugin process that halts with a context
 * queued loses nothing: the kernel closes the socket at exit.
 */
final class ContextReaper extends Thread {
    /** One used context and the row that frees it. */
    private static final class Used {
        final NativeFunction free;
        final long ctx;

        Used(NativeFunction free, long ctx) {
            this.free = free;
            this.ctx = ctx;
        }
    }

    private static ContextReaper running;

    private final BlockingQueue<Used> queue = new LinkedBlockingQueue<>();

    private ContextReaper() {
        super("libnftables-context-reaper");
        setDaemon(true);
    }

    /** Queues {@code ctx} to be freed by {@code free} under the library's one lock. */
    static void free(NativeFunction free, long ctx) {
        ContextReaper reaper;
        synchronized (ContextReaper.class) {
            if (running == null) {
                running = new ContextReaper();
                running.start();
            }
            reaper = running;
        }
        reaper.queue.add(new Used(free, ctx));
    }

    @Override
    public void run() {
        while (true) {
            Used used;
            try {
                used = queue.take();
            } catch (InterruptedException e) {
                // Nobody interrupts this thread; a daemon thread simply ends with the JVM.
                continue;
            }
            synchronized (LibNftables.LOCK) {
                used.free.callUnchecked(used.ctx);
            }
        }
    }
}
