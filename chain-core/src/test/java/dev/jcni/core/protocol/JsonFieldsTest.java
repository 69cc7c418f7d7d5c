package dev.jcni.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;
import dev.jcni.core.net.MacAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonFieldsTest {

    private static JsonFields config(String text) throws Exception {
        Json.Document d = Json.parseDocument(text.getBytes(StandardCharsets.UTF_8));
        return JsonFields.of(d.object(), JsonFields.Source.NETWORK_CONFIG, d.duplicateKeys());
    }

    private static JsonFields result(String text) throws Exception {
        return config(text).as(JsonFields.Source.RESULT);
    }

    // ---- which key is read

    @Test
    void booleansAreReadAsTheyAre() throws Exception {
        JsonFields f = config("{\"on\":true,\"off\":false,\"text\":\"true\"}");
        assertEquals(Boolean.TRUE, f.bool("on"));
        assertEquals(Boolean.FALSE, f.bool("off"));
        assertNull(f.bool("absent"));
        CniException e = assertThrows(CniException.class, () -> f.bool("text"));
        assertEquals("invalid value \"true\" for \"text\": expected true or false", e.msg());
    }

    @Test
    void anObjectBelowTheRootNamesItsPath() throws Exception {
        JsonFields prev = JsonFields.at((com.fasterxml.jackson.databind.node.ObjectNode) Json.parse("{\"mtu\":\"x\"}"),
                "prevResult", JsonFields.Source.RESULT);
        CniException e = assertThrows(CniException.class, () -> prev.integer("mtu"));
        assertEquals(CniException.DECODING_FAILURE, e.code());
        assertEquals("invalid value \"x\" for \"prevResult.mtu\": expected an integer", e.msg());
    }

    @Test
    void aLongValueIsShownCutAtEightyCharacters() throws Exception {
        // A JSON string of exactly 80 characters is shown whole; one more and it is cut to 77 and "...".
        String exactly = "x".repeat(78);
        String longer = "x".repeat(79);
        JsonFields f = config("{\"a\":\"" + exactly + "\",\"b\":\"" + longer + "\"}");
        assertEquals("invalid value \"" + exactly + "\" for \"a\": expected an integer",
                assertThrows(CniException.class, () -> f.integer("a")).msg());
        assertEquals("invalid value \"" + "x".repeat(76) + "... for \"b\": expected an integer",
                assertThrows(CniException.class, () -> f.integer("b")).msg());
    }

    @Test
    void containerdStyleCapitalisedKeysAreFound() throws Exception {
        JsonFields pm = config("{\"HostPort\":8080,\"ContainerPort\":80,\"Protocol\":\"tcp\",\"HostIP\":\"\"}");
        assertEquals(8080, pm.integer("hostPort"));
        assertEquals(80, pm.integer("containerPort"));
        assertEquals("tcp", pm.string("protocol"));
        assertEquals("", pm.string("hostIP"));
    }

    @Test
    void theLastKeyMatchingIgnoringCaseWinsAsInGo() throws Exception {
        assertEquals(1500, config("{\"mtu\":1400,\"MTU\":1500}").integer("mtu"));
        assertEquals(1400, config("{\"MTU\":1500,\"mtu\":1400}").integer("mtu"));
        assertEquals(1400, config("{\"MTU\":1500,\"mtu\":1400}").integer("MTU"));
        // An exact repeat after a case variant: the document's last occurrence, not the first spelling's slot.
        assertEquals(3, config("{\"mtu\":1,\"MTU\":2,\"mtu\":3}").integer("Mtu"));
        assertEquals(3, config("{\"MTU\":1,\"mtu\":2,\"MTU\":3}").integer("mtu"));
        // The same rule for every key and type.
        JsonFields c = config("{\"promisc\":true,\"mac\":\"c2:00:00:00:00:01\",\"Promisc\":false,\"MAC\":\"c2:00:00:00:00:02\","
                + "\"args\":{\"cni\":{\"a\":1}},\"ARGS\":{\"cni\":{\"a\":2}}}");
        assertEquals(false, c.bool("promisc"));
        assertEquals("c2:00:00:00:00:02", c.string("mac"));
        assertEquals(2, c.object("args").object("cni").integer("a"));
    }

    @Test
    void aLastJsonNullMakesTheKeyAbsent() throws Exception {
        assertNull(config("{\"mtu\":1400,\"MTU\":null}").integer("mtu"));
        assertEquals(1400, config("{\"MTU\":null,\"mtu\":1400}").integer("mtu"));
    }

    @Test
    void absentAndNullReadAsNull() throws Exception {
        JsonFields o = config("{\"a\":null,\"B\":null}");
        assertNull(o.get("a"));
        assertNull(o.get("b"));
        assertNull(o.get("c"));
        assertNull(o.string("a"));
        assertNull(o.integer("a"));
        assertNull(o.longValue("a"));
        assertNull(o.uint32("a"));
        assertNull(o.bool("a"));
        assertNull(o.array("b"));
        assertNull(o.strings("b"));
        assertNull(o.ipAddress("c"));
        assertNull(o.prefix("c"));
        assertNull(o.mac("c"));
        assertEquals(List.of(), o.objects("c"));
        assertFalse(o.object("b").isPresent());
        assertNull(o.object("b").node());
    }

    @Test
    void anAbsentObjectReadsAsEmptySoChainsNeedNoChecks() throws Exception {
        JsonFields conf = config("{\"name\":\"n\"}");
        JsonFields cni = conf.object("args").object("cni");
        assertFalse(cni.isPresent());
        assertNull(cni.integer("mtu"));
        assertEquals("args.cni", cni.path());
        assertFalse(cni.entries().iterator().hasNext());
    }

    @Test
    void typedReads() throws Exception {
        JsonFields o = config("{\"s\":\"x\",\"i\":-7,\"l\":4294967295,\"b\":false,\"o\":{\"k\":1},\"a\":[1],"
                + "\"ss\":[\"a\",null,\"b\"]}");
        assertEquals("x", o.string("s"));
        assertEquals(-7, o.integer("i"));
        assertEquals(-7L, o.longValue("i"));
        assertEquals(4294967295L, o.longValue("l"));
        assertEquals(4294967295L, o.uint32("l"));
        assertEquals(false, o.bool("b"));
        assertEquals(1, o.object("o").integer("k"));
        assertEquals(1, o.array("a").size());
        assertEquals(List.of("a", "b"), o.strings("ss"));
    }

    @Test
    void entriesKeepDocumentOrder() throws Exception {
        List<String> keys = new ArrayList<>();
        for (Map.Entry<String, ?> e : config("{\"sysctl\":{\"z\":\"1\",\"a\":\"2\",\"m\":\"3\"}}").object("sysctl").entries()) {
            keys.add(e.getKey());
        }
        assertEquals(List.of("z", "a", "m"), keys);
    }

    // ---- where and with which code

    @Test
    void errorsNameTheFullDottedPathOfChainedReads() throws Exception {
        JsonFields conf = config("{\"args\":{\"cni\":{\"mtu\":\"1500\"}}}");
        CniException e = assertThrows(CniException.class, () -> conf.object("args").object("cni").integer("mtu"));
        assertEquals(CniException.INVALID_CONFIG, e.code());
        assertEquals("invalid value \"1500\" for \"args.cni.mtu\": expected an integer", e.msg());
    }

    @Test
    void pathsUseTheCallersSpellingAndArrayIndexes() throws Exception {
        JsonFields conf = config("{\"RuntimeConfig\":{\"PortMappings\":[{\"HostPort\":80},{\"HostPort\":\"80\"}]}}");
        List<JsonFields> mappings = conf.object("runtimeConfig").objects("portMappings");
        assertEquals("runtimeConfig.portMappings[1]", mappings.get(1).path());
        CniException e = assertThrows(CniException.class, () -> mappings.get(1).integer("hostPort"));
        assertEquals("invalid value \"80\" for \"runtimeConfig.portMappings[1].hostPort\": expected an integer", e.msg());
    }

    @Test
    void theSourceDecidesTheCode() throws Exception {
        String text = "{\"ips\":[{\"interface\":\"0\"}]}";
        CniException asConfig = assertThrows(CniException.class, () -> config(text).objects("ips").get(0).integer("interface"));
        assertEquals(CniException.INVALID_CONFIG, asConfig.code());
        CniException asResult = assertThrows(CniException.class, () -> result(text).objects("ips").get(0).integer("interface"));
        assertEquals(CniException.DECODING_FAILURE, asResult.code());
        assertEquals(asConfig.msg(), asResult.msg());
        assertEquals("invalid value \"0\" for \"ips[0].interface\": expected an integer", asResult.msg());
    }

    @Test
    void typeErrorsNameValueAndExpectation() throws Exception {
        JsonFields o = config("{\"n\":1.5,\"big\":4294967296,\"huge\":99999999999999999999,\"neg\":-1,"
                + "\"flag\":\"true\",\"obj\":[1],\"arr\":{\"x\":1},\"str\":7,\"list\":[\"a\",2],\"objs\":[{},3]}");
        assertTypeError(() -> o.integer("n"), "invalid value 1.5 for \"n\": expected an integer");
        assertTypeError(() -> o.integer("big"), "invalid value 4294967296 for \"big\": expected an integer");
        assertTypeError(() -> o.longValue("huge"), "invalid value 99999999999999999999 for \"huge\": expected an integer");
        assertTypeError(() -> o.uint32("neg"), "invalid value -1 for \"neg\": expected an unsigned 32-bit integer");
        assertTypeError(() -> o.uint32("huge"), "invalid value 99999999999999999999 for \"huge\": expected an unsigned 32-bit integer");
        assertTypeError(() -> o.bool("flag"), "invalid value \"true\" for \"flag\": expected true or false");
        assertTypeError(() -> o.object("obj"), "invalid value [1] for \"obj\": expected an object");
        assertTypeError(() -> o.array("arr"), "invalid value {\"x\":1} for \"arr\": expected an array");
        assertTypeError(() -> o.string("str"), "invalid value 7 for \"str\": expected a string");
        assertTypeError(() -> o.strings("list"), "invalid value 2 for \"list[1]\": expected a string");
        assertTypeError(() -> o.objects("objs"), "invalid value 3 for \"objs[1]\": expected an object");
    }

    @Test
    void longValuesAreShortenedInMessages() throws Exception {
        String big = "x".repeat(500);
        CniException e = assertThrows(CniException.class, () -> config("{\"k\":\"" + big + "\"}").integer("k"));
        assertTrue(e.msg().length() < 150, e.msg());
        assertTrue(e.msg().contains("...\" for \"k\"") || e.msg().contains("... for \"k\""), e.msg());
    }

    @Test
    void missingNamesThePath() throws Exception {
        CniException e = config("{}").object("ipam").missing("subnet", "a subnet");
        assertEquals(CniException.INVALID_CONFIG, e.code());
        assertEquals("missing \"ipam.subnet\": expected a subnet", e.msg());
    }

    // ---- network values

    @Test
    void addressGetters() throws Exception {
        JsonFields o = config("{\"hostIP\":\"::FFFF:10.0.0.1\",\"subnet\":\"10.1.0.5/16\",\"mac\":\"C2-00-00-00-00-01\","
                + "\"none\":\"\"}");
        assertEquals(IpAddress.parse("10.0.0.1"), o.ipAddress("hostIP"));
        assertEquals(IpPrefix.parse("10.1.0.5/16"), o.prefix("subnet"));
        assertEquals(MacAddress.parse("c2:00:00:00:00:01"), o.mac("mac"));
        // "" is no IP, as Go's net.IP decodes it; a CIDR or MAC cannot be empty.
        assertNull(o.ipAddress("none"));
        assertTypeError(() -> o.prefix("none"), "invalid value \"\" for \"none\": expected an address with prefix length"
                + " such as 10.1.0.5/16 (empty)");
        assertTypeError(() -> o.mac("none"), "invalid value \"\" for \"none\": expected a MAC address such as"
                + " 02:42:ac:11:00:02 (empty)");
    }

    @Test
    void addressErrorsSayWhy() throws Exception {
        JsonFields o = config("{\"a\":\"010.0.0.1\",\"b\":\"fe80::1%eth0\",\"c\":\"10.0.0.0/33\",\"d\":\"02:00:5e:10:00:00:00:01\","
                + "\"e\":\"localhost\",\"f\":80}");
        assertTypeError(() -> o.ipAddress("a"), "invalid value \"010.0.0.1\" for \"a\": expected an IP address"
                + " (IPv4 field has octet with leading zero)");
        assertTypeError(() -> o.ipAddress("b"), "invalid value \"fe80::1%eth0\" for \"b\": expected an IP address"
                + " (IPv6 zones are not allowed)");
        assertTypeError(() -> o.prefix("c"), "invalid value \"10.0.0.0/33\" for \"c\": expected an address with prefix"
                + " length such as 10.1.0.5/16 (prefix length is more than 32)");
        assertTypeError(() -> o.mac("d"), "invalid value \"02:00:5e:10:00:00:00:01\" for \"d\": expected a MAC address"
                + " such as 02:42:ac:11:00:02 (a 8-byte hardware address, expected 6 bytes)");
        assertTypeError(() -> o.ipAddress("e"), "invalid value \"localhost\" for \"e\": expected an IP address"
                + " (not an IPv4 or IPv6 address)");
        assertTypeError(() -> o.ipAddress("f"), "invalid value 80 for \"f\": expected a string");
    }

    // ---- repeated keys recorded by the parse

    @Test
    void duplicateKeysAreThoseOfThisObject() throws Exception {
        JsonFields conf = config("{\"sysctl\":{\"a.b\":\"1\",\"a.b\":\"2\"},\"mtu\":1,\"MTU\":2,"
                + "\"args\":{\"cni\":{\"sysctl\":{\"x\":\"1\",\"X\":\"2\"}}}}");
        List<Json.DuplicateKey> top = conf.duplicateKeys();
        assertEquals(1, top.size());
        assertEquals("MTU", top.get(0).key());
        List<Json.DuplicateKey> sysctl = conf.object("sysctl").duplicateKeys();
        assertEquals(1, sysctl.size());
        assertTrue(sysctl.get(0).exact());
        assertEquals("sysctl.a.b", sysctl.get(0).path());
        List<Json.DuplicateKey> nested = conf.object("args").object("cni").object("sysctl").duplicateKeys();
        assertEquals(1, nested.size());
        assertFalse(nested.get(0).exact());
        assertEquals("x", nested.get(0).earlierKey());
        // Paths match whatever the case of the document's spelling.
        assertEquals(1, config("{\"Args\":{\"CNI\":{\"k\":1,\"k\":2}}}").object("args").object("cni").duplicateKeys().size());
    }

    private interface Read {
        Object run() throws CniException;
    }

    private static void assertTypeError(Read read, String message) {
        CniException e = assertThrows(CniException.class, read::run);
        assertEquals(CniException.INVALID_CONFIG, e.code());
        assertEquals(message, e.msg());
    }
}
