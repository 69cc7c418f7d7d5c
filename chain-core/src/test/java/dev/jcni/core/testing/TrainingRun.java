package dev.jcni.core.testing;

import dev.jcni.core.skel.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs the start-up cache's {@link Trainer} in this JVM and returns its "train ..." lines (one per replayed request, with its exit code). */
public final class TrainingRun {
    private TrainingRun() {}

    /** {@code Trainer.main(name, mainClass, netns, scratch)}; stderr is captured while it runs. */
    public static List<String> lines(String name, String mainClass, String netns, String scratch) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            Trainer.main(new String[] {name, mainClass, netns, scratch});
        } finally {
            System.setErr(saved);
        }
        return err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("train ")).toList();
    }
}
