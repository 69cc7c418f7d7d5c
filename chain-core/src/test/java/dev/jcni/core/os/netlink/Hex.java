package dev.jcni.core.os.netlink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Hex helpers for golden bytes: whitespace and '#' comment lines are ignored. */
final class Hex {
    private Hex() {}

    static byte[] parse(String text) {
        StringBuilder digits = new StringBuilder();
        for (String line : text.split("\n")) {
            if (!line.trim().startsWith("#")) {
                digits.append(line.replaceAll("\\s+", ""));
            }
        }
        String s = digits.toString();
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    static String format(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }

    static byte[] resource(String name) {
        try (InputStream in = Hex.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
