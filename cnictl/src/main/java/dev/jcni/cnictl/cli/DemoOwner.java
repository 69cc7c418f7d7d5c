package dev.jcni.cnictl.cli;

import dev.jcni.core.os.process.ProcessStart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process that runs a demo, as written into its run directory: pid, start time (field 22 of
 * {@code /proc/PID/stat}, so that a later process reusing the pid is not taken for it) and the
 * network namespace it changed ({@code net:[inode]}), which decides who may clean up after it.
 *
 * @param pid        the demo's process id
 * @param startTicks when it started, in clock ticks since boot
 * @param netns      its network namespace, as {@code readlink /proc/self/ns/net} shows it
 */
record DemoOwner(long pid, long startTicks, String netns) {

    static DemoOwner current() throws IOException {
        long pid = ProcessHandle.current().pid();
        long start = ProcessStart.ticksOf(pid);
        if (start < 0) {
            throw new IOException("cannot read /proc/" + pid + "/stat");
        }
        return new DemoOwner(pid, start, currentNetns());
    }

    /** The network namespace of this process. */
    static String currentNetns() throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
    }

    /** What {@link #format} wrote, or null for anything else (a missing or half-written file). */
    static DemoOwner parse(String text) {
        String[] f = text.trim().split("\\s+");
        if (f.length != 3) {
            return null;
        }
        try {
            return new DemoOwner(Long.parseLong(f[0]), Long.parseLong(f[1]), f[2]);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    String format() {
        return pid + " " + startTicks + " " + netns + "\n";
    }

    /** True while this very process runs. */
    boolean isAlive() {
        return startTicks == ProcessStart.ticksOf(pid);
    }
}
