package dev.jcni.it.hostile;

/** How reports show inputs and outputs that may be megabytes long or full of control characters. */
final class Shown {
    static final int MAX = 160;

    private Shown() {}

    /** Control characters escaped, cut to {@link #MAX} characters with the full length said. */
    static String cut(String s) {
        return cut(s, MAX);
    }

    static String cut(String s, int max) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), max) + 32);
        int shown = Math.min(s.length(), max);
        for (int i = 0; i < shown; i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                sb.append("\\n");
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02X", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (s.length() > max) {
            sb.append("...(").append(s.length()).append(" chars)");
        }
        return sb.toString();
    }
}
