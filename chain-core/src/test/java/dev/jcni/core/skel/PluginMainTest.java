package dev.jcni.core.skel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The process edge (issue 6, point 5): whatever stdin holds and whatever breaks, stdout is CNI error JSON. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PluginMainTest {
    private SkelTest.RecordingPlugin plugin;

    @BeforeEach
    void setUp() {
        plugin = new SkelTest.RecordingPlugin();
        Log.redirect(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void tearDown() {
        Log.redirect(System.err);
    }

    /** An endless stream of zero bytes, as {@code /dev/zero} on stdin. */
    private static InputStream zeros() {
        return new InputStream() {
            @Override
            public int read() {
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 0);
                return len;
            }
        };
    }

    @TempDir
    Path tmp;

    private Map<String, String> env(String command) {
        Map<String, String> env = new HashMap<>();
        env.put(AttachmentLock.DIR_ENV, tmp.resolve("locks").toString());
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", "ctr-1");
        env.put("CNI_NETNS", "/run/netns/x");
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", "/opt/cni/bin");
        return env;
    }

    @Test
    void endlessStdinIsCode6NotAnOutOfMemoryError() throws Exception {
        Skel.Outcome o = PluginMain.respond("fake", plugin, env("DEL"), zeros());
        assertEquals(1, o.exitCode());
        JsonNode e = Json.parse(o.stdout());
        assertEquals(6, e.get("code").intValue());
        assertTrue(e.get("msg").asText().contains("too large"), e.toString());
        assertEquals(null, plugin.last);
    }

    @Test
    void aRefusedStdinIsLoggedToo() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Log.redirect(new PrintStream(err, true, StandardCharsets.UTF_8));
        PluginMain.respond("fake", plugin, env("DEL"), zeros());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("network config on stdin is too large; more than "),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void versionAnswersWhateverStdinHolds() throws Exception {
        Skel.Outcome o = PluginMain.respond("fake", plugin, Map.of("CNI_COMMAND", "VERSION"), zeros());
        assertEquals(0, o.exitCode());
        assertEquals("1.1.0", Json.parse(o.stdout()).get("cniVersion").asText());
    }

    @Test
    void aStdinThatFailsIsCode5() throws Exception {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("Input/output error");
            }
        };
        JsonNode e = Json.parse(PluginMain.respond("fake", plugin, env("DEL"), broken).stdout());
        assertEquals(5, e.get("code").intValue());
        assertEquals("Input/output error", e.get("details").asText());
    }

    @Test
    void aRequestAtTheLimitIsStillRead() throws Exception {
        byte[] conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"n\"}".getBytes(StandardCharsets.UTF_8);
        byte[] padded = new byte[PluginMain.MAX_STDIN];
        java.util.Arrays.fill(padded, (byte) ' ');
        System.arraycopy(conf, 0, padded, 0, conf.length);
        Map<String, String> env = env("DEL");
        Skel.Outcome o = PluginMain.respond("fake", plugin, env, new ByteArrayInputStream(padded));
        assertEquals(0, o.exitCode(), new String(o.stdout(), StandardCharsets.UTF_8));
        assertEquals("n", plugin.last.networkName());
    }

    @Test
    void whenEvenTheErrorReportFailsAFixedErrorIsAnswered() throws Exception {
        // The skel reports the plugin's error through Log, which here runs out of memory.
        Log.redirect(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                throw new OutOfMemoryError("Java heap space");
            }
        }, true));
        plugin.failWith = new CniException(101, "drift");
        Skel.Outcome o = PluginMain.respond("fake", plugin, env("DEL"), new ByteArrayInputStream(
                "{\"cniVersion\":\"1.0.0\",\"name\":\"n\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, o.exitCode());
        JsonNode e = Json.parse(o.stdout());
        assertEquals(999, e.get("code").intValue());
        assertEquals("internal error", e.get("msg").asText());
    }

    @Test
    void theCallersLocaleIsRestoredForTheRequest() {
        Map<String, String> launched = new HashMap<>(Map.of("LC_ALL", "C.UTF-8", CallerEnvironment.SAVED_LC_ALL, "unset", "PATH", "/bin"));
        Map<String, String> caller = CallerEnvironment.of(launched);
        assertEquals(Map.of("PATH", "/bin"), caller);

        launched.put(CallerEnvironment.SAVED_LC_ALL, "set:de_DE.ISO-8859-1");
        assertEquals(Map.of("PATH", "/bin", "LC_ALL", "de_DE.ISO-8859-1"), CallerEnvironment.of(launched));

        launched.put(CallerEnvironment.SAVED_LC_ALL, "set:");
        assertEquals("", CallerEnvironment.of(launched).get("LC_ALL"), "an empty LC_ALL stays set and empty");

        Map<String, String> inProcess = Map.of("LC_ALL", "C.UTF-8");
        assertEquals(inProcess, CallerEnvironment.of(inProcess), "not started by the launcher: unchanged");
        assertFalse(CallerEnvironment.of(launched).containsKey(CallerEnvironment.SAVED_LC_ALL));
    }
}
