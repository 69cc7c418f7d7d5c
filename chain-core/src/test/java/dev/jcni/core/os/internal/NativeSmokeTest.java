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

    /** jffi returns int results unextended; a -1 must still read as a failure on every call. */
    @Test
    void failuresOfIntReturningCallsAreSeen() {
        OsException setns = assertThrows(OsException.class, () -> Native.setns(-1, Native.CLONE_NEWNET, "setns"));
        assertTrue(setns.errno() == 9 || setns.errno() == 1, "EBADF or EPERM, was " + setns.errno());
        assertEquals(9, assertThrows(OsException.class, () -> Native.bind(-1, new byte[12], "bind")).errno());
        assertEquals(9, assertThrows(OsException.class, () -> Native.setsockoptInt(-1, 1, 8, 1, "setsockopt")).errno());
        assertEquals(9, assertThrows(OsException.class, () -> Native.read(-1, new byte[4], 4, "read")).errno());
        assertEquals(9, assertThrows(OsException.class, () -> Native.write(-1, new byte[4], 4, "write")).errno());
        assertEquals(9, assertThrows(OsException.class, () -> Native.send(-1, new byte[4], 4, "send")).errno());
        assertEquals(9, assertThrows(OsException.class, () -> Native.recv(-1, new byte[4], 4, 0, "recv")).errno());
        assertThrows(NotFoundException.class, () -> Native.open("/proc/jcni-no-such-file", Native.O_RDONLY, "open"));
    }
}
