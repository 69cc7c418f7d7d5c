package dev.jcni.it.support;

import dev.jcni.core.os.process.ProcessStart;

/**
 * A process, told apart from any later process that reuses its pid: the pid and the start time
 * the kernel gives it ({@code /proc/PID/stat}, field 22, in clock ticks since boot). A lease
 * written by a process names its owner this way; the owner is alive while a process with the same
 * pid and the same start time exists.
 *
 * @param pid        the process id
 * @param startTicks field 22 of {@code /proc/PID/stat}
 */
public record Owner(long pid, long startTicks) {

    /** This JVM. */
    public static Owner current() {
        long pid = ProcessHandle.current().pid();
        long start = ProcessStart.ticksOf(pid);
        if (start < 0) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/stat");
        }
        return new Owner(pid, start);
    }

    /** The owner written by {@link #format}, or null for text that is not one (empty, half written). */
    public static Owner parse(String text) {
        String[] f = text.trim().split("\\s+");
        if (f.length < 2) {
            return null;
        }
        try {
            return new Owner(Long.parseLong(f[0]), Long.parseLong(f[1]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** "PID STARTTICKS", what {@link #parse} reads. */
    public String format() {
        return pid + " " + startTicks;
    }

    /** True while this very process runs (a zombie counts as gone: it holds nothing any more). */
    public boolean isAlive() {
        return startTicks >= 0 && startTicks == ProcessStart.ticksOf(pid);
    }
}
