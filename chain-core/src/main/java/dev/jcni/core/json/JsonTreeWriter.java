package dev.jcni.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;

/**
 * Writes a Jackson tree to a streaming generator, node by node, in the tree's own key order.
 *
 * <p>Why not {@code ObjectMapper.writeTree}: an {@code ObjectMapper} costs tens of milliseconds of
 * set-up in a process that lives for one request; this walk needs only jackson-core's generator.
 * Shared by the CNI protocol's JSON ({@code protocol.Json}) and the nftables layer's
 * ({@code os.nft.NftJson}), which may not depend on each other (layers point one way) but write
 * trees alike.
 */
public final class JsonTreeWriter {
    private JsonTreeWriter() {}

    /** {@code n} and everything below it. Numbers keep their kind (int, long, big integer, decimal, double). */
    public static void write(JsonGenerator g, JsonNode n) throws IOException {
        switch (n.getNodeType()) {
            case OBJECT:
                g.writeStartObject();
                for (Map.Entry<String, JsonNode> e : n.properties()) {
                    g.writeFieldName(e.getKey());
                    write(g, e.getValue());
                }
                g.writeEndObject();
                break;
            case ARRAY:
                g.writeStartArray();
                for (JsonNode e : n) {
                    write(g, e);
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
                // POJO and BINARY nodes are never built by this project: their text, quoted.
                g.writeString(n.asText());
        }
    }
}
