package dev.jcni.it.hostile;

import java.nio.charset.StandardCharsets;

/**
 * A POSIX sh script that handles arbitrary bytes although its own text is ASCII: every value is
 * assigned to a variable from {@code printf} octal escapes first ({@link #assign}), so it reaches
 * a process exactly, whatever this JVM's locale (which could not even name a non-UTF-8 path). A
 * trailing sentinel keeps a value's trailing newlines, which {@code $(...)} would strip.
 */
final class ShellScript {
    private final StringBuilder text = new StringBuilder();
    private int variables;

    /** Appends a line of script. */
    ShellScript line(String line) {
        text.append(line).append('\n');
        return this;
    }

    /** Assigns {@code value} (no zero byte) to a fresh variable and returns its name. */
    String assign(byte[] value) {
        String name = "v" + (variables++);
        boolean plain = true;
        for (byte b : value) {
            int c = b & 0xff;
            if (c == 0) {
                throw new IllegalArgumentException("a process argument or environment value cannot hold a zero byte");
            }
            if (c < 0x20 || c >= 0x7f || c == '\'' || c == '\\' || c == '%') {
                plain = false;
            }
        }
        if (plain) {
            text.append(name).append("='").append(new String(value, StandardCharsets.US_ASCII)).append("'\n");
        } else {
            text.append(name).append("=\"$(printf '").append(octal(value)).append("_')\"; ")
                    .append(name).append("=\"${").append(name).append("%_}\"\n");
        }
        return name;
    }

    /** {@code "$name"}: a variable as one word. */
    static String word(String variable) {
        return "\"$" + variable + "\"";
    }

    /** Single-quoted ASCII, for paths of the test's own (never hostile). */
    static String quote(String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            if (ascii.charAt(i) >= 0x7f) {
                throw new IllegalArgumentException("not ASCII: " + ascii);
            }
        }
        return "'" + ascii.replace("'", "'\\''") + "'";
    }

    private static String octal(byte[] value) {
        StringBuilder sb = new StringBuilder(value.length * 2);
        for (byte b : value) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\' && c != '%') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\%03o", c)); // always three digits: "\\1" then "2" would read as one byte
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
