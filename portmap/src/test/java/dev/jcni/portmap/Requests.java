package dev.jcni.portmap;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.protocol.CniArgs;
import dev.jcni.core.protocol.CniVersion;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.protocol.JsonFields;
import dev.jcni.core.skel.Command;
import dev.jcni.core.skel.Invocation;
import dev.jcni.core.skel.NodePolicy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** In-process invocations from JSON text, as the skel builds them. */
final class Requests {
    static final String PREV = "\"prevResult\":{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"br0\"},"
            + "{\"name\":\"eth0\",\"sandbox\":\"/run/netns/x\"}],"
            + "\"ips\":[{\"address\":\"10.88.0.9/16\",\"gateway\":\"10.88.0.1\",\"interface\":1},"
            + "{\"address\":\"fd00:88::9/64\",\"interface\":1}]}";

    private Requests() {}

    static Invocation invocation(Command command, String containerId, String json, Map<String, String> node) throws Exception {
        Json.Document document = Json.parseDocument(json.getBytes(StandardCharsets.UTF_8));
        ObjectNode config = document.object();
        String version = CniVersion.orDefault(config.path("cniVersion").textValue());
        return new Invocation(command, containerId, "/run/netns/x", "eth0", CniArgs.parse(null), List.of("/opt/cni/bin"),
                JsonFields.of(config, JsonFields.Source.NETWORK_CONFIG, document.duplicateKeys()), version,
                config.path("name").asText(), NodePolicy.fromEnvironment(node));
    }

    static Invocation invocation(Command command, String containerId, String json) throws Exception {
        return invocation(command, containerId, json, Map.of());
    }

    /** A config of network {@code net} with these mappings (JSON array text) and extra top-level keys. */
    static String config(String net, String mappings, String extra) {
        return "{\"cniVersion\":\"1.0.0\",\"name\":\"" + net + "\",\"type\":\"portmap\"" + (extra.isEmpty() ? "" : "," + extra)
                + (mappings == null ? "" : ",\"runtimeConfig\":{\"portMappings\":" + mappings + "}") + "," + PREV + "}";
    }
}
