package dev.jcni.core.net;

/**
 * IP address text as Go's {@code netip.ParseAddr} reads it, which is what {@code net.ParseIP}
 * accepts once zones are refused. Kept apart from {@link IpAddress} because it is a faithful
 * transcription of Go's rules, and the error reasons are Go's own words where Go has them.
 */
final class IpAddressText {
    private static final String KIND = "IP address";

    private IpAddressText() {}

    /** The first '.' or ':' decides the family, as in Go; anything else is no IP address. */
    static IpAddress parse(String text) throws AddressFormatException {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '.') {
                return IpAddress.ipv4(parseIpv4(text, text, 0, text.length()));
            }
            if (c == ':') {
                return parseIpv6(text);
            }
            if (c == '%') {
                throw new AddressFormatException(KIND, text, "missing IPv6 address before the zone");
            }
        }
        throw new AddressFormatException(KIND, text, text.isEmpty() ? "empty" : "not an IPv4 or IPv6 address");
    }

    /** Dotted decimal in {@code in[from, to)}; {@code whole} is the text named in errors. */
    private static long parseIpv4(String whole, String in, int from, int to) throws AddressFormatException {
        long value = 0;
        int fields = 0;
        int field = 0;
        int digits = 0;
        for (int i = from; i < to; i++) {
            char c = in.charAt(i);
            if (c >= '0' && c <= '9') {
                if (digits == 1 && field == 0) {
                    throw new AddressFormatException(KIND, whole, "IPv4 field has octet with leading zero");
                }
                field = field * 10 + (c - '0');
                digits++;
                if (field > 255) {
                    throw new AddressFormatException(KIND, whole, "IPv4 field has value >255");
                }
            } else if (c == '.') {
                if (i == from || i == to - 1 || in.charAt(i - 1) == '.') {
                    throw new AddressFormatException(KIND, whole, "IPv4 field must have at least one digit");
                }
                if (fields == 3) {
                    throw new AddressFormatException(KIND, whole, "IPv4 address too long");
                }
                value = value << 8 | field;
                fields++;
                field = 0;
                digits = 0;
            } else {
                throw new AddressFormatException(KIND, whole, "unexpected character '" + c + "'");
            }
        }
        if (fields < 3) {
            throw new AddressFormatException(KIND, whole, "IPv4 address too short");
        }
        return value << 8 | field;
    }

    private static IpAddress parseIpv6(String in) throws AddressFormatException {
        if (in.indexOf('%') >= 0) {
            throw new AddressFormatException(KIND, in, "IPv6 zones are not allowed");
        }
        byte[] ip = new byte[16];
        int ellipsis = -1; // position of "::" in ip
        int s = 0; // next unread character of in
        int n = in.length();
        if (n >= 2 && in.charAt(0) == ':' && in.charAt(1) == ':') {
            ellipsis = 0;
            s = 2;
            if (s == n) {
                return IpAddress.fromHalves(0, 0);
            }
        }
        int i = 0;
        while (i < 16) {
            int off = 0;
            int acc = 0;
            for (; s + off < n; off++) {
                int d = hexDigit(in.charAt(s + off));
                if (d < 0) {
                    break;
                }
                acc = (acc << 4) + d;
                if (off > 3) {
                    throw new AddressFormatException(KIND, in, "each group must have 4 or less digits");
                }
            }
            if (off == 0) {
                throw new AddressFormatException(KIND, in, "each colon-separated field must have at least one digit");
            }
            if (s + off < n && in.charAt(s + off) == '.') {
                if (ellipsis < 0 && i != 12) {
                    throw new AddressFormatException(KIND, in,
                            "embedded IPv4 address must replace the final 2 fields of the address");
                }
                if (i + 4 > 16) {
                    throw new AddressFormatException(KIND, in,
                            "too many hex fields to fit an embedded IPv4 at the end of the address");
                }
                long v4 = parseIpv4(in, in, s, n);
                IpAddress.writeLong(ip, i, 4, v4);
                s = n;
                i += 4;
                break;
            }
            ip[i] = (byte) (acc >> 8);
            ip[i + 1] = (byte) acc;
            i += 2;
            s += off;
            if (s == n) {
                break;
            }
            if (in.charAt(s) != ':') {
                throw new AddressFormatException(KIND, in, "unexpected character '" + in.charAt(s) + "', want colon");
            }
            if (s + 1 == n) {
                throw new AddressFormatException(KIND, in, "colon must be followed by more characters");
            }
            s++;
            if (in.charAt(s) == ':') {
                if (ellipsis >= 0) {
                    throw new AddressFormatException(KIND, in, "multiple :: in address");
                }
                ellipsis = i;
                s++;
                if (s == n) {
                    break;
                }
            }
        }
        if (s != n) {
            throw new AddressFormatException(KIND, in, "trailing garbage after address");
        }
        if (i < 16) {
            if (ellipsis < 0) {
                throw new AddressFormatException(KIND, in, "address string too short");
            }
            int gap = 16 - i;
            for (int j = i - 1; j >= ellipsis; j--) {
                ip[j + gap] = ip[j];
            }
            for (int j = ellipsis; j < ellipsis + gap; j++) {
                ip[j] = 0;
            }
        } else if (ellipsis >= 0) {
            throw new AddressFormatException(KIND, in, "the :: must expand to at least one field of zeros");
        }
        return IpAddress.fromHalves(IpAddress.readLong(ip, 0, 8), IpAddress.readLong(ip, 8, 8));
    }

    /** Strict ASCII hex: Character.digit would also accept other scripts' digits. */
    static int hexDigit(char c) {
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
}
