package dev.jcni.cnictl.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lock also holds between processes: another process (python's fcntl.lockf, the same POSIX
 * record lock Java uses) holding the lock file exclusively, as a GC in another runtime process
 * would, keeps an ADD here waiting.
 */
class RuntimeLockProcessTest {
    @TempDir
    Path dir;

    @Test
    void anotherProcessHoldingTheLockExclusivelyBlocksAdd() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "skipped: needs /usr/bin/python3 to hold a lock from another process");
        Path lockFile = dir.resolve(RuntimeLock.FILE_NAME);
        Path ready = dir.resolve("ready");
        Path release = dir.resolve("release");
        String script = "import fcntl,os,time\n"
                + "f=open('" + lockFile + "','a+')\n"
                + "fcntl.lockf(f,fcntl.LOCK_EX)\n"
                + "open('" + ready + "','w').close()\n"
                // Bounded, so a killed test JVM (a mutation-testing timeout) leaves no holder behind for long.
                + "deadline=time.time()+30\n"
                + "while not os.path.exists('" + release + "') and time.time()<deadline: time.sleep(0.05)\n";
        Process holder = new ProcessBuilder("/usr/bin/python3", "-c", script).inheritIO().start();
        try {
            for (int i = 0; i < 100 && !Files.exists(ready); i++) {
                Thread.sleep(50);
            }
            assertTrue(Files.exists(ready), "the other process took the lock");
            CountDownLatch got = new CountDownLatch(1);
            Thread add = new Thread(() -> {
                try (RuntimeLock.Held held = RuntimeLock.forCacheDir(dir).shared()) {
                    got.countDown();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            add.start();
            assertFalse(got.await(500, TimeUnit.MILLISECONDS), "ADD must wait for the other process's GC");
            Files.createFile(release);
            assertTrue(got.await(10, TimeUnit.SECONDS));
        } finally {
            holder.destroyForcibly();
            holder.waitFor();
        }
    }
}
