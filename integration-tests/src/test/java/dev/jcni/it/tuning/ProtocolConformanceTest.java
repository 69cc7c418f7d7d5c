package dev.jcni.it.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.it.support.PluginRunner;
import dev.jcni.it.support.PluginRunner.Run;
import dev.jcni.it.support.TestRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The generic protocol cases of cni-protocol.md §5.1 against the real launcher (so through the
 * JVM, its flags and its start-up cache): exit codes, and stdout holding protocol JSON or
 * nothing. None of them touches the kernel, so they need no root.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProtocolConformanceTest {
    private static final Path TUNING = PluginRunner.ours("tuning");
    private static final String CONF = "{\"cniVersion\":\"1.0.0\",\"name\":\"conf\",\"type\":\"tuning\",\"mtu\":1400}";

    private static Run exec(Map<String, String> env, String stdin) throws Exception {
        return PluginRunner.exec(TUNING, env, stdin);
    }

    private static JsonNode error(Run r) {
        assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
        JsonNode e = r.json();
        assertTrue(e.path("code").isInt() && !e.path("msg").asText().isEmpty(), r.stdout());
        return e;
    }

    @Test
    void withoutCniCommandTheAboutTextGoesToStderr() throws Exception {
        Run r = exec(Map.of(), "");
        assertEquals(0, r.exitCode());
        assertEquals("", r.stdout());
        assertTrue(r.stderr().contains("CNI protocol versions supported: 0.1.0, 0.2.0, 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0"), r.stderr());
    }

    @Test
    void versionAnswersWhateverStdinHolds() throws Exception {
        for (String stdin : new String[] {"", "garbage{", "{\"cniVersion\":\"0.4.0\"}"}) {
            Run r = exec(Map.of("CNI_COMMAND", "VERSION"), stdin);
            assertEquals(0, r.exitCode(), r.stderr());
            assertTrue(r.json().path("supportedVersions").size() == 7, r.stdout());
            assertEquals(stdin.contains("0.4.0") ? "0.4.0" : "1.1.0", r.json().path("cniVersion").asText());
        }
    }

    @Test
    void environmentAndInputErrorsHaveTheSpecsCodes() throws Exception {
        Map<String, String> env = PluginRunner.env("ADD", "c1", "/run/netns/none", "eth0");
        env.remove("CNI_PATH");
        assertEquals(4, error(exec(env, CONF)).path("code").asInt());

        Map<String, String> bad = PluginRunner.env("FOO", "c1", "/run/netns/none", "eth0");
        JsonNode unknown = error(exec(bad, CONF));
        assertEquals("unknown CNI_COMMAND: FOO", unknown.path("msg").asText());

        Map<String, String> del = PluginRunner.env("DEL", "c1", "", "eth0");
        assertEquals(6, error(exec(del, "{")).path("code").asInt());
        assertEquals(7, error(exec(del, "{\"cniVersion\":\"1.0.0\"}")).path("code").asInt());
        assertEquals(1, error(exec(del, "{\"cniVersion\":\"9.9.9\",\"name\":\"conf\"}")).path("code").asInt());

        Map<String, String> check = new HashMap<>(PluginRunner.env("CHECK", "c1", "/run/netns/none", "eth0"));
        assertEquals(1, error(exec(check, "{\"cniVersion\":\"0.3.1\",\"name\":\"conf\"}")).path("code").asInt());
    }

    @Test
    void delWithoutANamespaceOrBackupSucceedsTwiceWithEmptyStdout() throws Exception {
        Map<String, String> del = PluginRunner.env("DEL", "never-added", "", "eth0");
        for (int i = 0; i < 2; i++) {
            Run r = exec(del, CONF);
            assertEquals(0, r.exitCode(), r.stderr());
            assertEquals("", r.stdout());
        }
    }

    @Test
    void gcAndStatusNeedOnlyCommandAndPath() throws Exception {
        // A data directory of this run's that does not exist: GC and STATUS must not need one.
        Path none = TestRun.current().scratch().resolve("conformance-" + TestRun.current().nextId());
        String conf = "{\"cniVersion\":\"1.1.0\",\"name\":\"conf\",\"type\":\"tuning\",\"dataDir\":\"" + none + "\"}";
        for (String verb : new String[] {"GC", "STATUS"}) {
            Run r = exec(Map.of("CNI_COMMAND", verb, "CNI_PATH", "/usr/lib/cni", "JCNI_STATE_ROOTS", PluginRunner.TEST_STATE_ROOTS), conf);
            assertEquals(0, r.exitCode(), verb + ": " + r.stdout() + r.stderr());
            assertEquals("", r.stdout());
        }
        assertFalse(Files.exists(none), "GC or STATUS made the data directory");
        JsonNode old = error(exec(Map.of("CNI_COMMAND", "GC", "CNI_PATH", "/usr/lib/cni"), CONF));
        assertEquals(1, old.path("code").asInt());
    }
}
