package dev.jcni.it.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.os.process.ProcessRunner;
import dev.jcni.it.support.PluginRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build's bin/: every plugin is the native launcher with the JVM script behind it at
 * lib/jvm/<plugin>, and with no daemon a plugin answers exactly as that script does (the
 * in-process mode, which every other integration test runs through).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LauncherInProcessTest {
    static final List<String> PLUGINS = List.of("bridge", "host-local", "portmap", "bandwidth", "tuning");
    private static final ProcessRunner RUNNER = new ProcessRunner();

    @TempDir
    Path dir;

    @Test
    void everyPluginIsACopyOfTheNativeLauncherBeforeItsScript() throws Exception {
        String build = LauncherRequestTest.buildIdentity();
        Object inode = null;
        for (String p : PLUGINS) {
            Path exe = PluginRunner.ours(p);
            assertTrue(Files.isRegularFile(exe, LinkOption.NOFOLLOW_LINKS), p + " is a file of its own, not a link");
            byte[] head = Arrays.copyOf(Files.readAllBytes(exe), 4096);
            assertArrayEquals(new byte[] {0x7f, 'E', 'L', 'F'}, Arrays.copyOf(head, 4), p + " is ELF");
            String text = new String(head, StandardCharsets.ISO_8859_1);
            assertTrue(text.contains("JCNI-NATIVE-LAUNCHER-1 build=" + build), p + ": the marker and this build's identity in the first 4 KiB");
            Object ino = Files.getAttribute(exe, "unix:ino");
            assertNotEquals(inode, ino, "each plugin its own copy");
            inode = ino;
            String script = Files.readString(PluginRunner.OUR_BIN.resolve("lib/jvm/" + p));
            assertTrue(script.startsWith("#!/bin/sh\n# jcni " + p + ": launcher written by deploy/package-bin.sh"), p);
        }
        String cnictl = Files.readString(PluginRunner.ours("cnictl"));
        assertTrue(cnictl.startsWith("#!/bin/sh\n# jcni cnictl: launcher written by deploy/package-bin.sh"), "the tool stays a script");
        assertFalse(Files.exists(PluginRunner.OUR_BIN.resolve("lib/jvm/cnictl")));
    }

    private ProcessRunner.Outcome run(Path exe, Map<String, String> env, byte[] stdin) throws Exception {
        ProcessRunner.Outcome o = RUNNER.run(List.of(exe.toString()), env, stdin, Duration.ofSeconds(60));
        assertFalse(o.timedOut(), exe + " timed out");
        return o;
    }

    /** The same request through bin/tuning (no daemon at its socket) and through the script: the same bytes. */
    private void assertSameAsTheScript(Map<String, String> env, byte[] stdin, int exit, String stdoutPart, String what) throws Exception {
        ProcessRunner.Outcome viaLauncher = run(PluginRunner.ours("tuning"), env, stdin);
        ProcessRunner.Outcome script = run(PluginRunner.OUR_BIN.resolve("lib/jvm/tuning"), env, stdin);
        String stdout = new String(viaLauncher.stdout(), StandardCharsets.UTF_8);
        assertEquals(exit, viaLauncher.exitCode(), what + ": " + stdout + new String(viaLauncher.stderr(), StandardCharsets.UTF_8));
        assertTrue(stdout.contains(stdoutPart), what + ": " + stdout);
        assertEquals(script.exitCode(), viaLauncher.exitCode(), what);
        assertEquals(new String(script.stdout(), StandardCharsets.UTF_8), stdout, what);
        assertArrayEquals(script.stdout(), viaLauncher.stdout(), what);
    }

    private Map<String, String> env(String command, Path socket) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", "inproc-1");
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_NETNS", "");
        env.put("CNI_PATH", PluginRunner.OUR_BIN.toString());
        env.put("JCNI_STATE_ROOTS", PluginRunner.TEST_STATE_ROOTS);
        env.put("JCNI_SOCKET", socket.toString());
        return env;
    }

    @Test
    void withoutADaemonAPluginAnswersAsItsScript() throws Exception {
        byte[] conf = ("{\"cniVersion\":\"1.0.0\",\"name\":\"inproc\",\"type\":\"tuning\",\"dataDir\":\"" + dir + "/data\","
                + "\"mtu\":1400}").getBytes(StandardCharsets.UTF_8);
        byte[] bad = "not json".getBytes(StandardCharsets.UTF_8);
        Path none = dir.resolve("none.sock");
        assertSameAsTheScript(env("VERSION", none), new byte[0], 0, "\"supportedVersions\"", "VERSION");
        assertSameAsTheScript(env("DEL", none), conf, 0, "", "DEL without a namespace");
        assertSameAsTheScript(env("DEL", none), bad, 1, "\"code\" : 6", "DEL of a config that is no JSON");
        assertSameAsTheScript(env("ADD", none), conf, 1, "\"code\" : 4", "ADD without CNI_NETNS");
        Map<String, String> noNetns = env("ADD", none);
        noNetns.put("CNI_NETNS", "/run/netns/absent-" + dir.getFileName());
        assertSameAsTheScript(noNetns, conf, 1, "does not exist", "ADD in a namespace that does not exist");
        try (FakeJcnid stale = FakeJcnid.start(dir.resolve("stale"), "stale")) {
            assertSameAsTheScript(env("VERSION", stale.socket()), new byte[0], 0, "\"supportedVersions\"", "VERSION, stale socket");
            assertSameAsTheScript(env("DEL", stale.socket()), bad, 1, "\"code\" : 6", "DEL, stale socket");
        }
    }
}
