package dev.jcni.core.skel;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The plugins' log: stderr, plus the node's log file when the environment names one
 * ({@code JCNI_LOG_FILE}). Never stdout: stdout carries the protocol only.
 *
 * <p>Where to log is node policy, so it comes from the environment the node's runtime sets, never
 * from the network config (which tenants may write: a {@code logFile} there is ignored, see
 * {@link Skel}); the file is opened under {@link LogFile}'s rules.
 *
 * <p>stderr gets warnings and errors (libcni copies a plugin's stderr into the runtime's log, so
 * it stays quiet); the file gets everything from info up; {@code JCNI_DEBUG=1} adds debug lines.
 * Every line is escaped here, once: a newline or other control character in a logged value (a
 * path, a name from the config) is written as {@code \n}, {@code \x1b}..., so no value can
 * forge a line of its own. A tiny hand-rolled logger on purpose: java.util.logging costs
 * start-up time.
 */
public final class Log {
    public enum Level { DEBUG, INFO, WARN, ERROR }

    private static PrintStream stderr = System.err;
    private static FileChannel file;
    private static String filePath;
    private static String prefix = "jcni";
    private static boolean debug;
    private static String context = "";
    private static final long START = System.nanoTime();

    private Log() {}

    /**
     * Called by the skel before a verb runs, with the environment's {@code JCNI_LOG_FILE} (null or
     * "" for none). A file that cannot or must not be opened is reported on stderr and skipped:
     * a log never fails a request.
     */
    static synchronized void configure(String pluginName, String logFile, boolean debugEnabled) {
        prefix = pluginName;
        debug = debugEnabled;
        String wanted = logFile == null || logFile.isEmpty() ? null : logFile;
        if (wanted == null ? filePath == null : wanted.equals(filePath)) {
            return;
        }
        closeFile();
        if (wanted == null) {
            return;
        }
        try {
            file = LogFile.open(wanted);
            filePath = wanted;
        } catch (LogFile.Refused e) {
            log(Level.WARN, "ignoring JCNI_LOG_FILE \"" + wanted + "\": " + e.getMessage() + "; logging to stderr only");
        }
    }

    private static void closeFile() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                // nothing was lost: every line is written when it is logged
            }
        }
        file = null;
        filePath = null;
    }

    /**
     * The log's state, set aside while another plugin of this process answers a request it was
     * delegated ({@link Skel#runNested}): that plugin logs under its own name, context and file,
     * and the caller's come back afterwards, as if the delegate had been another process.
     */
    static final class Saved {
        private final String prefix;
        private final boolean debug;
        private final String context;
        private final FileChannel file;
        private final String filePath;

        private Saved(String prefix, boolean debug, String context, FileChannel file, String filePath) {
            this.prefix = prefix;
            this.debug = debug;
            this.context = context;
            this.file = file;
            this.filePath = filePath;
        }
    }

    /** Sets the caller's state aside (its file stays open) and starts the nested one with none. */
    static synchronized Saved save() {
        Saved saved = new Saved(prefix, debug, context, file, filePath);
        file = null;
        filePath = null;
        context = "";
        return saved;
    }

    /** Ends the nested state (closing a file it opened) and puts the caller's back. */
    static synchronized void restore(Saved saved) {
        if (file != saved.file) {
            closeFile();
        }
        prefix = saved.prefix;
        debug = saved.debug;
        context = saved.context;
        file = saved.file;
        filePath = saved.filePath;
    }

    /** Text added to every line, e.g. the container ID and verb. */
    static void setContext(String text) {
        context = text;
    }

    /** Redirects stderr output (tests and in-process callers). */
    public static void redirect(PrintStream target) {
        stderr = target;
    }

    /** The about text, printed raw on stderr when CNI_COMMAND is unset. */
    static void about(String text) {
        stderr.println(text);
    }

    /**
     * A debug line stamped with the milliseconds since this class loaded (early in
     * {@code main}, when the skel starts): where a request's time goes, with {@code JCNI_DEBUG=1}.
     */
    public static void timing(String phase) {
        if (debug) {
            // Plain arithmetic, not String.format: the first format call alone costs milliseconds.
            long tenths = (System.nanoTime() - START) / 100_000;
            log(Level.DEBUG, "+" + tenths / 10 + "." + tenths % 10 + " ms " + phase);
        }
    }

    public static void debug(String message) {
        log(Level.DEBUG, message);
    }

    public static void info(String message) {
        log(Level.INFO, message);
    }

    public static void warn(String message) {
        log(Level.WARN, message);
    }

    public static void error(String message) {
        log(Level.ERROR, message);
    }

    private static synchronized void log(Level level, String message) {
        if (level == Level.DEBUG && !debug) {
            return;
        }
        String line = escape(prefix + ": " + level + (context.isEmpty() ? "" : " [" + context + "]") + " " + message);
        if (level.compareTo(Level.WARN) >= 0 || debug) {
            stderr.println(line);
        }
        if (file != null) {
            try {
                ByteBuffer bytes = ByteBuffer.wrap((Instant.now() + " " + line + "\n").getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    file.write(bytes);
                }
            } catch (IOException e) {
                // A broken log file must never fail the request.
            }
        }
    }

    /**
     * {@code text} on one line: C0 controls, DEL, NEL and the Unicode line and paragraph
     * separators (U+2028, U+2029) as escapes: {@code \n}, {@code \r}, {@code \t}, {@code \x1b}, and a
     * backslash-u with four hex digits above 0xff.
     */
    static String escape(String text) {
        int i = 0;
        while (i < text.length() && !needsEscape(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length() + 16).append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!needsEscape(c)) {
                sb.append(c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c < 0x100) {
                sb.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            } else {
                sb.append("\\u").append(Integer.toHexString(c));
            }
        }
        return sb.toString();
    }

    private static boolean needsEscape(char c) {
        return c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029;
    }
}
