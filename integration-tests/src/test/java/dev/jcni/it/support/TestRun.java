package dev.jcni.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * This test JVM as one run of the suite among others on the host (another clone's, a killed
 * one's): a token of four hex digits that no other live run holds, carried by every name the
 * suite makes, and a lease directory that says who owns the token and what the run made that is
 * still there. See the package documentation for the naming scheme.
 *
 * <p>The first use claims the token and then sweeps the leftovers of dead runs
 * ({@link LeftoverSweep}), so nothing a test makes can meet a leftover of its own name.
 */
public final class TestRun {
    /** The leases of all runs: {@code <token>/owner} and {@code <token>/made}. */
    public static final Path LEASES = leaseRoot();
    /** Kinds of record in {@code made}. */
    public static final String NETNS = "netns";
    public static final String LINK = "link";
    public static final String DIR = "dir";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String token;
    private final Path lease;
    private final Path scratch;
    private int counter;

    private TestRun(String token, Path lease) {
        this.token = token;
        this.lease = lease;
        this.scratch = Path.of(System.getProperty("java.io.tmpdir"), TestNetns.PREFIX + token);
    }

    private static final class Holder {
        static final TestRun CURRENT = start();
    }

    /** This JVM's run; claimed (and the dead runs swept) on first use. */
    public static TestRun current() {
        return Holder.CURRENT;
    }

    private static TestRun start() {
        TestRun run = claim();
        Runtime.getRuntime().addShutdownHook(new Thread(run::releaseIfClean, "jcni-it-lease"));
        if (RootCondition.missingPrerequisite() == null) {
            LeftoverSweep.sweep(run.token);
        }
        return run;
    }

    /** A token no live run holds: its lease directory is created exclusively, then the owner written into it. */
    private static TestRun claim() {
        try {
            Files.createDirectories(LEASES);
            for (int attempt = 0; attempt < 1000; attempt++) {
                String token = hex(RANDOM.nextInt(0x10000), 4);
                Path dir = LEASES.resolve(token);
                try {
                    Files.createDirectory(dir);
                } catch (FileAlreadyExistsException taken) {
                    continue; // a live run's, or a dead one's the sweep has not reached: never reused
                }
                // Written aside and renamed: a sweeper never reads half an owner.
                Path tmp = dir.resolve("owner.tmp");
                Files.writeString(tmp, Owner.current().format() + "\n", StandardCharsets.UTF_8);
                Files.move(tmp, dir.resolve("owner"), StandardCopyOption.ATOMIC_MOVE);
                return new TestRun(token, dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot claim a run token in " + LEASES, e);
        }
        throw new IllegalStateException("no free run token in " + LEASES);
    }

    /** Four hex digits, unique among the live runs on this host. */
    public String token() {
        return token;
    }

    /**
     * Eight hex digits unique on this host while this run lives: the token and a counter. Names
     * built from it ({@code jcni-t-<id>}, {@code jt<id>h}, {@code jtu<id>}) cannot meet another
     * run's, nor an earlier one of this run's.
     */
    public synchronized String nextId() {
        if (counter > 0xffff) {
            throw new IllegalStateException("run " + token + " has used all of its 65536 names");
        }
        return token + hex(counter++, 4);
    }

    /** The lease directory of this run: {@code owner}, {@code made}, and room for tools the tests run (the demo's runs). */
    public Path leaseDir() {
        return lease;
    }

    /** This run's directory for temporary files ({@code <tmpdir>/jcni-t-<token>}), created on first use. */
    public synchronized Path scratch() {
        if (!Files.isDirectory(scratch)) {
            record(DIR, scratch.toString(), true);
            try {
                Files.createDirectories(scratch);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return scratch;
    }

    /**
     * Notes that this run is about to make ({@code made} true) or has removed ({@code made} false)
     * a namespace, host link or directory. Written before the thing is made, so a run killed at
     * any point leaves a record of everything it may have left behind.
     */
    public synchronized void record(String kind, String name, boolean made) {
        String line = (made ? "+ " : "- ") + kind + " " + name + "\n";
        try {
            Files.writeString(lease.resolve("made"), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record " + kind + " " + name + " in " + lease, e);
        }
    }

    /** What a run's record says is still there, in the order it was made: {kind, name} pairs. */
    static List<String[]> stillThere(Path leaseDir) {
        Set<String> live = new LinkedHashSet<>();
        try {
            for (String l : Files.readAllLines(leaseDir.resolve("made"), StandardCharsets.UTF_8)) {
                if (l.startsWith("+ ")) {
                    live.add(l.substring(2));
                } else if (l.startsWith("- ")) {
                    live.remove(l.substring(2));
                }
            }
        } catch (IOException none) {
            // nothing recorded
        }
        List<String[]> out = new ArrayList<>();
        for (String entry : live) {
            int space = entry.indexOf(' ');
            if (space > 0) {
                out.add(new String[] {entry.substring(0, space), entry.substring(space + 1)});
            }
        }
        return out;
    }

    /** At a normal exit: drops the lease when the record says everything is gone; else the next sweep finds it. */
    private void releaseIfClean() {
        try {
            Files.deleteIfExists(scratch); // only if empty: JUnit removed the temporary directories
        } catch (IOException notEmpty) {
            return;
        }
        List<String[]> left = stillThere(lease);
        left.removeIf(e -> e[0].equals(DIR) && !Files.exists(Path.of(e[1])));
        if (left.isEmpty() && !Files.exists(lease.resolve("demo"))) {
            LeftoverSweep.deleteTree(lease);
        }
    }

    private static Path leaseRoot() {
        Path run = Path.of("/run/jcni-it/runs");
        if (Files.isWritable(Path.of("/run"))) {
            return run;
        }
        // Without root the kernel tests are skipped; what remains still wants unique names.
        return Path.of(System.getProperty("java.io.tmpdir"), "jcni-it-" + System.getProperty("user.name"), "runs");
    }

    static String hex(int value, int digits) {
        String s = Integer.toHexString(value);
        return "0".repeat(Math.max(0, digits - s.length())) + s;
    }
}
