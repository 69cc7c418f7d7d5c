package dev.jcni.it.hostile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

/**
 * The results of one suite run: a summary (inputs per class, failures, wall time, seed) and one
 * JUnit dynamic test per case, grouped by class, so a report names every input that broke a rule.
 */
public final class HostileReport {
    private final String target;
    private final long seed;
    private final List<CaseResult> results;
    private final Duration wall;

    HostileReport(String target, long seed, List<CaseResult> results, Duration wall) {
        this.target = target;
        this.seed = seed;
        this.results = List.copyOf(results);
        this.wall = wall;
    }

    public int size() {
        return results.size();
    }

    public Duration wallTime() {
        return wall;
    }

    /** Case count per input class, in the order the classes came. */
    public Map<String, Integer> countsByClass() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (CaseResult r : results) {
            m.merge(r.hostileCase().inputClass(), 1, Integer::sum);
        }
        return m;
    }

    public String summary() {
        StringBuilder sb = new StringBuilder("[hostile] ").append(target).append(": ").append(results.size())
                .append(" inputs in ").append(wall.toMillis()).append(" ms (seed ").append(seed)
                .append(", ").append(HostileSuite.workers()).append(" workers")
                .append(HostileSuite.filter() == null ? "" : ", FILTERED by " + HostileSuite.filter()).append(')');
        Map<String, int[]> byClass = new LinkedHashMap<>();
        for (CaseResult r : results) {
            int[] c = byClass.computeIfAbsent(r.hostileCase().inputClass(), k -> new int[3]);
            c[0]++;
            if (!r.passed()) {
                c[r.hostileCase().expect().knownHole() != null ? 2 : 1]++;
            }
        }
        for (Map.Entry<String, int[]> e : byClass.entrySet()) {
            sb.append("\n[hostile]   ").append(e.getKey()).append(": ").append(e.getValue()[0]).append(" inputs");
            if (e.getValue()[1] > 0) {
                sb.append(", ").append(e.getValue()[1]).append(" FAILED");
            }
            if (e.getValue()[2] > 0) {
                sb.append(", ").append(e.getValue()[2]).append(" known holes");
            }
        }
        long slowest = 0;
        Map<String, Long> phases = new LinkedHashMap<>();
        for (CaseResult r : results) {
            slowest = Math.max(slowest, r.elapsed().toMillis());
            for (Map.Entry<String, Long> e : r.phases().nanos().entrySet()) {
                phases.merge(e.getKey(), e.getValue(), Long::sum);
            }
        }
        sb.append("\n[hostile]   slowest answer ").append(slowest).append(" ms; time summed over workers:");
        for (Map.Entry<String, Long> e : phases.entrySet()) {
            sb.append(' ').append(e.getKey()).append(' ').append(e.getValue() / 1_000_000).append(" ms,");
        }
        // Inputs a plugin may accept or refuse: which way each went (-Djcni.hostile.verbose lists every case).
        boolean verbose = Boolean.getBoolean("jcni.hostile.verbose");
        for (CaseResult r : results) {
            if (verbose || r.hostileCase().expect().outcome() == Expect.Outcome.SUCCESS_OR_ERROR) {
                sb.append("\n[hostile]   ").append(r.id()).append(' ').append(r.hostileCase().label()).append(": exit ")
                        .append(r.exitCode()).append(r.exitCode() == 1 ? " " + Shown.cut(r.stdout().replaceAll("\\s+", " "), 120) : "");
            }
        }
        return sb.toString();
    }

    /** One container per class, one test per case; a failing case's test fails with its full account. */
    public Stream<DynamicNode> tests() {
        Map<String, List<DynamicNode>> byClass = new LinkedHashMap<>();
        for (CaseResult r : results) {
            byClass.computeIfAbsent(r.hostileCase().inputClass(), k -> new ArrayList<>())
                    .add(DynamicTest.dynamicTest(r.id() + " " + r.hostileCase().label(), () -> verify(r)));
        }
        List<DynamicNode> out = new ArrayList<>();
        for (Map.Entry<String, List<DynamicNode>> e : byClass.entrySet()) {
            out.add(DynamicContainer.dynamicContainer(e.getKey() + " (" + e.getValue().size() + ")", e.getValue()));
        }
        return out.stream();
    }

    private static void verify(CaseResult r) {
        String hole = r.hostileCase().expect().knownHole();
        if (hole != null) {
            Assertions.assertFalse(r.passed(), r.id() + " is marked as a known hole (" + hole
                    + ") but now passes: remove the mark");
            Assumptions.abort("known hole, awaiting a decision: " + hole + "\n" + r.report());
        }
        if (!r.passed()) {
            Assertions.fail(r.report());
        }
    }
}
