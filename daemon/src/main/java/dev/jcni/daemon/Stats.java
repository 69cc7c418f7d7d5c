package dev.jcni.daemon;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.daemon.Wire;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.skel.Command;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code cnictl daemon status} reports: requests served per plugin and verb, the latency of
 * the most recent {@value #WINDOW} (accept to reply written), and the errors: requests that
 * exited non-zero, requests that failed after ACCEPTED (no RESULT sent), requests given up at the
 * launcher's deadline (no RESULT sent), declines by reason.
 */
final class Stats {
    static final int WINDOW = 4096;

    private final Map<String, Map<String, Long>> served = new TreeMap<>();
    private final Map<String, Long> declined = new TreeMap<>();
    private final long[] latencyNanos = new long[WINDOW];
    private int next;
    private long total;
    private long nonZeroExit;
    private long failedAfterAccept;
    private long abandoned;

    /** What a request naming no CNI command ({@link Command}) is counted as. */
    static final String OTHER_VERB = "(other)";

    synchronized void served(String plugin, String verb, long nanos, int exitCode) {
        // CNI_COMMAND is the caller's text: keyed by it as it came, a stream of odd values would
        // grow this map (and the status answer) without bound.
        String counted = Command.of(verb) != null ? verb : OTHER_VERB;
        served.computeIfAbsent(plugin, k -> new TreeMap<>()).merge(counted, 1L, Long::sum);
        latencyNanos[next] = nanos;
        next = (next + 1) % WINDOW;
        total++;
        if (exitCode != 0) {
            nonZeroExit++;
        }
    }

    synchronized void declined(int reason) {
        declined.merge(Wire.reasonName(reason), 1L, Long::sum);
    }

    synchronized void failedAfterAccept() {
        failedAfterAccept++;
    }

    /** A request given up at the launcher's deadline ({@link RequestDeadline}): no RESULT sent. */
    synchronized void abandoned() {
        abandoned++;
    }

    synchronized long total() {
        return total;
    }

    /** The status object's request, latency and error parts, added to {@code o}. */
    synchronized void addTo(ObjectNode o) {
        ObjectNode requests = o.putObject("requests");
        requests.put("total", total);
        ObjectNode byPlugin = requests.putObject("byPlugin");
        for (Map.Entry<String, Map<String, Long>> p : served.entrySet()) {
            ObjectNode verbs = byPlugin.putObject(p.getKey());
            for (Map.Entry<String, Long> v : p.getValue().entrySet()) {
                verbs.put(v.getKey(), v.getValue());
            }
        }
        int samples = (int) Math.min(total, WINDOW);
        long[] sorted = Arrays.copyOf(latencyNanos, samples);
        Arrays.sort(sorted);
        ObjectNode latency = o.putObject("latencyMillis");
        latency.put("samples", samples);
        latency.put("p50", millis(percentile(sorted, 50)));
        latency.put("p90", millis(percentile(sorted, 90)));
        latency.put("p99", millis(percentile(sorted, 99)));
        ObjectNode errors = o.putObject("errors");
        errors.put("nonZeroExit", nonZeroExit);
        errors.put("failedAfterAccept", failedAfterAccept);
        errors.put("abandoned", abandoned);
        ObjectNode d = errors.putObject("declined");
        for (Map.Entry<String, Long> e : declined.entrySet()) {
            d.put(e.getKey(), e.getValue());
        }
    }

    /** The nearest-rank percentile of ascending {@code sorted}: the smallest value at least {@code p}% of samples do not exceed; 0 for none. */
    static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }

    /** A fresh object for the status answer. */
    static ObjectNode object() {
        return Json.NODES.objectNode();
    }
}
