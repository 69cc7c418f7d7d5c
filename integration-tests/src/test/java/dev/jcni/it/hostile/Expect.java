package dev.jcni.it.hostile;

import java.util.Arrays;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a case must end in, and what it may change.
 *
 * <ul>
 *   <li>{@link #error}: the protocol's error with exactly this code (exit 1);</li>
 *   <li>{@link #success}: exit 0 with a valid answer;</li>
 *   <li>{@link #successOr}: an input a plugin may legitimately accept: success, or an error with
 *       one of these codes;</li>
 *   <li>{@link #usage}: a command-line tool's usage error (exit 2).</li>
 * </ul>
 *
 * Whatever the outcome, the host never changes. A failed request changes nothing in the sandbox
 * and nothing in the plugin's state (its data directory, a runtime's cache); a successful one may
 * change both, unless {@link #sandboxUnchanged} says its input must have had no effect there.
 * {@link #knownHole} marks a case that reproduces a hole waiting for a decision: it is run and
 * reported as skipped with the reason while it fails, and fails once it passes (drop the mark).
 */
public final class Expect {
    enum Outcome { ERROR, SUCCESS, SUCCESS_OR_ERROR, USAGE }

    private final Outcome outcome;
    private final Set<Integer> codes;
    private final boolean sandboxUnchanged;
    private final boolean stateMayChange;
    private final boolean sandboxMayChangeOnError;
    private final String knownHole;

    private Expect(Outcome outcome, Set<Integer> codes, boolean sandboxUnchanged, boolean stateMayChange, boolean sandboxMayChangeOnError,
                   String knownHole) {
        this.outcome = outcome;
        this.codes = codes;
        this.sandboxUnchanged = sandboxUnchanged;
        this.stateMayChange = stateMayChange;
        this.sandboxMayChangeOnError = sandboxMayChangeOnError;
        this.knownHole = knownHole;
    }

    public static Expect error(int code) {
        return new Expect(Outcome.ERROR, Set.of(code), true, false, false, null);
    }

    public static Expect success() {
        return new Expect(Outcome.SUCCESS, Set.of(), false, true, false, null);
    }

    public static Expect successOr(int... codes) {
        Set<Integer> s = new TreeSet<>();
        for (int c : codes) {
            s.add(c);
        }
        return new Expect(Outcome.SUCCESS_OR_ERROR, Collections.unmodifiableSet(s), false, true, false, null);
    }

    public static Expect usage() {
        return new Expect(Outcome.USAGE, Set.of(), true, false, false, null);
    }

    /** Even a success must leave the sandbox as it was: the input's only effect would be a hostile one. */
    public Expect sandboxUnchanged() {
        return new Expect(outcome, codes, true, stateMayChange, sandboxMayChangeOnError, knownHole);
    }

    /** Even a failure may change the plugin's own state (a runtime drops an unusable cache entry, then fails). */
    public Expect stateMayChange() {
        return new Expect(outcome, codes, sandboxUnchanged, true, sandboxMayChangeOnError, knownHole);
    }

    /**
     * Even a failure may leave the sandbox changed: a runtime whose chain succeeded and whose
     * bookkeeping then failed reports the error and leaves undoing to the caller's DEL, as libcni.
     */
    public Expect sandboxMayChangeOnError() {
        return new Expect(outcome, codes, sandboxUnchanged, true, true, knownHole);
    }

    /** A hole the suite found that waits for a decision (see the class comment). */
    public Expect knownHole(String why) {
        return new Expect(outcome, codes, sandboxUnchanged, stateMayChange, sandboxMayChangeOnError, why);
    }

    Outcome outcome() {
        return outcome;
    }

    Set<Integer> codes() {
        return codes;
    }

    boolean allowsSuccess() {
        return outcome == Outcome.SUCCESS || outcome == Outcome.SUCCESS_OR_ERROR;
    }

    boolean allowsError(int code) {
        return (outcome == Outcome.ERROR || outcome == Outcome.SUCCESS_OR_ERROR) && codes.contains(code);
    }

    /** Whether the sandbox may differ afterwards, given whether the process succeeded. */
    boolean sandboxMayChange(boolean succeeded) {
        return succeeded ? !sandboxUnchanged : sandboxMayChangeOnError;
    }

    /** Whether the plugin's state (data directory, cache) may differ afterwards. */
    boolean stateMayChange(boolean succeeded) {
        return succeeded || stateMayChange;
    }

    String knownHole() {
        return knownHole;
    }

    @Override
    public String toString() {
        String s = switch (outcome) {
            case ERROR -> "error " + codes.iterator().next();
            case SUCCESS -> "success";
            case SUCCESS_OR_ERROR -> "success or error " + Arrays.toString(codes.toArray());
            case USAGE -> "usage error";
        };
        return s + (sandboxUnchanged && allowsSuccess() ? ", sandbox unchanged" : "") + (knownHole != null ? " [known hole]" : "");
    }
}
