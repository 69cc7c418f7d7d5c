package dev.jcni.hostlocal;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Result;
import dev.jcni.core.skel.Log;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * ADD's allocation: one address from each range set, all or nothing, under the store's lock.
 *
 * <p>As the reference: a requested address is taken from the set that holds it (which
 * {@link IpamConfig} assigned, before anything was written); otherwise an attachment that already
 * holds an address of the set is refused (duplicate allocation), and the round-robin walk
 * ({@link RangeCursor}) takes the first free address after the set's last reserved one. Its
 * messages are the reference's. Unlike it: a failure releases exactly
 * the addresses this request took (the reference releases every lease of the attachment) and puts
 * the round-robin records back; the free addresses are found from one listing of the store rather
 * than by trying to create each one.
 */
final class Allocator {
    private final LeaseStore store;
    /** The addresses the last {@link #allocate} leased, by range set, for {@link #undo}. */
    private final List<IpAddress> reserved = new ArrayList<>();
    /** Each range set's round-robin record before the last {@link #allocate} changed it. */
    private final List<IpAddress> previousLast = new ArrayList<>();

    Allocator(LeaseStore store) {
        this.store = store;
    }

    /**
     * The result's {@code ips}, one per range set in set order; nothing leased when it throws.
     * What it leased stays recorded for {@link #undo}, for a failure after it.
     */
    List<Result.IpConfig> allocate(IpamConfig config, String containerId, String ifName) throws CniException {
        List<RangeSet> sets = config.rangeSets();
        List<Lease> leases = store.leases();
        Set<IpAddress> taken = new HashSet<>();
        for (Lease lease : leases) {
            taken.add(lease.ip());
        }
        List<Result.IpConfig> ips = new ArrayList<>(sets.size());
        boolean done = false;
        try {
            for (int i = 0; i < sets.size(); i++) {
                RangeSet set = sets.get(i);
                IpAddress ip;
                try {
                    IpAddress requested = config.requestedFor(i);
                    ip = requested != null ? takeRequested(set, requested, taken, containerId, ifName)
                            : takeNext(set, i, leases, taken, containerId, ifName);
                } catch (CniException e) {
                    throw new CniException(e.code(), "failed to allocate for range " + i + ": " + e.msg(), e.details());
                }
                reserved.add(ip);
                taken.add(ip);
                previousLast.add(store.lastReserved(i));
                store.recordLastReserved(i, ip);
                SubnetRange range = set.rangeFor(ip);
                ips.add(new Result.IpConfig(range.withPrefix(ip), range.gateway(), null, null));
            }
            done = true;
            return ips;
        } finally {
            if (!done) {
                undo();
            }
        }
    }

    /** A requested address ({@link IpamConfig} made sure it is in the set and not its gateway). */
    private IpAddress takeRequested(RangeSet set, IpAddress ip, Set<IpAddress> taken, String containerId, String ifName)
            throws CniException {
        if (taken.contains(ip) || !store.reserve(ip, containerId, ifName)) {
            throw new CniException(CniException.PLUGIN_FAILURE, "requested IP address " + ip
                    + " is not available in range set " + set);
        }
        return ip;
    }

    private IpAddress takeNext(RangeSet set, int index, List<Lease> leases, Set<IpAddress> taken, String containerId,
                               String ifName) throws CniException {
        for (Lease lease : leases) {
            if ((lease.isOwnedBy(containerId, ifName) || lease.isLegacyOwnedBy(containerId)) && set.contains(lease.ip())) {
                throw new CniException(CniException.PLUGIN_FAILURE, lease.ip() + " has been allocated to " + containerId
                        + ", duplicate allocation is not allowed", "release it with DEL first");
            }
        }
        RangeCursor cursor = new RangeCursor(set, store.lastReserved(index));
        for (IpAddress candidate = cursor.next(); candidate != null; candidate = cursor.next()) {
            if (!taken.contains(candidate) && store.reserve(candidate, containerId, ifName)) {
                return candidate;
            }
        }
        throw new CniException(CniException.PLUGIN_FAILURE, "no IP addresses available in range set: " + set);
    }

    /**
     * Undoes a failed request: the leases {@link #allocate} took released, the round-robin records
     * as they were. Then nothing is left to undo.
     */
    void undo() {
        for (int i = 0; i < reserved.size(); i++) {
            if (!store.release(reserved.get(i))) {
                Log.warn("could not release " + reserved.get(i) + " after the failed ADD");
            }
            // A lease whose set's record was not read yet (a failure in between) has no record to put back.
            if (i >= previousLast.size()) {
                continue;
            }
            try {
                store.recordLastReserved(i, previousLast.get(i));
            } catch (CniException e) {
                Log.warn("could not restore the round-robin record of range set " + i + ": " + e.getMessage());
            }
        }
        reserved.clear();
        previousLast.clear();
    }
}
