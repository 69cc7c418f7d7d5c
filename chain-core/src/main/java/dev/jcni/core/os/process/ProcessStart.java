package dev.jcni.core.os.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * When a process started, in clock ticks since boot ({@code /proc/PID/stat}, field 22): with the
 * pid, what tells a process apart from a later one that reuses its pid. Whoever records an owner
 * (a demo's run directory, a test run's lease) records both and calls the owner alive only while
 * a process with that pid has that start time.
 */
public final class ProcessStart {
    private ProcessStart() {}

    /** Field 22 of /proc/PID/stat, or -1 when there is no such process or it is a zombie (it holds nothing any more). */
    public static long ticksOf(long pid) {
        try {
            return ticksFromStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return -1;
        }
    }

    /** Field 22 of a {@code /proc/PID/stat} line, or -1 for a zombie's or a line that is not one. */
    static long ticksFromStat(String stat) {
        // Field 2, the command, is in parentheses and may hold spaces or ')': the fields after the
        // last ')' start with field 3, the state.
        String[] f = stat.substring(stat.lastIndexOf(')') + 1).trim().split("\\s+");
        if (f.length < 20 || f[0].equals("Z")) {
            return -1;
        }
        try {
            return Long.parseLong(f[22 - 3]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
