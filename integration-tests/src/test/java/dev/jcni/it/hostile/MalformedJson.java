package dev.jcni.it.hostile;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Broken, odd and oversized JSON documents made from one valid document, for any reader of JSON a
 * hostile party can reach: a plugin's stdin, a conflist, a cache entry, a state file. Each
 * document says what a reader must make of it ({@link Verdict}); the target's case set turns that
 * into an expected outcome (for a plugin: code 6, or success).
 *
 * <p>The valid document is a template: its strings may hold {@code ${...}} placeholders. Extra
 * content is put in an unknown key ({@value #EXTRA}), so a document that parses still means what
 * the valid one means.
 */
final class MalformedJson {
    /** The unknown key hostile values are put in. */
    static final String EXTRA = "hostileExtra";

    /** What a reader must make of a document. */
    enum Verdict {
        /** Not a JSON object in UTF-8 (syntax, encoding, depth, trailing content): refused. */
        REFUSE,
        /** Larger than the reader's bound: refused without reading it all. */
        TOO_LARGE,
        /** Means exactly what the valid document means: accepted. */
        SAME,
        /** Valid or tolerable in one reading and not in another (Go accepts, a stricter reader may refuse). */
        EITHER
    }

    /** One document: a label, its bytes (a template), and the verdict. */
    record Doc(String label, Text content, Verdict verdict) {}

    private MalformedJson() {}

    /**
     * The documents for {@code valid}, a JSON object template of no more than a few kilobytes;
     * {@code bound} is the most bytes the reader accepts, so "too large" and "large but within
     * bounds" documents are made to fit it.
     */
    static List<Doc> documents(String valid, int bound, Random random) {
        List<Doc> out = new ArrayList<>();
        truncations(valid, random, out);
        structuralDeletions(valid, random, out);
        garbage(random, out);
        nesting(valid, out);
        sizes(valid, bound, out);
        numbers(valid, out);
        tokens(valid, out);
        encodings(valid, out);
        strings(valid, out);
        around(valid, out);
        return out;
    }

    private static void truncations(String valid, Random random, List<Doc> out) {
        out.add(new Doc("empty document", Text.of(""), Verdict.REFUSE));
        out.add(new Doc("truncated before the last brace", Text.of(valid.substring(0, valid.length() - 1)), Verdict.REFUSE));
        for (int i = 0; i < 8; i++) {
            int cut = 1 + random.nextInt(valid.length() - 2);
            out.add(new Doc("truncated at byte " + cut, Text.of(valid.substring(0, cut)), Verdict.REFUSE));
        }
    }

    /** One structural character ({@code {}[]:,} outside strings, or a string's quote) removed. */
    private static void structuralDeletions(String valid, Random random, List<Doc> out) {
        List<Integer> positions = new ArrayList<>();
        boolean inString = false;
        for (int i = 0; i < valid.length(); i++) {
            char c = valid.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                    positions.add(i);
                }
            } else if (c == '"') {
                inString = true;
                positions.add(i);
            } else if ("{}[]:,".indexOf(c) >= 0) {
                positions.add(i);
            }
        }
        for (int i = 0; i < 5; i++) {
            int at = positions.get(random.nextInt(positions.size()));
            out.add(new Doc("'" + valid.charAt(at) + "' at byte " + at + " removed",
                    Text.of(valid.substring(0, at) + valid.substring(at + 1)), Verdict.REFUSE));
        }
    }

    private static void garbage(Random random, List<Doc> out) {
        for (int i = 0; i < 4; i++) {
            int[] b = new int[1 + random.nextInt(200)];
            for (int j = 0; j < b.length; j++) {
                b[j] = random.nextInt(256);
            }
            b[0] = 0x80 + random.nextInt(0x80); // never the start of a JSON value
            out.add(new Doc(b.length + " random bytes", Text.raw(b), Verdict.REFUSE));
        }
    }

    private static void nesting(String valid, List<Doc> out) {
        out.add(new Doc("100000 open brackets", Text.of("[".repeat(100_000)), Verdict.REFUSE));
        out.add(new Doc("objects nested 100000 deep", Text.of("{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000)), Verdict.REFUSE));
        out.add(new Doc("an unknown key nested 100000 deep", withExtra(valid, "[".repeat(100_000) + "]".repeat(100_000)), Verdict.REFUSE));
        out.add(new Doc("an unknown key nested 100000 deep, unterminated", Text.of(
                valid.substring(0, valid.length() - 1) + ",\"" + EXTRA + "\":" + "{\"a\":".repeat(100_000)), Verdict.REFUSE));
        // Deeper than any config, within Go's limit of 10000: a reader may take it or refuse it.
        out.add(new Doc("an unknown key nested 5000 deep", withExtra(valid, "[".repeat(5_000) + "]".repeat(5_000)), Verdict.EITHER));
        out.add(new Doc("an unknown key nested 50 deep", withExtra(valid, "{\"a\":".repeat(50) + "1" + "}".repeat(50)), Verdict.SAME));
    }

    private static void sizes(String valid, int bound, List<Doc> out) {
        out.add(new Doc("a string just over the bound (" + bound + " bytes)", withExtra(valid, "\"" + "x".repeat(bound) + "\""),
                Verdict.TOO_LARGE));
        out.add(new Doc("whitespace just over the bound", Text.of(valid + " ".repeat(bound)), Verdict.TOO_LARGE));
        int big = bound / 2;
        out.add(new Doc("a " + big + "-byte string in an unknown key", withExtra(valid, "\"" + "y".repeat(big) + "\""), Verdict.SAME));
        // Go reads a key of any length; a reader may bound key names (Jackson does, at 50000).
        out.add(new Doc("a " + (bound / 8) + "-byte key", Text.of("{\"" + "k".repeat(bound / 8) + "\":1," + valid.substring(1)), Verdict.EITHER));
        StringBuilder keys = new StringBuilder("{");
        for (int i = 0; i < 20_000; i++) {
            keys.append("\"k").append(i).append("\":").append(i).append(',');
        }
        out.add(new Doc("20000 unknown keys", Text.of(keys + valid.substring(1)), Verdict.SAME));
        out.add(new Doc("an unknown key repeated 20000 times", Text.of("{" + ("\"" + EXTRA + "\":1,").repeat(20_000) + valid.substring(1)),
                Verdict.SAME));
        StringBuilder array = new StringBuilder("[");
        for (int i = 0; i < 100_000; i++) {
            array.append(i == 0 ? "" : ",").append('0');
        }
        out.add(new Doc("an unknown 100000-element array", withExtra(valid, array + "]"), Verdict.SAME));
    }

    private static void numbers(String valid, List<Doc> out) {
        for (String n : new String[] {"1e400", "-1e400", "1e-400", "123456789012345678901234567890", "-0", "0.0e0"}) {
            out.add(new Doc("the number " + n + " in an unknown key", withExtra(valid, n), Verdict.SAME));
        }
    }

    private static void tokens(String valid, List<Doc> out) {
        for (String t : new String[] {"NaN", "Infinity", "-Infinity", "+1", ".5", "01", "1.", "0x10", "1_000", "undefined", "nan",
                "True", "NULL", "'single'", "\"unterminated"}) {
            out.add(new Doc("the token " + t + " as a value", withExtra(valid, t), Verdict.REFUSE));
        }
        out.add(new Doc("an unquoted key", Text.of("{" + EXTRA + ":1," + valid.substring(1)), Verdict.REFUSE));
        out.add(new Doc("a trailing comma in the object", Text.of(valid.substring(0, valid.length() - 1) + ",}"), Verdict.REFUSE));
        out.add(new Doc("a trailing comma in an array", withExtra(valid, "[1,2,]"), Verdict.REFUSE));
        out.add(new Doc("a block comment", Text.of("/* hostile */" + valid), Verdict.REFUSE));
        out.add(new Doc("a line comment", Text.of("// hostile\n" + valid), Verdict.REFUSE));
    }

    private static void encodings(String valid, List<Doc> out) {
        out.add(new Doc("a UTF-8 byte-order mark", Text.raw(0xEF, 0xBB, 0xBF).then(valid), Verdict.REFUSE));
        out.add(new Doc("UTF-16LE with a byte-order mark", raw(0xFF, 0xFE, encode(valid, StandardCharsets.UTF_16LE)), Verdict.REFUSE));
        out.add(new Doc("UTF-16BE with a byte-order mark", raw(0xFE, 0xFF, encode(valid, StandardCharsets.UTF_16BE)), Verdict.REFUSE));
        out.add(new Doc("UTF-16LE", raw(encode(valid, StandardCharsets.UTF_16LE)), Verdict.REFUSE));
        out.add(new Doc("UTF-16BE", raw(encode(valid, StandardCharsets.UTF_16BE)), Verdict.REFUSE));
        out.add(new Doc("UTF-32BE", raw(encode(valid, Charset.forName("UTF-32BE"))), Verdict.REFUSE));
        out.add(new Doc("UTF-32LE", raw(encode(valid, Charset.forName("UTF-32LE"))), Verdict.REFUSE));
        out.add(new Doc("a zero byte after the document", Text.of(valid).thenRaw(0), Verdict.REFUSE));
        out.add(new Doc("a zero byte first", Text.raw(0).then(valid), Verdict.REFUSE));
    }

    /** Odd strings in an unknown key: invalid UTF-8 (Go replaces it, a strict reader refuses), escapes, raw control characters. */
    private static void strings(String valid, List<Doc> out) {
        String head = valid.substring(0, valid.length() - 1) + ",\"" + EXTRA + "\":\"";
        int[][] invalid = {{0xFF}, {0xC0, 0xAF}, {0xED, 0xA0, 0x80}, {0xE2, 0x82}, {0xF8, 0x88, 0x80, 0x80, 0x80}};
        String[] names = {"a 0xFF byte", "an overlong '/' (C0 AF)", "an encoded surrogate", "a truncated sequence", "a 5-byte sequence"};
        for (int i = 0; i < invalid.length; i++) {
            out.add(new Doc(names[i] + " in a string", Text.of(head).thenRaw(invalid[i]).then("\"}"), Verdict.EITHER));
        }
        for (String esc : new String[] {"\\u0000", "\\ud800", "\\udfff\\ud800", "\\u202e", "\\n\\r\\t\\b\\f", "\\/\\\\"}) {
            out.add(new Doc("the escape " + esc + " in a string", Text.of(head + esc + "\"}"), Verdict.SAME));
        }
        for (int c : new int[] {0x0A, 0x09, 0x01, 0x1B}) {
            out.add(new Doc(String.format("a raw 0x%02X in a string", c), Text.of(head).thenRaw(c).then("\"}"), Verdict.REFUSE));
        }
        out.add(new Doc("an unterminated string", Text.of(head + "abc}"), Verdict.REFUSE));
        out.add(new Doc("an invalid escape", Text.of(head + "\\x41\"}"), Verdict.REFUSE));
        out.add(new Doc("a short unicode escape", Text.of(head + "\\u12\"}"), Verdict.REFUSE));
    }

    private static void around(String valid, List<Doc> out) {
        out.add(new Doc("a second document after it", Text.of(valid + "{}"), Verdict.REFUSE));
        out.add(new Doc("a word after it", Text.of(valid + " x"), Verdict.REFUSE));
        out.add(new Doc("a stray bracket after it", Text.of(valid + "]"), Verdict.REFUSE));
        out.add(new Doc("the document twice", Text.of(valid + valid), Verdict.REFUSE));
        out.add(new Doc("whitespace around it", Text.of(" \n\t\r" + valid + "\r\n \t"), Verdict.SAME));
        out.add(new Doc("an array around it", Text.of("[" + valid + "]"), Verdict.REFUSE));
        for (String top : new String[] {"[]", "\"x\"", "1", "null", "true", " ", "\n"}) {
            out.add(new Doc("the top-level value " + Shown.cut(top), Text.of(top), Verdict.REFUSE));
        }
    }

    /** {@code valid} with {@value #EXTRA} set to {@code rawJson}, appended at the end. */
    static Text withExtra(String valid, String rawJson) {
        return Text.of(valid.substring(0, valid.length() - 1) + ",\"" + EXTRA + "\":" + rawJson + "}");
    }

    private static int[] encode(String s, Charset cs) {
        byte[] b = s.getBytes(cs);
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] & 0xff;
        }
        return out;
    }

    private static Text raw(int b0, int b1, int[] rest) {
        int[] all = new int[rest.length + 2];
        all[0] = b0;
        all[1] = b1;
        System.arraycopy(rest, 0, all, 2, rest.length);
        return Text.raw(all);
    }

    private static Text raw(int[] bytes) {
        return Text.raw(bytes);
    }
}
