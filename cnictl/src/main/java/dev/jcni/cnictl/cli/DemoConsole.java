package dev.jcni.cnictl.cli;

import dev.jcni.cnictl.runtime.PluginExecution;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How the demo talks to the operator on stdout: numbered steps, indented lines under them, ok/LEFT
 * lines for the leak proof, and a timing table of plugin execs.
 */
final class DemoConsole {
    private final PrintStream out;
    private int stepNumber;

    DemoConsole(PrintStream out) {
        this.out = out;
    }

    /** A line of its own, not under a step: the banner and the verdict. */
    void banner(String line) {
        out.println(line);
    }

    void blankLine() {
        out.println();
    }

    /** Starts the next numbered step. */
    void step(String title) {
        out.println();
        out.println("[" + (++stepNumber) + "] " + title);
    }

    /** A line under the current step. */
    void say(String line) {
        out.println("    " + line);
    }

    /** A heading inside a step (one plugin of the "what changed" report). */
    void heading(String line) {
        out.println("  " + line);
    }

    /** A line under a {@link #heading}. */
    void detail(String line) {
        out.println("      " + line);
    }

    /** One check of the leak proof: "ok" or "LEFT"; a failed one is added to {@code problems}. */
    void expect(List<String> problems, boolean ok, String what) {
        out.println("    " + (ok ? "ok   " : "LEFT ") + what);
        if (!ok) {
            problems.add(what);
        }
    }

    /** A line per exec: verb, plugin, exit code, time, and which binary (ours or the system's). */
    void timings(List<PluginExecution> executions, Map<String, PluginChoice> choices) {
        for (PluginExecution e : executions) {
            PluginChoice c = choices.get(e.pluginType());
            out.println(String.format("    %-6s %-10s exit %d  %8s ms  (%s)", e.command(), e.pluginType(), e.exitCode(),
                    millis(e.elapsed()), c == null ? e.binary() : (c.ours() ? "ours" : "system") + " " + c.binary()));
        }
    }

    static String millis(Duration d) {
        return String.format("%.1f", d.toNanos() / 1e6);
    }

    static String seconds(long nanos) {
        return String.format("%.1f", nanos / 1e9);
    }
}
