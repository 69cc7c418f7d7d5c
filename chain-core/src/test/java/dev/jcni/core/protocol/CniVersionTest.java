package dev.jcni.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CniVersionTest {

    @Test
    void allIsOrderedOldestFirstAndEndsWithCurrent() throws Exception {
        for (int i = 1; i < CniVersion.ALL.size(); i++) {
            assertTrue(CniVersion.compare(CniVersion.ALL.get(i - 1), CniVersion.ALL.get(i)) < 0, CniVersion.ALL.get(i));
        }
        assertEquals(CniVersion.CURRENT, CniVersion.ALL.get(CniVersion.ALL.size() - 1));
    }

    @Test
    void missingOrEmptyMeans010() throws Exception {
        assertEquals("0.1.0", CniVersion.orDefault(null));
        assertEquals("0.1.0", CniVersion.orDefault(""));
        assertEquals("0.4.0", CniVersion.orDefault("0.4.0"));
        assertEquals(CniVersion.parse("0.1.0"), CniVersion.parse(""));
        assertEquals(CniVersion.parse("0.1.0"), CniVersion.parse(null));
    }

    @Test
    void comparesNumericallyNotLexically() throws Exception {
        assertTrue(CniVersion.compare("0.10.0", "0.9.0") > 0);
        assertTrue(CniVersion.compare("1.0.0", "0.99.99") > 0);
        assertTrue(CniVersion.compare("0.3.1", "0.3.0") > 0);
        assertTrue(CniVersion.compare("0.4.0", "1.0.0") < 0);
        assertEquals(0, CniVersion.compare("1.1.0", "1.1.0"));
        assertEquals(0, CniVersion.compare("01.1.0", "1.1.0"));
        assertTrue(CniVersion.compare("9999.9999.9999", "9999.9999.9998") > 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "1.0", "1.0.0.0", "a.b.c", "1..0", ".1.0", "1.0.", "1.0.0-rc1", " 1.0.0", "1.0.0 ",
            "v1.0.0", "-1.0.0", "+1.0.0", "10000.0.0", "1.0.x", "１.0.0"})
    void malformedVersionsAreCode6NamingTheVersion(String version) {
        CniException e = assertThrows(CniException.class, () -> CniVersion.parse(version));
        assertEquals(CniException.DECODING_FAILURE, e.code());
        assertTrue(e.msg().contains("\"" + version + "\""), e.msg());
        assertThrows(CniException.class, () -> CniVersion.compare(version, "1.0.0"));
        assertThrows(CniException.class, () -> CniVersion.compare("1.0.0", version));
    }

    @Test
    void atLeast() {
        assertTrue(CniVersion.atLeast("1.1.0", "1.1.0"));
        assertTrue(CniVersion.atLeast("1.1.0", "0.4.0"));
        assertTrue(CniVersion.atLeast("1.0.1", "1.0.0"));
        assertFalse(CniVersion.atLeast("0.3.1", "0.4.0"));
        assertFalse(CniVersion.atLeast("1.0.0", "1.1.0"));
        assertTrue(CniVersion.atLeast("", "0.1.0"));
        assertTrue(CniVersion.atLeast(null, "0.1.0"));
        assertFalse(CniVersion.atLeast("", "0.2.0"));
    }

    @Test
    void malformedVersionsAreNeverAtLeast() {
        assertFalse(CniVersion.atLeast("bogus", "0.1.0"));
        assertFalse(CniVersion.atLeast("1.0", "0.1.0"));
        assertFalse(CniVersion.atLeast("1.1.0", "bogus"));
    }

    @Test
    void families() throws Exception {
        assertEquals(CniVersion.Family.LEGACY_020, CniVersion.family("0.1.0"));
        assertEquals(CniVersion.Family.LEGACY_020, CniVersion.family("0.2.0"));
        assertEquals(CniVersion.Family.LEGACY_020, CniVersion.family(""));
        assertEquals(CniVersion.Family.LEGACY_020, CniVersion.family(null));
        assertEquals(CniVersion.Family.V040, CniVersion.family("0.3.0"));
        assertEquals(CniVersion.Family.V040, CniVersion.family("0.3.1"));
        assertEquals(CniVersion.Family.V040, CniVersion.family("0.4.0"));
        assertEquals(CniVersion.Family.V100, CniVersion.family("1.0.0"));
        assertEquals(CniVersion.Family.V100, CniVersion.family("1.1.0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0.1", "1.2.0", "0.5.0", "0.3.2", "2.0.0", "1.0", "bogus"})
    void unknownVersionsHaveNoFamily(String version) {
        CniException e = assertThrows(CniException.class, () -> CniVersion.family(version));
        assertEquals(CniException.INCOMPATIBLE_VERSION, e.code());
        assertTrue(e.msg().contains("\"" + version + "\""), e.msg());
    }

    @Test
    void isKnownIsExactMembership() {
        for (String v : CniVersion.ALL) {
            assertTrue(CniVersion.isKnown(v), v);
        }
        assertFalse(CniVersion.isKnown("1.0.1"));
        assertFalse(CniVersion.isKnown("01.0.0"));
        assertFalse(CniVersion.isKnown(""));
        assertFalse(CniVersion.isKnown(null));
    }
}
