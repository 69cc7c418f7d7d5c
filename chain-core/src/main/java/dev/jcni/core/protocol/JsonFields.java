package dev.jcni.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.net.AddressFormatException;
import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;
import dev.jcni.core.net.MacAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Reads the fields of one JSON object, typed, knowing where the object is and whose rules apply:
 * {@code conf.object("args").object("cni").integer("mtu")} reports a wrong value as
 * {@code invalid value "1500" for "args.cni.mtu": expected an integer}, with the CNI error code
 * of the document's {@link Source}.
 *
 * <p>Keys match as Go's {@code encoding/json} matches struct fields: ignoring case, and when a
 * key occurs more than once in any spelling, the LAST occurrence in the document wins
 * ({@code {"mtu":1400,"MTU":1500}} reads 1500). One rule for every key, because runtimes rely on
 * Go's case-insensitivity (containerd sends {@code HostPort}, {@code IngressRate}). The repeats
 * themselves were recorded by the parse ({@link Json#parseDocument}); {@link #duplicateKeys()}
 * gives those of this object to checks that refuse them.
 *
 * <p>Typed getters return null when the key is absent or JSON null; any other type is an error
 * naming the field, its value and what was expected. {@link #object} never returns null: an
 * absent object reads as an empty one ({@link #isPresent()} tells), so chains need no checks.
 * Paths use the spelling the caller asked for, the one the documentation shows.
 */
public final class JsonFields {
    /**
     * Whose rules a document follows, which decides the code of its errors.
     *
     * <p>A network config (a plugin's stdin, a conflist) fails validation with 7, "invalid network
     * config", as the Go skel and libcni report a config they cannot use. A result (a prevResult,
     * a plugin's stdout, a cached result) that cannot be read fails with 6, "failed to decode
     * content": Go's plugins report such a prevResult with 999 only because their generic
     * handler wraps every plain error as ErrInternal, which in jcni means a bug.
     */
    public enum Source {
        NETWORK_CONFIG(CniException.INVALID_CONFIG),
        RESULT(CniException.DECODING_FAILURE);

        private final int code;

        Source(int code) {
            this.code = code;
        }

        /** The CNI error code for a field of this source that cannot be used. */
        public int code() {
            return code;
        }
    }

    private static final int SHOWN_VALUE_MAX = 80;

    private final ObjectNode node;
    private final String path;
    private final Source source;
    private final List<Json.DuplicateKey> duplicates;

    private JsonFields(ObjectNode node, String path, Source source, List<Json.DuplicateKey> duplicates) {
        this.node = node;
        this.path = path;
        this.source = source;
        this.duplicates = duplicates;
    }

    /** The root object of a document whose repeated keys were not recorded (none are reported). */
    public static JsonFields of(ObjectNode root, Source source) {
        return new JsonFields(root, "", source, List.of());
    }

    /** The root object of a parsed document, with the repeated keys the parse recorded. */
    public static JsonFields of(ObjectNode root, Source source, List<Json.DuplicateKey> duplicates) {
        return new JsonFields(root, "", source, List.copyOf(duplicates));
    }

    /** An object below the root of its document, e.g. a {@code prevResult} at path "prevResult". */
    public static JsonFields at(ObjectNode node, String path, Source source) {
        return new JsonFields(node, path, source, List.of());
    }

    /** The same object read under another source's rules (a prevResult inside a config is a result). */
    public JsonFields as(Source other) {
        return new JsonFields(node, path, other, duplicates);
    }

    /** False for an object that is absent (or JSON null) in the document. */
    public boolean isPresent() {
        return node != null;
    }

    /** The object's tree, or null when absent. */
    public ObjectNode node() {
        return node;
    }

    /** The dotted path of this object ("" for the root). */
    public String path() {
        return path;
    }

    public Source source() {
        return source;
    }

    /** The dotted path of {@code key} in this object, for messages. */
    public String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The raw value of {@code key} (last match ignoring case), or null when absent or JSON null. */
    public JsonNode get(String key) {
        if (node == null) {
            return null;
        }
        JsonNode found = null;
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (e.getKey().equalsIgnoreCase(key)) {
                found = e.getValue();
            }
        }
        return found == null || found.isNull() ? null : found;
    }

    /** The entries of this object in document order (empty when absent); for maps such as sysctls. */
    public Iterable<Map.Entry<String, JsonNode>> entries() {
        return node == null ? Collections.<Map.Entry<String, JsonNode>>emptySet() : node.properties();
    }

    public String string(String key) throws CniException {
        JsonNode n = get(key);
        if (n == null) {
            return null;
        }
        if (!n.isTextual()) {
            throw invalid(key, n, "a string");
        }
        return n.textValue();
    }

    public Boolean bool(String key) throws CniException {
        JsonNode n = get(key);
        if (n == null) {
            return null;
        }
        if (!n.isBoolean()) {
            throw invalid(key, n, "true or false");
        }
        return n.booleanValue();
    }

    public Integer integer(String key) throws CniException {
        JsonNode n = get(key);
        if (n == null) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw invalid(key, n, "an integer");
        }
        return n.intValue();
    }

    public Long longValue(String key) throws CniException {
        JsonNode n = get(key);
        if (n == null) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw invalid(key, n, "an integer");
        }
        return n.longValue();
    }

    /** A u32 (0 to 4294967295), the spec's {@code uint} for kernel numbers such as route tables. */
    public Long uint32(String key) throws CniException {
        JsonNode n = get(key);
        if (n == null) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0 || n.longValue() > 0xFFFF_FFFFL) {
            throw invalid(key, n, "an unsigned 32-bit integer");
        }
        return n.longValue();
    }

    /** The object at {@code key}; an absent one (never null) when the key is absent or JSON null. */
    public JsonFields object(String key) throws CniException {
        JsonNode n = get(key);
        if (n != null && !n.isObject()) {
            throw invalid(key, n, "an object");
        }
        return new JsonFields((ObjectNode) n, pathOf(key), source, duplicates);
    }

    public ArrayNode array(String key) throws CniException {
        JsonNode n = get(key);
        if (n != null && !n.isArray()) {
            throw invalid(key, n, "an array");
        }
        return (ArrayNode) n;
    }

    /**
     * The array at {@code key} as objects, each knowing its path ("ips[1]"); empty when absent.
     * A non-object entry, JSON null included, is an error: dropping it would shift every index
     * that refers into the array.
     */
    public List<JsonFields> objects(String key) throws CniException {
        ArrayNode arr = array(key);
        if (arr == null) {
            return List.of();
        }
        List<JsonFields> out = new ArrayList<>(arr.size());
        for (int i = 0; i < arr.size(); i++) {
            JsonNode e = arr.get(i);
            String p = pathOf(key) + "[" + i + "]";
            if (!e.isObject()) {
                throw typeError(source, p, e, "an object");
            }
            out.add(new JsonFields((ObjectNode) e, p, source, duplicates));
        }
        return out;
    }

    /** The array at {@code key} as strings; null entries are no value and skipped; null when absent. */
    public List<String> strings(String key) throws CniException {
        ArrayNode arr = array(key);
        if (arr == null) {
            return null;
        }
        List<String> out = new ArrayList<>(arr.size());
        for (int i = 0; i < arr.size(); i++) {
            JsonNode e = arr.get(i);
            if (e.isNull()) {
                continue;
            }
            if (!e.isTextual()) {
                throw typeError(source, pathOf(key) + "[" + i + "]", e, "a string");
            }
            out.add(e.textValue());
        }
        return List.copyOf(out);
    }

    /** An IP address; "" reads as absent, as Go's {@code net.IP} decodes it. */
    public IpAddress ipAddress(String key) throws CniException {
        String text = string(key);
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return IpAddress.parse(text);
        } catch (AddressFormatException e) {
            throw invalid(key, get(key), "an IP address (" + e.reason() + ")");
        }
    }

    /** An address with prefix length, host bits kept ("10.1.0.5/16"); "" is an error, as in Go. */
    public IpPrefix prefix(String key) throws CniException {
        String text = string(key);
        if (text == null) {
            return null;
        }
        try {
            return IpPrefix.parse(text);
        } catch (AddressFormatException e) {
            throw invalid(key, get(key), "an address with prefix length such as 10.1.0.5/16 (" + e.reason() + ")");
        }
    }

    /** A 6-byte MAC address in one of Go's forms; "" is an error. */
    public MacAddress mac(String key) throws CniException {
        String text = string(key);
        if (text == null) {
            return null;
        }
        try {
            return MacAddress.parse(text);
        } catch (AddressFormatException e) {
            throw invalid(key, get(key), "a MAC address such as 02:42:ac:11:00:02 (" + e.reason() + ")");
        }
    }

    /** The repeated keys the parse recorded in this object (matched by path, ignoring case). */
    public List<Json.DuplicateKey> duplicateKeys() {
        List<Json.DuplicateKey> out = new ArrayList<>();
        for (Json.DuplicateKey d : duplicates) {
            if (d.objectPath().equalsIgnoreCase(path)) {
                out.add(d);
            }
        }
        return out;
    }

    /** The error for a {@code key} of this object whose {@code value} is not what was {@code expected}. */
    public CniException invalid(String key, JsonNode value, String expected) {
        return typeError(source, pathOf(key), value, expected);
    }

    /** The error for a required {@code key} of this object that is absent, null or empty. */
    public CniException missing(String key, String expected) {
        return new CniException(source.code(), "missing \"" + pathOf(key) + "\": expected " + expected);
    }

    /** {@code invalid value <value> for "<path>": expected <expected>}, with the source's code. */
    public static CniException typeError(Source source, String path, JsonNode value, String expected) {
        String shown = Json.toString(value);
        if (shown.length() > SHOWN_VALUE_MAX) {
            shown = shown.substring(0, SHOWN_VALUE_MAX - 3) + "...";
        }
        return new CniException(source.code(), "invalid value " + shown + " for \"" + path + "\": expected " + expected);
    }
}
