package dev.jcni.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class FieldsTest {

    private static JsonNode json(String text) throws Exception {
        return Json.parse(text);
    }

    @Test
    void exactKeyWinsOverCaseInsensitiveMatch() throws Exception {
        JsonNode o = json("{\"HostPort\":1,\"hostPort\":2,\"HOSTPORT\":3}");
        assertEquals(2, Fields.get(o, "hostPort").intValue());
        assertEquals(1, Fields.get(o, "HostPort").intValue());
        assertEquals(3, Fields.get(o, "HOSTPORT").intValue());
        // No exact match: the first key in document order that matches ignoring case.
        assertEquals(1, Fields.get(o, "hostport").intValue());
    }

    @Test
    void containerdStyleCapitalisedKeysAreFound() throws Exception {
        JsonNode pm = json("{\"HostPort\":8080,\"ContainerPort\":80,\"Protocol\":\"tcp\",\"HostIP\":\"\"}");
        assertEquals(8080, Fields.integer(pm, "hostPort", "portMappings[0].hostPort"));
        assertEquals(80, Fields.integer(pm, "containerPort", "portMappings[0].containerPort"));
        assertEquals("tcp", Fields.string(pm, "protocol", "portMappings[0].protocol"));
        assertEquals("", Fields.string(pm, "hostIP", "portMappings[0].hostIP"));
    }

    @Test
    void jsonNullReadsAsAbsent() throws Exception {
        JsonNode o = json("{\"a\":null,\"B\":null}");
        assertNull(Fields.get(o, "a"));
        assertNull(Fields.get(o, "b"));
        assertNull(Fields.string(o, "a", "a"));
        assertNull(Fields.integer(o, "a", "a"));
        assertNull(Fields.longValue(o, "a", "a"));
        assertNull(Fields.bool(o, "a", "a"));
        assertNull(Fields.object(o, "b", "b"));
        assertNull(Fields.array(o, "b", "b"));
        assertNull(Fields.path(json("{\"args\":null}"), "args", "cni"));
    }

    @Test
    void absentKeysAndNonObjectsReadAsAbsent() throws Exception {
        assertNull(Fields.get(json("{}"), "a"));
        assertNull(Fields.get(null, "a"));
        assertNull(Fields.get(json("[1]"), "a"));
        assertNull(Fields.get(json("\"a\""), "a"));
        assertNull(Fields.string(json("{}"), "a", "a"));
        assertNull(Fields.integer(json("{}"), "a", "a"));
    }

    @Test
    void pathFollowsKeysCaseInsensitively() throws Exception {
        JsonNode conf = json("{\"Args\":{\"CNI\":{\"mac\":\"aa:bb:cc:dd:ee:ff\"}}}");
        assertEquals("aa:bb:cc:dd:ee:ff", Fields.path(conf, "args", "cni", "mac").textValue());
        assertNull(Fields.path(conf, "args", "missing", "mac"));
        assertNull(Fields.path(conf, "args", "cni", "mac", "deeper"));
        assertEquals(conf, Fields.path(conf));
    }

    @Test
    void typedReads() throws Exception {
        JsonNode o = json("{\"s\":\"x\",\"i\":-7,\"l\":4294967295,\"b\":false,\"o\":{\"k\":1},\"a\":[1]}");
        assertEquals("x", Fields.string(o, "s", "s"));
        assertEquals(-7, Fields.integer(o, "i", "i"));
        assertEquals(-7L, Fields.longValue(o, "i", "i"));
        assertEquals(4294967295L, Fields.longValue(o, "l", "l"));
        assertEquals(false, Fields.bool(o, "b", "b"));
        assertEquals(1, Fields.object(o, "o", "o").get("k").intValue());
        assertEquals(1, Fields.array(o, "a", "a").size());
    }

    @Test
    void typeErrorsAreCode7NamingPathAndValue() throws Exception {
        JsonNode o = json("{\"mtu\":\"1500\",\"n\":1.5,\"big\":4294967296,\"huge\":99999999999999999999,"
                + "\"flag\":\"true\",\"obj\":[1],\"arr\":{\"x\":1},\"str\":7}");
        assertTypeError(() -> Fields.integer(o, "mtu", "args.cni.mtu"), "\"args.cni.mtu\"", "\"1500\"", "an integer");
        assertTypeError(() -> Fields.integer(o, "n", "n"), "\"n\"", "1.5", "an integer");
        assertTypeError(() -> Fields.integer(o, "big", "big"), "\"big\"", "4294967296", "an integer");
        assertTypeError(() -> Fields.longValue(o, "huge", "huge"), "\"huge\"", "99999999999999999999", "an integer");
        assertTypeError(() -> Fields.longValue(o, "n", "n"), "\"n\"", "1.5", "an integer");
        assertTypeError(() -> Fields.bool(o, "flag", "flag"), "\"flag\"", "\"true\"", "true or false");
        assertTypeError(() -> Fields.object(o, "obj", "obj"), "\"obj\"", "[1]", "an object");
        assertTypeError(() -> Fields.array(o, "arr", "arr"), "\"arr\"", "{\"x\":1}", "an array");
        assertTypeError(() -> Fields.string(o, "str", "runtimeConfig.str"), "\"runtimeConfig.str\"", "7", "a string");
    }

    @Test
    void typeErrorMessageFormat() throws Exception {
        CniException e = assertThrows(CniException.class,
                () -> Fields.integer(json("{\"HostPort\":\"80\"}"), "hostPort", "runtimeConfig.portMappings[0].hostPort"));
        assertEquals(CniException.INVALID_CONFIG, e.code());
        assertEquals("invalid value \"80\" for \"runtimeConfig.portMappings[0].hostPort\": expected an integer", e.msg());
    }

    private interface Read {
        Object run() throws CniException;
    }

    private static void assertTypeError(Read read, String path, String value, String expected) {
        CniException e = assertThrows(CniException.class, read::run);
        assertEquals(CniException.INVALID_CONFIG, e.code());
        assertTrue(e.msg().contains(path), e.msg());
        assertTrue(e.msg().contains(value), e.msg());
        assertTrue(e.msg().endsWith("expected " + expected), e.msg());
    }
}
