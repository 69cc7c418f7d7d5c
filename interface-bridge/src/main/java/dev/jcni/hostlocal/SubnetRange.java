package dev.jcni.hostlocal;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;
import dev.jcni.core.net.IpRange;
import dev.jcni.core.protocol.CniException;
import java.math.BigInteger;

/**
 * One range of a range set, as the reference's {@code Range.Canonicalize} leaves it: a subnet
 * (the network, host bits clear), the pool {@code rangeStart..rangeEnd} inside it, and the
 * gateway, which is never handed out.
 *
 * <p>Defaults as the reference fills them (and not as its documentation says): {@code rangeStart}
 * is the network address + 1 (the gateway's default too; the allocator skips it), {@code rangeEnd}
 * the broadcast address - 1 for IPv4 and the LAST address for IPv6. The gateway is not checked to
 * lie in the subnet, as the reference does not check it (conflists rely on that).
 */
final class SubnetRange {
    private final IpPrefix subnet;
    private final IpRange pool;
    private final IpAddress gateway;

    private SubnetRange(IpPrefix subnet, IpRange pool, IpAddress gateway) {
        this.subnet = subnet;
        this.pool = pool;
        this.gateway = gateway;
    }

    /**
     * A range as written in a config, before the defaults: the subnet as parsed (null when the
     * config had none), whether its text was IPv6 ({@code ::ffff:10.0.0.0/120} parses as an IPv4
     * prefix, which the reference refuses), and the optional addresses.
     */
    record Spec(IpPrefix subnet, boolean subnetWrittenAsIpv6, IpAddress rangeStart, IpAddress rangeEnd, IpAddress gateway) {}

    /**
     * The range with its defaults, or code 7 with the reference's message (without the
     * "invalid range set N: " its caller adds), checked in the reference's order.
     */
    static SubnetRange canonicalize(Spec spec) throws CniException {
        IpPrefix subnet = spec.subnet();
        if (subnet == null) {
            // The reference canonicalises the absent subnet's nil IP first.
            throw invalid("IP <nil> not v4 nor v6");
        }
        int writtenBits = spec.subnetWrittenAsIpv6() ? 128 : subnet.family().bits();
        int writtenLength = spec.subnetWrittenAsIpv6() && subnet.address().isIpv4() ? subnet.length() + 96 : subnet.length();
        if (writtenLength > writtenBits - 2) {
            throw invalid("Network " + subnet + " too small to allocate from");
        }
        if (spec.subnetWrittenAsIpv6() && subnet.address().isIpv4()) {
            throw invalid("IPNet IP and Mask version mismatch");
        }
        if (!subnet.isNetwork()) {
            throw invalid("Network has host bits set. For a subnet mask of length " + subnet.length()
                    + " the network address is " + subnet.first());
        }
        IpAddress gateway = spec.gateway() != null ? spec.gateway() : subnet.first().next();
        IpAddress end = spec.rangeEnd();
        IpAddress start = spec.rangeStart();
        if (start != null) {
            boolean afterEnd = end != null && end.family() == start.family() && start.compareTo(end) > 0;
            if (!subnet.contains(start) || afterEnd) {
                throw invalid("RangeStart " + start + " not in network " + subnet);
            }
        } else {
            start = subnet.first().next();
        }
        if (end != null) {
            if (!subnet.contains(end) || end.compareTo(start) < 0) {
                throw invalid("RangeEnd " + end + " not in network " + subnet);
            }
        } else {
            end = subnet.address().isIpv4() ? subnet.last().previous() : subnet.last();
        }
        return new SubnetRange(subnet, IpRange.of(start, end), gateway);
    }

    /** The network, host bits clear. */
    IpPrefix subnet() {
        return subnet;
    }

    /** rangeStart..rangeEnd. */
    IpRange pool() {
        return pool;
    }

    IpAddress gateway() {
        return gateway;
    }

    IpAddress.Family family() {
        return pool.family();
    }

    /** True when {@code address} lies between rangeStart and rangeEnd (the gateway included). */
    boolean contains(IpAddress address) {
        return pool.contains(address);
    }

    boolean overlaps(SubnetRange other) {
        return pool.overlaps(other.pool);
    }

    /** How many addresses can be leased: the pool, less the gateway when it lies in the pool. */
    BigInteger allocatable() {
        BigInteger size = pool.size();
        return pool.contains(gateway) ? size.subtract(BigInteger.ONE) : size;
    }

    /** An allocated address with this range's prefix length: what a result's {@code address} holds. */
    IpPrefix withPrefix(IpAddress address) {
        return IpPrefix.of(address, subnet.length());
    }

    /** {@code rangeStart-rangeEnd}, as the reference prints a range in its messages. */
    @Override
    public String toString() {
        return pool.toString();
    }

    private static CniException invalid(String message) {
        return new CniException(CniException.INVALID_CONFIG, message);
    }
}
