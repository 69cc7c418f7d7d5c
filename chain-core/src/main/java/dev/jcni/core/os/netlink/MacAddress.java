package dev.jcni.core.os.netlink;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.InvalidArgumentException;
import dev.jcni.core.os.OsException;

/**
 * Hardware addresses as text. Parsing accepts what Go's {@code net.ParseMAC} accepts (the
 * reference plugins use it): 6, 8 or 20 bytes written as {@code 00:00:5e:00:53:01},
 * {@code 00-00-5e-00-53-01} or {@code 0000.5e00.5301}, either case.
 */
public final class MacAddress {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private MacAddress() {}

    /** The address bytes; InvalidArgumentException (EINVAL) if {@code text} is not a MAC address. */
    public static byte[] parse(String text) throws InvalidArgumentException {
        byte[] b = text == null ? null : parseOrNull(text);
        if (b == null) {
            throw (InvalidArgumentException) OsException.fromErrno("parse MAC address \"" + text + "\"", Errno.EINVAL,
                    "expected six hex pairs such as 02:42:ac:11:00:02");
        }
        return b;
    }

    /** Lower-case, colon-separated hex: {@code "aa:bb:cc:dd:ee:ff"}. */
    public static String format(byte[] address) {
        StringBuilder sb = new StringBuilder(address.length * 3);
        for (int i = 0; i < address.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(HEX[(address[i] >> 4) & 0xf]).append(HEX[address[i] & 0xf]);
        }
        return sb.toString();
    }

    private static byte[] parseOrNull(String s) {
        int n = s.length();
        if (n < 14) {
            return null;
        }
        if (s.charAt(2) == ':' || s.charAt(2) == '-') {
            // xx:xx:...: groups of two digits, one separator between them
            if ((n + 1) % 3 != 0) {
                return null;
            }
            char sep = s.charAt(2);
            byte[] out = new byte[(n + 1) / 3];
            if (!validLength(out.length)) {
                return null;
            }
            for (int i = 0, x = 0; i < out.length; i++, x += 3) {
                if (i > 0 && s.charAt(x - 1) != sep) {
                    return null;
                }
                int hi = hex(s.charAt(x));
                int lo = hex(s.charAt(x + 1));
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out[i] = (byte) (hi << 4 | lo);
            }
            return out;
        }
        if (s.charAt(4) == '.') {
            // xxxx.xxxx.xxxx: groups of four digits
            if ((n + 1) % 5 != 0) {
                return null;
            }
            byte[] out = new byte[2 * (n + 1) / 5];
            if (!validLength(out.length)) {
                return null;
            }
            for (int i = 0, x = 0; i < out.length; i += 2, x += 5) {
                if (x > 0 && s.charAt(x - 1) != '.') {
                    return null;
                }
                for (int j = 0; j < 2; j++) {
                    int hi = hex(s.charAt(x + 2 * j));
                    int lo = hex(s.charAt(x + 2 * j + 1));
                    if (hi < 0 || lo < 0) {
                        return null;
                    }
                    out[i + j] = (byte) (hi << 4 | lo);
                }
            }
            return out;
        }
        return null;
    }

    /** Strict ASCII hex: Character.digit would also accept other scripts' digits. */
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

    private static boolean validLength(int bytes) {
        return bytes == 6 || bytes == 8 || bytes == 20;
    }
}
