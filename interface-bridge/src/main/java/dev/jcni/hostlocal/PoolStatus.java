package dev.jcni.hostlocal;

import dev.jcni.core.protocol.CniException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * STATUS for host-local (the reference has none): can an ADD of this config succeed? Code 50
 * when it cannot: the lease store cannot be used or created, the resolv.conf cannot be read, or
 * a range set has no free address left. Read without the store's lock and without creating
 * anything: a snapshot is what a readiness report needs.
 */
final class PoolStatus {
    private PoolStatus() {}

    static void check(IpamConfig config) throws CniException {
        Path dir = config.location().dir();
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            String problem = LeaseStore.problem(dir);
            if (problem != null) {
                throw unavailable("the lease store " + dir + " cannot be used: " + problem, null);
            }
        } else {
            Path existing = dir.getParent();
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
                throw unavailable("the lease store " + dir + " cannot be created", existing == null ? null
                        : existing + " is not a directory this user may write");
            }
        }
        if (config.resolvConf() != null) {
            try {
                ResolvConf.read(config.resolvConf());
            } catch (CniException e) {
                throw unavailable(e.msg(), e.details());
            }
        }
        try (LeaseStore store = LeaseStore.snapshot(config.location())) {
            if (store == null) {
                return;
            }
            List<Lease> leases = store.leases();
            List<RangeSet> sets = config.rangeSets();
            for (int i = 0; i < sets.size(); i++) {
                RangeSet set = sets.get(i);
                long used = 0;
                for (Lease lease : leases) {
                    if (set.contains(lease.ip()) && !set.isReservedGateway(lease.ip())) {
                        used++;
                    }
                }
                BigInteger capacity = set.allocatable();
                if (BigInteger.valueOf(used).compareTo(capacity) >= 0) {
                    throw unavailable("no IP addresses available in range set: " + set,
                            "range set " + i + ": all " + capacity + " addresses are leased");
                }
            }
        }
    }

    private static CniException unavailable(String msg, String details) {
        return new CniException(CniException.NOT_AVAILABLE, "host-local cannot serve ADD: " + msg, details);
    }
}
