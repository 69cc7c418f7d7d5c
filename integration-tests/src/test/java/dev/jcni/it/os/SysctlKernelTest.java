package dev.jcni.it.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.InvalidArgumentException;
import dev.jcni.core.os.NotFoundException;
import dev.jcni.core.os.netns.NetNs;
import dev.jcni.core.os.sysctl.Sysctl;
import dev.jcni.it.support.Cmd;
import dev.jcni.it.support.RequiresRoot;
import dev.jcni.it.support.TestNetns;
import dev.jcni.it.support.TestRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Sysctl inside a namespace, checked with {@code ip netns exec NS cat /proc/sys/...}; the host must not change. */
@RequiresRoot
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SysctlKernelTest {
    private TestNetns ns;
    private TestNetns.Veth veth;

    @BeforeEach
    void setUp() {
        ns = TestNetns.create();
        veth = ns.addVeth();
    }

    @AfterEach
    void tearDown() {
        if (ns != null) {
            ns.close();
        }
    }

    private String readInside(String key) throws Exception {
        return NetNs.run(ns.path(), () -> Sysctl.read(key));
    }

    private void writeInside(String key, String value) throws Exception {
        NetNs.run(ns.path(), () -> {
            Sysctl.write(key, value);
            return null;
        });
    }

    @Test
    void writeTwoDigitTtlInsideOnly() throws Exception {
        String host = Sysctl.read("net.ipv4.ip_default_ttl");
        assertEquals(ns.procSys("net/ipv4/ip_default_ttl"), readInside("net.ipv4.ip_default_ttl"));
        String value = "99".equals(host) ? "98" : "99";

        try {
            writeInside("net.ipv4.ip_default_ttl", value);

            assertEquals(value, ns.procSys("net/ipv4/ip_default_ttl"));
            // Both digits: a second read() at offset > 0 would have given EOF after "9".
            assertEquals(value, readInside("net.ipv4.ip_default_ttl"));
            assertEquals(value, readInside("net/ipv4/ip_default_ttl"));
            assertEquals(host, Sysctl.read("net.ipv4.ip_default_ttl"), "host value must not change");
            assertEquals(host, Cmd.check("cat", "/proc/sys/net/ipv4/ip_default_ttl").stripTrailing());
        } finally {
            // Had the write gone to the host (the bug this test is for), the host gets its value back.
            if (!host.equals(Cmd.check("cat", "/proc/sys/net/ipv4/ip_default_ttl").stripTrailing())) {
                Files.writeString(Path.of("/proc/sys/net/ipv4/ip_default_ttl"), host);
            }
        }
    }

    @Test
    void perInterfaceRpFilter() throws Exception {
        String key = "net.ipv4.conf." + veth.containerName() + ".rp_filter";
        String before = ns.procSys("net/ipv4/conf/" + veth.containerName() + "/rp_filter");
        String value = "2".equals(before) ? "1" : "2";
        writeInside(key, value);
        assertEquals(value, ns.procSys("net/ipv4/conf/" + veth.containerName() + "/rp_filter"));
        assertEquals(value, readInside(key));
    }

    @Test
    void interfaceNameWithADot() throws Exception {
        String base = "jd" + TestRun.current().nextId();
        ns.addVeth(base + "h", base + ".7");
        String dir = "net/ipv4/conf/" + base + ".7/rp_filter";
        // The two values other than the one there (a new interface takes conf/default's, which hosts set differently).
        List<String> others = new ArrayList<>(List.of("0", "1", "2"));
        assertTrue(others.remove(ns.procSys(dir)));
        String first = others.get(0);
        String second = others.get(1);
        writeInside("net.ipv4.conf." + base + "/7.rp_filter", first);      // dotted form: the dot is written as '/'
        assertEquals(first, ns.procSys(dir));
        writeInside(dir, second);                                           // slash form: used as is
        assertEquals(second, ns.procSys(dir));
        assertEquals(second, readInside("net.ipv4.conf." + base + "/7.rp_filter"));
    }

    @Test
    void multiValueSysctlKeepsItsTabs() throws Exception {
        String v = readInside("net.ipv4.ip_local_port_range");
        assertTrue(v.contains("\t"), v);
        assertEquals(ns.procSys("net/ipv4/ip_local_port_range"), v);
    }

    @Test
    void missingSysctlIsNotFound() {
        NotFoundException e = assertThrows(NotFoundException.class, () -> readInside("net.ipv4.jcni_no_such_key"));
        assertEquals(Errno.ENOENT, e.errno());
        assertThrows(NotFoundException.class, () -> writeInside("net.ipv4.conf.jtnone0.rp_filter", "1"));
    }

    @Test
    void hostInterfaceIsNotVisibleInside() throws Exception {
        // The host end's sysctl exists on the host...
        Sysctl.read("net.ipv4.conf." + veth.hostName() + ".rp_filter");
        // ...but not inside the namespace, where /proc/sys/net follows the thread.
        assertThrows(NotFoundException.class, () -> readInside("net.ipv4.conf." + veth.hostName() + ".rp_filter"));
    }

    @Test
    void badValueIsInvalidArgument() throws Exception {
        String before = ns.procSys("net/ipv4/ip_default_ttl");
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> writeInside("net.ipv4.ip_default_ttl", "0"));
        assertEquals(Errno.EINVAL, e.errno());
        assertThrows(InvalidArgumentException.class, () -> writeInside("net.ipv4.ip_default_ttl", "abc"));
        assertEquals(before, ns.procSys("net/ipv4/ip_default_ttl"));
        assertNotEquals("0", before);
    }
}
