package dev.jcni.daemon;

import java.io.PrintStream;
import java.time.Instant;

/**
 * jcnid's own log, on its stderr (what a systemd unit or a container collects): start and stop,
 * one line per request (plugin, verb, container ID, duration, exit code), each request's own log
 * lines, and declines. Every line is one line: control characters in a value are escaped.
 */
final class DaemonLog {
    private final PrintStream out;

    DaemonLog(PrintStream out) {
        this.out = out;
    }

    void info(String message) {
        line("jcnid: " + message);
    }

    void warn(String message) {
        line("jcnid: WARN " + message);
    }

    /** A line a request logged, attributed to the request. */
    void requestLine(long id, String line) {
        line("jcnid: #" + id + " | " + line);
    }

    private synchronized void line(String text) {
        out.println(Instant.now() + " " + escape(text));
        out.flush();
    }

    /** {@code \n}, {@code \r}, {@code \t} and other C0 controls and DEL as escapes, so no value forges a line. */
    static String escape(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029;
            if (control && sb == null) {
                sb = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (sb == null) {
                continue;
            }
            if (!control) {
                sb.append(c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        return sb == null ? text : sb.toString();
    }
}
