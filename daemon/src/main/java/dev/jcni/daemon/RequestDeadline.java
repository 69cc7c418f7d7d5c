package dev.jcni.daemon;

import dev.jcni.core.skel.Log;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * When the launcher of one request stops waiting for it, and jcnid with it.
 *
 * <p>After ACCEPTED the launcher waits {@code JCNI_DAEMON_DEADLINE} seconds (from its own
 * environment, which is the request's: default 300) for the RESULT, then answers code 11 (ADD,
 * CHECK) or re-runs the verb in-process (DEL, GC, STATUS, VERSION), and the runtime goes on: a
 * DEL, a retried ADD. A daemon that was stopped (SIGSTOP, a stalled host) and continues after
 * that must not go on with the request: its ADD would recreate what the runtime's DEL removed, its
 * DEL could remove what a retried ADD made. So jcnid gives up on the request at the same point in
 * time, minus a margin, measured from when the HELLO arrived (the launcher's clock starts later,
 * when it reads ACCEPTED, and both are {@code CLOCK_MONOTONIC}: jcnid always gives up first):
 * it does not start a request past it, and the first phase mark ({@link Log#timing}) a request
 * reaches past it fails the request (the plugin's own undo runs), and no RESULT is sent.
 *
 * <p>The margin, a tenth of the deadline and at most {@value #MAX_MARGIN_SECONDS} s, is the time a
 * request may still need after a mark to answer (a few milliseconds in practice).
 */
final class RequestDeadline {
    static final String VARIABLE = "JCNI_DAEMON_DEADLINE";
    /** The launcher's default (docs/daemon-protocol.md). */
    static final long DEFAULT_SECONDS = 300;
    /** The launcher's largest accepted value: a year. */
    static final long MAX_SECONDS = 86_400L * 365;
    static final long MAX_MARGIN_SECONDS = 5;

    private final long seconds;
    private final long cutoffNanos;
    private final long helloNanos;

    RequestDeadline(Map<String, String> env, long helloNanos) {
        this.seconds = seconds(env.get(VARIABLE));
        this.helloNanos = helloNanos;
        this.cutoffNanos = helloNanos + Duration.ofSeconds(seconds).minus(margin(seconds)).toNanos();
    }

    /**
     * The launcher's deadline for this setting, read as the launcher reads it ({@code strtoll}
     * base 10 over the whole string: leading white space and a sign allowed, nothing after the
     * digits): a whole number of seconds from 1 to a year, anything else the default.
     */
    static long seconds(String setting) {
        if (setting == null) {
            return DEFAULT_SECONDS;
        }
        int i = 0;
        while (i < setting.length() && isSpace(setting.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < setting.length() && (setting.charAt(i) == '+' || setting.charAt(i) == '-')) {
            negative = setting.charAt(i) == '-';
            i++;
        }
        int digits = i;
        long v = 0;
        for (; i < setting.length(); i++) {
            char ch = setting.charAt(i);
            if (ch < '0' || ch > '9') {
                return DEFAULT_SECONDS;
            }
            v = v * 10 + (ch - '0');
            if (v > MAX_SECONDS) {
                return DEFAULT_SECONDS;
            }
        }
        if (i == digits || negative || v == 0) {
            return DEFAULT_SECONDS;
        }
        return v;
    }

    /** C's isspace in the C locale, as strtoll skips it. */
    private static boolean isSpace(char ch) {
        return ch == ' ' || ch == '\t' || ch == '\n' || ch == 0x0B || ch == '\f' || ch == '\r';
    }

    /** A tenth of the deadline, at most {@value #MAX_MARGIN_SECONDS} s. */
    static Duration margin(long seconds) {
        Duration tenth = Duration.ofMillis(seconds * 100);
        Duration max = Duration.ofSeconds(MAX_MARGIN_SECONDS);
        return tenth.compareTo(max) > 0 ? max : tenth;
    }

    long seconds() {
        return seconds;
    }

    /** Whether jcnid must give the request up at {@code nowNanos} ({@link System#nanoTime}). */
    boolean passed(long nowNanos) {
        return nowNanos - cutoffNanos > 0;
    }

    /** Why the request was given up, at {@code nowNanos}. */
    String why(long nowNanos) {
        long tenths = (nowNanos - helloNanos) / 100_000_000L;
        return "the launcher's deadline of " + seconds + " s (" + VARIABLE + ") minus " + margin(seconds).toMillis() + " ms passed "
                + tenths / 10 + "." + tenths % 10 + " s after the HELLO";
    }

    /**
     * The request's phase listener: tells {@code fault} (a test fault, or null) of every phase,
     * then, the first time a phase is reached past the deadline, fails the request by throwing
     * {@link Abandoned}, so the plugin's undo runs; marks reached after that (the undo's own, a
     * delegate's) pass, so the undo is not cut short.
     */
    Guard guard(Log.Phases fault) {
        return new Guard(this, fault);
    }

    static final class Guard implements Log.Phases {
        private final RequestDeadline deadline;
        private final Log.Phases fault;
        private final AtomicReference<String> abandonedAt = new AtomicReference<>();

        Guard(RequestDeadline deadline, Log.Phases fault) {
            this.deadline = deadline;
            this.fault = fault;
        }

        @Override
        public void reached(String phase) {
            if (fault != null) {
                fault.reached(phase);
            }
            long now = System.nanoTime();
            if (abandonedAt.get() == null && deadline.passed(now) && abandonedAt.compareAndSet(null, phase)) {
                throw new Abandoned("jcnid gave the request up at \"" + phase + "\": " + deadline.why(now));
            }
        }

        /** The phase at which the request was failed, or null while it was not. */
        String abandonedAt() {
            return abandonedAt.get();
        }
    }

    /**
     * Thrown from a phase mark past the deadline. Unchecked, so that it passes through every
     * plugin's code to the undo that catches what a step may throw; without a stack trace, since
     * the skel logs what reaches it as an internal error (one line).
     */
    static final class Abandoned extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Abandoned(String message) {
            super(message, null, false, false);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
