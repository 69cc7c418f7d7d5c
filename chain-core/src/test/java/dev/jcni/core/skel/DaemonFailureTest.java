package dev.jcni.core.skel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JCNI_DAEMON_FAILURE (docs/daemon-protocol.md): the launcher's answer when the daemon failed
 * after accepting an ADD or CHECK. Nothing runs; code 11 is answered as every error of that
 * request is formatted.
 */
class DaemonFailureTest {
    private static final String WHY = "connection closed after ACCEPTED";

    @TempDir
    Path tmp;
    private SkelTest.RecordingPlugin plugin;
    private ByteArrayOutputStream stderr;

    @BeforeEach
    void setUp() {
        plugin = new SkelTest.RecordingPlugin();
        stderr = new ByteArrayOutputStream();
        Log.redirect(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void tearDown() {
        Log.configure("fake", null, false);
        Log.setContext("");
        Log.redirect(System.err);
    }

    private Map<String, String> env(String command) {
        Map<String, String> env = new HashMap<>();
        env.put(AttachmentLock.DIR_ENV, tmp.resolve("locks").toString());
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", "ctr-1");
        env.put("CNI_NETNS", tmp.toString());
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", "/opt/cni/bin");
        env.put(PluginMain.DAEMON_FAILURE, WHY);
        return env;
    }

    private static ByteArrayInputStream stdin(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anAddAnswersCode11WithTheConfigsVersionAndRunsNothing() {
        Skel.Outcome o = PluginMain.handle("fake", plugin, env("ADD"), stdin("{\"cniVersion\":\"0.4.0\",\"name\":\"n\"}"));
        assertEquals(1, o.exitCode());
        assertEquals("{\n"
                + "  \"cniVersion\" : \"0.4.0\",\n"
                + "  \"code\" : 11,\n"
                + "  \"msg\" : \"the jcni daemon failed during the request; try again\",\n"
                + "  \"details\" : \"" + WHY + "\"\n"
                + "}\n", new String(o.stdout(), StandardCharsets.UTF_8));
        assertNull(plugin.last, "the verb must not run");
        assertEquals("fake: ERROR ADD failed: the jcni daemon failed during the request; try again; " + WHY + "\n",
                stderr.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theErrorIsFormattedExactlyAsTheSkelFormatsThatRequestsOtherErrors() {
        // The same request without the variable, failing in the plugin: only code, msg and details differ.
        Map<String, String> plain = env("CHECK");
        plain.remove(PluginMain.DAEMON_FAILURE);
        plugin.failWith = new dev.jcni.core.protocol.CniException(11, "the jcni daemon failed during the request; try again", WHY);
        String config = "{\"cniVersion\":\"1.1.0\",\"name\":\"n\"}";
        Skel.Outcome reference = PluginMain.handle("fake", plugin, plain, stdin(config));
        plugin.failWith = null;
        plugin.last = null;
        Skel.Outcome o = PluginMain.handle("fake", plugin, env("CHECK"), stdin(config));
        assertEquals(new String(reference.stdout(), StandardCharsets.UTF_8), new String(o.stdout(), StandardCharsets.UTF_8));
        assertEquals(reference.exitCode(), o.exitCode());
        assertNull(plugin.last);
    }

    @Test
    void aConfigWithoutVersionIsTheDefaultVersionAndGarbageHasNone() {
        String noVersion = new String(PluginMain.handle("fake", plugin, env("ADD"), stdin("{\"name\":\"n\"}")).stdout(),
                StandardCharsets.UTF_8);
        assertTrue(noVersion.contains("\"cniVersion\" : \"0.1.0\""), noVersion);
        String garbage = new String(PluginMain.handle("fake", plugin, env("ADD"), stdin("\u0000not json")).stdout(),
                StandardCharsets.UTF_8);
        assertTrue(garbage.startsWith("{\n  \"code\" : 11,"), garbage);
        assertNull(plugin.last);
    }

    @Test
    void anyVerbWithTheVariableIsRefusedAndTheLaunchersLocaleRecordIsUndone() {
        Map<String, String> env = env("GC");
        env.put(CallerEnvironment.SAVED_LC_ALL, "unset");
        env.put("LC_ALL", "C.UTF-8");
        Skel.Outcome o = PluginMain.handle("fake", plugin, env, stdin("{\"cniVersion\":\"1.1.0\",\"name\":\"n\"}"));
        assertEquals(1, o.exitCode());
        assertTrue(new String(o.stdout(), StandardCharsets.UTF_8).contains("\"code\" : 11"));
        assertNull(plugin.last);
    }

    @Test
    void withoutTheVariableTheRequestRuns() {
        Map<String, String> env = env("DEL");
        env.remove(PluginMain.DAEMON_FAILURE);
        Skel.Outcome o = PluginMain.handle("fake", plugin, env, stdin("{\"cniVersion\":\"1.1.0\",\"name\":\"n\"}"));
        assertEquals(0, o.exitCode());
        assertEquals("n", plugin.last.networkName());
    }
}
