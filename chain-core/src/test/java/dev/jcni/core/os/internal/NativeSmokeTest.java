package dev.jcni.core.os.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.os.NotFoundException;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netlink.LinkInfo;
import dev.jcni.core.os.netlink.Links;
import dev.jcni.core.os.netlink.RtNetlink;
import dev.jcni.core.os.sysctl.Sysctl;
import org.junit.jupiter.api.Test;

/** Native calls that need no privilege, so they run in every build. */
class NativeSmokeTest {
    @Test
    void getpidMatchesTheJdk() {
        assertEquals(ProcessHandle.current().pid(), Native.getpid());
    }

    @Test
    void loopbackIsVisibleThroughNetlink() throws OsException {
        try (RtNetlink nl = RtNetlink.open()) {
            Links links = new Links(nl);
            LinkInfo lo = links.byName("lo");
            assertEquals(1, lo.index());
            assertTrue((lo.flags() & LinkInfo.IFF_LOOPBACK) != 0);
            assertEquals(lo, links.byIndex(lo.index()));
            assertTrue(links.list().contains(lo));
        }
    }

    @Test
    void missingLinkIsNotFound() throws OsException {
        try (RtNetlink nl = RtNetlink.open()) {
            assertThrows(NotFoundException.class, () -> new Links(nl).byName("jcni-none0"));
        }
    }

    @Test
    void readsAReadableSysctl() throws OsException {
        assertEquals("Linux", Sysctl.read("kernel.ostype"));
    }

    @Test
    void missingSysctlIsNotFound() {
        NotFoundException e = assertThrows(NotFoundException.class, () -> Sysctl.read("net.ipv4.no_such_key"));
        assertEquals("read sysctl net.ipv4.no_such_key (/proc/sys/net/ipv4/no_such_key): No such file or directory (ENOENT)",
                e.getMessage());
    }

    @Test
    void nulInPathIsRejectedBeforeTheCall() {
        OsException e = assertThrows(OsException.class, () -> Native.open("/proc/self\0/x", Native.O_RDONLY, "open"));
        assertEquals(22, e.errno());
    }
}
