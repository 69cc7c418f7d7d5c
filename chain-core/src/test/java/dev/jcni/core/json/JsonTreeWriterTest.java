package dev.jcni.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class JsonTreeWriterTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static String write(JsonNode n) throws Exception {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            JsonTreeWriter.write(g, n);
        }
        return out.toString();
    }

    @Test
    void everyNodeKindInTheTreesOrder() throws Exception {
        ObjectNode o = NODES.objectNode();
        o.put("z", 1);
        o.put("a", 5_000_000_000L);
        o.put("big", new BigInteger("123456789012345678901234567890"));
        o.put("dec", new BigDecimal("1.50"));
        o.put("dbl", 0.25);
        o.put("s", "x\"y");
        o.put("t", true);
        o.put("f", false);
        o.putNull("n");
        o.putArray("arr").add(1).add("two").addArray();
        o.putObject("empty");
        assertEquals("{\"z\":1,\"a\":5000000000,\"big\":123456789012345678901234567890,\"dec\":1.50,\"dbl\":0.25,"
                + "\"s\":\"x\\\"y\",\"t\":true,\"f\":false,\"n\":null,\"arr\":[1,\"two\",[]],\"empty\":{}}", write(o));
    }

    @Test
    void aMissingNodeIsNullAndAPojoItsQuotedText() throws Exception {
        assertEquals("null", write(NODES.missingNode()));
        assertEquals("\"pojo\"", write(NODES.pojoNode("pojo")));
    }
}
