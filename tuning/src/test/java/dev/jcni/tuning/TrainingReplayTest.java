package dev.jcni.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.testing.TrainingRun;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up cache's training run (deploy/package-bin.sh runs {@code dev.jcni.core.skel.Trainer}) must walk the
 * success paths of real requests, not only their refusals: a cache trained on errors maps the
 * wrong classes at every start. Run without a namespace ("-"), as a build that is not root does.
 */
class TrainingReplayTest {
    @TempDir
    Path scratch;

    @Test
    void theRequestsWithADataDirectorySucceedInTheScratchDirectory() throws Exception {
        List<String> lines = TrainingRun.lines("tuning", TuningPlugin.class.getName(), "-", scratch.toString());
        // The DEL without a namespace, GC and STATUS name @DATADIR@: refused by the node's state
        // roots (code 4 "outside the node's state directories") unless the trainer makes the
        // scratch directory one.
        assertTrue(lines.contains("train tuning DEL: exit 0"), String.join("\n", lines));
        assertTrue(lines.contains("train tuning GC: exit 0"), String.join("\n", lines));
        assertTrue(lines.contains("train tuning STATUS: exit 0"), String.join("\n", lines));
        assertFalse(String.join("\n", lines).contains("outside the node's state directories"), String.join("\n", lines));
        // The deliberate refusal (an mtu of "bad") still fails.
        assertEquals(1, lines.stream().filter(l -> l.equals("train tuning ADD: exit 1")).count(), String.join("\n", lines));
    }
}
