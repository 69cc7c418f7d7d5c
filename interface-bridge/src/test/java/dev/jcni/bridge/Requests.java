package dev.jcni.bridge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.protocol.CniArgs;
import dev.jcni.core.protocol.CniVersion;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.protocol.JsonFields;
import dev.jcni.core.skel.Command;
import dev.jcni.core.skel.Invocation;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Builds in-process invocations from JSON text, as the skel would. */
final class Requests {
    static final String NETNS = "/run/netns/sandbox1";

    private Requests() {}

    static Invocation invocation(Command command, String json, String containerId, String netns, String cniArgs) throws Exception {
        Json.Document document = Json.parseDocument(json.getBytes(StandardCharsets.UTF_8));
        ObjectNode config = document.object();
        String version = CniVersion.orDefault(config.path("cniVersion").textValue());
        return new Invocation(command, containerId, netns, command == Command.GC || command == Command.STATUS ? "" : "eth0",
                CniArgs.parse(cniArgs), List.of("/opt/cni/bin"),
                JsonFields.of(config, JsonFields.Source.NETWORK_CONFIG, document.duplicateKeys()), version,
                config.path("name").asText());
    }

    static Invocation invocation(Command command, String json) throws Exception {
        return invocation(command, json, "ctr1", NETNS, null);
    }

    /** A bridge config for network "net", version {@code version}, with extra members (",\"ipMasq\":true"). */
    static String conf(String version, String extra) {
        return "{\"cniVersion\":\"" + version + "\",\"name\":\"net\",\"type\":\"bridge\",\"bridge\":\"br0\"" + extra + "}";
    }

    /** {@link #conf(String, String)} at 1.0.0 with a host-local {@code ipam}. */
    static String l3(String extra) {
        return conf("1.0.0", ",\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.22.0.0/16\"}" + extra);
    }
}
