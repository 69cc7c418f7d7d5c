package dev.jcni.it.hostlocal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcni.core.os.fs.Flock;
import dev.jcni.it.support.PluginRunner;
import dev.jcni.it.support.RequiresRoot;
import dev.jcni.it.support.TestNetns;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's lock is the reference's: flock(2) on {@code <dir>/lock}. Held from the reference's
 * side (util-linux flock(1) takes the same lock go-filemutex takes), our ADD waits for it; held by
 * our lock code, the reference's ADD waits. A POSIX record lock (Java's FileChannel.lock) would let
 * both through.
 */
@RequiresRoot
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StoreLockInteropTest {
    private static final long HOLD_MILLIS = 1500;

    private static TestNetns sandbox;
    private static HostLocalExec exec;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void sandbox() {
        sandbox = TestNetns.create();
        exec = new HostLocalExec(sandbox);
    }

    @AfterAll
    static void closeSandbox() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private String conf() {
        return HostLocalExec.conf("1.0.0", "locked", HostLocalExec.ipam(dataDir, "[[{\"subnet\":\"10.49.0.0/24\"}]]", ""));
    }

    private Path store() {
        return dataDir.resolve("locked");
    }

    /** ADD by {@code binary} in the background. */
    private CompletableFuture<PluginRunner.Run> addLater(Path binary, String container) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return exec.run(binary, "ADD", conf(), container, "eth0", null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void ourAddWaitsForTheLockFlockCommandHolds() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/flock")), "skipped: util-linux flock(1) is not installed");
        Files.createDirectories(store());
        Path lock = store().resolve("lock");
        Process holder = new ProcessBuilder("/usr/bin/flock", lock.toString(), "sh", "-c", "echo held; cat >/dev/null")
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("held", out.readLine());
            CompletableFuture<PluginRunner.Run> add = addLater(HostLocalExec.OURS, "w1");
            Thread.sleep(HOLD_MILLIS);
            assertFalse(add.isDone(), "our ADD must wait while the lock is held");
            assertFalse(Files.exists(store().resolve("10.49.0.2")), "nothing leased while the lock is held");
            holder.getOutputStream().close();
            PluginRunner.Run r = add.get(60, TimeUnit.SECONDS).assertOk();
            assertEquals("10.49.0.2", HostLocalExec.address(r.json(), 0));
        } finally {
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theReferencesAddWaitsForOurLock() throws Exception {
        assumeTrue(HostLocalExec.referenceInstalled(), "skipped: the reference plugins are not installed");
        Files.createDirectories(store());
        try (Flock ours = Flock.open(store().resolve("lock").toString())) {
            assertTrue(ours.tryLockExclusive());
            CompletableFuture<PluginRunner.Run> add = addLater(HostLocalExec.REFERENCE, "w2");
            Thread.sleep(HOLD_MILLIS);
            assertFalse(add.isDone(), "the reference's ADD must wait while our lock is held");
            assertFalse(Files.exists(store().resolve("10.49.0.2")));
            ours.unlock();
            PluginRunner.Run r = add.get(60, TimeUnit.SECONDS).assertOk();
            assertEquals("10.49.0.2", HostLocalExec.address(r.json(), 0));
        }
    }

    /** And while the reference's ADD holds the lock, our DEL waits too: the lock is taken by every verb. */
    @Test
    void ourDelWaitsAsWell() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/flock")), "skipped: util-linux flock(1) is not installed");
        exec.add(HostLocalExec.OURS, conf(), "w3");
        Process holder = new ProcessBuilder("/usr/bin/flock", store().resolve("lock").toString(), "sh", "-c", "echo held; cat >/dev/null")
                .redirectErrorStream(true).start();
        try {
            assertEquals("held", new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine());
            CompletableFuture<PluginRunner.Run> del = CompletableFuture.supplyAsync(() -> {
                try {
                    return exec.run(HostLocalExec.OURS, "DEL", conf(), "w3", "eth0", null);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(HOLD_MILLIS);
            assertFalse(del.isDone());
            assertTrue(Files.exists(store().resolve("10.49.0.2")), "not released while the lock is held");
            holder.getOutputStream().close();
            del.get(60, TimeUnit.SECONDS).assertOk();
            assertFalse(Files.exists(store().resolve("10.49.0.2")));
        } finally {
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
