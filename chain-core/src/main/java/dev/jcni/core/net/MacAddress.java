package dev.jcni.core.net;

import java.util.Arrays;
import java.util.Objects;

/**
 * A 6-byte Ethernet (EUI-48) hardware address.
 *
 * <p>Parsing accepts the forms Go's {@code net.ParseMAC} accepts for six bytes, in either case:
 * {@code 00:00:5e:00:53:01}, {@code 00-00-5e-00-53-01} and {@code 0000.5e00.5301}. The 8- and
 * 20-byte addresses ParseMAC also reads (EUI-64, InfiniBand) are refused with a reason saying so:
 * nothing here assigns them. Printing is lower-case with colons, as Go and the kernel print.
 */
public final class MacAddress {
    private static final String KIND = "MAC address";
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final String NOT_A_FORM = "not of the form xx:xx:xx:xx:xx:xx, xx-xx-xx-xx-xx-xx or xxxx.xxxx.xxxx";

    private final byte[] bytes;

    private MacAddress(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The address in {@code bytes}; IllegalArgumentException unless there are exactly 6. */
    public static MacAddress fromBytes(byte[] bytes) {
        if (bytes.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, not " + bytes.length);
        }
        return new MacAddress(bytes.clone());
    }

    /** Parses one of the three forms in the class comment. */
    public static MacAddress parse(String text) throws AddressFormatException {
        Objects.requireNonNull(text, "text");
        int n = text.length();
        if (n >= 14 && (text.charAt(2) == ':' || text.charAt(2) == '-')) {
            if ((n + 1) % 3 != 0) {
                throw new AddressFormatException(KIND, text, "expected two hex digits between separators");
            }
            checkSize(text, (n + 1) / 3);
            char separator = text.charAt(2);
            byte[] out = new byte[6];
            for (int i = 0, x = 0; i < 6; i++, x += 3) {
                if (i > 0 && text.charAt(x - 1) != separator) {
                    throw new AddressFormatException(KIND, text, "mixed or misplaced separators");
                }
                out[i] = hexPair(text, x);
            }
            return new MacAddress(out);
        }
        if (n >= 14 && text.charAt(4) == '.') {
            if ((n + 1) % 5 != 0) {
                throw new AddressFormatException(KIND, text, "expected four hex digits between dots");
            }
            checkSize(text, 2 * (n + 1) / 5);
            byte[] out = new byte[6];
            for (int i = 0, x = 0; i < 6; i += 2, x += 5) {
                if (x > 0 && text.charAt(x - 1) != '.') {
                    throw new AddressFormatException(KIND, text, "misplaced dots");
                }
                out[i] = hexPair(text, x);
                out[i + 1] = hexPair(text, x + 2);
            }
            return new MacAddress(out);
        }
        throw new AddressFormatException(KIND, text, text.isEmpty() ? "empty" : NOT_A_FORM);
    }

    private static void checkSize(String text, int size) throws AddressFormatException {
        if (size == 8 || size == 20) {
            throw new AddressFormatException(KIND, text, "a " + size + "-byte hardware address, expected 6 bytes");
        }
        if (size != 6) {
            throw new AddressFormatException(KIND, text, NOT_A_FORM);
        }
    }

    private static byte hexPair(String text, int at) throws AddressFormatException {
        int hi = IpAddressText.hexDigit(text.charAt(at));
        int lo = IpAddressText.hexDigit(text.charAt(at + 1));
        if (hi < 0 || lo < 0) {
            throw new AddressFormatException(KIND, text, "\"" + text.substring(at, at + 2) + "\" is not a hex pair");
        }
        return (byte) (hi << 4 | lo);
    }

    /** The six bytes (a copy). */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** The group bit (least significant bit of the first byte) is clear: assignable to an interface. */
    public boolean isUnicast() {
        return (bytes[0] & 1) == 0;
    }

    /** The group bit is set: a multicast or the broadcast address, which no interface may have. */
    public boolean isMulticast() {
        return !isUnicast();
    }

    /** 00:00:00:00:00:00, which loopback reports and which cannot be assigned. */
    public boolean isZero() {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** The locally administered bit (second-least significant bit of the first byte) is set. */
    public boolean isLocallyAdministered() {
        return (bytes[0] & 2) != 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MacAddress && Arrays.equals(((MacAddress) o).bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Lower-case, colon-separated: {@code 02:42:ac:11:00:02}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < bytes.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(HEX[(bytes[i] >> 4) & 0xf]).append(HEX[bytes[i] & 0xf]);
        }
        return sb.toString();
    }
}
