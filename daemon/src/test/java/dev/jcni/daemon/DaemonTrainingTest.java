package dev.jcni.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.testing.TrainingRun;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jcnid's start-up cache is trained by replaying every plugin's training requests round after
 * round (META-INF/jcni/training/jcnid.json): a resident JVM's first requests run at the speed of
 * the method profiles its cache carries, and a profile needs repetition.
 */
class DaemonTrainingTest {
    @TempDir
    Path scratch;

    @Test
    void theTrainingNamesEveryPluginJcnidServes() throws Exception {
        Set<String> trained = new TreeSet<>();
        for (JsonNode type : training().path("plugins")) {
            trained.add(type.asText());
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PluginRegistry served = PluginRegistry.scan(System.getProperty("java.class.path"), getClass().getClassLoader(),
                new DaemonLog(new PrintStream(log, true, StandardCharsets.UTF_8)));
        assertEquals(new TreeSet<>(served.types()), trained);
    }

    @Test
    void everyPluginIsReplayedOncePerRound() throws Exception {
        int rounds = training().path("rounds").asInt();
        assertTrue(rounds >= 10, "a profile needs repetition: " + rounds + " rounds");
        List<String> lines = TrainingRun.lines("jcnid", Jcnid.class.getName(), "-", scratch.toString());
        for (JsonNode type : training().path("plugins")) {
            String versions = "train " + type.asText() + " VERSION: exit 0";
            assertEquals(rounds, lines.stream().filter(versions::equals).count(), versions);
        }
        // A request the node's state roots refused would say so: the scratch directory is one.
        assertTrue(lines.contains("train host-local DEL: exit 0"), String.join("\n", lines.subList(0, 60)));
        assertTrue(lines.contains("train tuning GC: exit 0"), String.join("\n", lines.subList(0, 60)));
    }

    private static JsonNode training() throws Exception {
        try (InputStream in = DaemonTrainingTest.class.getClassLoader().getResourceAsStream("META-INF/jcni/training/jcnid.json")) {
            return Json.parse(in.readAllBytes());
        }
    }
}
