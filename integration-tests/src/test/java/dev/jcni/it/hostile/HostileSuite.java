package dev.jcni.it.hostile;

import dev.jcni.it.support.LeftoverSweep;
import dev.jcni.it.support.PluginRunner;
import dev.jcni.it.support.TestNetns;
import dev.jcni.it.support.TestRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs every case of a target's input classes and collects the results.
 *
 * <p>Cases run on a small pool of workers ({@code -Djcni.hostile.workers}, default 4), each with a
 * sandbox of its own ({@link WorkerSandbox}), so a case that changes its sandbox cannot disturb
 * another's snapshot; processes start in parallel, which is where the time goes. The generators
 * draw from one {@link Random} seeded by {@code -Djcni.hostile.seed} (a fixed default, printed),
 * so a failing run is reproduced exactly.
 *
 * <p>Placeholders the suite fills in for every case (besides {@link Workspace}'s): {@code ${NETNS}}
 * the worker's sandbox, {@code ${BIN}} our launchers, {@code ${HOSTIF}} a veth end on the host
 * that belongs to the suite (host-namespace cases aim there, never at a real host link),
 * {@code ${HOSTPID}} this JVM's pid (its {@code /proc/PID/ns/net} is the host's namespace),
 * {@code ${TOKEN}} the run's id (names outside the workspace that must not appear), and the
 * target's own ({@link Target#prepare}).
 */
public final class HostileSuite {
    static final long DEFAULT_SEED = 0x6a636e69L;

    private final Target target;
    private final List<InputClass> classes;

    public HostileSuite(Target target, List<InputClass> classes) {
        this.target = target;
        this.classes = List.copyOf(classes);
    }

    public static long seed() {
        String s = System.getProperty("jcni.hostile.seed", "");
        return s.isBlank() ? DEFAULT_SEED : Long.decode(s.trim());
    }

    static int workers() {
        return Integer.getInteger("jcni.hostile.workers", 4);
    }

    /**
     * Every class's cases, in class order, each with its id. {@code -Djcni.hostile.filter=REGEX}
     * keeps only the cases whose "class: label" it finds (ids stay those of the whole corpus), for
     * working on one class; a filtered run says so in its summary.
     */
    public Map<String, HostileCase> generate(Random random) {
        Map<String, HostileCase> out = new LinkedHashMap<>();
        int n = 0;
        java.util.regex.Pattern filter = filter();
        for (InputClass ic : classes) {
            for (HostileCase c : ic.cases(random)) {
                String id = String.format("%s#%04d", target.name(), n++);
                if (filter == null || filter.matcher(c.inputClass() + ": " + c.label()).find()) {
                    out.put(id, c);
                }
            }
        }
        return out;
    }

    static java.util.regex.Pattern filter() {
        String f = System.getProperty("jcni.hostile.filter", "");
        return f.isBlank() ? null : java.util.regex.Pattern.compile(f);
    }

    /** Runs everything; the report lists every result in case order. */
    public HostileReport run() {
        long seed = seed();
        Map<String, HostileCase> cases = generate(new Random(seed));
        long start = System.nanoTime();
        Path dir = scratch();
        List<CaseResult> results = Collections.synchronizedList(new ArrayList<>());
        try (TestNetns hostSide = TestNetns.create()) {
            String hostIf = "jth" + hostSide.suffix();
            hostSide.addVeth(hostIf, "hpeer0");
            Map<String, String> values = new LinkedHashMap<>(target.prepare(dir));
            values.put("BIN", PluginRunner.OUR_BIN.toString());
            values.put("HOSTIF", hostIf);
            values.put("HOSTPID", String.valueOf(ProcessHandle.current().pid()));
            values.put("TOKEN", TestRun.current().nextId());
            runAll(cases, new CaseRunner(target, values, dir, ConcurrentHashMap.newKeySet()), results);
        } finally {
            LeftoverSweep.deleteTree(dir);
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        List<CaseResult> ordered = new ArrayList<>(results);
        ordered.sort((a, b) -> a.id().compareTo(b.id()));
        HostileReport report = new HostileReport(target.name(), seed, ordered, wall);
        System.err.println(report.summary());
        return report;
    }

    private static void runAll(Map<String, HostileCase> cases, CaseRunner runner, List<CaseResult> results) {
        ConcurrentLinkedQueue<Map.Entry<String, HostileCase>> queue = new ConcurrentLinkedQueue<>(cases.entrySet());
        int n = Math.max(1, workers());
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    try (WorkerSandbox sandbox = new WorkerSandbox()) {
                        Map.Entry<String, HostileCase> next;
                        while ((next = queue.poll()) != null) {
                            results.add(runner.run(next.getKey(), next.getValue(), sandbox));
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (Exception e) {
            throw new AssertionError("the hostile suite's workers failed: " + e, e);
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Path scratch() {
        try {
            return Files.createTempDirectory(TestRun.current().scratch(), "hostile");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
