package dev.jcni.hostlocal;

import java.util.ArrayList;
import java.util.List;

/**
 * Go's {@code strings.TrimSpace} and {@code strings.Fields}, whose idea of white space
 * ({@code unicode.IsSpace}) the reference host-local applies to lease files and resolv.conf: a
 * lease written by either plugin must match in both. Java's {@code strip} and
 * {@code Character.isWhitespace} differ from it (no U+0085 or U+00A0, but U+001C to U+001F).
 */
final class GoText {
    private GoText() {}

    /** Go's {@code unicode.IsSpace}. */
    static boolean isSpace(int c) {
        switch (c) {
            case '\t': case '\n': case 0x0B: case '\f': case '\r': case ' ': case 0x85: case 0xA0:
            case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
                return true;
            default:
                return c >= 0x2000 && c <= 0x200A;
        }
    }

    /** Go's {@code strings.TrimSpace}: leading and trailing white space removed. */
    static String trimSpace(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.codePointAt(start))) {
            start += Character.charCount(s.codePointAt(start));
        }
        while (end > start && isSpace(s.codePointBefore(end))) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return s.substring(start, end);
    }

    /** Go's {@code strings.Fields}: the non-empty runs between white space. */
    static List<String> fields(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            while (i < s.length() && isSpace(s.codePointAt(i))) {
                i += Character.charCount(s.codePointAt(i));
            }
            int start = i;
            while (i < s.length() && !isSpace(s.codePointAt(i))) {
                i += Character.charCount(s.codePointAt(i));
            }
            if (i > start) {
                out.add(s.substring(start, i));
            }
        }
        return out;
    }
}
