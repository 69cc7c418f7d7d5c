package dev.jcni.core.skel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcni.core.protocol.CniException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The per-attachment lock (issue 6, point 8), in one JVM and against another process. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AttachmentLockTest {
    private static final Duration LONG = Duration.ofSeconds(20);

    @TempDir
    Path tmp;
    private String dir;
    private ByteArrayOutputStream stderr;

    @BeforeEach
    void setUp() {
        dir = tmp.resolve("locks").toString();
        stderr = new ByteArrayOutputStream();
        Log.redirect(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void tearDown() {
        Log.redirect(System.err);
    }

    /** How many of this process's descriptors are open on {@code file}: a lock must leave none behind. */
    private static int descriptorsOn(Path file) throws Exception {
        int n = 0;
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    if (Files.readSymbolicLink(fd).equals(file)) {
                        n++;
                    }
                } catch (java.io.IOException closedMeanwhile) {
                    // the descriptor of the listing itself, or one another thread closed
                }
            }
        }
        return n;
    }

    @Test
    void twoThreadsWithOneKeyTakeTurns() throws Exception {
        int threads = 4;
        int rounds = 25;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < rounds; i++) {
                        try (AttachmentLock lock = AttachmentLock.acquire(dir, "tuning", "ctr-1", "eth0", LONG)) {
                            if (inside.incrementAndGet() > 1) {
                                overlaps.incrementAndGet();
                            }
                            Thread.sleep(1);
                            inside.decrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, overlaps.get(), "holders of one attachment's lock overlapped");
        assertEquals("", stderr.toString(StandardCharsets.UTF_8), "the lock was really taken, not skipped with a warning");
    }

    @Test
    void aHeldLockMakesTheNextWaitAndThenFailWithCode11() throws Exception {
        try (AttachmentLock held = AttachmentLock.acquire(dir, "tuning", "ctr-1", "eth0", LONG)) {
            long start = System.nanoTime();
            CniException e = assertThrows(CniException.class,
                    () -> AttachmentLock.acquire(dir, "tuning", "ctr-1", "eth0", Duration.ofMillis(300)));
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(CniException.TRY_AGAIN_LATER, e.code());
            assertEquals("another request for ctr-1/eth0 is still running after 0.3 s; try again later", e.msg());
            assertEquals("lock file " + AttachmentLock.stripeFile(Path.of(dir), "tuning", "ctr-1", "eth0"), e.details());
            assertTrue(waitedMs >= 250 && waitedMs < 5000, "waited " + waitedMs + " ms");
        }
        // Released: the next one gets it at once.
        try (AttachmentLock again = AttachmentLock.acquire(dir, "tuning", "ctr-1", "eth0", Duration.ofMillis(300))) {
            assertTrue(Files.exists(AttachmentLock.stripeFile(Path.of(dir), "tuning", "ctr-1", "eth0")));
        }
    }

    @Test
    void aWaiterGetsTheLockWhenTheHolderLetsGo() throws Exception {
        CountDownLatch got = new CountDownLatch(1);
        Thread waiter;
        try (AttachmentLock held = AttachmentLock.acquire(dir, "tuning", "ctr-1", "eth0", LONG)) {
            waiter = new Thread(() -> {
                try (AttachmentLock lock = AttachmentLock.acquire(dir, "tuning", "ctr-1", "eth0", LONG)) {
                    got.countDown();
                } catch (CniException e) {
                    throw new AssertionError(e);
                }
            });
            waiter.start();
            assertFalse(got.await(300, TimeUnit.MILLISECONDS), "the waiter must not get a held lock");
        }
        assertTrue(got.await(10, TimeUnit.SECONDS));
        waiter.join();
    }

    @Test
    void aDelegateLocksTheSameAttachmentWhileItsCallerHoldsItsOwn() throws Exception {
        // bridge holds (bridge, ctr, eth0) while host-local runs for (host-local, ctr, eth0).
        try (AttachmentLock bridge = AttachmentLock.acquire(dir, "bridge", "ctr-1", "eth0", LONG);
             AttachmentLock ipam = AttachmentLock.acquire(dir, "host-local", "ctr-1", "eth0", Duration.ofMillis(200))) {
            assertNotEquals(AttachmentLock.stripeFile(Path.of(dir), "bridge", "ctr-1", "eth0"),
                    AttachmentLock.stripeFile(Path.of(dir), "host-local", "ctr-1", "eth0"));
        }
    }

    @Test
    void otherAttachmentsDoNotWait() throws Exception {
        // Find a second attachment on another stripe; attachments sharing a stripe would wait, by design.
        Path first = AttachmentLock.stripeFile(Path.of(dir), "tuning", "ctr-1", "eth0");
        String other = "ctr-2";
        for (int i = 2; AttachmentLock.stripeFile(Path.of(dir), "tuning", other, "eth0").equals(first); i++) {
            other = "ctr-" + i;
        }
        try (AttachmentLock a = AttachmentLock.acquire(dir, "tuning", "ctr-1", "eth0", LONG);
             AttachmentLock b = AttachmentLock.acquire(dir, "tuning", other, "eth0", Duration.ofMillis(200))) {
            assertTrue(Files.exists(first));
        }
    }

    @Test
    void lockFilesAreBoundedAndPrivate() throws Exception {
        Set<Path> files = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            files.add(AttachmentLock.stripeFile(Path.of(dir), "tuning", "ctr-" + i, "eth" + (i % 3)));
        }
        assertEquals(AttachmentLock.STRIPES, files.size(), "2000 attachments spread over every stripe, and no more");
        try (AttachmentLock a = AttachmentLock.acquire(dir, "tuning", "ctr-1", "eth0", LONG)) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(dir))));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    AttachmentLock.stripeFile(Path.of(dir), "tuning", "ctr-1", "eth0"))));
        }
        assertThrows(IllegalArgumentException.class, () -> AttachmentLock.stripeFile(Path.of(dir), "../x", "c", "e"));
    }

    @Test
    void missingParentsAreCreatedPrivate() throws Exception {
        Path nested = tmp.resolve("run/jcni/locks");
        try (AttachmentLock a = AttachmentLock.acquire(nested.toString(), "tuning", "ctr-1", "eth0", LONG)) {
            assertTrue(Files.isRegularFile(AttachmentLock.stripeFile(nested, "tuning", "ctr-1", "eth0")));
        }
        for (Path p : List.of(tmp.resolve("run"), tmp.resolve("run/jcni"), nested)) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
        }
        assertEquals("", stderr.toString(StandardCharsets.UTF_8), "locked for real, no warning");
    }

    @Test
    void closingALockLeavesNoDescriptorOpen() throws Exception {
        Path lockFile = AttachmentLock.stripeFile(Path.of(dir), "tuning", "ctr-1", "eth0");
        try (AttachmentLock a = AttachmentLock.acquire(dir, "tuning", "ctr-1", "eth0", LONG)) {
            assertEquals(1, descriptorsOn(lockFile));
        }
        assertEquals(0, descriptorsOn(lockFile));
    }

    @Test
    void anUnusableDirectoryWarnsOnceAndGoesOnUnlocked() throws Exception {
        Path notADir = Files.writeString(tmp.resolve("file"), "");
        String unusable = notADir.resolve("locks").toString();
        for (int i = 0; i < 3; i++) {
            try (AttachmentLock a = AttachmentLock.acquire(unusable, "tuning", "ctr-1", "eth0", LONG);
                 AttachmentLock b = AttachmentLock.acquire(unusable, "tuning", "ctr-1", "eth0", Duration.ofMillis(100))) {
                // both "held" at once: nothing is locked, but each is a lock a caller can close
                assertNotNull(a);
                assertNotNull(b);
            }
        }
        String err = stderr.toString(StandardCharsets.UTF_8);
        assertEquals(1, err.split("not serialised", -1).length - 1, err);
        assertTrue(err.contains(unusable), err);
    }

    @Test
    void aLockDirectoryThatIsAFileOrSomeoneElsesIsNotUsed() throws Exception {
        Path file = Files.writeString(tmp.resolve("locks-file"), "");
        try (AttachmentLock a = AttachmentLock.acquire(file.toString(), "tuning", "ctr-1", "eth0", LONG)) {
            assertNotNull(a);
        }
        assertTrue(stderr.toString(StandardCharsets.UTF_8).contains(file + " is a file of mode 100644, not a directory"),
                stderr.toString(StandardCharsets.UTF_8));
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to give a directory away");
        Path theirs = Files.createDirectory(tmp.resolve("theirs"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Files.setAttribute(theirs, "unix:uid", 65534);
        try (AttachmentLock a = AttachmentLock.acquire(theirs.toString(), "tuning", "ctr-1", "eth0", LONG)) {
            assertNotNull(a);
        }
        assertTrue(stderr.toString(StandardCharsets.UTF_8).contains(theirs + " is owned by uid 65534, not by this process's uid 0"),
                stderr.toString(StandardCharsets.UTF_8));
        try (var files = Files.list(theirs)) {
            assertEquals(0, files.count(), "no lock file in someone else's directory");
        }
    }

    @Test
    void aDirectoryOthersCanWriteIsNotTrusted() throws Exception {
        Path open = Files.createDirectory(tmp.resolve("open"));
        Files.setAttribute(open, "unix:mode", 0777);
        try (AttachmentLock a = AttachmentLock.acquire(open.toString(), "tuning", "ctr-1", "eth0", LONG)) {
            assertNotNull(a);
            assertTrue(stderr.toString(StandardCharsets.UTF_8).contains(open + " is writable by others (mode 777)"),
                    stderr.toString(StandardCharsets.UTF_8));
        }
        try (var files = Files.list(open)) {
            assertEquals(0, files.count(), "no lock file is made in a directory others control");
        }
    }

    @Test
    void aSymlinkedLockFileIsNotFollowed() throws Exception {
        Path lockDir = Files.createDirectory(tmp.resolve("private"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Path target = Files.writeString(tmp.resolve("precious"), "keep\n");
        Files.createSymbolicLink(AttachmentLock.stripeFile(lockDir, "tuning", "ctr-1", "eth0"), target);
        try (AttachmentLock a = AttachmentLock.acquire(lockDir.toString(), "tuning", "ctr-1", "eth0", LONG)) {
            assertNotNull(a);
            assertTrue(stderr.toString(StandardCharsets.UTF_8).contains("not serialised"), stderr.toString(StandardCharsets.UTF_8));
        }
        assertEquals("keep\n", Files.readString(target));
    }

    @Test
    void anotherProcessHoldingTheLockMakesUsWait() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "needs /usr/bin/python3 to hold a lock from another process");
        try (AttachmentLock first = AttachmentLock.acquire(dir, "tuning", "ctr-1", "eth0", LONG)) {
            // creates the directory and the file
        }
        Path lockFile = AttachmentLock.stripeFile(Path.of(dir), "tuning", "ctr-1", "eth0");
        Path ready = tmp.resolve("ready");
        Path release = tmp.resolve("release");
        String script = "import fcntl,os,time\n"
                + "f=open('" + lockFile + "','r+')\n"
                + "fcntl.lockf(f,fcntl.LOCK_EX)\n"
                + "open('" + ready + "','w').close()\n"
                // Bounded: if this test's JVM dies (a mutation-testing timeout kills it), the holder
                // must not stay behind forever holding its lock file.
                + "deadline=time.time()+30\n"
                + "while not os.path.exists('" + release + "') and time.time()<deadline: time.sleep(0.02)\n";
        Process holder = new ProcessBuilder("/usr/bin/python3", "-c", script).inheritIO().start();
        try {
            for (int i = 0; i < 250 && !Files.exists(ready); i++) {
                Thread.sleep(20);
            }
            assertTrue(Files.exists(ready), "the other process took the lock");
            CniException e = assertThrows(CniException.class,
                    () -> AttachmentLock.acquire(dir, "tuning", "ctr-1", "eth0", Duration.ofMillis(300)));
            assertEquals(CniException.TRY_AGAIN_LATER, e.code());
            assertEquals(0, descriptorsOn(lockFile), "the request that gave up left its lock file open");
            Files.createFile(release);
            try (AttachmentLock after = AttachmentLock.acquire(dir, "tuning", "ctr-1", "eth0", LONG)) {
                assertTrue(holder.waitFor(10, TimeUnit.SECONDS));
                assertEquals(1, descriptorsOn(lockFile));
            }
            assertEquals(0, descriptorsOn(lockFile), "close left the lock file open");
        } finally {
            holder.destroyForcibly();
            holder.waitFor();
        }
    }
}
