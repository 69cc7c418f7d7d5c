package dev.jcni.cnictl.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * One entry of a conflist's {@code plugins} (or a drop-in {@code .conf}), kept as the JSON tree
 * it was read from so that fields the runtime does not know reach the plugin unchanged.
 *
 * @param tree         the plugin object as written; never modified (requests are built on copies)
 * @param type         the executable name
 * @param capabilities the declared capabilities ({@code "portMappings": true}), in file order
 * @param origin       where it came from, for error messages ("plugins[2]" or a drop-in file)
 */
public record PluginConfig(ObjectNode tree, String type, Map<String, Boolean> capabilities, String origin) {
    public PluginConfig {
        capabilities = Map.copyOf(capabilities);
    }

    /** True when the plugin declares {@code capability} as {@code true}. */
    public boolean declares(String capability) {
        return Boolean.TRUE.equals(capabilities.get(capability));
    }

    /** libcni's pluginDescription, for error messages: the type, and the plugin's own name when it has one. */
    public String description() {
        JsonNode name = tree.get("name");
        String out = "plugin type=\"" + type + "\"";
        if (name != null && name.isTextual() && !name.textValue().isEmpty()) {
            out += " name=\"" + name.textValue() + "\"";
        }
        return out;
    }
}
