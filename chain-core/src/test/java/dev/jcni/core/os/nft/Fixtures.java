package dev.jcni.core.os.nft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test resources (see resources/dev/jcni/core/os/nft/README.md) and tree comparison. */
final class Fixtures {
    private Fixtures() {}

    static String text(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode tree(String name) {
        return parse(text(name));
    }

    static JsonNode parse(String json) {
        try {
            return NftJson.parse(json);
        } catch (NftParseException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * A copy with the elements of every anonymous {@code "set"} array sorted by their JSON text:
     * the appendix writes {@code {"set":["127.0.0.1","10.0.0.2"]}} in the order a person would,
     * the model in the order nft lists it; both mean the same set.
     */
    static JsonNode setsUnordered(JsonNode n) {
        if (n.isObject()) {
            ObjectNode out = NftJson.object();
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                JsonNode v = setsUnordered(e.getValue());
                if ("set".equals(e.getKey()) && v.isArray()) {
                    List<JsonNode> items = new ArrayList<>();
                    v.forEach(items::add);
                    items.sort((a, b) -> a.toString().compareTo(b.toString()));
                    ArrayNode sorted = NftJson.array();
                    items.forEach(sorted::add);
                    v = sorted;
                }
                out.set(e.getKey(), v);
            }
            return out;
        }
        if (n.isArray()) {
            ArrayNode out = NftJson.array();
            n.forEach(e -> out.add(setsUnordered(e)));
            return out;
        }
        return n;
    }
}
