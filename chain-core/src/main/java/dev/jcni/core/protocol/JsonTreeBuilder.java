package dev.jcni.core.protocol;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One parse of {@link Json}: builds the tree from the streaming parser and records repeated keys
 * with their path and location (see {@link Json.Document}).
 */
final class JsonTreeBuilder {
    private final JsonParser p;
    /** Names and indexes from the root to the current value; built into text only for a repeat. */
    private final List<Object> path = new ArrayList<>();
    private List<Json.DuplicateKey> duplicates;

    JsonTreeBuilder(JsonParser p) {
        this.p = p;
    }

    /** The repeats recorded so far, in document order. */
    List<Json.DuplicateKey> duplicates() {
        return duplicates == null ? List.of() : List.copyOf(duplicates);
    }

    JsonNode readValue(JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT:
                return readObject();
            case START_ARRAY: {
                ArrayNode arr = Json.NODES.arrayNode();
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    path.add(arr.size());
                    arr.add(readValue(e));
                    path.remove(path.size() - 1);
                }
                return arr;
            }
            case VALUE_STRING:
                return Json.NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT: return Json.NODES.numberNode(p.getIntValue());
                    case LONG: return Json.NODES.numberNode(p.getLongValue());
                    default: return Json.NODES.numberNode(p.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT: {
                double d = p.getDoubleValue();
                // Beyond double range: a double would be Infinity, which the writer prints as a string.
                return Double.isInfinite(d) ? Json.NODES.numberNode(p.getDecimalValue()) : Json.NODES.numberNode(d);
            }
            case VALUE_TRUE:
                return Json.NODES.booleanNode(true);
            case VALUE_FALSE:
                return Json.NODES.booleanNode(false);
            case VALUE_NULL:
                return Json.NODES.nullNode();
            default:
                throw new Json.JsonSyntaxException("unexpected token " + t);
        }
    }

    private ObjectNode readObject() throws IOException {
        ObjectNode obj = Json.NODES.objectNode();
        // Folded spelling -> first spelling; only made once an object has a second key.
        Map<String, String> seen = null;
        // Spellings already recorded as repeats: each is recorded once per object, so that
        // the record never outgrows the tree (a hostile stdin may repeat one key a million times).
        Set<String> recorded = null;
        String firstKey = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            String earlier = null;
            if (firstKey == null) {
                firstKey = name;
            } else {
                if (seen == null) {
                    seen = new HashMap<>();
                    seen.put(fold(firstKey), firstKey);
                }
                earlier = seen.putIfAbsent(fold(name), name);
            }
            if (earlier != null) {
                if (recorded == null) {
                    recorded = new HashSet<>();
                }
                if (recorded.add(name)) {
                    record(name, earlier);
                }
            }
            path.add(name);
            JsonNode value = readValue(p.nextToken());
            path.remove(path.size() - 1);
            if (earlier != null && obj.has(name)) {
                // Moved to the end, so document order stays the order readers resolve repeats in.
                obj.remove(name);
            }
            obj.set(name, value);
        }
        return obj;
    }

    private void record(String key, String earlier) {
        JsonLocation at = p.currentTokenLocation();
        if (duplicates == null) {
            duplicates = new ArrayList<>();
        }
        duplicates.add(new Json.DuplicateKey(pathText(), key, earlier, at.getLineNr(), at.getColumnNr()));
    }

    private String pathText() {
        StringBuilder sb = new StringBuilder();
        for (Object segment : path) {
            if (segment instanceof Integer) {
                sb.append('[').append(segment).append(']');
            } else {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(segment);
            }
        }
        return sb.toString();
    }

    /**
     * The key as {@link String#equalsIgnoreCase} compares it, character by character, so that
     * two keys fold alike exactly when equalsIgnoreCase calls them equal.
     */
    private static String fold(String key) {
        StringBuilder sb = null;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            char f = Character.toLowerCase(Character.toUpperCase(c));
            if (f != c && sb == null) {
                sb = new StringBuilder(key.length()).append(key, 0, i);
            }
            if (sb != null) {
                sb.append(f);
            }
        }
        return sb == null ? key : sb.toString();
    }
}
