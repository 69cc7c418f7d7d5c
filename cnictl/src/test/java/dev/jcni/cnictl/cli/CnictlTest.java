package dev.jcni.cnictl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.protocol.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cnictl as cnitool's users drive it: environment, derived container ID, output and exit codes. */
class CnictlTest {
    @TempDir
    Path root;
    Map<String, String> env;
    ByteArrayOutputStream out;
    ByteArrayOutputStream err;

    @BeforeEach
    void setUp() throws Exception {
        Path bin = Files.createDirectories(root.resolve("bin"));
        Path netd = Files.createDirectories(root.resolve("net.d"));
        // Records its stdin and env per verb; ADD answers a small result.
        String script = "#!/bin/sh\ncat > '" + root + "'/$CNI_COMMAND.stdin\nenv > '" + root + "'/$CNI_COMMAND.env\n"
                + "[ -f '" + root + "'/slow ] && sleep 5\n"
                + "[ -f '" + root + "'/fail ] && { echo '{\"code\":11,\"msg\":\"nope\",\"details\":\"later\"}'; exit 1; }\n"
                + "[ \"$CNI_COMMAND\" = ADD ] && echo '{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.9.0.2/24\"}]}'\n"
                + "[ \"$CNI_COMMAND\" = VERSION ] && echo '{\"cniVersion\":\"1.0.0\",\"supportedVersions\":[\"0.4.0\",\"1.0.0\"]}'\n"
                + "exit 0\n";
        Files.writeString(bin.resolve("fake"), script);
        Files.setPosixFilePermissions(bin.resolve("fake"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(netd.resolve("10-net.conflist"), "{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"plugins\":"
                + "[{\"type\":\"fake\",\"capabilities\":{\"portMappings\":true}}]}");
        env = new HashMap<>();
        env.put("PATH", System.getenv("PATH"));
        env.put("NETCONFPATH", netd.toString());
        env.put("CNI_PATH", bin.toString());
        env.put("JCNI_CACHE_DIR", root.resolve("cache").toString());
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
    }

    private int run(String... args) {
        return new Cnictl(env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(args);
    }

    @Test
    void containerIdIsCnitools() {
        // python3 -c "import hashlib;print('cnitool-'+hashlib.sha512(b'/var/run/netns/ns1').hexdigest()[:20])"
        assertEquals("cnitool-b9598ebe9464bd619c7c", Cnictl.containerIdFor("/var/run/netns/ns1"));
    }

    @Test
    void addPrintsTheResultAndDelGetsCachedCapabilityArgs() throws Exception {
        env.put("CAP_ARGS", "{\"portMappings\":[{\"hostPort\":8080,\"containerPort\":80,\"protocol\":\"tcp\"}]}");
        env.put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAME=web");
        env.put("CNI_IFNAME", "net1");
        assertEquals(0, run("add", "net", "/var/run/netns/ns1"), err.toString());
        assertEquals("10.9.0.2/24", Json.parse(out.toString()).get("ips").get(0).get("address").textValue());
        String addEnv = Files.readString(root.resolve("ADD.env"));
        assertTrue(addEnv.contains("CNI_CONTAINERID=cnitool-b9598ebe9464bd619c7c"), addEnv);
        assertTrue(addEnv.contains("CNI_IFNAME=net1"));
        assertTrue(addEnv.contains("CNI_ARGS=IgnoreUnknown=1;K8S_POD_NAME=web"));
        assertTrue(Files.exists(root.resolve("cache/results/net-cnitool-b9598ebe9464bd619c7c-net1")));

        env.remove("CAP_ARGS");
        assertEquals(0, run("-i", "net1", "del", "net", "/var/run/netns/ns1"), err.toString());
        assertTrue(Files.readString(root.resolve("DEL.stdin")).contains("\"hostPort\":8080"));
        assertFalse(Files.exists(root.resolve("cache/results/net-cnitool-b9598ebe9464bd619c7c-net1")));
    }

    @Test
    void delFallsBackToTheConfigCachedAtAddWhenTheFileIsGone() throws Exception {
        assertEquals(0, run("add", "net", "/var/run/netns/ns1"), err.toString());
        Files.delete(root.resolve("net.d/10-net.conflist"));
        assertEquals(0, run("del", "net", "/var/run/netns/ns1"), err.toString());
        assertTrue(err.toString().contains("using the config cached at ADD"), err.toString());
        assertTrue(Files.exists(root.resolve("DEL.stdin")));
        assertEquals(1, run("del", "net", "/var/run/netns/ns1"), "nothing cached any more");
    }

    @Test
    void errorsGoToStderrWithCodeAndDetails() throws Exception {
        Files.writeString(root.resolve("fail"), "");
        assertEquals(1, run("add", "net", "/var/run/netns/ns1"));
        String e = err.toString();
        assertTrue(e.contains("plugin type=\"fake\" failed (add): nope"), e);
        assertTrue(e.contains("code: 11"), e);
        assertTrue(e.contains("details: later"), e);
        assertEquals("", out.toString());
    }

    @Test
    void aUsageErrorSaysWhatAndWhereHelpIs() {
        assertEquals(2, run("add", "net"));
        assertEquals("cnictl: add needs <network> <netns>\nRun 'cnictl help' for usage.\n", err.toString());
    }

    @Test
    void pluginStderrIsPassedOnAndVerboseNamesEachExec() throws Exception {
        Files.writeString(root.resolve("bin/fake"), Files.readString(root.resolve("bin/fake"))
                .replace("exit 0\n", "printf 'a warning from %s' \"$CNI_COMMAND\" >&2\nexit 0\n"));
        assertEquals(0, run("add", "net", "/var/run/netns/ns1"), err.toString());
        assertEquals("a warning from ADD\n", err.toString(), "a missing newline is added, nothing else is said");
        err.reset();
        assertEquals(0, run("-v", "del", "net", "/var/run/netns/ns1"), err.toString());
        String e = err.toString();
        assertTrue(e.startsWith("a warning from DEL\ncnictl: DEL fake (" + root.resolve("bin/fake") + "): exit 0 in "), e);
        assertTrue(e.endsWith(" ms\n"), e);
    }

    @Test
    void statusRunsTheStatusVerbFromVersion110() throws Exception {
        Files.writeString(root.resolve("net.d/10-net.conflist"), "{\"cniVersion\":\"1.1.0\",\"name\":\"net\",\"plugins\":"
                + "[{\"type\":\"fake\"}]}");
        assertEquals(0, run("status", "net", "/var/run/netns/ns1"), err.toString());
        assertTrue(Files.readString(root.resolve("STATUS.env")).contains("CNI_COMMAND=STATUS"));
    }

    @Test
    void usageErrorsExitTwoAndHelpShowsExamples() {
        assertEquals(2, run("add", "net"));
        assertEquals(2, run("frobnicate"));
        assertEquals(2, run("--bogus", "add", "a", "b"));
        assertEquals(0, run("help"));
        assertTrue(out.toString().contains("Examples:"));
        assertTrue(out.toString().contains("cnictl demo"));
    }

    @Test
    void versionStatusCheckAndGc() throws Exception {
        assertEquals(0, run("version", "fake"), err.toString());
        assertTrue(out.toString().contains("0.4.0, 1.0.0"), out.toString());
        assertEquals(0, run("status", "net", "/var/run/netns/ns1"), err.toString());
        assertFalse(Files.exists(root.resolve("STATUS.stdin")), "1.0.0 config: STATUS runs nothing");
        assertEquals(0, run("add", "net", "ns1"), err.toString());
        assertEquals(0, run("check", "net", "ns1"), err.toString());
        assertTrue(Files.readString(root.resolve("CHECK.stdin")).contains("prevResult"));
        assertEquals(0, run("gc", "net", "ns1"), err.toString());
        assertTrue(Files.readString(root.resolve("DEL.env")).contains("CNI_COMMAND=DEL"), "gc deleted the cached attachment");
        // A plugin that hangs, so the timeout is what ends it (a 1 ms budget alone raced a fast exit).
        Files.writeString(root.resolve("slow"), "");
        assertEquals(1, run("--timeout", "0.3", "version", "fake"));
        assertTrue(err.toString().contains("timed out"), err.toString());
    }

    @Test
    void aHugeTimeoutIsRefusedBeforeAnyPluginRuns() throws Exception {
        assertEquals(2, run("--timeout", "99999999999999999999", "add", "net", "ns1"));
        assertTrue(err.toString().contains("--timeout"), err.toString());
        assertFalse(Files.exists(root.resolve("ADD.env")), "a plugin ran before the usage error");
    }

    /** Issue 6, point 9: a FIFO in NETCONFPATH hung config loading; it is skipped with a warning. */
    @Test
    @org.junit.jupiter.api.Timeout(value = 30, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aFifoInTheConfigDirectoryIsSkippedWithAWarning() throws Exception {
        Path fifo = root.resolve("net.d/00-fifo.conflist");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
        assertEquals(0, run("add", "net", "ns1"), err.toString());
        assertTrue(err.toString().contains("skipping " + fifo + ": not a regular file"), err.toString());
    }
}
