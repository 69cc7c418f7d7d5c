package dev.jcni.core.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Json;
import java.nio.charset.StandardCharsets;

/**
 * Turns a failed plugin's output into an error, as the reference's {@code RawExec.pluginErr}
 * (which both libcni and a delegating plugin use): the error object on stdout with its code, msg
 * and details unchanged (with or without {@code cniVersion}, as Go plugins omit it), else
 * stderr, else just the exit status. Go's unknown error code is 0, so that is what an
 * unstructured failure gets.
 */
final class PluginErrors {
    private PluginErrors() {}

    static CniException fromOutput(int exitCode, byte[] stdout, byte[] stderr) {
        String status = "exit status " + exitCode;
        if (isBlank(stdout)) {
            if (isBlank(stderr)) {
                return new CniException(0, "netplugin failed with no error message: " + status);
            }
            return new CniException(0, "netplugin failed: " + quote(stderr) + ": " + status);
        }
        JsonNode tree;
        try {
            tree = Json.parse(stdout);
        } catch (Json.JsonSyntaxException e) {
            return new CniException(0, "netplugin failed but error parsing its diagnostic message " + quote(stdout)
                    + ": " + e.getMessage());
        }
        if (!tree.isObject()) {
            return new CniException(0, "netplugin failed but error parsing its diagnostic message " + quote(stdout)
                    + ": not a JSON object");
        }
        JsonNode code = tree.get("code");
        JsonNode msg = tree.get("msg");
        JsonNode details = tree.get("details");
        int c = code != null && code.canConvertToInt() ? code.intValue() : 0;
        return new CniException(c, msg == null || msg.isNull() ? "" : msg.asText(),
                details == null || details.isNull() ? null : details.asText());
    }

    static boolean isBlank(byte[] b) {
        for (byte x : b) {
            if (x != ' ' && x != '\n' && x != '\r' && x != '\t') {
                return false;
            }
        }
        return true;
    }

    /** Like Go's %q: the text in double quotes with escapes, so a multi-line stderr stays one line. */
    private static String quote(byte[] b) {
        return Json.toString(Json.NODES.textNode(new String(b, StandardCharsets.UTF_8)));
    }
}
