package dev.jcni.cnictl.runtime;

import dev.jcni.core.protocol.CniException;
import dev.jcni.core.skel.Command;

/**
 * A plugin ran and failed (or could not be run, or timed out). Keeps the plugin's own
 * {@code code} and {@code details} so that a caller sees, e.g., STATUS code 50 unchanged; the
 * message says which plugin and which verb, as libcni's {@code plugin type="…" failed (add): …}.
 */
public final class PluginFailure extends CniException {
    private final Command command;
    private final String pluginType;
    private final String pluginMsg;

    public PluginFailure(String prefix, Command command, String pluginType, CniException cause) {
        super(cause.code(), prefix + cause.msg(), cause.details(), cause);
        this.command = command;
        this.pluginType = pluginType;
        this.pluginMsg = cause instanceof PluginFailure ? ((PluginFailure) cause).pluginMsg() : cause.msg();
    }

    /** The verb that failed. */
    public Command command() {
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
