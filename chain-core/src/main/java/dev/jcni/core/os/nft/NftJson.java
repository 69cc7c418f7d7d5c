package dev.jcni.core.os.nft;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.json.JsonTreeWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * Jackson trees in and out, for the nftables layer only.
 *
 * <p>The kernel layer may not use {@code dev.jcni.core.protocol.Json} (layers point one way), and
 * an {@code ObjectMapper} costs tens of milliseconds of set-up in a process that lives for one
 * request, so this is a small streaming reader of its own; trees are written by the
 * {@link JsonTreeWriter} the protocol's JSON uses too. Integers become
 * {@code IntNode} when they fit an int and {@code LongNode} otherwise, both here and in
 * {@link #number}, so trees built by the model compare equal to trees parsed from nft's output.
 */
final class NftJson {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonFactory FACTORY = new JsonFactory();

    private NftJson() {}

    /** An int node when the value fits, else a long node: the same choice the parser makes. */
    static JsonNode number(long value) {
        return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }

    static ArrayNode array() {
        return NODES.arrayNode();
    }

    /** {@code {key: value}}: nft's single-key wrapper for commands, objects, statements and expressions. */
    static ObjectNode wrap(String key, JsonNode value) {
        ObjectNode o = NODES.objectNode();
        o.set(key, value);
        return o;
    }

    /** Compact JSON text. */
    static String write(JsonNode node) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            JsonTreeWriter.write(g, node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Parses one JSON document, or throws {@link NftParseException} saying what and where. */
    static JsonNode parse(String text) throws NftParseException {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new NftParseException("empty nft JSON");
            }
            JsonNode node = readValue(p, first);
            if (p.nextToken() != null) {
                throw new NftParseException("unexpected content after the nft JSON document");
            }
            return node;
        } catch (JsonProcessingException e) {
            com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new NftParseException("malformed nft JSON: " + e.getOriginalMessage() + where);
        } catch (IOException e) {
            throw new NftParseException("malformed nft JSON: " + e.getMessage());
        }
    }

    private static JsonNode readValue(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                ObjectNode obj = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
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
            case VALUE_NUMBER_FLOAT:
                return NODES.numberNode(p.getDecimalValue());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new IOException("unexpected JSON token " + t);
        }
    }
}
