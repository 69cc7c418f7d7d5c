package dev.jcni.core.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    @Test
    void roundTripPreservesKeyOrder() throws Exception {
        String text = "{\"zeta\":1,\"alpha\":{\"y\":[1,2,{\"b\":true,\"a\":null}],\"x\":\"s\"},\"mid\":false,\"Name\":\"n\"}";
        JsonNode node = Json.parse(text);
        assertEquals(text, Json.toString(node));
        List<String> keys = new ArrayList<>();
        Iterator<String> it = node.fieldNames();
        while (it.hasNext()) {
            keys.add(it.next());
        }
        assertEquals(List.of("zeta", "alpha", "mid", "Name"), keys);
    }

    @Test
    void integersKeepTheirExactTypeAndValue() throws Exception {
        String text = "[0,-1,2147483647,2147483648,4294967295,-2147483649,9223372036854775807,"
                + "9223372036854775808,18446744073709551615,-9223372036854775809,123456789012345678901234567890]";
        JsonNode n = Json.parse(text);
        assertTrue(n.get(0).isInt());
        assertTrue(n.get(2).isInt());
        assertTrue(n.get(3).isLong());
        assertTrue(n.get(4).isLong());
        assertEquals(4294967295L, n.get(4).longValue());
        assertTrue(n.get(5).isLong());
        assertTrue(n.get(6).isLong());
        assertTrue(n.get(7).isBigInteger());
        assertEquals(new BigInteger("18446744073709551615"), n.get(8).bigIntegerValue());
        assertTrue(n.get(9).isBigInteger());
        assertTrue(n.get(10).isBigInteger());
        assertEquals(text, Json.toString(n));
    }

    @Test
    void floatsRoundTripAsNumbers() throws Exception {
        JsonNode n = Json.parse("[1.5,-0.25,0.1,1e-7,1.0]");
        for (JsonNode e : n) {
            assertTrue(e.isDouble(), e.toString());
        }
        assertEquals(n, Json.parse(Json.toString(n)));
        assertEquals("[1.5,-0.25,0.1,1.0E-7,1.0]", Json.toString(n));
    }

    @Test
    void floatsBeyondDoubleRangeStayNumbers() throws Exception {
        // A double would turn these into Infinity, which the writer prints as the string "Infinity".
        JsonNode n = Json.parse("[1e400,-1e400]");
        assertTrue(n.get(0).isNumber());
        assertTrue(n.get(1).isNumber());
        JsonNode back = Json.parse(Json.toString(n));
        assertTrue(back.get(0).isNumber(), Json.toString(n));
        assertEquals(0, n.get(0).decimalValue().compareTo(new java.math.BigDecimal("1e400")));
        assertEquals(0, back.get(1).decimalValue().compareTo(new java.math.BigDecimal("-1e400")));
    }

    @Test
    void stringsRoundTripWithEscapesAndUnicode() throws Exception {
        String text = "{\"s\":\"quote\\\" backslash\\\\ nl\\n tab\\t nul\\u0000 \u00e9 \u4e2d \ud83d\ude00\"}";
        JsonNode n = Json.parse(text);
        assertEquals("quote\" backslash\\ nl\n tab\t nul\u0000 \u00e9 \u4e2d \ud83d\ude00", n.get("s").textValue());
        assertEquals(n, Json.parse(Json.write(n)));
        byte[] utf8 = Json.write(n);
        assertEquals(n, Json.parse(new String(utf8, StandardCharsets.UTF_8)));
    }

    @Test
    void duplicateKeysLastWinsAsInGo() throws Exception {
        assertEquals("{\"a\":2}", Json.toString(Json.parse("{\"a\":1,\"a\":2}")));
    }

    private static Json.Document document(String text) throws Exception {
        return Json.parseDocument(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theParseRecordsRepeatedKeysWithPathAndLocation() throws Exception {
        Json.Document d = document("{\"name\":\"n\",\n"
                + " \"sysctl\":{\"net.core.somaxconn\":\"1\",\"net.core.somaxconn\":\"2\"},\n"
                + " \"args\":{\"cni\":{\"mtu\":1,\"MTU\":2}},\n"
                + " \"plugins\":[{\"type\":\"a\"},{\"type\":\"b\",\"Type\":\"c\",\"x\":[{\"k\":1,\"k\":2}]}]}");
        List<Json.DuplicateKey> dups = d.duplicateKeys();
        assertEquals(4, dups.size(), dups.toString());
        assertEquals(new Json.DuplicateKey("sysctl", "net.core.somaxconn", "net.core.somaxconn", 2, 37), dups.get(0));
        assertTrue(dups.get(0).exact());
        assertEquals(new Json.DuplicateKey("args.cni", "MTU", "mtu", 3, 25), dups.get(1));
        assertFalse(dups.get(1).exact());
        assertEquals("args.cni.MTU", dups.get(1).path());
        assertEquals(new Json.DuplicateKey("plugins[1]", "Type", "type", 4, 38), dups.get(2));
        assertEquals(new Json.DuplicateKey("plugins[1].x[0]", "k", "k", 4, 61), dups.get(3));
        assertEquals("\"plugins[1].Type\" at line 4, column 38 repeats \"type\" in another case", dups.get(2).toString());
    }

    @Test
    void eachSpellingIsRecordedOnceSoTheRecordNeverOutgrowsTheTree() throws Exception {
        StringBuilder text = new StringBuilder("{");
        for (int i = 0; i < 10_000; i++) {
            text.append("\"a.b\":").append(i).append(',');
        }
        text.append("\"A.B\":1,\"A.B\":2,\"a.b\":-1}");
        Json.Document d = document(text.toString());
        assertEquals(List.of(new Json.DuplicateKey("", "a.b", "a.b", 1, 10), new Json.DuplicateKey("", "A.B", "a.b", 1, 108892)),
                d.duplicateKeys());
        assertEquals(-1, d.root().get("a.b").intValue());
        assertEquals(2, d.root().get("A.B").intValue());
    }

    @Test
    void aDocumentWithoutRepeatsRecordsNothing() throws Exception {
        assertEquals(List.of(), document("{\"a\":{\"b\":1,\"c\":[{\"b\":2}]},\"b\":{\"b\":3}}").duplicateKeys());
        assertEquals(List.of(), document("[{\"a\":1},{\"a\":2}]").duplicateKeys());
    }

    @Test
    void aRepeatedKeyMovesToItsLastPositionSoDocumentOrderDecides() throws Exception {
        JsonNode n = document("{\"mtu\":1,\"MTU\":2,\"x\":0,\"mtu\":3}").root();
        assertEquals("{\"MTU\":2,\"x\":0,\"mtu\":3}", Json.toString(n));
        assertEquals(2, document("{\"mtu\":1,\"MTU\":2,\"mtu\":3}").duplicateKeys().size());
    }

    @Test
    void keysFoldAsEqualsIgnoreCaseCompares() throws Exception {
        // Each pair is equal ignoring case, so each second key is recorded.
        String[][] pairs = {{"hostPort", "HOSTPORT"}, {"\u00e9t\u00e9", "\u00c9T\u00c9"}, {"k", "\u212a"}};
        for (String[] pair : pairs) {
            assertTrue(pair[0].equalsIgnoreCase(pair[1]));
            String text = "{\"" + pair[0] + "\":1,\"" + pair[1] + "\":2}";
            assertEquals(1, document(text).duplicateKeys().size(), text);
        }
        assertEquals(List.of(), document("{\"ab\":1,\"a\":2,\"b\":3}").duplicateKeys());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1} x", "{\"a\":1}{}", "{\"a\":1}]", "{} {}", "1 2", "null null", "{\"a\":1},"})
    void trailingContentIsAnError(String text) {
        assertThrows(Json.JsonSyntaxException.class, () -> Json.parse(text));
    }

    @Test
    void trailingWhitespaceIsFine() throws Exception {
        assertEquals(Json.parse("{\"a\":1}"), Json.parse("  {\"a\":1}\n\n\t "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n\t  \r\n"})
    void emptyInputIsAnError(String text) {
        Json.JsonSyntaxException e = assertThrows(Json.JsonSyntaxException.class, () -> Json.parse(text));
        assertEquals("empty input", e.getMessage());
        assertThrows(Json.JsonSyntaxException.class, () -> Json.parse(new byte[0]));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":[1,2", "{\"a\":", "{\"a\"}", "[1,]", "{'a':1}", "{a:1}", "tru", "\"open",
            "{\"a\":NaN}", "// c\n{}", "{\"a\":01}"})
    void malformedInputIsAnErrorWithOneLineMessage(String text) {
        Json.JsonSyntaxException e = assertThrows(Json.JsonSyntaxException.class, () -> Json.parse(text));
        assertTrue(!e.getMessage().isEmpty() && !e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void parseObjectAcceptsObjects() throws Exception {
        ObjectNode o = Json.parseObject("{\"name\":\"net\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals("net", o.get("name").textValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1]", "\"x\"", "null", "1", "true"})
    void parseObjectRejectsOtherValues(String text) {
        Json.JsonSyntaxException e = assertThrows(Json.JsonSyntaxException.class,
                () -> Json.parseObject(text.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("expected a JSON object, got "), e.getMessage());
    }

    @Test
    void parseObjectReportsTheActualType() {
        Json.JsonSyntaxException e = assertThrows(Json.JsonSyntaxException.class,
                () -> Json.parseObject("[1]".getBytes(StandardCharsets.UTF_8)));
        assertEquals("expected a JSON object, got array", e.getMessage());
    }

    @Test
    void compactOutputHasNoWhitespace() throws Exception {
        assertEquals("{\"a\":[1,{\"b\":null}],\"c\":{}}", Json.toString(Json.parse("{ \"a\" : [ 1 , { \"b\" : null } ] , \"c\" : { } }")));
    }

    @Test
    void prettyOutputEndsWithNewlineAndParsesBack() throws Exception {
        JsonNode n = Json.parse("{\"cniVersion\":\"1.1.0\",\"ips\":[{\"address\":\"10.0.0.2/24\"}],\"dns\":{}}");
        byte[] pretty = Json.writePretty(n);
        String text = new String(pretty, StandardCharsets.UTF_8);
        assertTrue(text.endsWith("}\n"), text);
        assertTrue(text.contains("\n  \"cniVersion\""), text);
        assertEquals(n, Json.parse(pretty));
        assertEquals(Json.toString(n), Json.toString(Json.parse(pretty)));
    }

    @Test
    void writeAndToStringAgree() throws Exception {
        JsonNode n = Json.parse("{\"a\":\"\u00e9\"}");
        assertArrayEquals(Json.write(n), Json.toString(n).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void scalarDocumentsParse() throws Exception {
        assertTrue(Json.parse("null").isNull());
        assertTrue(Json.parse("true").booleanValue());
        assertEquals("x", Json.parse("\"x\"").textValue());
        assertEquals(7, Json.parse("7").intValue());
    }
    /**
     * Go's encoding/json reads UTF-8 only and fails on a byte-order mark; Jackson would detect and
     * read UTF-16 and UTF-32 and skip a UTF-8 BOM. Input Go refuses is refused here too, so a
     * config means the same to every plugin of a chain.
     */
    @ParameterizedTest
    @ValueSource(strings = {"UTF-8 BOM", "UTF-16BE", "UTF-16LE", "UTF-16 BOM", "UTF-32BE", "UTF-32LE", "UTF-32 BOM"})
    void onlyUtf8WithoutAByteOrderMarkIsJson(String encoding) throws Exception {
        String doc = "{\"cniVersion\":\"1.0.0\",\"name\":\"n\"}";
        byte[] bytes;
        switch (encoding) {
            case "UTF-8 BOM":
                bytes = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, doc.getBytes(StandardCharsets.UTF_8));
                break;
            case "UTF-16 BOM":
                bytes = doc.getBytes(StandardCharsets.UTF_16); // big-endian with FE FF first
                break;
            case "UTF-32 BOM":
                bytes = concat(new byte[] {0, 0, (byte) 0xFE, (byte) 0xFF}, doc.getBytes(java.nio.charset.Charset.forName("UTF-32BE")));
                break;
            default:
                bytes = doc.getBytes(java.nio.charset.Charset.forName(encoding));
        }
        // The same document in UTF-8 is fine: what is refused is the encoding alone.
        assertEquals("n", Json.parse(doc.getBytes(StandardCharsets.UTF_8)).get("name").asText());
        Json.JsonSyntaxException e = assertThrows(Json.JsonSyntaxException.class, () -> Json.parseDocument(bytes));
        assertTrue(e.getMessage().contains(encoding.contains("BOM") ? "byte-order mark" : "UTF-8"), e.getMessage());
    }

    /** The shortest inputs each check sees: a mark alone, and a UTF-32 mark before a zero-byte scan could name it. */
    @Test
    void aByteOrderMarkAloneIsNamedAsOne() {
        byte[][] marks = {{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, {(byte) 0xFE, (byte) 0xFF}, {(byte) 0xFF, (byte) 0xFE}};
        for (byte[] mark : marks) {
            Json.JsonSyntaxException e = assertThrows(Json.JsonSyntaxException.class, () -> Json.parseDocument(mark));
            assertTrue(e.getMessage().startsWith("the input starts with a "), e.getMessage());
            assertTrue(e.getMessage().contains("byte-order mark"), e.getMessage());
        }
        Json.JsonSyntaxException utf32 = assertThrows(Json.JsonSyntaxException.class,
                () -> Json.parseDocument(new byte[] {0, 0, (byte) 0xFE, (byte) 0xFF}));
        assertEquals("the input starts with a UTF-32 byte-order mark; JSON must be UTF-8 without one", utf32.getMessage());
        Json.JsonSyntaxException zero = assertThrows(Json.JsonSyntaxException.class,
                () -> Json.parseDocument(new byte[] {'{', '}', ' ', 0}));
        assertEquals("the input is UTF-16 or UTF-32 (a zero byte at offset 3); JSON must be UTF-8", zero.getMessage());
    }

    @Test
    void aSyntaxErrorSaysWhere() {
        Json.JsonSyntaxException e = assertThrows(Json.JsonSyntaxException.class,
                () -> Json.parse("{\n  \"name\": tru\n}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains(" at line 2, column "), e.getMessage());
    }

    @Test
    void aNulByteAnywhereIsMalformed() {
        byte[] bytes = "{\"name\":\"a\u0000b\"}".getBytes(StandardCharsets.UTF_8);
        assertThrows(Json.JsonSyntaxException.class, () -> Json.parse(bytes));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
