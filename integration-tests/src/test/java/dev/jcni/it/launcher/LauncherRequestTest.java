package dev.jcni.it.launcher;

import static dev.jcni.it.launcher.LauncherBeforeAcceptTest.CONFIG;
import static dev.jcni.it.launcher.LauncherBeforeAcceptTest.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.os.process.ProcessRunner;
import dev.jcni.it.support.PluginRunner;
import dev.jcni.it.support.RequiresRoot;
import dev.jcni.it.support.TestNetns;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the launcher sends (docs/daemon-protocol.md, "Request"), as an independent decoder of the
 * page (fake_jcnid.py) reads it: the header, the build identity of the jars in bin/lib, the
 * plugin's name from the executable's real name, argv as received, the environment as the JVM
 * launcher script would leave it, stdin in chunks, and the caller's namespaces as descriptors.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LauncherRequestTest {
    @TempDir
    Path dir;
    StandIn plugin;
    FakeJcnid daemon;

    @BeforeEach
    void setUp() throws Exception {
        plugin = StandIn.create(dir, "tuning");
    }

    private JsonNode send(Map<String, String> env, byte[] stdin, String... args) throws Exception {
        try (FakeJcnid d = FakeJcnid.start(dir.resolve("d" + System.nanoTime()), "result", "--exit", "0")) {
            daemon = d;
            env.put("JCNI_SOCKET", d.socket().toString());
            ProcessRunner.Outcome o = plugin.run(env, stdin, args);
            assertEquals(0, o.exitCode(), new String(o.stderr(), StandardCharsets.UTF_8));
            assertFalse(plugin.ran());
            return d.onlyRequest();
        }
    }

    private static Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", "ADD");
        env.put("CNI_CONTAINERID", "req-1");
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", "/opt/cni/bin");
        return env;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) {
            out.add(n.asText());
        }
        return out;
    }

    /** The page's definition, computed here from bin/lib: SHA-256 of the jars in name (byte) order, 16 hex digits. */
    static String buildIdentity() throws Exception {
        Path lib = PluginRunner.OUR_BIN.resolve("lib");
        TreeSet<String> names = new TreeSet<>(); // ASCII names: String order is byte order
        try (var files = Files.list(lib)) {
            files.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p))
                    .forEach(p -> names.add(p.getFileName().toString()));
        }
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (String name : names) {
            sha.update(Files.readAllBytes(lib.resolve(name)));
        }
        return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    }

    @Test
    void theHelloNamesTheBuildThePluginAndArgv() throws Exception {
        JsonNode hello = send(env(), CONFIG, "one", "two=2", "", "\u00fcber");
        assertEquals(0x4A434E49L, hello.path("magic").asLong());
        assertEquals(1, hello.path("version").asInt());
        assertEquals(1, hello.path("kind").asInt(), "a plugin request");
        assertEquals(buildIdentity(), hello.path("build").asText(), "the identity of the jars in bin/lib");
        assertEquals("tuning", hello.path("plugin").asText());
        assertEquals(List.of(plugin.launcher().toString(), "one", "two=2", "", "\u00fcber"), strings(hello.path("argv")));
        assertEquals(0, hello.path("trailingBytes").asInt(), "nothing after stdinLength");
        assertEquals(CONFIG.length, hello.path("stdinLength").asInt());
        assertArrayEquals(CONFIG, daemon.stdin(1));
        assertEquals(0, hello.path("flags").asInt(), "no sandbox descriptor, stdin complete");
    }

    @Test
    void thePluginIsTheExecutablesRealName() throws Exception {
        Path copy = dir.resolve("bin/host-local");
        Files.copy(plugin.launcher(), copy, StandardCopyOption.REPLACE_EXISTING);
        Path link = Files.createSymbolicLink(dir.resolve("bin/ipam-link"), copy);
        try (FakeJcnid d = FakeJcnid.start(dir.resolve("d"), "result", "--exit", "0")) {
            Map<String, String> env = env();
            env.put("JCNI_SOCKET", d.socket().toString());
            new ProcessRunner().run(List.of(link.toString()), env, CONFIG, Duration.ofSeconds(30));
            JsonNode hello = d.onlyRequest();
            assertEquals("host-local", hello.path("plugin").asText(), "a symbolic link names no plugin: /proc/self/exe does");
            assertEquals(link.toString(), hello.path("argv").path(0).asText(), "argv[0] as received");
        }
    }

    @Test
    void theEnvironmentIsWhatTheJvmScriptWouldLeave() throws Exception {
        Map<String, String> env = env();
        env.put("JAVA_TOOL_OPTIONS", "-Dx=1");
        env.put("JDK_JAVA_OPTIONS", "-Dy=1");
        env.put("_JAVA_OPTIONS", "-Dz=1");
        env.put("CLASSPATH", "/tmp/evil.jar");
        env.put("LC_ALL", "de_DE.UTF-8");
        env.put("JCNI_CALLER_LC_ALL", "forged");
        env.put("WITH_EQUALS", "a=b==c=");
        env.put("EMPTY", "");
        env.put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAME=p");
        JsonNode hello = send(env, CONFIG);
        Map<String, String> expected = new LinkedHashMap<>(env);
        for (String dropped : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "CLASSPATH", "LC_ALL", "JCNI_CALLER_LC_ALL")) {
            expected.remove(dropped);
        }
        expected.put("JCNI_CALLER_LC_ALL", "set:de_DE.UTF-8");
        expected.put("LC_ALL", "C.UTF-8");
        expected.remove("JCNI_SOCKET");
        List<String> sent = strings(hello.path("env"));
        sent.removeIf(e -> e.startsWith("JCNI_SOCKET="));
        assertEquals(entries(expected), new TreeSet<>(sent));
        assertEquals(sent.size(), new TreeSet<>(sent).size(), "no entry twice");

        Map<String, String> plain = env();
        List<String> unset = strings(send(plain, CONFIG).path("env"));
        assertEquals(true, unset.contains("JCNI_CALLER_LC_ALL=unset"), unset.toString());
        Map<String, String> empty = env();
        empty.put("LC_ALL", "");
        List<String> emptySet = strings(send(empty, CONFIG).path("env"));
        assertEquals(true, emptySet.contains("JCNI_CALLER_LC_ALL=set:"), emptySet.toString());
    }

    private static TreeSet<String> entries(Map<String, String> env) {
        TreeSet<String> out = new TreeSet<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            out.add(e.getKey() + "=" + e.getValue());
        }
        return out;
    }

    @Test
    void aBigEnvironmentWithinOneMessageIsSentWhole() throws Exception {
        Map<String, String> env = env();
        for (int i = 0; i < 1500; i++) {
            env.put("VAR_" + i, "value=" + i + "=" + "x".repeat(20));
        }
        JsonNode hello = send(env, CONFIG);
        assertEquals(env.size() + 2, hello.path("env").size(), "every entry, plus JCNI_CALLER_LC_ALL and LC_ALL");
        assertEquals(true, strings(hello.path("env")).contains("VAR_1499=value=1499=" + "x".repeat(20)));
    }

    @Test
    void stdinGoesInChunksOfAtMostOneMessage() throws Exception {
        byte[] stdin = random(200_000, 5);
        JsonNode hello = send(env(), stdin);
        assertEquals(List.of("65536", "65536", "65536", "3392"), strings(hello.path("stdinChunks")));
        assertArrayEquals(stdin, daemon.stdin(1));
    }

    /**
     * The descriptors are the launcher's own network namespace and the opened CNI_NETNS, both
     * compared by nsfs device and inode with the namespaces' bind mounts: the launcher runs in
     * namespace A (not the daemon's), CNI_NETNS names B.
     */
    @Test
    @RequiresRoot
    void theDescriptorsAreTheCallersNamespaceAndTheSandbox() throws Exception {
        try (TestNetns a = TestNetns.create(); TestNetns b = TestNetns.create();
                FakeJcnid d = FakeJcnid.start(dir.resolve("d"), "result", "--exit", "0")) {
            Map<String, String> env = env();
            env.put("JCNI_SOCKET", d.socket().toString());
            env.put("CNI_NETNS", b.path());
            ProcessRunner.Outcome o = new ProcessRunner().run(List.of("ip", "netns", "exec", a.name(), plugin.launcher().toString()),
                    env, CONFIG, Duration.ofSeconds(30));
            assertEquals(0, o.exitCode(), new String(o.stderr(), StandardCharsets.UTF_8));
            env.remove("CNI_NETNS");
            new ProcessRunner().run(List.of(plugin.launcher().toString()), env, CONFIG, Duration.ofSeconds(30));

            List<JsonNode> requests = d.requests();
            JsonNode inA = requests.get(0);
            assertEquals(1, inA.path("flags").asInt() & 1, "flag bit 0: a sandbox descriptor is attached");
            assertEquals(List.of(nsId(Path.of(a.path())), nsId(Path.of(b.path()))), ids(inA.path("fds")));
            JsonNode here = requests.get(1);
            assertEquals(0, here.path("flags").asInt() & 1);
            assertEquals(List.of(nsId(Path.of("/proc/self/ns/net"))), ids(here.path("fds")), "only the caller's own namespace");
        }
    }

    private static List<String> ids(JsonNode fds) {
        List<String> out = new ArrayList<>();
        for (JsonNode fd : fds) {
            out.add(fd.path(0).asLong() + ":" + fd.path(1).asLong());
        }
        return out;
    }

    /** The nsfs device and inode of a namespace file (through the bind mount or the /proc link). */
    private static String nsId(Path p) throws Exception {
        return ((Number) Files.getAttribute(p, "unix:dev")).longValue() + ":" + ((Number) Files.getAttribute(p, "unix:ino")).longValue();
    }
}
