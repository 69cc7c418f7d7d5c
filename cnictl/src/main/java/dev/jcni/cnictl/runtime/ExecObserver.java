package dev.jcni.cnictl.runtime;

/** Told about every plugin exec; called on the thread that ran it. */
@FunctionalInterface
public interface ExecObserver {
    /** Ignores everything. A class, not a lambda: lambda bootstrap costs start-up time in a CLI. */
    ExecObserver NONE = new ExecObserver() {
        @Override
        public void onExec(PluginExecution execution) {
        }
    };

    void onExec(PluginExecution execution);
}
