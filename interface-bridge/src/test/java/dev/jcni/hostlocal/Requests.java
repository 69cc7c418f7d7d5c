package dev.jcni.hostlocal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.protocol.CniArgs;
import dev.jcni.core.protocol.CniVersion;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.protocol.JsonFields;
import dev.jcni.core.skel.Command;
import dev.jcni.core.skel.Invocation;
import dev.jcni.core.skel.NodePolicy;
import dev.jcni.core.skel.StateRoots;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Builds in-process invocations from JSON text, as the skel would. */
final class Requests {
    private Requests() {}

    static Invocation invocation(Command command, String json, String containerId, String ifName, String cniArgs)
            throws Exception {
        Json.Document document = Json.parseDocument(json.getBytes(StandardCharsets.UTF_8));
        ObjectNode config = document.object();
        String version = CniVersion.orDefault(config.path("cniVersion").textValue());
        return new Invocation(command, containerId, "/run/netns/none", ifName, CniArgs.parse(cniArgs), List.of("/opt/cni/bin"),
                JsonFields.of(config, JsonFields.Source.NETWORK_CONFIG, document.duplicateKeys()), version,
                config.path("name").asText(), TEST_NODE);
    }

    /** The node's policy in these tests: data directories may live in the system's temporary directory. */
    static final NodePolicy TEST_NODE = NodePolicy.fromEnvironment(java.util.Map.of(StateRoots.VARIABLE,
            System.getProperty("java.io.tmpdir") + ":" + StateRoots.DEFAULT_ROOTS));

    static Invocation invocation(Command command, String json) throws Exception {
        return invocation(command, json, "ctr1", "eth0", null);
    }

    /** A network config named "net" around an {@code ipam} object (its JSON text), version 1.0.0. */
    static String conf(String ipam) {
        return conf("1.0.0", ipam, "");
    }

    /** As {@link #conf(String)} with a version and extra top-level members (",\"runtimeConfig\":{...}"). */
    static String conf(String version, String ipam, String extra) {
        return "{\"cniVersion\":\"" + version + "\",\"name\":\"net\",\"type\":\"bridge\",\"ipam\":" + ipam + extra + "}";
    }

    /** An ipam object with {@code ranges} (JSON text) and the given data directory. */
    static String ipam(Path dataDir, String ranges) {
        return "{\"type\":\"host-local\",\"dataDir\":\"" + dataDir + "\",\"ranges\":" + ranges + "}";
    }
}
