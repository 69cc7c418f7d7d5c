package dev.jcni.core.skel;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The plugins' log: stderr, plus a file when the config names one ({@code logFile}) or the
 * environment does ({@code JCNI_LOG_FILE}). Never stdout: stdout carries the protocol only.
 *
 * <p>stderr gets warnings and errors (libcni copies a plugin's stderr into the runtime's log, so
 * it stays quiet); the file gets everything from info up; {@code JCNI_DEBUG=1} adds debug lines.
 * A tiny hand-rolled logger on purpose: java.util.logging costs start-up time.
 */
public final class Log {
    public enum Level { DEBUG, INFO, WARN, ERROR }

    private static PrintStream stderr = System.err;
    private static OutputStream file;
    private static String prefix = "jcni";
    private static boolean debug;
    private static String context = "";
    private static final long START = System.nanoTime();

    private Log() {}

    /** Called by the skel before a verb runs. */
    static void configure(String pluginName, String logFile, boolean debugEnabled) {
        prefix = pluginName;
        debug = debugEnabled;
        if (logFile != null && !logFile.isEmpty() && file == null) {
            try {
                file = new FileOutputStream(logFile, true);
            } catch (IOException e) {
                stderr.println(prefix + ": cannot open log file " + logFile + ": " + e.getMessage());
            }
        }
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
        String line = prefix + ": " + level + (context.isEmpty() ? "" : " [" + context + "]") + " " + message;
        if (level.compareTo(Level.WARN) >= 0 || debug) {
            stderr.println(line);
        }
        if (file != null) {
            try {
                file.write((Instant.now() + " " + line + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // A broken log file must never fail the request.
            }
        }
    }
}
