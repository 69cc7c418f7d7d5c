package dev.jcni.core.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.json.JsonTreeWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * JSON reading and writing for the whole project, as Jackson trees.
 *
 * <p>Why not {@code ObjectMapper}: a plugin process lives for one request, and building an
 * ObjectMapper (type factory, serializer caches, introspection) costs tens of milliseconds of
 * class loading on every exec. The streaming parser plus Jackson's tree node classes give the same
 * trees at a fraction of that. Numbers are kept as their exact types (int, long, BigInteger,
 * double; BigDecimal beyond double range), and object key order is preserved, so unknown
 * fields round-trip. Repeated keys are recorded during the one parse ({@link #parseDocument}),
 * so checks that care about them need no second pass over the input.
 */
public final class Json {
    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonFactory FACTORY = new JsonFactory();

    private Json() {}

    /** Parses one JSON document; trailing content after it is an error. */
    public static JsonNode parse(byte[] bytes) throws JsonSyntaxException {
        return parseDocument(bytes).root();
    }

    public static JsonNode parse(String text) throws JsonSyntaxException {
        return parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Parses a document that must be a JSON object. */
    public static ObjectNode parseObject(byte[] bytes) throws JsonSyntaxException {
        return parseDocument(bytes).object();
    }

    /**
     * Parses one JSON document and records every repeated key on the way (see {@link Document}).
     * Trailing content after the document is an error.
     */
    public static Document parseDocument(byte[] bytes) throws JsonSyntaxException {
        requireUtf8(bytes);
        try (JsonParser parser = FACTORY.createParser(bytes)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new JsonSyntaxException("empty input");
            }
            JsonTreeBuilder builder = new JsonTreeBuilder(parser);
            JsonNode node = builder.readValue(first);
            if (parser.nextToken() != null) {
                throw new JsonSyntaxException("unexpected content after the JSON document");
            }
            return new Document(node, builder.duplicates());
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

    /**
     * Refuses what Go's {@code encoding/json} refuses and Jackson would read: a byte-order mark,
     * and UTF-16 or UTF-32 (Jackson detects them from a mark or from zero bytes among the first
     * four). Go reads UTF-8 only, so a config another plugin of the chain rejects must not mean
     * something here. JSON text never holds a zero byte, so the check needs only the first four.
     */
    private static void requireUtf8(byte[] bytes) throws JsonSyntaxException {
        int n = bytes.length;
        if (n >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF) {
            throw new JsonSyntaxException("the input starts with a UTF-8 byte-order mark; JSON must be UTF-8 without one");
        }
        if (n >= 2 && ((bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF) || (bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE))) {
            throw new JsonSyntaxException("the input starts with a UTF-16 or UTF-32 byte-order mark; JSON must be UTF-8 without one");
        }
        if (n >= 4 && bytes[0] == 0 && bytes[1] == 0 && bytes[2] == (byte) 0xFE && bytes[3] == (byte) 0xFF) {
            throw new JsonSyntaxException("the input starts with a UTF-32 byte-order mark; JSON must be UTF-8 without one");
        }
        for (int i = 0; i < Math.min(n, 4); i++) {
            if (bytes[i] == 0) {
                throw new JsonSyntaxException("the input is UTF-16 or UTF-32 (a zero byte at offset " + i + "); JSON must be UTF-8");
            }
        }
    }

    /**
     * A parsed document and the keys it repeated.
     *
     * <p>A tree keeps one value per key, so repeats are recorded while the tree is built, with
     * where they occurred. The tree itself holds what Go's decoder would read: for a key repeated
     * exactly, only the last value, at the position of its last occurrence; keys that differ only
     * in case are all kept, the last of them (in document order) being the one {@link JsonFields}
     * reads, as Go's {@code encoding/json} does for struct fields.
     */
    public record Document(JsonNode root, List<DuplicateKey> duplicateKeys) {
        /** The root as an object; JsonSyntaxException naming the actual type otherwise. */
        public ObjectNode object() throws JsonSyntaxException {
            if (!root.isObject()) {
                throw new JsonSyntaxException("expected a JSON object, got " + root.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            }
            return (ObjectNode) root;
        }
    }

    /**
     * A key that occurred again in the same object. Each spelling is recorded at its first
     * repeat only: {@code {"a":1,"a":2,"a":3}} records one repeat of "a".
     *
     * @param objectPath the dotted path of the object holding it, as spelled in the document
     *                   ("" for the root, "args.cni.sysctl", "plugins[0]")
     * @param key        the later spelling
     * @param earlierKey the earlier spelling: equal to {@code key} for an exact repeat, else equal
     *                   ignoring case ("mtu" then "MTU")
     * @param line       1-based line of the later occurrence
     * @param column     1-based column of the later occurrence
     */
    public record DuplicateKey(String objectPath, String key, String earlierKey, int line, int column) {
        /** The same spelling twice, rather than two spellings equal ignoring case. */
        public boolean exact() {
            return key.equals(earlierKey);
        }

        /** Dotted path of the key itself. */
        public String path() {
            return objectPath.isEmpty() ? key : objectPath + "." + key;
        }

        @Override
        public String toString() {
            return "\"" + path() + "\" at line " + line + ", column " + column
                    + (exact() ? " repeats the key" : " repeats \"" + earlierKey + "\" in another case");
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
            JsonTreeWriter.write(g, node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (pretty) {
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** Malformed JSON. Callers turn it into CNI error code 6. */
    public static final class JsonSyntaxException extends IOException {
        public JsonSyntaxException(String message) {
            super(message);
        }
    }
}
