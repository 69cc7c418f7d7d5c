package dev.jcni.tuning;

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
import java.util.List;
import java.util.Map;

/**
 * Builds in-process invocations from JSON text, as the skel would. The node's allowlist is a
 * path that does not exist unless a test says otherwise, so no test depends on /etc; the node's
 * state directories include the system's temporary directory, where the tests keep their data.
 */
final class Requests {
    static final String NO_ALLOWLIST = "/nonexistent/jcni-test/allowlist.conf";

    private Requests() {}

    static Invocation invocation(Command command, String json, String cniArgs) throws Exception {
        Json.Document document = Json.parseDocument(json.getBytes(StandardCharsets.UTF_8));
        ObjectNode config = document.object();
        String version = CniVersion.orDefault(config.path("cniVersion").textValue());
        return new Invocation(command, "ctr1", "/run/netns/none", "eth0", CniArgs.parse(cniArgs), List.of("/opt/cni/bin"),
                JsonFields.of(config, JsonFields.Source.NETWORK_CONFIG, document.duplicateKeys()), version,
                config.path("name").asText(), allowlist(NO_ALLOWLIST));
    }

    static Invocation invocation(Command command, String json) throws Exception {
        return invocation(command, json, null);
    }

    /**
     * The node's policy with this allowlist; its state directories are the system's temporary
     * directory, where the tests' data directories live (and the default root, for the default).
     */
    static NodePolicy allowlist(String path) {
        return NodePolicy.fromEnvironment(Map.of(TuningDefaults.ALLOWLIST_VARIABLE, path,
                StateRoots.VARIABLE, TEST_STATE_ROOTS));
    }

    static final String TEST_STATE_ROOTS = System.getProperty("java.io.tmpdir") + ":" + StateRoots.DEFAULT_ROOTS;
}
