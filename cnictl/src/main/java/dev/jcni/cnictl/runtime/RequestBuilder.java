package dev.jcni.cnictl.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.protocol.Json;
import java.util.List;
import java.util.Map;

/**
 * Builds the stdin of each plugin exec from its conflist entry, as libcni's
 * {@code buildOneConfig}/{@code InjectConf}: a copy of the entry's JSON tree (unknown fields and
 * their order kept) with {@code name} and {@code cniVersion} overwritten by the list's,
 * {@code prevResult} when there is one, and {@code runtimeConfig} holding exactly the
 * capabilities the entry declares {@code true} and the caller supplied; no {@code runtimeConfig}
 * is injected when that set is empty (a static one in the file then passes through).
 * {@code capabilities} is left in, as libcni leaves it.
 */
public final class RequestBuilder {
    /** The GC key of the spec as published after 1.1.0 and the one the 1.1.0 tag used (cni#1101). */
    public static final String VALID_ATTACHMENTS = "cni.dev/valid-attachments";
    public static final String LEGACY_ATTACHMENTS = "cni.dev/attachments";

    private RequestBuilder() {}

    /** ADD, DEL and CHECK. {@code prevResult} may be null. */
    public static ObjectNode attachment(NetworkConfigList list, PluginConfig plugin, JsonNode prevResult, RuntimeConf rt) {
        ObjectNode req = base(list, plugin);
        if (prevResult != null) {
            req.set("prevResult", prevResult);
        }
        ObjectNode runtimeConfig = runtimeConfig(plugin, rt.capabilityArgs());
        if (runtimeConfig.size() > 0) {
            req.set("runtimeConfig", runtimeConfig);
        }
        return req;
    }

    /** The capability arguments this plugin declares and the caller supplied. */
    static ObjectNode runtimeConfig(PluginConfig plugin, ObjectNode capabilityArgs) {
        ObjectNode rc = Json.NODES.objectNode();
        if (capabilityArgs == null) {
            return rc;
        }
        for (Map.Entry<String, Boolean> cap : plugin.capabilities().entrySet()) {
            JsonNode value = capabilityArgs.get(cap.getKey());
            if (Boolean.TRUE.equals(cap.getValue()) && value != null) {
                rc.set(cap.getKey(), value.deepCopy());
            }
        }
        return rc;
    }

    /**
     * GC: name, cniVersion and, when the caller named the valid attachments (even none), both
     * attachment keys. {@code valid == null} means "no list given" (cnitool's gc): the keys are
     * left out and plugins treat everything as stale.
     */
    public static ObjectNode gc(NetworkConfigList list, PluginConfig plugin, List<GcAttachment> valid) {
        ObjectNode req = base(list, plugin);
        if (valid != null) {
            ArrayNode arr = Json.NODES.arrayNode();
            for (GcAttachment a : valid) {
                ObjectNode o = arr.addObject();
                o.put("containerID", a.containerId());
                o.put("ifname", a.ifName());
            }
            req.set(VALID_ATTACHMENTS, arr);
            req.set(LEGACY_ATTACHMENTS, arr.deepCopy());
        }
        return req;
    }

    /** STATUS: name and cniVersion only. */
    public static ObjectNode status(NetworkConfigList list, PluginConfig plugin) {
        return base(list, plugin);
    }

    private static ObjectNode base(NetworkConfigList list, PluginConfig plugin) {
        ObjectNode req = plugin.tree().deepCopy();
        req.put("name", list.name());
        req.put("cniVersion", list.cniVersion());
        return req;
    }
}
