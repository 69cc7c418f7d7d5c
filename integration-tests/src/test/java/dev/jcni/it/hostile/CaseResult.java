package dev.jcni.it.hostile;

import java.time.Duration;
import java.util.List;

/**
 * What one case did, and everything wrong with it (empty: it passed).
 *
 * @param id         its place in the suite, e.g. "tuning#0042"
 * @param problems   each a sentence naming what broke the rules
 * @param concurrent the cases running at the same time (a host change may be theirs)
 * @param phases     where its time went (for the suite's summary)
 */
record CaseResult(String id, HostileCase hostileCase, List<String> problems, Duration elapsed, int exitCode, String stdout,
                  String stderr, List<String> concurrent, Phases phases) {

    boolean passed() {
        return problems.isEmpty();
    }

    /** A full account, for a failure message. */
    String report() {
        StringBuilder sb = new StringBuilder(id).append(" (").append(hostileCase.inputClass()).append("): ").append(hostileCase);
        for (String p : problems) {
            sb.append("\n  PROBLEM: ").append(p);
        }
        sb.append("\n  exit ").append(exitCode).append(" after ").append(elapsed.toMillis()).append(" ms");
        sb.append("\n  stdout: ").append(Shown.cut(stdout, 1000));
        sb.append("\n  stderr: ").append(Shown.cut(stderr, 1500));
        if (!concurrent.isEmpty()) {
            sb.append("\n  running at the same time: ").append(concurrent);
        }
        return sb.toString();
    }
}
