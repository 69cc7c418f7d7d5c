package dev.jcni.bandwidth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.protocol.CniArgs;
import dev.jcni.core.protocol.CniVersion;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.protocol.JsonFields;
import dev.jcni.core.skel.Command;
import dev.jcni.core.skel.Invocation;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** In-process invocations built from JSON text, as the skel would build them. */
final class Requests {
    static final String NETNS = "/run/netns/sb1";
    static final String CONTAINER = "ctr1";
    static final String PREV = "\"prevResult\":{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\",\"sandbox\":\"" + NETNS
            + "\"}],\"ips\":[{\"address\":\"10.9.0.2/24\",\"interface\":0}]}";

    private Requests() {}

    static Invocation invocation(Command command, String json) throws Exception {
        return invocation(command, CONTAINER, NETNS, "eth0", json);
    }

    static Invocation invocation(Command command, String containerId, String netns, String ifName, String json) throws Exception {
        Json.Document document = Json.parseDocument(json.getBytes(StandardCharsets.UTF_8));
        ObjectNode config = document.object();
        String version = CniVersion.orDefault(config.path("cniVersion").textValue());
        return new Invocation(command, containerId, netns, ifName, CniArgs.parse(null), List.of("/opt/cni/bin"),
                JsonFields.of(config, JsonFields.Source.NETWORK_CONFIG, document.duplicateKeys()), version,
                config.path("name").asText());
    }

    /** A 1.0.0 config of network "net1" with {@code keys} (JSON members, no braces) and a prevResult. */
    static String conf(String keys) {
        return "{\"cniVersion\":\"1.0.0\",\"name\":\"net1\",\"type\":\"bandwidth\"" + (keys.isEmpty() ? "" : "," + keys) + "," + PREV + "}";
    }
}
