package dev.jcni.core.runtime;

/** Told about every plugin exec; called on the thread that ran it. */
@FunctionalInterface
public interface ExecObserver {
    ExecObserver NONE = e -> { };

    void onExec(PluginExecution execution);
}
