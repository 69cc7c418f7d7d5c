package dev.jcni.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Typed, case-insensitive reads from a config tree.
 *
 * <p>Keys are matched exactly first, then ignoring case, because Go's JSON decoding is
 * case-insensitive and runtimes rely on it: containerd sends {@code HostPort} and
 * {@code IngressRate}. Every type error is a CNI error (code 7) naming the field and its value.
 * {@code path} is the field's dotted location, used only in messages (e.g. "args.cni.mtu").
 */
public final class Fields {
    private Fields() {}

    /** The value of {@code key} in {@code obj}, or null when absent, JSON null, or obj is not an object. */
    public static JsonNode get(JsonNode obj, String key) {
        if (obj == null || !obj.isObject()) {
            return null;
        }
        JsonNode exact = obj.get(key);
        if (exact != null) {
            return exact.isNull() ? null : exact;
        }
        for (Map.Entry<String, JsonNode> e : obj.properties()) {
            if (e.getKey().equalsIgnoreCase(key)) {
                return e.getValue().isNull() ? null : e.getValue();
            }
        }
        return null;
    }

    /** Follows a chain of keys, case-insensitively: {@code path(conf, "args", "cni", "mac")}. */
    public static JsonNode path(JsonNode obj, String... keys) {
        JsonNode n = obj;
        for (String k : keys) {
            n = get(n, k);
            if (n == null) {
                return null;
            }
        }
        return n;
    }

    public static String string(JsonNode obj, String key, String path) throws CniException {
        JsonNode n = get(obj, key);
        if (n == null) {
            return null;
        }
        if (!n.isTextual()) {
            throw typeError(path, n, "a string");
        }
        return n.textValue();
    }

    public static Boolean bool(JsonNode obj, String key, String path) throws CniException {
        JsonNode n = get(obj, key);
        if (n == null) {
            return null;
        }
        if (!n.isBoolean()) {
            throw typeError(path, n, "true or false");
        }
        return n.booleanValue();
    }

    public static Integer integer(JsonNode obj, String key, String path) throws CniException {
        JsonNode n = get(obj, key);
        if (n == null) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw typeError(path, n, "an integer");
        }
        return n.intValue();
    }

    public static Long longValue(JsonNode obj, String key, String path) throws CniException {
        JsonNode n = get(obj, key);
        if (n == null) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw typeError(path, n, "an integer");
        }
        return n.longValue();
    }

    public static ObjectNode object(JsonNode obj, String key, String path) throws CniException {
        JsonNode n = get(obj, key);
        if (n == null) {
            return null;
        }
        if (!n.isObject()) {
            throw typeError(path, n, "an object");
        }
        return (ObjectNode) n;
    }

    public static JsonNode array(JsonNode obj, String key, String path) throws CniException {
        JsonNode n = get(obj, key);
        if (n == null) {
            return null;
        }
        if (!n.isArray()) {
            throw typeError(path, n, "an array");
        }
        return n;
    }

    public static CniException typeError(String path, JsonNode value, String expected) {
        return CniException.invalidConfig("invalid value " + Json.toString(value) + " for \"" + path + "\": expected " + expected);
    }
}
