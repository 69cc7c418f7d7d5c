package dev.jcni.it.hostile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Variants of a JSON template (a config whose strings may hold {@code ${...}} placeholders): one
 * key set to a value given as raw JSON text (so it can be a token no JSON library would write,
 * such as {@code NaN} or {@code 1e400}) or removed. A key is a path of segments, strings for
 * object keys (a sysctl key holds dots) and integers for array indexes; missing objects on the
 * way are created.
 */
final class JsonEdit {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RAW = "@@raw-value-7f3e@@";

    private JsonEdit() {}

    /** A path from segments: {@code path("args", "cni", "mtu")}, {@code path("prevResult", "ips", 0, "address")}. */
    static List<Object> path(Object... segments) {
        return List.of(segments);
    }

    /** The path in dotted form for labels: {@code prevResult.ips[0].address}. */
    static String show(List<Object> path) {
        StringBuilder sb = new StringBuilder();
        for (Object s : path) {
            if (s instanceof Integer i) {
                sb.append('[').append(i).append(']');
            } else {
                sb.append(sb.length() == 0 ? "" : ".").append(s);
            }
        }
        return sb.toString();
    }

    /** {@code template} with the value at {@code path} replaced by (or set to) {@code rawJson}. */
    static String set(String template, List<Object> path, String rawJson) {
        ObjectNode root = parse(template);
        ContainerAndKey at = walk(root, path);
        if (at.container instanceof ObjectNode o) {
            o.put((String) at.key, RAW);
        } else {
            ArrayNode a = (ArrayNode) at.container;
            int i = (Integer) at.key;
            while (a.size() <= i) {
                a.addNull();
            }
            a.set(i, a.textNode(RAW));
        }
        return write(root).replace("\"" + RAW + "\"", rawJson);
    }

    /** {@code template} with the value at {@code path} set to {@code rawJson}, which may hold any bytes. */
    static Text set(String template, List<Object> path, Text rawJson) {
        String marked = set(template, path, RAW);
        int at = marked.indexOf(RAW);
        return Text.of(marked.substring(0, at)).then(rawJson).then(marked.substring(at + RAW.length()));
    }

    /** {@code template} without the value at {@code path}. */
    static String remove(String template, List<Object> path) {
        ObjectNode root = parse(template);
        ContainerAndKey at = walk(root, path);
        if (at.container instanceof ObjectNode o) {
            o.remove((String) at.key);
        } else {
            ((ArrayNode) at.container).remove((Integer) at.key);
        }
        return write(root);
    }

    /** A JSON string literal of {@code s} (quotes and escapes added). */
    static String string(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private record ContainerAndKey(JsonNode container, Object key) {}

    private static ContainerAndKey walk(ObjectNode root, List<Object> path) {
        JsonNode cur = root;
        for (int i = 0; i < path.size() - 1; i++) {
            Object seg = path.get(i);
            JsonNode next = seg instanceof Integer idx ? cur.path(idx) : cur.get((String) seg);
            if (next == null || next.isMissingNode() || !(next.isObject() || next.isArray())) {
                boolean wantsArray = path.get(i + 1) instanceof Integer;
                JsonNode made = wantsArray ? JSON.createArrayNode() : JSON.createObjectNode();
                if (cur instanceof ObjectNode o) {
                    o.set((String) seg, made);
                } else {
                    ArrayNode a = (ArrayNode) cur;
                    while (a.size() <= (Integer) seg) {
                        a.addNull();
                    }
                    a.set((Integer) seg, made);
                }
                next = made;
            }
            cur = next;
        }
        return new ContainerAndKey(cur, path.get(path.size() - 1));
    }

    static ObjectNode parse(String template) {
        try {
            return (ObjectNode) JSON.readTree(template);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalArgumentException("not a JSON object template: " + template, e);
        }
    }

    static String write(JsonNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
