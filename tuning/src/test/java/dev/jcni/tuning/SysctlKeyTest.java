package dev.jcni.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.protocol.CniException;
import org.junit.jupiter.api.Test;

class SysctlKeyTest {
    @Test
    void dottedKeysBecomePaths() throws Exception {
        assertEquals("net/core/somaxconn", SysctlKey.resolve("net.core.somaxconn", "eth0").relative());
    }

    @Test
    void slashKeysAreUsedAsWritten() throws Exception {
        assertEquals("net/ipv4/conf/eth0.100/rp_filter", SysctlKey.resolve("net/ipv4/conf/eth0.100/rp_filter", "eth0").relative());
    }

    @Test
    void ifnameIsReplacedAfterTheSeparatorSwapSoVlanNamesKeepTheirDot() throws Exception {
        SysctlKey k = SysctlKey.resolve("net.ipv4.conf.IFNAME.rp_filter", "eth0.100");
        assertEquals("net/ipv4/conf/eth0.100/rp_filter", k.relative());
        assertEquals("net.ipv4.conf.IFNAME.rp_filter", k.configured());
    }

    @Test
    void onlyTheFirstIfnameIsReplaced() throws Exception {
        assertEquals("net/ipv4/conf/eth0/IFNAME", SysctlKey.resolve("net.ipv4.conf.IFNAME.IFNAME", "eth0").relative());
    }

    @Test
    void keysOutsideNetAreRefused() {
        for (String key : new String[] {"kernel.hostname", "net", "net/../kernel/hostname", "/net/core/somaxconn",
                "vm/../net/core/somaxconn/../../../kernel/x", ""}) {
            CniException e = assertThrows(CniException.class, () -> SysctlKey.resolve(key, "eth0"), key);
            assertEquals(CniException.INVALID_CONFIG, e.code());
        }
    }

    @Test
    void anInterfaceNameCannotEscapeNet() {
        assertThrows(CniException.class, () -> SysctlKey.resolve("net.ipv4.conf.IFNAME", "../../.."));
    }

    @Test
    void aBackupsPathMustBeTheCleanPathItNames() {
        assertTrue(SysctlKey.isResolvedNetPath("net/ipv4/conf/eth0.100/rp_filter"));
        for (String p : new String[] {"net/../kernel/domainname", "net/./core/somaxconn", "net//core/somaxconn", "kernel/hostname",
                "/net/core/somaxconn", "net", "net/core/somaxconn/"}) {
            assertFalse(SysctlKey.isResolvedNetPath(p), p);
        }
    }

    @Test
    void valuesWithControlCharactersCannotBeWrittenAtomically() {
        assertNull(SysctlKey.valueProblem("32768 60999"));
        assertNull(SysctlKey.valueProblem(""));
        assertEquals("contains the control character U+000A; separate the values of a multi-value sysctl with spaces",
                SysctlKey.valueProblem("1\n0"));
        assertTrue(SysctlKey.valueProblem("x\u007f").contains("U+007F"));
    }

    @Test
    void valuesCompareWithWhitespaceNormalised() {
        assertTrue(SysctlKey.sameValue("32768 60999", "32768\t60999"));
        assertTrue(SysctlKey.sameValue(" 1 ", "1"));
        assertFalse(SysctlKey.sameValue("1 2 3", "1"));
        assertFalse(SysctlKey.sameValue("01", "1"));
    }
}
