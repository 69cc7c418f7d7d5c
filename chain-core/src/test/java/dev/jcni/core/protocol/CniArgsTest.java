package dev.jcni.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CniArgsTest {

    @Test
    void parsesKeyValuePairs() throws Exception {
        CniArgs args = CniArgs.parse("IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web-0");
        assertEquals("1", args.get("IgnoreUnknown"));
        assertEquals("default", args.get("K8S_POD_NAMESPACE"));
        assertEquals("web-0", args.get("K8S_POD_NAME"));
        assertNull(args.get("MAC"));
        assertFalse(args.isEmpty());
    }

    @Test
    void onlyTheFirstEqualsSplits() throws Exception {
        CniArgs args = CniArgs.parse("X=a=b;Y==;Z=");
        assertEquals("a=b", args.get("X"));
        assertEquals("=", args.get("Y"));
        assertEquals("", args.get("Z"));
    }

    @Test
    void emptySegmentsAreSkipped() throws Exception {
        CniArgs args = CniArgs.parse(";;A=1;;B=2;");
        assertEquals(List.of("A", "B"), new ArrayList<>(args.asMap().keySet()));
        assertTrue(CniArgs.parse(";").isEmpty());
        assertTrue(CniArgs.parse(";;;").isEmpty());
    }

    @Test
    void nullOrEmptyIsEmpty() throws Exception {
        assertSame(CniArgs.EMPTY, CniArgs.parse(null));
        assertSame(CniArgs.EMPTY, CniArgs.parse(""));
        assertTrue(CniArgs.EMPTY.isEmpty());
        assertEquals("", CniArgs.EMPTY.toString());
        assertFalse(CniArgs.EMPTY.ignoreUnknown());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "true", "TRUE", "True", "tRuE"})
    void ignoreUnknownIsTrue(String value) throws Exception {
        assertTrue(CniArgs.parse("IgnoreUnknown=" + value).ignoreUnknown());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "false", "FALSE", "", "yes", "2", " 1"})
    void ignoreUnknownIsFalse(String value) throws Exception {
        assertFalse(CniArgs.parse("IgnoreUnknown=" + value).ignoreUnknown());
    }

    @Test
    void keysAreCaseSensitive() throws Exception {
        CniArgs args = CniArgs.parse("ignoreunknown=1;MAC=aa:bb:cc:dd:ee:ff");
        assertFalse(args.ignoreUnknown());
        assertNull(args.get("mac"));
        assertEquals("aa:bb:cc:dd:ee:ff", args.get("MAC"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"K8S_POD_NAME", "A=1;garbage;B=2", "A=1;B"})
    void segmentWithoutEqualsIsCode4(String raw) {
        CniException e = assertThrows(CniException.class, () -> CniArgs.parse(raw));
        assertEquals(CniException.INVALID_ENVIRONMENT, e.code());
        assertTrue(e.msg().contains("KEY=VALUE"), e.msg());
    }

    @Test
    void errorNamesTheSegment() {
        CniException e = assertThrows(CniException.class, () -> CniArgs.parse("A=1;garbage"));
        assertTrue(e.msg().contains("\"garbage\""), e.msg());
    }

    @ParameterizedTest
    @ValueSource(strings = {"=v", "A=1;=2", "="})
    void emptyKeyIsCode4(String raw) {
        CniException e = assertThrows(CniException.class, () -> CniArgs.parse(raw));
        assertEquals(CniException.INVALID_ENVIRONMENT, e.code());
    }

    @Test
    void orderIsPreserved() throws Exception {
        CniArgs args = CniArgs.parse("Z=1;A=2;M=3;B=4");
        assertEquals(List.of("Z", "A", "M", "B"), new ArrayList<>(args.asMap().keySet()));
        List<String[]> pairs = args.pairs();
        assertEquals(4, pairs.size());
        assertEquals("Z", pairs.get(0)[0]);
        assertEquals("1", pairs.get(0)[1]);
        assertEquals("B", pairs.get(3)[0]);
        assertEquals("4", pairs.get(3)[1]);
    }

    @Test
    void repeatedKeyKeepsItsFirstPositionAndLastValue() throws Exception {
        CniArgs args = CniArgs.parse("A=1;B=2;A=3");
        assertEquals("3", args.get("A"));
        assertEquals("A=3;B=2", args.toString());
    }

    @Test
    void mapIsReadOnly() throws Exception {
        CniArgs args = CniArgs.parse("A=1");
        assertThrows(UnsupportedOperationException.class, () -> args.asMap().put("B", "2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"A=1", "IgnoreUnknown=1;K8S_POD_NAME=web-0;IP=10.0.0.2", "X=a=b;Z=", "MAC=aa:bb:cc:dd:ee:ff"})
    void toStringRoundTrips(String raw) throws Exception {
        CniArgs args = CniArgs.parse(raw);
        assertEquals(raw, args.toString());
        assertEquals(args.asMap(), CniArgs.parse(args.toString()).asMap());
    }

    @Test
    void toStringNormalisesEmptySegments() throws Exception {
        assertEquals("A=1;B=x=y", CniArgs.parse(";A=1;;B=x=y;").toString());
    }
}
