package dev.jcni.cnictl.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Compact JSON exactly as Go's {@code encoding/json} writes a value decoded into
 * {@code map[string]interface{}}: object keys sorted (by UTF-8 bytes), {@code <>&} and U+2028/U+2029
 * escaped as {@code \\u003c…}, other control characters as {@code \\n}, {@code \\t}… or
 * {@code \\u00XX}, numbers without a fraction when they have none.
 *
 * <p>Why: libcni writes its result cache and its up-converted single-plugin configs this way, and
 * containerd, CRI-O and podman read them back. Writing the same bytes lets a golden file written
 * by Go and one written here be compared byte for byte.
 */
final class GoJson {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Not a method reference: start-up of a one-shot CLI pays for every lambda bootstrap. */
    private static final java.util.Comparator<String> UTF8_ORDER = new java.util.Comparator<String>() {
        @Override
        public int compare(String a, String b) {
            return compareUtf8(a, b);
        }
    };

    private GoJson() {}

    static byte[] marshal(JsonNode node) {
        StringBuilder sb = new StringBuilder(256);
        write(sb, node);
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static void write(StringBuilder sb, JsonNode n) {
        switch (n.getNodeType()) {
            case OBJECT: {
                List<String> keys = new ArrayList<>();
                Iterator<String> it = n.fieldNames();
                while (it.hasNext()) {
                    keys.add(it.next());
                }
                keys.sort(UTF8_ORDER);
                sb.append('{');
                boolean first = true;
                for (String k : keys) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    string(sb, k);
                    sb.append(':');
                    write(sb, n.get(k));
                }
                sb.append('}');
                break;
            }
            case ARRAY: {
                sb.append('[');
                for (int i = 0; i < n.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    write(sb, n.get(i));
                }
                sb.append(']');
                break;
            }
            case STRING:
                string(sb, n.textValue());
                break;
            case NUMBER:
                number(sb, n);
                break;
            case BOOLEAN:
                sb.append(n.booleanValue() ? "true" : "false");
                break;
            default:
                sb.append("null");
        }
    }

    /**
     * Go decodes every JSON number into float64 and prints it as encoding/json does: the shortest
     * digits that read back as the same float, in plain notation for magnitudes from 1e-6 up to
     * 1e21 (integral values without a fraction), otherwise in exponent notation ({@code 1e+21},
     * {@code 1.5e-7}: no leading zero in a negative exponent).
     */
    private static void number(StringBuilder sb, JsonNode n) {
        if (n.isIntegralNumber()) {
            sb.append(n.bigIntegerValue().toString());
            return;
        }
        double d = n.doubleValue();
        double abs = Math.abs(d);
        // Double.toString's digits (BigDecimal.valueOf), not the binary value new BigDecimal(d) holds.
        BigDecimal shortest = BigDecimal.valueOf(d).stripTrailingZeros();
        if (abs == 0) {
            sb.append(1 / d < 0 ? "-0" : "0");
            return;
        }
        if (abs >= 1e-6 && abs < 1e21) {
            sb.append(shortest.toPlainString());
            return;
        }
        String digits = shortest.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - shortest.scale();
        sb.append(d < 0 ? "-" : "").append(digits.charAt(0));
        if (digits.length() > 1) {
            sb.append('.').append(digits, 1, digits.length());
        }
        sb.append('e').append(exponent < 0 ? '-' : '+').append(Math.abs(exponent));
    }

    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                case '\b': sb.append("\\b"); break;
                case '\f': sb.append("\\f"); break;
                default:
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        sb.append("\\u00".substring(0, c > 0xff ? 2 : 4));
                        if (c > 0xff) {
                            sb.append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf]);
                        }
                        sb.append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }

    /** Code-point order, which is the byte order of the UTF-8 encodings Go sorts. */
    private static int compareUtf8(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
