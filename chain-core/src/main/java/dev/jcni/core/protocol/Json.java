package dev.jcni.core.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * JSON reading and writing for the whole project, as Jackson trees.
 *
 * <p>Why not {@code ObjectMapper}: a plugin process lives for one request, and building an
 * ObjectMapper (type factory, serializer caches, introspection) costs tens of milliseconds of
 * class loading on every exec. The streaming parser plus Jackson's tree node classes give the same
 * trees at a fraction of that. Numbers are kept as their exact types (int, long, BigInteger,
 * double; BigDecimal beyond double range), and object key order is preserved, so unknown
 * fields round-trip.
 */
public final class Json {
    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonFactory FACTORY = new JsonFactory();

    private Json() {}

    /** Parses one JSON document; trailing content after it is an error. */
    public static JsonNode parse(byte[] bytes) throws JsonSyntaxException {
        try (JsonParser parser = FACTORY.createParser(bytes)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new JsonSyntaxException("empty input");
            }
            JsonNode node = readValue(parser, first);
            if (parser.nextToken() != null) {
                throw new JsonSyntaxException("unexpected content after the JSON document");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // Jackson's own message names its input source; an operator needs what and where.
            com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new JsonSyntaxException(e.getOriginalMessage() + where);
        } catch (IOException e) {
            String message = e.getMessage();
            throw new JsonSyntaxException(message == null ? "malformed JSON" : message.split("\n")[0]);
        }
    }

    public static JsonNode parse(String text) throws JsonSyntaxException {
        return parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Parses a document that must be a JSON object. */
    public static ObjectNode parseObject(byte[] bytes) throws JsonSyntaxException {
        JsonNode node = parse(bytes);
        if (!node.isObject()) {
            throw new JsonSyntaxException("expected a JSON object, got " + node.getNodeType().name().toLowerCase());
        }
        return (ObjectNode) node;
    }

    private static JsonNode readValue(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                ObjectNode obj = NODES.objectNode();
                JsonToken k;
                while ((k = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    obj.set(name, readValue(p, p.nextToken()));
                }
                return obj;
            }
            case START_ARRAY: {
                ArrayNode arr = NODES.arrayNode();
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    arr.add(readValue(p, e));
                }
                return arr;
            }
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT: return NODES.numberNode(p.getIntValue());
                    case LONG: return NODES.numberNode(p.getLongValue());
                    default: return NODES.numberNode(p.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT: {
                double d = p.getDoubleValue();
                // Beyond double range: a double would be Infinity, which the writer prints as a string.
                return Double.isInfinite(d) ? NODES.numberNode(p.getDecimalValue()) : NODES.numberNode(d);
            }
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new JsonSyntaxException("unexpected token " + t);
        }
    }

    /**
     * Keys that occur more than once in the object found by following {@code path} from the
     * document's root (keys along the path matched case-insensitively, as {@link Fields} does).
     * A tree keeps only the last value of a duplicated key, so this reads the raw bytes; it
     * returns an empty list when the path does not lead to an object or the bytes are not JSON.
     */
    public static java.util.List<String> duplicateKeys(byte[] document, String... path) {
        java.util.List<String> duplicates = new java.util.ArrayList<>();
        try (JsonParser p = FACTORY.createParser(document)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                findDuplicates(p, path, 0, duplicates);
            }
        } catch (IOException e) {
            // Not JSON: the caller's own parse reports that.
        }
        return duplicates;
    }

    private static void findDuplicates(JsonParser p, String[] path, int depth, java.util.List<String> out) throws IOException {
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken value = p.nextToken();
            if (depth == path.length) {
                if (!seen.add(key) && !out.contains(key)) {
                    out.add(key);
                }
                p.skipChildren();
            } else if (value == JsonToken.START_OBJECT && key.equalsIgnoreCase(path[depth])) {
                findDuplicates(p, path, depth + 1, out);
            } else {
                p.skipChildren();
            }
        }
    }

    /** Compact JSON, as libcni and runtimes write it. */
    public static byte[] write(JsonNode node) {
        return write(node, false);
    }

    /** JSON with two-space indent and a trailing newline, for humans and state files. */
    public static byte[] writePretty(JsonNode node) {
        return write(node, true);
    }

    public static String toString(JsonNode node) {
        return new String(write(node), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte[] write(JsonNode node, boolean pretty) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            if (pretty) {
                g.useDefaultPrettyPrinter();
            }
            writeValue(g, node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (pretty) {
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static void writeValue(JsonGenerator g, JsonNode n) throws IOException {
        switch (n.getNodeType()) {
            case OBJECT: {
                g.writeStartObject();
                for (Map.Entry<String, JsonNode> e : n.properties()) {
                    g.writeFieldName(e.getKey());
                    writeValue(g, e.getValue());
                }
                g.writeEndObject();
                break;
            }
            case ARRAY:
                g.writeStartArray();
                for (JsonNode e : n) {
                    writeValue(g, e);
                }
                g.writeEndArray();
                break;
            case STRING:
                g.writeString(n.textValue());
                break;
            case NUMBER:
                if (n.isInt()) {
                    g.writeNumber(n.intValue());
                } else if (n.isLong()) {
                    g.writeNumber(n.longValue());
                } else if (n.isBigInteger()) {
                    g.writeNumber(n.bigIntegerValue());
                } else if (n.isBigDecimal()) {
                    g.writeNumber(n.decimalValue());
                } else {
                    g.writeNumber(n.doubleValue());
                }
                break;
            case BOOLEAN:
                g.writeBoolean(n.booleanValue());
                break;
            case NULL:
            case MISSING:
                g.writeNull();
                break;
            default:
                // POJO/BINARY nodes are never built by this project.
                g.writeString(n.asText());
        }
    }

    /** Malformed JSON. Callers turn it into CNI error code 6. */
    public static final class JsonSyntaxException extends IOException {
        public JsonSyntaxException(String message) {
            super(message);
        }
    }
}
