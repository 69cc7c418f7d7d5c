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
import dev.jcni.core.os.sysctl.Sysctl;
import dev.jcni.core.protocol.CniException;
import dev.jcni.it.support.Cmd;
import dev.jcni.it.support.RequiresRoot;
import dev.jcni.it.support.TestNetns;
import dev.jcni.it.support.TestRun;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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
        assertEquals(Errno.ENOENT, assertThrows(NotFoundException.class, () -> NetNs.open(missing)).errno());
    }

    @Test
    void regularFileIsNotANetns() throws Exception {
        Path file = Files.createTempFile(TestRun.current().scratch(), "not-a-netns", "");
        try {
            assertTrue(NetNs.exists(file.toString()));
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> NetNs.run(file.toString(), () -> "never"));
            assertTrue(e.getMessage().contains(file + " is not a network namespace"), e.getMessage());
            assertEquals(Errno.EINVAL, assertThrows(InvalidArgumentException.class, () -> NetNs.open(file.toString())).errno());
        } finally {
            Files.delete(file);
        }
    }

    /**
     * Opening a FIFO without O_NONBLOCK waits for a writer forever, and no interrupt reaches a
     * thread blocked in open(2): the timeout runs the test on its own thread so a hang fails it.
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void fifoFailsFastInsteadOfBlocking() throws Exception {
        Path dir = Files.createTempDirectory(TestRun.current().scratch(), "fifo");
        Path fifo = dir.resolve("netns");
        try {
            Cmd.check("mkfifo", fifo.toString());
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> NetNs.open(fifo.toString()));
            assertEquals(Errno.EINVAL, e.errno());
            assertTrue(e.getMessage().contains(fifo + " is not a network namespace"), e.getMessage());
            assertThrows(InvalidArgumentException.class, () -> NetNs.run(fifo.toString(), () -> "never"));
        } finally {
            Files.deleteIfExists(fifo);
            Files.delete(dir);
        }
    }

    /** open(2) of a socket file fails with ENXIO, which must not read as "no such namespace". */
    @Test
    void socketFileIsNotANetns() throws Exception {
        Path dir = Files.createTempDirectory(TestRun.current().scratch(), "sock");
        Path sock = dir.resolve("netns");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> NetNs.open(sock.toString()));
            assertTrue(e.getMessage().contains(sock + " is not a network namespace"), e.getMessage());
        } finally {
            Files.deleteIfExists(sock);
            Files.delete(dir);
        }
    }

    @Test
    void otherNamespaceTypeIsNotANetns() {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> NetNs.run("/proc/self/ns/uts", () -> "never"));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().contains("/proc/self/ns/uts is not a network namespace"), e.getMessage());
        assertThrows(InvalidArgumentException.class, () -> NetNs.open("/proc/self/ns/mnt"));
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

    /** A checked exception of the caller's own: the kernel layer knows nothing of it and passes it on. */
    static final class TaskFailure extends Exception {
        TaskFailure(String message) {
            super(message);
        }
    }

    /** Compiles only because run declares the task's own exception type, not a wrapper. */
    private static String failInside(NetNs handle, TaskFailure failure) throws TaskFailure, OsException {
        return handle.run(new NetNs.Task<String, TaskFailure>() {
            @Override
            public String run() throws TaskFailure {
                throw failure;
            }
        });
    }

    @Test
    void aTasksOwnCheckedExceptionPassesThroughUnchanged() throws Exception {
        TaskFailure failure = new TaskFailure("the caller's own");
        try (NetNs handle = NetNs.open(ns.path())) {
            assertSame(failure, assertThrows(TaskFailure.class, () -> failInside(handle, failure)));
            assertEquals(List.of("lo", veth.containerName()), handle.run(() -> names()), "the handle still works afterwards");
        }
    }

    @Test
    void aHandleEntersItsNamespaceAgainAndAgain() throws Exception {
        String sysctl = "net.ipv4.conf." + veth.containerName() + ".forwarding";
        try (NetNs handle = NetNs.open(ns.path())) {
            assertEquals(List.of("lo", veth.containerName()), handle.run(() -> names()));
            assertEquals(ns.procSys("net/ipv4/conf/" + veth.containerName() + "/forwarding"), handle.run(() -> Sysctl.read(sysctl)));
            assertEquals(nsfsId(ns.path()), handle.run(() -> {
                try {
                    return threadNetns();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        assertThrows(NotFoundException.class, () -> Sysctl.read(sysctl), "the host has no such interface");
    }

    /** The handle holds the namespace itself, not its path: unmounting the path does not lose it. */
    @Test
    void aHandleOutlivesItsPath() throws Exception {
        try (NetNs handle = NetNs.open(ns.path())) {
            Cmd.check("ip", "netns", "del", ns.name());
            assertFalse(NetNs.exists(ns.path()));
            assertEquals(List.of("lo", veth.containerName()), handle.run(() -> names()));
        }
    }

    @Test
    void ownNamespaceIsToldApartByHandle() throws Exception {
        try (NetNs own = NetNs.openCurrent();
             NetNs ownByProc = NetNs.open("/proc/" + ProcessHandle.current().pid() + "/ns/net");
             NetNs test = NetNs.open(ns.path());
             NetNs testAgain = NetNs.open(ns.path())) {
            assertTrue(own.sameNamespaceAs(ownByProc), "thread-self and the process are in the host namespace");
            assertFalse(own.sameNamespaceAs(test));
            assertFalse(test.sameNamespaceAs(own));
            assertTrue(test.sameNamespaceAs(testAgain), "two handles of one namespace");
            assertTrue(test.run(() -> {
                try (NetNs inside = NetNs.openCurrent()) {
                    return inside.sameNamespaceAs(test) && !inside.sameNamespaceAs(own);
                }
            }), "inside a task the current namespace is the entered one");
        }
    }

    @Test
    void closingTwiceIsHarmlessAndAClosedHandleRefusesWork() throws Exception {
        NetNs handle = NetNs.open(ns.path());
        NetNs other = NetNs.open(ns.path());
        try {
            assertEquals(2, descriptorsOf(ns.path()), "each open handle holds one descriptor");
            handle.close();
            handle.close();
            assertEquals(1, descriptorsOf(ns.path()), "close released the descriptor");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> handle.run(() -> "never"));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> handle.sameNamespaceAs(other));
            assertThrows(IllegalStateException.class, () -> other.sameNamespaceAs(handle));
        } finally {
            other.close();
        }
        assertEquals(0, descriptorsOf(ns.path()));
    }

    /** close during a run must not pull the descriptor out from under it; the last run releases it. */
    @Test
    void closeDuringARunWaitsForItBeforeReleasing() throws Exception {
        NetNs handle = NetNs.open(ns.path());
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                outcome.set(handle.run(() -> {
                    inside.countDown();
                    proceed.await();
                    return names();
                }));
            } catch (Exception e) {
                outcome.set(e);
            }
        });
        runner.start();
        assertTrue(inside.await(10, TimeUnit.SECONDS));
        handle.close();
        assertEquals(1, descriptorsOf(ns.path()), "still held for the run in progress");
        assertThrows(IllegalStateException.class, () -> handle.run(() -> "late"));
        proceed.countDown();
        runner.join(10_000);
        assertEquals(List.of("lo", veth.containerName()), outcome.get());
        assertEquals(0, descriptorsOf(ns.path()), "released by the last run");
    }

    /** How many descriptors of this process are open on the namespace at {@code path} (by inode: readlink shows the mount path). */
    private static int descriptorsOf(String path) throws IOException {
        Object ino = Files.getAttribute(Path.of(path), "unix:ino");
        Object dev = Files.getAttribute(Path.of(path), "unix:dev");
        int n = 0;
        try (var fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    if (ino.equals(Files.getAttribute(fd, "unix:ino")) && dev.equals(Files.getAttribute(fd, "unix:dev"))) {
                        n++;
                    }
                } catch (IOException gone) {
                    // The directory stream's own descriptor, closed by the time it is read.
                }
            }
        }
        return n;
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
