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
 *
 * <p>In a plugin process all of this is the process's. In the node daemon each request has its
 * own ({@link #capture}): its lines become that request's stderr, as they would be its
 * process's, and its name, context, debug setting and log file are its own.
 */
public final class Log {
    public enum Level { DEBUG, INFO, WARN, ERROR }

    /**
     * Where lines go and the state the skel sets for a request: the process's own (stderr, in a
     * plugin process), or one node-daemon request's ({@link #capture}). Guarded by itself.
     */
    private static final class Sink {
        PrintStream stderr;
        FileChannel file;
        String filePath;
        String prefix = "jcni";
        boolean debug;
        String context = "";
        final long start;
        /** Told of every {@link #timing} phase: only a daemon request's, only when jcnid was given a test fault. */
        final Phases phases;

        Sink(PrintStream stderr, long start, Phases phases) {
            this.stderr = stderr;
            this.start = start;
            this.phases = phases;
        }
    }

    /**
     * Told of each phase a request reaches ({@link #timing}'s names: bridge's "veth pair",
     * "IPAM ADD", "masquerade", ...), on the request's thread, whether or not debug lines are on.
     * Only jcnid's test-fault injection uses it (docs/daemon.md, "Failure modes"); a plugin
     * process has none.
     */
    public interface Phases {
        void reached(String phase);
    }

    private static final Sink PROCESS = new Sink(System.err, System.nanoTime(), null);
    /** A daemon request's sink, inherited by the threads the request starts; none in a plugin process. */
    private static final InheritableThreadLocal<Sink> REQUEST = new InheritableThreadLocal<>();

    private Log() {}

    private static Sink sink() {
        Sink s = REQUEST.get();
        return s != null ? s : PROCESS;
    }

    /**
     * One node-daemon request's log, in force on the calling thread (and the threads it starts)
     * until closed: every line the request logs goes to {@code stderr}, exactly as a plugin
     * process writes it to its own stderr, and its {@code JCNI_LOG_FILE} is opened for it alone
     * (closed with the capture). Requests on other threads and the process's own log are not
     * touched, so requests in one JVM never mix their lines.
     */
    public static final class Capture implements AutoCloseable {
        private final Sink sink;
        private final Sink previous;

        private Capture(Sink sink, Sink previous) {
            this.sink = sink;
            this.previous = previous;
        }

        @Override
        public void close() {
            synchronized (sink) {
                closeFile(sink);
            }
            if (previous == null) {
                REQUEST.remove();
            } else {
                REQUEST.set(previous);
            }
        }
    }

    /** Starts capturing the calling thread's request log into {@code stderr}; see {@link Capture}. */
    public static Capture capture(PrintStream stderr) {
        return capture(stderr, null);
    }

    /** {@link #capture(PrintStream)}, with {@code phases} (or null) told of every phase the request reaches. */
    public static Capture capture(PrintStream stderr, Phases phases) {
        Sink previous = REQUEST.get();
        Sink sink = new Sink(stderr, System.nanoTime(), phases);
        REQUEST.set(sink);
        return new Capture(sink, previous);
    }

    /**
     * Called by the skel before a verb runs, with the environment's {@code JCNI_LOG_FILE} (null or
     * "" for none). A file that cannot or must not be opened is reported on stderr and skipped:
     * a log never fails a request.
     */
    static void configure(String pluginName, String logFile, boolean debugEnabled) {
        Sink s = sink();
        String refused = null;
        String wanted = logFile == null || logFile.isEmpty() ? null : logFile;
        synchronized (s) {
            s.prefix = pluginName;
            s.debug = debugEnabled;
            if (wanted == null ? s.filePath == null : wanted.equals(s.filePath)) {
                return;
            }
            closeFile(s);
            if (wanted == null) {
                return;
            }
            try {
                s.file = LogFile.open(wanted);
                s.filePath = wanted;
            } catch (LogFile.Refused e) {
                refused = e.getMessage();
            }
        }
        if (refused != null) {
            log(Level.WARN, "ignoring JCNI_LOG_FILE \"" + wanted + "\": " + refused + "; logging to stderr only");
        }
    }

    private static void closeFile(Sink s) {
        if (s.file != null) {
            try {
                s.file.close();
            } catch (IOException e) {
                // nothing was lost: every line is written when it is logged
            }
        }
        s.file = null;
        s.filePath = null;
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
    static Saved save() {
        Sink s = sink();
        synchronized (s) {
            Saved saved = new Saved(s.prefix, s.debug, s.context, s.file, s.filePath);
            s.file = null;
            s.filePath = null;
            s.context = "";
            return saved;
        }
    }

    /** Ends the nested state (closing a file it opened) and puts the caller's back. */
    static void restore(Saved saved) {
        Sink s = sink();
        synchronized (s) {
            if (s.file != saved.file) {
                closeFile(s);
            }
            s.prefix = saved.prefix;
            s.debug = saved.debug;
            s.context = saved.context;
            s.file = saved.file;
            s.filePath = saved.filePath;
        }
    }

    /** Text added to every line, e.g. the container ID and verb. */
    static void setContext(String text) {
        Sink s = sink();
        synchronized (s) {
            s.context = text;
        }
    }

    /** Redirects the process's stderr output (tests and in-process callers); a request's capture is not changed. */
    public static void redirect(PrintStream target) {
        synchronized (PROCESS) {
            PROCESS.stderr = target;
        }
    }

    /** The about text, printed raw on stderr when CNI_COMMAND is unset. */
    static void about(String text) {
        Sink s = sink();
        synchronized (s) {
            s.stderr.println(text);
        }
    }

    /**
     * A debug line stamped with the milliseconds since this class loaded (early in
     * {@code main}, when the skel starts), or since a daemon request began: where a request's
     * time goes, with {@code JCNI_DEBUG=1}.
     */
    public static void timing(String phase) {
        Sink s = sink();
        if (s.phases != null) {
            s.phases.reached(phase);
        }
        if (s.debug) {
            // Plain arithmetic, not String.format: the first format call alone costs milliseconds.
            long tenths = (System.nanoTime() - s.start) / 100_000;
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

    private static void log(Level level, String message) {
        Sink s = sink();
        synchronized (s) {
            if (level == Level.DEBUG && !s.debug) {
                return;
            }
            String line = escape(s.prefix + ": " + level + (s.context.isEmpty() ? "" : " [" + s.context + "]") + " " + message);
            if (level.compareTo(Level.WARN) >= 0 || s.debug) {
                s.stderr.println(line);
            }
            if (s.file != null) {
                try {
                    ByteBuffer bytes = ByteBuffer.wrap((Instant.now() + " " + line + "\n").getBytes(StandardCharsets.UTF_8));
                    while (bytes.hasRemaining()) {
                        s.file.write(bytes);
                    }
                } catch (IOException e) {
                    // A broken log file must never fail the request.
                }
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
