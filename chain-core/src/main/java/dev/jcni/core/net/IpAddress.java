package dev.jcni.core.net;

import java.util.Objects;

/**
 * An IPv4 or IPv6 address, as Go's {@code net.IP} behaves in the CNI world: parsed exactly as
 * {@code net.ParseIP} accepts (Go 1.17 and later), printed exactly as {@code net.IP.String()}
 * prints, so that a result read and printed again is byte-for-byte what the Go plugins print.
 *
 * <p>Go's rules, kept here on purpose:
 * <ul>
 *   <li>An IPv4-mapped IPv6 address ({@code ::ffff:1.2.3.4}) is the IPv4 address: {@code net.IP}
 *       cannot tell them apart, prints {@code 1.2.3.4}, and CNI's 0.x {@code version} field says
 *       "4" for it. So {@link #parse} and {@link #fromBytes} return an IPv4 address for it.</li>
 *   <li>IPv4 fields with a leading zero ({@code 010.0.0.1}) are refused: older libraries read them
 *       as octal, so accepting them would give different addresses in different programs.</li>
 *   <li>Zones ({@code fe80::1%eth0}) are refused, as {@code net.ParseIP} refuses them.</li>
 *   <li>IPv6 prints as RFC 5952 says: lower-case hex without leading zeros, the longest run of
 *       two or more zero groups (the first of equal runs) as {@code ::}.</li>
 * </ul>
 * Text is never resolved as a host name: this class does no I/O at all.
 *
 * <p>Arithmetic ({@link #next}, {@link #previous}, {@link #plus}) stays inside the family and
 * throws {@link AddressOverflowException} instead of wrapping around. Addresses order by family
 * (IPv4 first), then numerically, as Go's {@code netip.Addr.Compare}.
 */
public final class IpAddress implements Comparable<IpAddress> {
    /** The address family; {@link #bits()} is the address length in bits. */
    public enum Family {
        IPV4(32, "4"),
        IPV6(128, "6");

        private final int bits;
        private final String version;

        Family(int bits, String version) {
            this.bits = bits;
            this.version = version;
        }

        public int bits() {
            return bits;
        }

        /** "4" or "6": the {@code ips[].version} of CNI 0.3.0 to 0.4.0 results. */
        public String version() {
            return version;
        }
    }

    static final long V4_MASK = 0xFFFF_FFFFL;

    private final Family family;
    /** The upper 64 bits of an IPv6 address; 0 for IPv4. */
    private final long hi;
    /** The lower 64 bits of an IPv6 address, or the 32 bits of an IPv4 address. */
    private final long lo;

    private IpAddress(Family family, long hi, long lo) {
        this.family = family;
        this.hi = hi;
        this.lo = lo;
    }

    /**
     * Parses text as {@code net.ParseIP} does: dotted decimal IPv4, or IPv6 with at most one
     * {@code ::} and an optional dotted IPv4 tail. Nothing else: no host names, no zones, no
     * surrounding space, no brackets, no leading zeros in IPv4 fields.
     */
    public static IpAddress parse(String text) throws AddressFormatException {
        return IpAddressText.parse(Objects.requireNonNull(text, "text"));
    }

    /**
     * The address in {@code bytes}: 4 bytes are IPv4, 16 bytes IPv6 (IPv4 when IPv4-mapped, see
     * the class comment). IllegalArgumentException for any other length.
     */
    public static IpAddress fromBytes(byte[] bytes) {
        if (bytes.length == 4) {
            return new IpAddress(Family.IPV4, 0, readLong(bytes, 0, 4));
        }
        if (bytes.length == 16) {
            return fromHalves(readLong(bytes, 0, 8), readLong(bytes, 8, 8));
        }
        throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + bytes.length);
    }

    /** An IPv4 address from its 32 bits (in the low half of {@code value}). */
    static IpAddress ipv4(long value) {
        return new IpAddress(Family.IPV4, 0, value & V4_MASK);
    }

    /** The address from two 64-bit halves: IPv6, or IPv4 when IPv4-mapped. */
    static IpAddress fromHalves(long hi, long lo) {
        if (hi == 0 && (lo >>> 32) == 0xFFFFL) {
            return new IpAddress(Family.IPV4, 0, lo & V4_MASK);
        }
        return new IpAddress(Family.IPV6, hi, lo);
    }

    public Family family() {
        return family;
    }

    public boolean isIpv4() {
        return family == Family.IPV4;
    }

    public boolean isIpv6() {
        return family == Family.IPV6;
    }

    /** 0.0.0.0 or ::. */
    public boolean isUnspecified() {
        return hi == 0 && lo == 0;
    }

    /** The address bytes in network order: 4 for IPv4, 16 for IPv6. */
    public byte[] toBytes() {
        if (family == Family.IPV4) {
            byte[] b = new byte[4];
            writeLong(b, 0, 4, lo);
            return b;
        }
        byte[] b = new byte[16];
        writeLong(b, 0, 8, hi);
        writeLong(b, 8, 8, lo);
        return b;
    }

    /** The next address; AddressOverflowException after 255.255.255.255 or ffff:…:ffff. */
    public IpAddress next() {
        return plus(1);
    }

    /** The previous address; AddressOverflowException before 0.0.0.0 or ::. */
    public IpAddress previous() {
        return plus(-1);
    }

    /**
     * This address moved by {@code delta} (negative moves down), within its family.
     * AddressOverflowException when the result would leave the address space.
     */
    public IpAddress plus(long delta) {
        long newHi = hi;
        long newLo;
        if (delta >= 0) {
            newLo = lo + delta;
            if (Long.compareUnsigned(newLo, lo) < 0) {
                if (family == Family.IPV4 || hi == -1L) {
                    throw overflow(delta);
                }
                newHi = hi + 1;
            }
        } else {
            long magnitude = -delta; // Long.MIN_VALUE stays itself: 2^63 read unsigned, as wanted
            newLo = lo - magnitude;
            if (Long.compareUnsigned(lo, magnitude) < 0) {
                if (family == Family.IPV4 || hi == 0) {
                    throw overflow(delta);
                }
                newHi = hi - 1;
            }
        }
        if (family == Family.IPV4 && Long.compareUnsigned(newLo, V4_MASK) > 0) {
            throw overflow(delta);
        }
        return new IpAddress(family, newHi, newLo);
    }

    private AddressOverflowException overflow(long delta) {
        return new AddressOverflowException(this + (delta >= 0 ? " + " + delta : " - " + Long.toUnsignedString(-delta))
                + " is outside the " + (family == Family.IPV4 ? "IPv4" : "IPv6") + " address space");
    }

    /** This address with every bit after the first {@code prefixLength} cleared. */
    public IpAddress masked(int prefixLength) {
        checkPrefixLength(prefixLength);
        return new IpAddress(family, hi & hiMask(prefixLength), lo & loMask(prefixLength));
    }

    /** This address with every bit after the first {@code prefixLength} set. */
    IpAddress hostBitsSet(int prefixLength) {
        checkPrefixLength(prefixLength);
        if (family == Family.IPV4) {
            return new IpAddress(family, 0, (lo | ~loMask(prefixLength)) & V4_MASK);
        }
        return new IpAddress(family, hi | ~hiMask(prefixLength), lo | ~loMask(prefixLength));
    }

    void checkPrefixLength(int prefixLength) {
        if (prefixLength < 0 || prefixLength > family.bits) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0.." + family.bits
                    + " for " + this);
        }
    }

    private long hiMask(int bits) {
        if (family == Family.IPV4) {
            return 0;
        }
        return bits >= 64 ? -1L : bits == 0 ? 0 : -1L << (64 - bits);
    }

    private long loMask(int bits) {
        if (family == Family.IPV4) {
            return bits == 0 ? 0 : (V4_MASK << (32 - bits)) & V4_MASK;
        }
        return bits <= 64 ? 0 : bits == 128 ? -1L : -1L << (128 - bits);
    }

    @Override
    public int compareTo(IpAddress other) {
        if (family != other.family) {
            return family == Family.IPV4 ? -1 : 1;
        }
        int c = Long.compareUnsigned(hi, other.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, other.lo);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpAddress && ((IpAddress) o).family == family && ((IpAddress) o).hi == hi
                && ((IpAddress) o).lo == lo;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(hi) * 31 + Long.hashCode(lo) + family.ordinal();
    }

    /** Go's {@code net.IP.String()}: see the class comment. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(39);
        if (family == Family.IPV4) {
            sb.append((lo >>> 24) & 0xff).append('.').append((lo >>> 16) & 0xff).append('.')
                    .append((lo >>> 8) & 0xff).append('.').append(lo & 0xff);
            return sb.toString();
        }
        // The longest run of at least two zero groups; on a tie the first one (RFC 5952 4.2.3).
        int zeroStart = -1;
        int zeroEnd = -1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && group(j) == 0) {
                j++;
            }
            if (j - i >= 2 && j - i > zeroEnd - zeroStart) {
                zeroStart = i;
                zeroEnd = j;
            }
            i = Math.max(i, j);
        }
        for (int i = 0; i < 8; i++) {
            if (i == zeroStart) {
                sb.append("::");
                i = zeroEnd;
                if (i >= 8) {
                    break;
                }
            } else if (i > 0) {
                sb.append(':');
            }
            sb.append(Integer.toHexString(group(i)));
        }
        return sb.toString();
    }

    private int group(int i) {
        long half = i < 4 ? hi : lo;
        return (int) (half >>> (48 - 16 * (i % 4))) & 0xffff;
    }

    static long readLong(byte[] b, int from, int count) {
        long v = 0;
        for (int i = from; i < from + count; i++) {
            v = v << 8 | (b[i] & 0xff);
        }
        return v;
    }

    static void writeLong(byte[] b, int from, int count, long v) {
        for (int i = from + count - 1; i >= from; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
    }
}
