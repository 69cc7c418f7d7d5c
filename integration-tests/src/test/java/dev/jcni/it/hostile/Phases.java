package dev.jcni.it.hostile;

import java.util.LinkedHashMap;
import java.util.Map;

/** Where a case's time went, by phase (workspace set-up, snapshots, the process, sandbox resets), for the summary. */
final class Phases {
    private final Map<String, Long> nanos = new LinkedHashMap<>();
    private long last = System.nanoTime();

    /** Adds the time since the previous mark to {@code phase}. */
    void mark(String phase) {
        long now = System.nanoTime();
        nanos.merge(phase, now - last, Long::sum);
        last = now;
    }

    Map<String, Long> nanos() {
        return nanos;
    }
}
