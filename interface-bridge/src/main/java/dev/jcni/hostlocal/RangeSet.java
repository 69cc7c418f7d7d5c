package dev.jcni.hostlocal;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.protocol.CniException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A range set: ranges of one family, none overlapping another, from which ADD takes ONE address
 * (a range set per address: {@code [[v4 ranges], [v6 ranges]]} gives a dual-stack attachment).
 * Its index in the config names its round-robin file, {@code last_reserved_ip.<index>}.
 */
final class RangeSet {
    private final List<SubnetRange> ranges;

    private RangeSet(List<SubnetRange> ranges) {
        this.ranges = ranges;
    }

    /**
     * The set with every range's defaults, checked as the reference checks it; code 7 with the
     * reference's message (without the "invalid range set N: " its caller adds).
     */
    static RangeSet canonicalize(List<SubnetRange.Spec> specs) throws CniException {
        if (specs.isEmpty()) {
            throw new CniException(CniException.INVALID_CONFIG, "empty range set");
        }
        List<SubnetRange> ranges = new ArrayList<>(specs.size());
        for (SubnetRange.Spec spec : specs) {
            SubnetRange range = SubnetRange.canonicalize(spec);
            if (!ranges.isEmpty() && range.family() != ranges.get(0).family()) {
                throw new CniException(CniException.INVALID_CONFIG, "mixed address families");
            }
            ranges.add(range);
        }
        for (int i = 0; i < ranges.size(); i++) {
            for (int j = i + 1; j < ranges.size(); j++) {
                if (ranges.get(i).overlaps(ranges.get(j))) {
                    throw new CniException(CniException.INVALID_CONFIG,
                            "subnets " + ranges.get(i) + " and " + ranges.get(j) + " overlap");
                }
            }
        }
        return new RangeSet(Collections.unmodifiableList(ranges));
    }

    List<SubnetRange> ranges() {
        return ranges;
    }

    IpAddress.Family family() {
        return ranges.get(0).family();
    }

    /** The range whose pool holds {@code address}, or null. */
    SubnetRange rangeFor(IpAddress address) {
        for (SubnetRange r : ranges) {
            if (r.contains(address)) {
                return r;
            }
        }
        return null;
    }

    boolean contains(IpAddress address) {
        return rangeFor(address) != null;
    }

    /** True when {@code address} is the gateway of the range whose pool holds it: never leased. */
    boolean isReservedGateway(IpAddress address) {
        SubnetRange r = rangeFor(address);
        return r != null && r.gateway().equals(address);
    }

    /** True when a range of this set shares an address with a range of {@code other}. */
    boolean overlaps(RangeSet other) {
        for (SubnetRange a : ranges) {
            for (SubnetRange b : other.ranges) {
                if (a.overlaps(b)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** How many addresses of the set can be leased at most (gateways excluded). */
    BigInteger allocatable() {
        BigInteger total = BigInteger.ZERO;
        for (SubnetRange r : ranges) {
            total = total.add(r.allocatable());
        }
        return total;
    }

    /** The ranges, {@code start-end} joined by commas, as the reference prints a set. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (SubnetRange r : ranges) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(r);
        }
        return sb.toString();
    }
}
