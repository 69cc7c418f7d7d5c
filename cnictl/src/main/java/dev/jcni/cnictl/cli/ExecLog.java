package dev.jcni.cnictl.cli;

import dev.jcni.cnictl.runtime.ExecObserver;
import dev.jcni.cnictl.runtime.PluginExecution;
import dev.jcni.core.skel.Command;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Every plugin exec of the demo, in order, for its timing tables and its report of what each
 * plugin changed. What a plugin that succeeded wrote to stderr is shown as it happens.
 */
final class ExecLog implements ExecObserver {
    private final List<PluginExecution> all = new ArrayList<>();
    private final PrintStream err;

    ExecLog(PrintStream err) {
        this.err = err;
    }

    @Override
    public void onExec(PluginExecution execution) {
        all.add(execution);
        if (execution.stderr().length > 0 && execution.exitCode() == 0) {
            err.print("    (" + execution.pluginType() + " stderr) " + execution.stderrText());
        }
    }

    /** A position in the log, for {@link #since}. */
    int mark() {
        return all.size();
    }

    /** The execs after {@code mark}. */
    List<PluginExecution> since(int mark) {
        return new ArrayList<>(all.subList(mark, all.size()));
    }

    /** The execs of one verb, in order. */
    List<PluginExecution> of(Command command) {
        List<PluginExecution> out = new ArrayList<>();
        for (PluginExecution e : all) {
            if (e.command() == command) {
                out.add(e);
            }
        }
        return out;
    }
}
