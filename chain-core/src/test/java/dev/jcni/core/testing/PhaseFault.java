package dev.jcni.core.testing;

import dev.jcni.core.skel.Log;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request failed at one phase mark, as jcnid fails a request past its deadline: while this is
 * open, every {@link Log#timing} mark the calling thread reaches is recorded, and the one named
 * throws {@link Thrown} (unchecked, as jcnid's own is). With no phase named, nothing throws: the
 * marks of a whole verb are listed, so a test can check that its table of marks is complete. The
 * request's log lines are kept apart ({@link Log#capture}). Shared by the plugin modules' unit
 * tests (chain-core's test jar).
 */
public final class PhaseFault implements AutoCloseable {
    /** What the named mark throws. */
    public static final class Thrown extends RuntimeException {
        Thrown(String phase) {
            super("failed at \"" + phase + "\" (test)");
        }
    }

    private final List<String> reached = new ArrayList<>();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final Log.Capture capture;

    private PhaseFault(String phase) {
        capture = Log.capture(new PrintStream(log, true, StandardCharsets.UTF_8), reachedPhase -> {
            reached.add(reachedPhase);
            if (reachedPhase.equals(phase)) {
                throw new Thrown(reachedPhase);
            }
        });
    }

    /** Fails at {@code phase}. */
    public static PhaseFault at(String phase) {
        return new PhaseFault(phase);
    }

    /** Fails nowhere: only lists the marks. */
    public static PhaseFault none() {
        return new PhaseFault(null);
    }

    /** The marks reached so far, in order (the failing one last). */
    public List<String> reached() {
        return List.copyOf(reached);
    }

    /** What the request logged on its stderr (warnings and errors). */
    public String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        capture.close();
    }
}
