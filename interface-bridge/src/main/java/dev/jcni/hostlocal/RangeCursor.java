package dev.jcni.hostlocal;

import dev.jcni.core.net.IpAddress;
import java.util.List;

/**
 * The reference's round-robin walk over a range set (its {@code RangeIter}): from the address
 * after the last one reserved when that one is still in the set (else from the first range's
 * start), to the end of its range, on to the next range's start, wrapping from the last range to
 * the first, until it is back where it started. Gateways are skipped. Round robin exists so a
 * released address is not handed out again at once (stale ARP caches, cni#194).
 *
 * <p>Kept step for step as the reference walks, so that both plugins, sharing a store, continue
 * each other's walk and hand out the same next address.
 */
final class RangeCursor {
    private final List<SubnetRange> ranges;
    private int rangeIndex;
    private IpAddress current;
    private IpAddress start;

    RangeCursor(RangeSet set, IpAddress lastReserved) {
        this.ranges = set.ranges();
        SubnetRange last = lastReserved == null ? null : set.rangeFor(lastReserved);
        if (last != null) {
            rangeIndex = ranges.indexOf(last);
            // The first next() returns the address after it.
            current = lastReserved;
        } else {
            rangeIndex = 0;
            start = ranges.get(0).pool().first();
        }
    }

    /** The next candidate, or null once every address of the set was offered. */
    IpAddress next() {
        while (true) {
            SubnetRange range = ranges.get(rangeIndex);
            if (current == null) {
                current = range.pool().first();
                start = current;
                if (!current.equals(range.gateway())) {
                    return current;
                }
                continue;
            }
            if (current.equals(range.pool().last())) {
                rangeIndex = (rangeIndex + 1) % ranges.size();
                range = ranges.get(rangeIndex);
                current = range.pool().first();
            } else {
                current = current.next();
            }
            if (start == null) {
                start = current;
            } else if (current.equals(start)) {
                return null;
            }
            if (!current.equals(range.gateway())) {
                return current;
            }
        }
    }
}
