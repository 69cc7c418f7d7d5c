package dev.jcni.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Removes what killed runs of the suite left on the host, and nothing of a run that still lives
 * (another clone's suite, at the same time): namespaces, host links and directories named in a
 * dead run's record, the namespaces of demo runs it started, namespaces and scratch directories
 * carrying a dead run's token, and then the lease itself. Run once per JVM by {@link TestRun},
 * after it has claimed its own token. Best effort: it reports what it removed on stderr and never
 * fails a test.
 */
public final class LeftoverSweep {
    /**
     * How old a suite-named thing with no lease at all must be before it counts as abandoned:
     * longer than any run lasts (surefire ends a run at 30 minutes). Such things come from an
     * older version of the suite, or from a run whose lease was lost.
     */
    static final Duration ABANDONED = Duration.ofHours(2);
    /** A lease directory still without an owner this long after it was made: its creator died. */
    static final Duration OWNERLESS = Duration.ofMinutes(10);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private LeftoverSweep() {}

    /** Sweeps every dead run but {@code ownToken}'s. */
    static void sweep(String ownToken) {
        Set<String> dead = new HashSet<>();
        try (Stream<Path> leases = Files.list(TestRun.LEASES)) {
            for (Path lease : (Iterable<Path>) leases::iterator) {
                String token = lease.getFileName().toString();
                if (!token.equals(ownToken) && isDead(lease)) {
                    dead.add(token);
                    sweepRun(lease);
                }
            }
        } catch (IOException e) {
            report("cannot list " + TestRun.LEASES + ": " + e);
        }
        sweepByName(ownToken, dead);
    }

    /** True when the lease's owner is gone, or the lease never got an owner and is old. */
    static boolean isDead(Path lease) {
        Owner owner = Owner.parse(readQuietly(lease.resolve("owner")));
        if (owner != null) {
            return !owner.isAlive();
        }
        return olderThan(lease, OWNERLESS);
    }

    /** Everything a dead run's record still lists, the namespaces of the demo runs it started, then its lease. */
    static void sweepRun(Path lease) {
        String token = lease.getFileName().toString();
        List<String[]> made = TestRun.stillThere(lease);
        // Namespaces first: deleting one also destroys the veth ends inside it, and so their host peers.
        for (String[] m : made) {
            if (m[0].equals(TestRun.NETNS)) {
                deleteNetns(m[1]);
            }
        }
        for (String[] m : made) {
            if (m[0].equals(TestRun.LINK)) {
                run("ip", "link", "del", m[1]);
            } else if (m[0].equals(TestRun.DIR)) {
                deleteTree(Path.of(m[1]));
            }
        }
        removeDemoRuns(lease.resolve("demo"));
        deleteTree(lease);
        StringBuilder what = new StringBuilder();
        for (String[] m : made) {
            what.append(what.length() == 0 ? ": " : ", ").append(m[0]).append(' ').append(m[1]);
        }
        report("removed the leftovers of dead run " + token + what);
    }

    /**
     * The namespaces of {@code cnictl demo} runs whose directory base was {@code demoBase}
     * ({@code JCNI_DEMO_DIR}), with whatever still runs in them; then the base itself. Their
     * bridges and firewall rules lived in the test's private host namespace, which goes with it.
     */
    public static void removeDemoRuns(Path demoBase) {
        if (!Files.isDirectory(demoBase)) {
            return;
        }
        try (Stream<Path> runs = Files.list(demoBase)) {
            for (Path run : (Iterable<Path>) runs::iterator) {
                String dir = run.getFileName().toString();
                if (dir.startsWith("run-")) {
                    deleteNetns("jcni-demo-" + dir.substring(4));
                }
            }
        } catch (IOException e) {
            report("cannot list " + demoBase + ": " + e);
        }
        deleteTree(demoBase);
    }

    /**
     * Suite-named namespaces and scratch directories that no record covers: of a run whose lease
     * is gone or dead, or without any lease and older than {@link #ABANDONED}.
     */
    private static void sweepByName(String ownToken, Set<String> dead) {
        for (String line : run("ip", "netns", "list").split("\n")) {
            String name = line.trim().split("\\s+")[0];
            if (name.startsWith(TestNetns.PREFIX) && abandoned(name.substring(TestNetns.PREFIX.length()), ownToken, dead,
                    Path.of("/run/netns", name))) {
                deleteNetns(name);
                report("removed abandoned namespace " + name);
            }
        }
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> entries = Files.list(tmp)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith(TestNetns.PREFIX) && Files.isDirectory(p)
                        && abandoned(name.substring(TestNetns.PREFIX.length()), ownToken, dead, p)) {
                    deleteTree(p);
                    report("removed abandoned directory " + p);
                }
            }
        } catch (IOException e) {
            report("cannot list " + tmp + ": " + e);
        }
    }

    /** Whether a name whose suffix starts with a run token belongs to nobody alive. */
    private static boolean abandoned(String suffix, String ownToken, Set<String> dead, Path thing) {
        if (suffix.length() < 4) {
            return olderThan(thing, ABANDONED);
        }
        String token = suffix.substring(0, 4);
        if (token.equals(ownToken)) {
            return false;
        }
        if (dead.contains(token)) {
            return true; // its lease was just swept
        }
        Path lease = TestRun.LEASES.resolve(token);
        if (Files.isDirectory(lease)) {
            return isDead(lease);
        }
        return olderThan(thing, ABANDONED);
    }

    /** Kills what still runs in the namespace (a server left by a killed test keeps it alive), then deletes it. */
    static void deleteNetns(String name) {
        if (!Files.exists(Path.of("/run/netns", name))) {
            return;
        }
        killProcessesIn(name);
        run("ip", "netns", "del", name);
    }

    /** SIGKILL to every process in the named namespace ({@code ip netns pids}). */
    static void killProcessesIn(String name) {
        for (String pid : run("ip", "netns", "pids", name).split("\\s+")) {
            if (!pid.isBlank()) {
                try {
                    ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
                } catch (NumberFormatException ignored) {
                    // not a pid
                }
            }
        }
    }

    /** Deletes a directory tree, best effort. */
    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> all = new ArrayList<>();
            walk.forEach(all::add);
            all.sort(Comparator.reverseOrder());
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // another run sweeping the same dead run at the same moment: what it removed is gone either way
            report("cannot delete " + root + ": " + e);
        }
    }

    private static boolean olderThan(Path p, Duration age) {
        try {
            FileTime t = Files.getLastModifiedTime(p);
            return t.toInstant().isBefore(Instant.now().minus(age));
        } catch (IOException gone) {
            return false;
        }
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** stdout of a command, "" when it fails: a sweep never stops halfway. */
    private static String run(String... argv) {
        try {
            Cmd.Result r = Cmd.run(TIMEOUT, argv);
            return r.ok() ? r.stdout() : "";
        } catch (AssertionError e) {
            report(e.getMessage());
            return "";
        }
    }

    private static void report(String what) {
        System.err.println("[jcni-it sweep] " + what);
    }
}
