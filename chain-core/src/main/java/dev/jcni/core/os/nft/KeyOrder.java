package dev.jcni.core.os.nft;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The order in which nft 1.0.6 lists set elements, named and anonymous: by the value the kernel
 * stores, read as a number in that value's byte order. Single values of network-order types
 * (addresses, ports) therefore sort numerically; host-order values (marks, interface names)
 * by their little-endian reading, so {@code veth2} comes before {@code veth10}; and a
 * concatenation, whose parts are each padded to 4 bytes, as one little-endian number, so
 * {@code sctp . 1} sorts before {@code tcp . 80} (the port's low byte weighs most).
 *
 * <p>The model sorts anonymous sets this way so that a rule it generates equals the rule nft
 * lists back; {@link FakeNftRunner} sorts named sets the same way when listing. Elements whose
 * bytes cannot be computed (an unknown type) keep their order.
 */
final class KeyOrder implements Comparator<JsonNode> {
    private final List<DataType> types;

    /** @param types the key type: one entry, or one per part of a concatenation */
    KeyOrder(List<DataType> types) {
        this.types = types;
    }

    /** A sorted copy of {@code elements}. */
    List<JsonNode> sorted(Iterable<JsonNode> elements) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : elements) {
            out.add(e);
        }
        out.sort(this);
        return out;
    }

    @Override
    public int compare(JsonNode a, JsonNode b) {
        byte[] ka = bytes(a);
        byte[] kb = bytes(b);
        if (ka == null || kb == null || ka.length != kb.length) {
            return 0;
        }
        boolean bigEndian = types.size() == 1 && types.get(0).networkOrder();
        for (int i = 0; i < ka.length; i++) {
            int at = bigEndian ? i : ka.length - 1 - i;
            int d = (ka[at] & 0xff) - (kb[at] & 0xff);
            if (d != 0) {
                return d;
            }
        }
        return 0;
    }

    /** The stored bytes of an element key (map entries and {@code elem} wrappers unwrapped), or null. */
    private byte[] bytes(JsonNode element) {
        JsonNode key = keyOf(element);
        if (types.size() == 1) {
            return single(types.get(0), key);
        }
        JsonNode parts = key.path("concat");
        if (!parts.isArray() || parts.size() != types.size()) {
            return null;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < types.size(); i++) {
            byte[] b = single(types.get(i), parts.get(i));
            if (b == null) {
                return null;
            }
            out.write(b, 0, b.length);
            for (int pad = b.length; pad % 4 != 0; pad++) {
                out.write(0);
            }
        }
        return out.toByteArray();
    }

    /** The key of a set element, a map entry {@code [key, data]}, or an {@code {"elem":{"val":...}}} wrapper. */
    static JsonNode keyOf(JsonNode element) {
        JsonNode key = element.isArray() && element.size() == 2 ? element.get(0) : element;
        return key.has("elem") ? key.path("elem").path("val") : key;
    }

    private static byte[] single(DataType type, JsonNode value) {
        if (type == null || type == DataType.VERDICT) {
            return null;
        }
        JsonNode v = value;
        if (v.has("prefix")) {
            v = v.path("prefix").path("addr");
        } else if (v.has("range")) {
            v = v.path("range").path(0);
        }
        if (!(v.isTextual() || v.isIntegralNumber())) {
            return null;
        }
        try {
            return type.keyBytes(v);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
