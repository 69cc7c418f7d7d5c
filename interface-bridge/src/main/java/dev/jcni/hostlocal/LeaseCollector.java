package dev.jcni.hostlocal;

import dev.jcni.core.skel.ValidAttachments;
import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.JsonFields;
import dev.jcni.core.skel.Log;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * GC for host-local (the reference has none: leases of attachments whose DEL never came stay
 * forever, plugins#1047): under the store's lock, releases every lease whose attachment is not
 * in {@code cni.dev/valid-attachments} (or the older {@code cni.dev/attachments}).
 *
 * <p>A lease in the format without an interface name stays while any valid attachment has its
 * container ID. An empty lease is released: the store is written under its lock only, so an
 * empty file seen under the lock is one whose writer died before writing. A file whose text is
 * neither format, or that could not be read (a link, a FIFO, another user's file), is left alone
 * with a warning: GC releases leases, nothing else.
 */
final class LeaseCollector {
    private final LeaseStore store;

    LeaseCollector(LeaseStore store) {
        this.store = store;
    }

    /** The addresses released. */
    List<String> collect(ValidAttachments valid) throws CniException {
        List<String> released = new ArrayList<>();
        for (Lease lease : store.leases()) {
            if (!lease.isReadable()) {
                Log.warn("GC: leaving " + store.dir().resolve(lease.ip().toString()) + " alone: it " + lease.refusal());
                continue;
            }
            String id = lease.containerId();
            boolean stale;
            if (lease.isEmpty()) {
                stale = true;
            } else if (id == null) {
                Log.warn("GC: leaving " + store.dir().resolve(lease.ip().toString()) + " alone: its text is not a lease");
                continue;
            } else {
                String ifName = lease.ifName();
                stale = ifName == null ? !valid.containsContainer(id) : !valid.contains(id, ifName);
            }
            if (stale) {
                if (store.release(lease.ip())) {
                    released.add(lease.ip() + (lease.isEmpty() ? " (empty)" : " (" + lease.text().replace(Lease.LINE_BREAK, "/") + ")"));
                }
            }
        }
        return released;
    }
}
