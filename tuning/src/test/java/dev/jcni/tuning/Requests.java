package dev.jcni.tuning;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.protocol.CniArgs;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.protocol.JsonFields;
import dev.jcni.core.skel.Command;
import dev.jcni.core.skel.Invocation;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Builds in-process invocations from JSON text, as the skel would. */
final class Requests {
    private Requests() {}

    static Invocation invocation(Command command, String json, String cniArgs) throws Exception {
        Json.Document document = Json.parseDocument(json.getBytes(StandardCharsets.UTF_8));
        ObjectNode config = document.object();
        String version = config.path("cniVersion").asText("0.1.0");
        return new Invocation(command, "ctr1", "/run/netns/none", "eth0", parseArgs(cniArgs), List.of("/opt/cni/bin"),
                JsonFields.of(config, JsonFields.Source.NETWORK_CONFIG, document.duplicateKeys()), version,
                config.path("name").asText());
    }

    static Invocation invocation(Command command, String json) throws Exception {
        return invocation(command, json, null);
    }

    private static CniArgs parseArgs(String raw) throws CniException {
        return CniArgs.parse(raw);
    }
}
