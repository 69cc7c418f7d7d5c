package dev.jcni.cnictl.runtime;

import dev.jcni.core.protocol.CniException;

/**
 * A plugin ran and failed (or could not be run, or timed out). Keeps the plugin's own
 * {@code code} and {@code details} so that a caller sees, e.g., STATUS code 50 unchanged; the
 * message says which plugin and which verb, as libcni's {@code plugin type="…" failed (add): …}.
 */
public final class PluginFailure extends CniException {
    private final String command;
    private final String pluginType;
    private final String pluginMsg;

    public PluginFailure(String prefix, String command, String pluginType, CniException cause) {
        super(cause.code(), prefix + cause.msg(), cause.details(), cause);
        this.command = command;
        this.pluginType = pluginType;
        this.pluginMsg = cause instanceof PluginFailure ? ((PluginFailure) cause).pluginMsg() : cause.msg();
    }

    /** ADD, DEL, CHECK, GC, STATUS or VERSION. */
    public String command() {
        return command;
    }

    public String pluginType() {
        return pluginType;
    }

    /** The plugin's {@code msg}, without the runtime's prefix. */
    public String pluginMsg() {
        return pluginMsg;
    }
}
