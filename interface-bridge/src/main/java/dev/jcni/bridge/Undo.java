package dev.jcni.bridge;

import dev.jcni.core.skel.Log;
import java.util.ArrayList;
import java.util.List;

/**
 * What a failed ADD takes back: each change registers how to revert it as it is made, and
 * {@link #run} (once, for the failed ADD) reverts them newest first. Each step is best effort: a step that fails is
 * logged and the rest still run, and the ADD's own error is what the caller reports.
 */
final class Undo {
    /** One revert, named for the log. */
    interface Step {
        void run() throws Exception;
    }

    private final List<String> names = new ArrayList<>();
    private final List<Step> steps = new ArrayList<>();

    void add(String what, Step step) {
        names.add(what);
        steps.add(step);
    }

    void run() {
        for (int i = steps.size() - 1; i >= 0; i--) {
            try {
                steps.get(i).run();
                Log.debug("undo: " + names.get(i));
            } catch (Exception e) {
                Log.warn("undo: cannot " + names.get(i) + ": " + e.getMessage());
            }
        }
    }
}
