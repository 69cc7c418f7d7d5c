package dev.jcni.core.os.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * flock(2) through the native layer, against the real kernel and util-linux's flock(1), the
 * command-line face of the lock Go programs take. No root needed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FlockTest {
    private static final String FLOCK_COMMAND = "/usr/bin/flock";

    @TempDir
    Path dir;

    @Test
    void twoHandlesExcludeEachOtherEvenInOneProcess() throws Exception {
        String file = dir.resolve("lock").toString();
        try (Flock a = Flock.open(file); Flock b = Flock.open(file)) {
            assertTrue(a.tryLockExclusive());
            assertTrue(a.isHeld());
            assertFalse(b.tryLockExclusive(), "a flock belongs to the open file description, not the process");
            assertFalse(b.lockExclusive(Duration.ofMillis(50)));
            a.unlock();
            assertFalse(a.isHeld());
            assertTrue(b.lockExclusive(Duration.ofSeconds(5)));
        }
    }

    @Test
    void closingReleasesTheLock() throws Exception {
        String file = dir.resolve("lock").toString();
        Flock a = Flock.open(file);
        assertTrue(a.tryLockExclusive());
        a.close();
        try (Flock b = Flock.open(file)) {
            assertTrue(b.tryLockExclusive());
        }
        assertThrows(IllegalStateException.class, a::tryLockExclusive);
    }

    @Test
    void createsAPrivateRegularFile() throws Exception {
        Path file = dir.resolve("new-lock");
        try (Flock ignored = Flock.open(file.toString())) {
            assertTrue(Files.isRegularFile(file));
            int mode = (Integer) Files.getAttribute(file, "unix:mode") & 0777;
            assertEquals(0, mode & 0077, "nobody else may open it: mode " + Integer.toOctalString(mode));
        }
        Files.writeString(file, "left alone");
        try (Flock again = Flock.open(file.toString())) {
            assertTrue(again.tryLockExclusive());
        }
        assertEquals("left alone", Files.readString(file), "an existing lock file is used, not truncated");
    }

    /** flock(1) holds the lock (as the reference host-local would): we wait, and get it when it lets go. */
    @Test
    void aLockHeldByFlockCommandHoldsUsOff() throws Exception {
        assumeTrue(new File(FLOCK_COMMAND).canExecute(), "skipped: util-linux flock(1) is not installed");
        String file = dir.resolve("lock").toString();
        Process holder = new ProcessBuilder(FLOCK_COMMAND, file, "sh", "-c", "echo held; cat >/dev/null")
                .redirectErrorStream(true).start();
        try (Flock ours = Flock.open(file)) {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("held", out.readLine());
            assertFalse(ours.tryLockExclusive());
            long start = System.nanoTime();
            assertFalse(ours.lockExclusive(Duration.ofMillis(300)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(300), "waited the whole time");
            holder.getOutputStream().close(); // cat ends, flock(1) exits and drops the lock
            assertTrue(ours.lockExclusive(Duration.ofSeconds(20)));
        } finally {
            holder.destroyForcibly();
        }
        assertTrue(holder.waitFor(10, TimeUnit.SECONDS));
    }

    /** We hold the lock: flock(1) -n cannot take it, and can once we let go. */
    @Test
    void ourLockHoldsFlockCommandOff() throws Exception {
        assumeTrue(new File(FLOCK_COMMAND).canExecute(), "skipped: util-linux flock(1) is not installed");
        String file = dir.resolve("lock").toString();
        try (Flock ours = Flock.open(file)) {
            assertTrue(ours.tryLockExclusive());
            assertEquals(1, flockNonBlocking(file), "flock -n fails while we hold the lock");
            ours.unlock();
            assertEquals(0, flockNonBlocking(file));
        }
    }

    /**
     * Why the native call: Java's FileChannel.lock takes a POSIX record lock, which a flock never
     * excludes (and the reverse). Both succeed at once on one file.
     */
    @Test
    void javasFileLockDoesNotSeeAFlock() throws Exception {
        Path file = dir.resolve("lock");
        try (Flock ours = Flock.open(file.toString());
             FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            assertTrue(ours.tryLockExclusive());
            FileLock posix = channel.tryLock();
            assertNotNull(posix, "fcntl and flock locks are independent on Linux");
            posix.release();
        }
    }

    @Test
    void aSymbolicLinkIsRefusedNotFollowed() throws Exception {
        Path target = Files.writeString(dir.resolve("target"), "");
        Path link = Files.createSymbolicLink(dir.resolve("lock"), target);
        OsException e = assertThrows(OsException.class, () -> Flock.open(link.toString()));
        assertEquals(Errno.ELOOP, e.errno());
    }

    @Test
    void aFifoOrDirectoryIsRefusedWithoutWaiting() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        OsException e = assertThrows(OsException.class, () -> Flock.open(fifo.toString()));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().contains("a FIFO, not a regular file"), e.getMessage());
        Path sub = Files.createDirectory(dir.resolve("sub"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        assertEquals(Errno.EISDIR, assertThrows(OsException.class, () -> Flock.open(sub.toString())).errno());
    }

    private static int flockNonBlocking(String file) throws Exception {
        Process p = new ProcessBuilder(FLOCK_COMMAND, "-n", file, "true").redirectErrorStream(true).start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        return p.exitValue();
    }
}
