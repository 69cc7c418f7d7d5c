package dev.jcni.it.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.os.netns.NetNs;
import dev.jcni.core.os.sysctl.Forwarding;
import dev.jcni.core.os.sysctl.Sysctl;
import dev.jcni.it.support.RequiresRoot;
import dev.jcni.it.support.TestNetns;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Forwarding switched on inside a namespace of the test's own, read back with {@code cat /proc/sys/...} there; the host's stays as it is. */
@RequiresRoot
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ForwardingKernelTest {
    private TestNetns ns;

    @BeforeEach
    void setUp() {
        ns = TestNetns.create();
    }

    @AfterEach
    void tearDown() {
        ns.close();
    }

    private void check(IpAddress.Family family, String slashPath) throws Exception {
        String host = Sysctl.read(Forwarding.key(family));
        NetNs.run(ns.path(), () -> {
            // A new namespace may inherit the host's IPv4 setting: start from off.
            Sysctl.write(Forwarding.key(family), "0");
            return null;
        });
        assertEquals("0", ns.procSys(slashPath));
        assertFalse(NetNs.run(ns.path(), () -> Forwarding.isEnabled(family)));
        assertTrue(NetNs.run(ns.path(), () -> Forwarding.enable(family)), "was off");
        assertEquals("1", ns.procSys(slashPath));
        assertTrue(NetNs.run(ns.path(), () -> Forwarding.isEnabled(family)));
        assertFalse(NetNs.run(ns.path(), () -> Forwarding.enable(family)), "already on: nothing written");
        assertEquals(host, Sysctl.read(Forwarding.key(family)), "the host's own setting is untouched");
    }

    @Test
    void ipv4() throws Exception {
        check(IpAddress.Family.IPV4, "net/ipv4/ip_forward");
    }

    @Test
    void ipv6() throws Exception {
        check(IpAddress.Family.IPV6, "net/ipv6/conf/all/forwarding");
    }
}
