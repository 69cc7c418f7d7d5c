package dev.jcni.it.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.ExistsException;
import dev.jcni.core.os.InvalidArgumentException;
import dev.jcni.core.os.NotFoundException;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netlink.LinkInfo;
import dev.jcni.core.os.netlink.Links;
import dev.jcni.core.os.netlink.RtNetlink;
import dev.jcni.core.os.netns.NetNs;
import dev.jcni.core.protocol.CniException;
import dev.jcni.it.support.RequiresRoot;
import dev.jcni.it.support.TestNetns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@RequiresRoot
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NetNsKernelTest {
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

    private static String threadNetns() throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
    }

    private static String nsfsId(String path) throws IOException {
        return "net:[" + Files.getAttribute(Path.of(path), "unix:ino") + "]";
    }

    @Test
    void taskThreadIsInTheNamespaceAndCallerIsNot() throws Exception {
        String before = threadNetns();
        String inside = NetNs.run(ns.path(), () -> {
            try {
                return threadNetns();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        assertEquals(nsfsId(ns.path()), inside);
        assertNotEquals(before, inside);
        assertEquals(before, threadNetns(), "the calling thread must not move");
    }

    @Test
    void linkListInsideDiffersFromTheHost() throws Exception {
        List<String> inside = NetNs.run(ns.path(), () -> names());
        assertEquals(List.of("lo", veth.containerName()), inside);
        List<String> host = names();
        assertTrue(host.contains(veth.hostName()), host.toString());
        assertFalse(host.contains(veth.containerName()), host.toString());
    }

    @Test
    void socketOpenedInsideStaysThereWhenUsedOutside() throws Exception {
        try (RtNetlink nl = NetNs.run(ns.path(), RtNetlink::open)) {
            LinkInfo peer = new Links(nl).byName(veth.containerName());
            assertEquals(ns.link(veth.containerName()).get("ifindex").asInt(), peer.index());
        }
    }

    @Test
    void procPidPathWorks() throws Exception {
        Process sleeper = new ProcessBuilder("ip", "netns", "exec", ns.name(), "sleep", "60").start();
        try {
            String procPath = "/proc/" + sleeper.pid() + "/ns/net";
            // ip netns exec enters the namespace, then execs sleep: wait until it has.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!nsfsId(procPath).equals(nsfsId(ns.path()))) {
                assertTrue(System.nanoTime() < deadline, "sleeper never entered " + ns.name());
                Thread.sleep(20);
            }
            assertTrue(NetNs.exists(procPath));
            assertEquals(List.of("lo", veth.containerName()), NetNs.run(procPath, () -> names()));
        } finally {
            sleeper.destroyForcibly();
            sleeper.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void missingPathIsNotFound() {
        String missing = "/run/netns/" + TestNetns.PREFIX + "missing-" + System.nanoTime();
        assertFalse(NetNs.exists(missing));
        NotFoundException e = assertThrows(NotFoundException.class, () -> NetNs.run(missing, () -> "never"));
        assertEquals(Errno.ENOENT, e.errno());
        assertTrue(e.getMessage().contains(missing), e.getMessage());
    }

    @Test
    void regularFileIsNotANetns() throws Exception {
        Path file = Files.createTempFile("jcni-not-a-netns", "");
        try {
            assertTrue(NetNs.exists(file.toString()));
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> NetNs.run(file.toString(), () -> "never"));
            assertTrue(e.getMessage().contains("is not a network namespace"), e.getMessage());
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void otherNamespaceTypeIsNotANetns() {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> NetNs.run("/proc/self/ns/uts", () -> "never"));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().contains("/proc/self/ns/uts is not a network namespace"), e.getMessage());
    }

    @Test
    void valuesAndExceptionsComeBackToTheCaller() throws Exception {
        Thread caller = Thread.currentThread();
        Thread[] worker = new Thread[1];
        assertEquals(42, NetNs.run(ns.path(), () -> {
            worker[0] = Thread.currentThread();
            return 42;
        }));
        assertNotSame(caller, worker[0]);
        assertFalse(worker[0].isAlive(), "the namespaced thread must be gone");
        assertNull(NetNs.run(ns.path(), () -> null));

        CniException cni = new CniException(CniException.INVALID_CONFIG, "bad");
        assertSame(cni, assertThrows(CniException.class, () -> NetNs.run(ns.path(), () -> {
            throw cni;
        })));
        ExistsException os = new ExistsException("op", Errno.EEXIST, "op: exists");
        assertSame(os, assertThrows(OsException.class, () -> NetNs.run(ns.path(), () -> {
            throw os;
        })));
        IllegalStateException rt = new IllegalStateException("boom");
        assertSame(rt, assertThrows(IllegalStateException.class, () -> NetNs.run(ns.path(), () -> {
            throw rt;
        })));
    }

    private static List<String> names() throws OsException {
        try (RtNetlink nl = RtNetlink.open()) {
            List<String> out = new ArrayList<>();
            for (LinkInfo l : new Links(nl).list()) {
                out.add(l.name());
            }
            return out;
        }
    }
}
