package dev.jcni.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The sweep against real leftovers: a dead run's recorded namespace (with a process still in it),
 * its scratch directory and lease go; a live run's namespace, and a namespace of the dead run's
 * token that its record no longer lists but that is still there, are told apart correctly.
 */
@RequiresRoot
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LeftoverSweepTest {
    private final List<Path> leases = new ArrayList<>();
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void tearDown() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        for (String ns : namespaces) {
            LeftoverSweep.deleteNetns(ns);
        }
        for (Path lease : leases) {
            LeftoverSweep.deleteTree(lease);
            LeftoverSweep.deleteTree(Path.of(System.getProperty("java.io.tmpdir"), TestNetns.PREFIX + lease.getFileName()));
        }
    }

    /**
     * A lease of a made-up run, claimed like a real one (never one a run holds), still without an
     * owner: a suite starting meanwhile in another clone takes it for one being made and leaves it.
     */
    private Path lease() throws Exception {
        TestRun.current(); // our own run first: the sweep at its start must not meet the fakes
        for (int i = 0; ; i++) {
            String token = TestRun.hex((int) (Math.random() * 0x10000), 4);
            Path dir = TestRun.LEASES.resolve(token);
            try {
                Files.createDirectory(dir);
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                continue;
            }
            leases.add(dir);
            return dir;
        }
    }

    private static Path own(Path lease, Owner owner) throws Exception {
        Files.writeString(lease.resolve("owner"), owner.format() + "\n");
        return lease;
    }

    private String netns(Path lease, String counter, boolean recorded) throws Exception {
        String name = TestNetns.PREFIX + lease.getFileName() + counter;
        if (recorded) {
            Files.writeString(lease.resolve("made"), "+ netns " + name + "\n", java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        }
        namespaces.add(name);
        Cmd.check("ip", "netns", "add", name);
        return name;
    }

    private static boolean exists(String netns) {
        return Files.exists(Path.of("/run/netns", netns));
    }

    @Test
    void deadRunsGoLiveRunsStay() throws Exception {
        Path dead = lease();
        String deadNs = netns(dead, "0000", true);
        String deadUnrecorded = netns(dead, "0001", false);
        Process inside = new ProcessBuilder("ip", "netns", "exec", deadNs, "sleep", "600").start();
        processes.add(inside);
        Path deadScratch = Files.createDirectories(
                Path.of(System.getProperty("java.io.tmpdir"), TestNetns.PREFIX + dead.getFileName(), "junit1"));

        Path live = lease();
        String liveNs = netns(live, "0000", true);
        Path liveScratch = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), TestNetns.PREFIX + live.getFileName()));
        own(live, Owner.current());
        // pid_max is at most 4194304: this owner never runs.
        own(dead, new Owner(9_999_999L, 1));

        LeftoverSweep.sweep(TestRun.current().token());

        assertFalse(exists(deadNs), "the dead run's recorded namespace");
        assertFalse(exists(deadUnrecorded), "a namespace carrying the dead run's token");
        assertTrue(inside.waitFor(10, TimeUnit.SECONDS), "the process in the dead run's namespace");
        assertEquals(137, inside.exitValue());
        assertFalse(Files.exists(deadScratch.getParent()), "the dead run's scratch directory");
        assertFalse(Files.exists(dead), "the dead run's lease");

        assertTrue(exists(liveNs), "a live run's namespace");
        assertTrue(Files.isDirectory(liveScratch), "a live run's scratch directory");
        assertTrue(Files.isDirectory(live), "a live run's lease");
    }

    @Test
    void aLeaseWhoseOwnerIsAnotherProcessNowIsDead() throws Exception {
        Owner me = Owner.current();
        assertTrue(me.isAlive());
        // The same pid with another start time: the pid was reused after the owner died.
        Path ownerless = lease();
        assertFalse(LeftoverSweep.isDead(ownerless), "a lease being made");
        Path reused = own(lease(), new Owner(me.pid(), me.startTicks() + 1));
        assertTrue(LeftoverSweep.isDead(reused));
        assertFalse(LeftoverSweep.isDead(own(lease(), me)));
    }
}
