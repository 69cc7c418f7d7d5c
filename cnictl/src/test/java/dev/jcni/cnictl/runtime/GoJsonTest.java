package dev.jcni.cnictl.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jcni.core.protocol.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * GoJson against what Go's encoding/json writes for the same value decoded into interface{}. The
 * expected texts follow encoding/json's floatEncoder: strconv's shortest digits, format 'f' for
 * magnitudes in [1e-6, 1e21) and zero, 'e' outside, with "e-07" shortened to "e-7".
 */
class GoJsonTest {
    private static String marshal(String json) throws Exception {
        return new String(GoJson.marshal(Json.parse(json.getBytes(StandardCharsets.UTF_8))), StandardCharsets.UTF_8);
    }

    @Test
    void floatsArePlainBetween1eMinus6And1e21AndExponentsOutside() throws Exception {
        assertEquals("[2,0.5,123.456,0.000001,100000000000000000000,-7.25]", marshal("[2.0,0.5,123.456,1e-6,1e20,-7.25]"));
        assertEquals("[1e+21,1.5e-7,1e-10,-2.5e+300,9.99e-7]", marshal("[1e21,1.5e-7,1e-10,-2.5e300,9.99e-7]"));
        assertEquals("[0,-0]", marshal("[0.0,-0.0]"));
        assertEquals("[12345678901234567000]", marshal("[1.2345678901234567e19]"), "the float's shortest digits, then zeros");
    }

    @Test
    void integersAreWrittenAsTheyAre() throws Exception {
        assertEquals("[0,-1,10000000000,123456789012345678901234567890]", marshal("[0,-1,10000000000,123456789012345678901234567890]"));
    }

    @Test
    void keysSortByTheirUtf8Bytes() throws Exception {
        // "a" before "ab" (a prefix first); U+FFFD (EF BF BD) before U+1F600 (F0 9F 98 80), which
        // UTF-16 order would put first (D83D < FFFD).
        assertEquals("{\"a\":1,\"ab\":2,\"b\":3,\"\uFFFD\":4,\"\uD83D\uDE00\":5}",
                marshal("{\"\uD83D\uDE00\":5,\"b\":3,\"ab\":2,\"\uFFFD\":4,\"a\":1}"));
        // Both ways round, so the comparison is made in both directions.
        assertEquals("{\"a\":1,\"ab\":2}", marshal("{\"a\":1,\"ab\":2}"));
        assertEquals("{\"a\":1,\"ab\":2}", marshal("{\"ab\":2,\"a\":1}"));
        assertEquals("{\"\uD83D\uDE00\":1,\"\uD83D\uDE00x\":2}", marshal("{\"\uD83D\uDE00x\":2,\"\uD83D\uDE00\":1}"));
    }

    @Test
    void onlyControlCharactersAndHtmlCharactersAreEscaped() {
        StringBuilder sb = new StringBuilder();
        GoJson.string(sb, " ~\u007f\u00ff\u0100\u001f\r\b\f");
        assertEquals("\" ~\u007f\u00ff\u0100\\u001f\\r\\b\\f\"", sb.toString());
        sb.setLength(0);
        GoJson.string(sb, "\u2029<>&");
        assertEquals("\"\\u2029\\u003c\\u003e\\u0026\"", sb.toString());
    }
}
