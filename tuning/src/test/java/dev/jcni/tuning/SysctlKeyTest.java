package dev.jcni.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
