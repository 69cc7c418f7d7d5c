package dev.jcni.core.net;

import java.util.Objects;

/**
 * An address with a prefix length, KEEPING the host bits: {@code 10.1.0.5/16} is the interface
 * address 10.1.0.5 on the network 10.1.0.0/16, as CNI's {@code types.IPNet} holds it in results
 * ({@code ips[].address}) and configs. {@link #network()} gives the network with host bits
 * cleared; equality compares address and length, so 10.1.0.5/16 and 10.1.0.0/16 differ.
 *
 * <p>Parsing accepts what Go's {@code net.ParseCIDR} accepts: an {@link IpAddress} (no zone),
 * '/', and decimal digits up to the family's bit length. An IPv4-mapped IPv6 prefix of length 96
 * or more ({@code ::ffff:10.0.0.1/120}) is the IPv4 prefix {@code 10.0.0.1/24}, which is how Go
 * prints it. Shorter ones are refused: Go would print them as an IPv4 {@code /0}, widening a
 * route to every IPv4 address.
 */
public final class IpPrefix {
    private static final String KIND = "CIDR address";

    private final IpAddress address;
    private final int length;

    private IpPrefix(IpAddress address, int length) {
        this.address = address;
        this.length = length;
    }

    /** {@code address/length}; IllegalArgumentException when length is outside 0..bits of the family. */
    public static IpPrefix of(IpAddress address, int length) {
        Objects.requireNonNull(address, "address");
        address.checkPrefixLength(length);
        return new IpPrefix(address, length);
    }

    /** Parses CIDR text such as {@code 10.1.0.5/16} or {@code 2001:db8::1/64}. */
    public static IpPrefix parse(String text) throws AddressFormatException {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            throw new AddressFormatException(KIND, text, "empty");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new AddressFormatException(KIND, text, "no prefix length (\"/n\")");
        }
        String addressText = text.substring(0, slash);
        IpAddress address;
        try {
            address = IpAddress.parse(addressText);
        } catch (AddressFormatException e) {
            throw new AddressFormatException(KIND, text, e.reason());
        }
        String lengthText = text.substring(slash + 1);
        // The family as written: "::ffff:1.2.3.4" counts 128 bits although it reads as IPv4.
        boolean writtenAsIpv6 = addressText.indexOf(':') >= 0;
        int maxBits = writtenAsIpv6 ? 128 : 32;
        int length = parseLength(text, lengthText, maxBits);
        if (writtenAsIpv6 && address.isIpv4()) {
            if (length < 96) {
                throw new AddressFormatException(KIND, text,
                        "an IPv4-mapped address needs a prefix length of 96 or more");
            }
            length -= 96;
        }
        return new IpPrefix(address, length);
    }

    /** Go's dtoi: decimal digits only (leading zeros allowed), no sign, at most {@code maxBits}. */
    private static int parseLength(String text, String digits, int maxBits) throws AddressFormatException {
        if (digits.isEmpty()) {
            throw new AddressFormatException(KIND, text, "empty prefix length");
        }
        int value = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                throw new AddressFormatException(KIND, text, "prefix length is not a decimal number");
            }
            value = value * 10 + (c - '0');
            if (value > maxBits) {
                throw new AddressFormatException(KIND, text, "prefix length is more than " + maxBits);
            }
        }
        return value;
    }

    /** The address as written, host bits included. */
    public IpAddress address() {
        return address;
    }

    /** The prefix length in bits. */
    public int length() {
        return length;
    }

    public IpAddress.Family family() {
        return address.family();
    }

    /** The network: this prefix with the host bits cleared ({@code 10.1.0.5/16} gives {@code 10.1.0.0/16}). */
    public IpPrefix network() {
        return new IpPrefix(address.masked(length), length);
    }

    /** True when the address has no host bits set ({@code 10.1.0.0/16}, not {@code 10.1.0.5/16}). */
    public boolean isNetwork() {
        return address.equals(address.masked(length));
    }

    /** The lowest address of the network (the network address itself). */
    public IpAddress first() {
        return address.masked(length);
    }

    /** The highest address of the network (for IPv4 the broadcast address when length is below 31). */
    public IpAddress last() {
        return address.hostBitsSet(length);
    }

    /** True when {@code other} is of the same family and inside this network. */
    public boolean contains(IpAddress other) {
        return other.family() == address.family() && other.masked(length).equals(address.masked(length));
    }

    /** True when the two networks share at least one address. */
    public boolean overlaps(IpPrefix other) {
        return contains(other.first()) || other.contains(first());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpPrefix && ((IpPrefix) o).length == length && ((IpPrefix) o).address.equals(address);
    }

    @Override
    public int hashCode() {
        return address.hashCode() * 131 + length;
    }

    /** Go's CIDR text, host bits kept: {@code 10.1.0.5/16}, {@code 2001:db8::1/64}. */
    @Override
    public String toString() {
        return address + "/" + length;
    }
}
