package dev.jcni.cnictl.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.CniVersion;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.skel.Command;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks a plugin which spec versions it speaks, with libcni's fallbacks for old plugins: one that
 * answers {@code unknown CNI_COMMAND: VERSION} predates VERSION and speaks 0.1.0; an answer of
 * {@code {"cniVersion":"0.2.0"}} without a list means 0.1.0 and 0.2.0.
 */
final class VersionProbe {
    static final String PRE_VERSION_ERROR = "unknown CNI_COMMAND: VERSION";

    private VersionProbe() {}

    static PluginVersionInfo probe(PluginExecutor executor, String type, Path binary) throws CniException {
        byte[] stdin = Json.write(Json.NODES.objectNode().put("cniVersion", CniVersion.CURRENT));
        byte[] out;
        try {
            out = executor.exec(Command.VERSION, type, binary, PluginExecutor.versionEnv(), stdin);
        } catch (CniException e) {
            if (PRE_VERSION_ERROR.equals(e.getMessage())) {
                return new PluginVersionInfo(CniVersion.V0_1_0, List.of(CniVersion.V0_1_0));
            }
            throw e;
        }
        return decode(out);
    }

    /** libcni's {@code PluginDecoder.Decode}. */
    static PluginVersionInfo decode(byte[] stdout) throws CniException {
        JsonNode tree;
        try {
            tree = Json.parse(stdout);
        } catch (Json.JsonSyntaxException e) {
            throw new CniException(CniException.DECODING_FAILURE, "decoding version info", e.getMessage());
        }
        JsonNode version = tree.get("cniVersion");
        if (version == null || !version.isTextual() || version.textValue().isEmpty()) {
            throw new CniException(CniException.DECODING_FAILURE, "decoding version info: missing field cniVersion");
        }
        List<String> supported = new ArrayList<>();
        JsonNode list = tree.get("supportedVersions");
        if (list != null && list.isArray()) {
            for (JsonNode v : list) {
                supported.add(v.asText());
            }
        }
        if (supported.isEmpty()) {
            if (version.textValue().equals(CniVersion.V0_2_0)) {
                return new PluginVersionInfo(CniVersion.V0_2_0, List.of(CniVersion.V0_1_0, CniVersion.V0_2_0));
            }
            throw new CniException(CniException.DECODING_FAILURE, "decoding version info: missing field supportedVersions");
        }
        return new PluginVersionInfo(version.textValue(), supported);
    }
}
