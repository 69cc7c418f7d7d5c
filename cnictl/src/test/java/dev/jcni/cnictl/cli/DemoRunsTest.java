package dev.jcni.cnictl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bookkeeping that keeps demos at the same time apart, without root: run directories claimed
 * once, owners told alive or dead, claims of live runs only, dead runs swept only from their own
 * network namespace, and the lock surviving the removal of its directory.
 */
class DemoRunsTest {
    @TempDir
    Path base;
    ByteArrayOutputStream out;
    DemoRuns runs;

    @BeforeEach
    void setUp() {
        out = new ByteArrayOutputStream();
        runs = new DemoRuns(new DemoConsole(new PrintStream(out, true, StandardCharsets.UTF_8)), base, Map.of());
    }

    /** A run directory as another demo would have left it. */
    private Path run(String id, String owner, String claims) throws Exception {
        Path dir = Files.createDirectories(base.resolve("run-" + id));
        if (owner != null) {
            Files.writeString(dir.resolve("owner"), owner);
        }
        Files.writeString(dir.resolve("claims"), claims);
        return dir;
    }

    private static String liveOwner() throws Exception {
        return DemoOwner.current().format();
    }

    /** A pid above pid_max (4194304) never runs. */
    private static String deadOwner(String netns) {
        return "9999999 12345 " + netns + "\n";
    }

    @Test
    void newRunsGetDirectoriesOfTheirOwnWithTheirOwnerWritten() throws Exception {
        DemoSandbox a = runs.newRun();
        DemoSandbox b = runs.newRun();
        assertNotEquals(a.id(), b.id());
        assertEquals(base.resolve("run-" + a.id()), a.runDir());
        assertEquals("jcni-br-" + a.id(), a.bridgeName());
        assertEquals("jcni-demo-" + a.id(), a.netnsName());
        assertEquals(a.runDir().resolve("cache"), a.cacheDir());
        DemoOwner owner = DemoOwner.parse(Files.readString(a.runDir().resolve("owner")));
        assertEquals(ProcessHandle.current().pid(), owner.pid());
        assertTrue(owner.isAlive());
        assertEquals(DemoOwner.currentNetns(), owner.netns());
        assertEquals(2, runs.list().size());
    }

    @Test
    void ownersAreAliveOnlyWithTheirOwnStartTime() throws Exception {
        DemoOwner me = DemoOwner.current();
        assertTrue(me.isAlive());
        assertFalse(new DemoOwner(me.pid(), me.startTicks() + 1, me.netns()).isAlive(), "a reused pid is another process");
        assertFalse(DemoOwner.parse(deadOwner("net:[1]")).isAlive());
        assertNull(DemoOwner.parse(""));
        assertNull(DemoOwner.parse("12 34"));
        assertEquals(me, DemoOwner.parse(me.format()));
    }

    @Test
    void onlyLiveRunsClaimSubnetsAndPorts() throws Exception {
        run("aaaaaa", liveOwner(), "subnet 10.199.77.0/24\nport 18001\nbridge jcni-br-aaaaaa\n");
        run("bbbbbb", deadOwner(DemoOwner.currentNetns()), "subnet 10.199.78.0/24\nport 18002\nbridge jcni-br-bbbbbb\n");
        run("cccccc", null, "subnet 10.199.79.0/24\nport 18003\n");
        assertEquals(Set.of("10.199.77.0/24"), runs.claimedSubnets());
        assertThrows(Demo.Failure.class, () -> runs.chooseHostPort("18001"));
        assertEquals(18002, runs.chooseHostPort("18002"), "a dead run's port is free again");
        assertThrows(Demo.Failure.class, () -> runs.chooseHostPort("70000"));
    }

    @Test
    void theChosenPortIsNoneThatALiveRunHolds() throws Exception {
        // Live runs holding every port of the range but one: the choice is pinned.
        String owner = liveOwner();
        for (int p = DemoRuns.FIRST_PORT; p < DemoRuns.FIRST_PORT + DemoRuns.PORTS; p++) {
            if (p != 18500) {
                run(String.format("%06x", p), owner, "port " + p + "\n");
            }
        }
        assertEquals(18500, runs.chooseHostPort(null));
    }

    @Test
    void deadRunsOfThisNamespaceAreSweptAndOthersLeft() throws Exception {
        String here = DemoOwner.currentNetns();
        Path live = run("aaaaaa", liveOwner(), "port 18001\n");
        Path dead = run("bbbbbb", deadOwner(here), "port 18002\nbridge jcni-br-bbbbbb\n");
        Path ownerless = run("cccccc", null, "");
        Path elsewhere = run("dddddd", deadOwner("net:[1]"), "port 18004\n");
        runs.sweepDead();
        assertTrue(Files.isDirectory(live));
        assertFalse(Files.exists(dead));
        assertFalse(Files.exists(ownerless), "created under the lock, so its creator died while starting");
        assertTrue(Files.isDirectory(elsewhere), "left to a demo in that namespace");
        String said = out.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("cleaning up after demo run bbbbbb, whose process 9999999 is gone"), said);
        assertTrue(said.contains("cleaning up after demo run cccccc, which died while starting"), said);
        assertFalse(said.contains("aaaaaa") || said.contains("dddddd"), said);
    }

    @Test
    void claimsAreWrittenForTheRunsThatStartLater() throws Exception {
        DemoSandbox s = runs.newRun();
        DemoRuns.writeClaims(s, List.of("10.199.80.0/24"), 18123);
        DemoRuns.Run r = runs.list().get(0);
        assertEquals(List.of("10.199.80.0/24"), r.subnets());
        assertEquals(18123, r.hostPort());
        assertEquals(s.bridgeName(), r.bridge());
        assertTrue(r.alive());
    }

    @Test
    void theLastRunRemovesTheBaseAndTheLockStillWorksAfterwards() throws Exception {
        Path demoBase = base.resolve("jcni-demo");
        DemoRuns fresh = new DemoRuns(new DemoConsole(new PrintStream(out, true, StandardCharsets.UTF_8)), demoBase, Map.of());
        DemoSandbox s;
        try (DemoLock lock = fresh.lock()) {
            s = fresh.newRun();
        }
        fresh.leave();
        assertTrue(Files.isDirectory(demoBase), "a run is still there");
        s.cleanUp();
        fresh.leave();
        assertFalse(Files.exists(demoBase), "nothing left after the last run");
        try (DemoLock lock = fresh.lock()) {
            assertTrue(Files.exists(demoBase.resolve(DemoLock.FILE_NAME)));
        }
    }
}
