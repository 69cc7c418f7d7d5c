package dev.jcni.core.os.nft;

import dev.jcni.core.net.AddressFormatException;
import dev.jcni.core.net.IpAddress;

/**
 * IPv4, IPv6 and MAC literals as nft writes them: parsed strictly, printed as nft lists them.
 *
 * <p>The IP grammar is {@link IpAddress#parse}'s (Go's: no host names, no zones, no leading zeros
 * in IPv4 fields, an optional dotted-quad tail) and so is the IPv6 text (RFC 5952: lower case,
 * the longest run of two or more zero groups as {@code ::}, the leftmost on a tie), so a generated
 * rule compares equal to the listed one. What nft does differently from Go is kept here: an
 * IPv4-mapped address ({@code ::ffff:a.b.c.d}) stays an IPv6 value (Go reads it as IPv4), and is
 * printed with its dotted tail.
 */
final class IpLiterals {
    private IpLiterals() {}

    /** Four bytes, or null unless {@code s} is a dotted quad of decimal octets without leading zeros. */
    static byte[] parseIpv4(String s) {
        // Without the ':' test IpAddress would also take ::ffff:a.b.c.d (IPv6 text) as IPv4.
        IpAddress a = s.indexOf(':') < 0 ? parse(s) : null;
        return a == null ? null : a.toBytes();
    }

    /** Sixteen bytes, or null unless {@code s} is an IPv6 literal (with an optional dotted-quad tail). */
    static byte[] parseIpv6(String s) {
        IpAddress a = s.indexOf(':') >= 0 ? parse(s) : null;
        if (a == null) {
            return null;
        }
        if (a.isIpv6()) {
            return a.toBytes();
        }
        // IPv6 text that IpAddress folded to IPv4: the mapped address ::ffff:a.b.c.d.
        byte[] out = new byte[16];
        out[10] = (byte) 0xff;
        out[11] = (byte) 0xff;
        System.arraycopy(a.toBytes(), 0, out, 12, 4);
        return out;
    }

    private static IpAddress parse(String s) {
        try {
            return IpAddress.parse(s);
        } catch (AddressFormatException e) {
            return null;
        }
    }

    static String formatIpv4(byte[] a) {
        return IpAddress.fromBytes(a).toString();
    }

    /** RFC 5952 text; IPv4-mapped addresses ({@code ::ffff:a.b.c.d}) keep their dotted tail, as nft prints them. */
    static String formatIpv6(byte[] a) {
        IpAddress address = IpAddress.fromBytes(a);
        // fromBytes reads a mapped address as its IPv4 address, which prints as the dotted tail.
        return address.isIpv4() ? "::ffff:" + address : address.toString();
    }

    /** Six bytes, or null unless {@code s} is six colon-separated hex octets (one or two digits each). */
    static byte[] parseMac(String s) {
        String[] parts = s.split(":", -1);
        if (parts.length != 6) {
            return null;
        }
        byte[] out = new byte[6];
        for (int i = 0; i < 6; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 2) {
                return null;
            }
            int v = 0;
            for (int k = 0; k < p.length(); k++) {
                int d = hex(p.charAt(k));
                if (d < 0) {
                    return null;
                }
                v = v * 16 + d;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    /** The value of an ASCII hex digit, or -1 (Character.digit would also take other scripts' digits). */
    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    static String formatMac(byte[] m) {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < m.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(Character.forDigit((m[i] >> 4) & 0xf, 16)).append(Character.forDigit(m[i] & 0xf, 16));
        }
        return sb.toString();
    }
}
