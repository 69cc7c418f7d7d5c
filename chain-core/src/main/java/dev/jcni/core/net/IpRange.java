package dev.jcni.core.net;

import java.math.BigInteger;
import java.util.Objects;

/**
 * An inclusive range of addresses of one family, {@code first..last}: an address pool as IPAM
 * configs write it (host-local's {@code rangeStart}..{@code rangeEnd}), which need not be a whole
 * network. Printed as Go's host-local prints one, {@code first-last}
 * ({@code 10.1.2.9-10.1.2.20}), because that text is part of its error messages.
 *
 * <p>Only non-empty ranges exist: {@link #of} refuses a first address after the last one, and
 * two addresses of different families. Addresses order as {@link IpAddress} orders them.
 */
public final class IpRange {
    private final IpAddress first;
    private final IpAddress last;

    private IpRange(IpAddress first, IpAddress last) {
        this.first = first;
        this.last = last;
    }

    /**
     * The addresses from {@code first} to {@code last}, both included. IllegalArgumentException
     * when they are of different families or {@code first} comes after {@code last}.
     */
    public static IpRange of(IpAddress first, IpAddress last) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(last, "last");
        if (first.family() != last.family()) {
            throw new IllegalArgumentException("a range holds one address family: " + first + " and " + last + " differ");
        }
        if (first.compareTo(last) > 0) {
            throw new IllegalArgumentException("a range starts before it ends: " + first + " comes after " + last);
        }
        return new IpRange(first, last);
    }

    /** Every address of {@code prefix}'s network, the network and broadcast addresses included. */
    public static IpRange of(IpPrefix prefix) {
        return new IpRange(prefix.first(), prefix.last());
    }

    public IpAddress first() {
        return first;
    }

    public IpAddress last() {
        return last;
    }

    public IpAddress.Family family() {
        return first.family();
    }

    /** True when {@code address} is of this family and between first and last, both included. */
    public boolean contains(IpAddress address) {
        return address.family() == first.family() && first.compareTo(address) <= 0 && address.compareTo(last) <= 0;
    }

    /** True when the two ranges share at least one address (never across families). */
    public boolean overlaps(IpRange other) {
        return other.family() == family() && first.compareTo(other.last) <= 0 && other.first.compareTo(last) <= 0;
    }

    /**
     * How many addresses the range holds: up to 2^128 for IPv6, hence a BigInteger (only code
     * that counts a whole pool, such as a utilisation report, needs it).
     */
    public BigInteger size() {
        return new BigInteger(1, last.toBytes()).subtract(new BigInteger(1, first.toBytes())).add(BigInteger.ONE);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpRange && ((IpRange) o).first.equals(first) && ((IpRange) o).last.equals(last);
    }

    @Override
    public int hashCode() {
        return first.hashCode() * 31 + last.hashCode();
    }

    /** {@code first-last}, as Go's host-local prints a range. */
    @Override
    public String toString() {
        return first + "-" + last;
    }
}
