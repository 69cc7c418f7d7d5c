package dev.jcni.cnictl.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GC must never run alongside ADD/DEL (cni-protocol.md §1.4 GC, §4.7). */
class RuntimeLockTest {
    @TempDir
    Path dir;

    @Test
    void sharedHoldersCoexistAndExclusiveWaitsForThem() throws Exception {
        RuntimeLock lock = RuntimeLock.forCacheDir(dir);
        RuntimeLock.Held a = lock.shared();
        RuntimeLock.Held b = lock.shared();
        assertTrue(Files.exists(dir.resolve(RuntimeLock.FILE_NAME)));
        AtomicBoolean gcRan = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        Thread gc = new Thread(() -> {
            try (RuntimeLock.Held held = lock.exclusive()) {
                gcRan.set(true);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
            done.countDown();
        });
        gc.start();
        assertFalse(done.await(300, TimeUnit.MILLISECONDS), "GC must wait for ADD/DEL");
        a.close();
        assertFalse(done.await(200, TimeUnit.MILLISECONDS));
        b.close();
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertTrue(gcRan.get());
    }

    @Test
    void sharedWaitsForExclusive() throws Exception {
        RuntimeLock lock = RuntimeLock.forCacheDir(dir);
        RuntimeLock.Held gc = lock.exclusive();
        CountDownLatch added = new CountDownLatch(1);
        Thread add = new Thread(() -> {
            try (RuntimeLock.Held held = lock.shared()) {
                added.countDown();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        add.start();
        assertFalse(added.await(300, TimeUnit.MILLISECONDS));
        gc.close();
        assertTrue(added.await(5, TimeUnit.SECONDS));
        assertEquals(RuntimeLock.forCacheDir(dir), lock, "one lock object per cache directory");
    }
}
