package dev.jcni.it.hostlocal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcni.core.os.fs.Flock;
import dev.jcni.it.support.PluginRunner;
import dev.jcni.it.support.RequiresRoot;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The store's lock is the reference's: flock(2) on {@code <dir>/lock}. Held from the reference's
 * side (util-linux flock(1) takes the same lock go-filemutex takes), our ADD waits for it; held by
 * our lock code, the reference's ADD waits. A POSIX record lock (Java's FileChannel.lock) would let
 * both through.
 *
 * <p>Waiting is observed, not assumed from elapsed time (a slow start would look the same): our
 * plugin's debug log (JCNI_DEBUG, JCNI_LOG_FILE) says it validated its request and has not locked
 * the store; the reference's blocked flock(2) shows as a waiter in /proc/locks.
 */
@RequiresRoot
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StoreLockInteropTest extends HostLocalSandboxTest {
    private static final long HOLD_MILLIS = 1000;
    private static final long DEADLINE_MILLIS = 60_000;

    private String conf() {
        return HostLocalExec.conf("1.0.0", "locked", HostLocalExec.ipam(dataDir, "[[{\"subnet\":\"10.49.0.0/24\"}]]", ""));
    }

    private Path store() {
        return dataDir.resolve("locked");
    }

    /** {@code command} by {@code binary} in the background, ours logging its steps to {@link #log()}. */
    private CompletableFuture<PluginRunner.Run> later(Path binary, String command, String container) {
        Map<String, String> debug = Map.of("JCNI_DEBUG", "1", "JCNI_LOG_FILE", log().toString());
        return CompletableFuture.supplyAsync(() -> {
            try {
                return exec.run(binary, command, conf(), container, "eth0", null, debug);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private Path log() {
        return dataDir.resolve("plugin.log");
    }

    /** Waits until our plugin's log shows it validated its request: it is now at the store's lock. */
    private void awaitOursAtTheLock(CompletableFuture<PluginRunner.Run> run) throws Exception {
        long deadline = System.currentTimeMillis() + DEADLINE_MILLIS;
        while (!(Files.exists(log()) && Files.readString(log()).contains("config validated"))) {
            if (run.isDone()) {
                throw new AssertionError("finished without reaching the lock: " + run.get().stdout() + run.get().stderr());
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("never reached the lock");
            }
            Thread.sleep(20);
        }
    }

    /** Waits until /proc/locks lists a process blocked in flock(2) on {@code file}. */
    private static void awaitBlockedFlockOn(Path file, CompletableFuture<PluginRunner.Run> run) throws Exception {
        String inode = ":" + Files.getAttribute(file, "unix:ino") + " ";
        long deadline = System.currentTimeMillis() + DEADLINE_MILLIS;
        while (true) {
            for (String line : Files.readAllLines(Path.of("/proc/locks"))) {
                if (line.contains("-> FLOCK") && line.contains(inode)) {
                    return;
                }
            }
            if (run.isDone()) {
                throw new AssertionError("finished without waiting: " + run.get().stdout() + run.get().stderr());
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no process blocked on " + file);
            }
            Thread.sleep(20);
        }
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
            CompletableFuture<PluginRunner.Run> add = later(HostLocalExec.OURS, "ADD", "w1");
            awaitOursAtTheLock(add);
            Thread.sleep(HOLD_MILLIS);
            assertFalse(add.isDone(), "our ADD must wait while the lock is held");
            assertFalse(Files.readString(log()).contains("store locked"), Files.readString(log()));
            assertFalse(Files.exists(store().resolve("10.49.0.2")), "nothing leased while the lock is held");
            holder.getOutputStream().close();
            PluginRunner.Run r = add.get(60, TimeUnit.SECONDS).assertOk();
            assertEquals("10.49.0.2", HostLocalExec.address(r.json(), 0));
            assertTrue(Files.readString(log()).contains("store locked"));
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
            CompletableFuture<PluginRunner.Run> add = later(HostLocalExec.REFERENCE, "ADD", "w2");
            awaitBlockedFlockOn(store().resolve("lock"), add);
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
            CompletableFuture<PluginRunner.Run> del = later(HostLocalExec.OURS, "DEL", "w3");
            awaitOursAtTheLock(del);
            Thread.sleep(HOLD_MILLIS);
            assertFalse(del.isDone(), "our DEL must wait while the lock is held");
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
