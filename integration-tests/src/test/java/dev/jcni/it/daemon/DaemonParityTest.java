package dev.jcni.it.daemon;

import dev.jcni.it.support.JcnidProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.daemon.DaemonClient;
import dev.jcni.it.support.PluginRunner;
import dev.jcni.it.support.RequiresRoot;
import dev.jcni.it.support.TestNetns;
import dev.jcni.it.support.TestRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same request to bin/jcnid (through the launcher's bytes) and to bin/{@code plugin} (today's
 * JVM launcher, in-process): the same stdout byte for byte, the same exit code, and for requests
 * that log, the same stderr. Every plugin; the verbs that change state run against the same
 * starting state both ways.
 */
@RequiresRoot
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class DaemonParityTest {
    private static JcnidProcess daemon;
    private static Path work;
    /** A namespace for requests that must name one but fail before using it. */
    private static TestNetns someSandbox;

    @BeforeAll
    static void start() throws IOException {
        daemon = JcnidProcess.start(Map.of());
        work = Files.createTempDirectory(TestRun.current().scratch(), "parity-");
        someSandbox = TestNetns.create();
    }

    @AfterAll
    static void stop() {
        if (someSandbox != null) {
            someSandbox.close();
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    /** Runs the request both ways and asserts they answer alike; the in-process run. */
    private static PluginRunner.Run same(String plugin, Map<String, String> env, String stdin, boolean compareStderr) throws Exception {
        DaemonClient.Answer a = LauncherStandIn.request(daemon.socket, plugin, env, stdin.getBytes(StandardCharsets.UTF_8));
        assertTrue(a.accepted(), plugin + " declined: " + a.message());
        PluginRunner.Run r = PluginRunner.exec(LauncherStandIn.inProcess(plugin), env, stdin);
        String what = plugin + " " + env.get("CNI_COMMAND") + " with " + abbreviated(stdin);
        assertEquals(r.stdout(), new String(a.stdout(), StandardCharsets.UTF_8), what + ": stdout");
        assertEquals(r.exitCode(), a.exitCode(), what + ": exit code");
        if (compareStderr) {
            assertEquals(r.stderr(), new String(a.stderr(), StandardCharsets.UTF_8), what + ": stderr");
        }
        return r;
    }

    private static String abbreviated(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }

    private static Map<String, String> env(String command) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_PATH", PluginRunner.OUR_BIN.toString());
        env.put("JCNI_LOCK_DIR", work.resolve("locks").toString());
        env.put("JCNI_STATE_ROOTS", PluginRunner.TEST_STATE_ROOTS);
        return env;
    }

    private static Map<String, String> attachment(String command, String container, String netns) {
        Map<String, String> env = env(command);
        env.put("CNI_CONTAINERID", container);
        env.put("CNI_NETNS", netns);
        env.put("CNI_IFNAME", "eth0");
        return env;
    }

    @ParameterizedTest
    @ValueSource(strings = {"bridge", "host-local", "portmap", "bandwidth", "tuning"})
    void protocolEdgesAndErrorsOfEveryPlugin(String plugin) throws Exception {
        same(plugin, env("VERSION"), "{\"cniVersion\":\"0.4.0\"}", true);
        same(plugin, env("VERSION"), "", true);
        Map<String, String> none = new LinkedHashMap<>();
        none.put("CNI_PATH", "/opt/cni/bin");
        PluginRunner.Run about = same(plugin, none, "", true);
        assertTrue(about.stderr().contains("CNI protocol versions supported"), about.stderr());
        Map<String, String> noPath = attachment("ADD", "c1", someSandbox.path());
        noPath.remove("CNI_PATH");
        assertEquals(4, same(plugin, noPath, "{}", true).json().path("code").asInt());
        Map<String, String> del = attachment("DEL", "c1", "");
        assertEquals(6, same(plugin, del, "{", true).json().path("code").asInt());
        assertEquals(7, same(plugin, del, "{\"cniVersion\":\"1.0.0\"}", true).json().path("code").asInt());
        assertEquals(1, same(plugin, del, "{\"cniVersion\":\"9.9.9\",\"name\":\"n\"}", true).json().path("code").asInt());
        assertEquals(6, same(plugin, attachment("ADD", "c1", someSandbox.path()), "", true).json().path("code").asInt(), "empty stdin");
        same(plugin, env("FOO"), "{\"cniVersion\":\"1.0.0\",\"name\":\"n\"}", true);
    }

    @Test
    void stdinOfSixteenMebibytesAndOneByteIsTheSameError() throws Exception {
        TestNetns sb = TestNetns.create();
        try {
            String huge = " ".repeat(16 * 1024 * 1024 + 1);
            PluginRunner.Run r = same("host-local", attachment("ADD", "c1", sb.path()), huge, true);
            assertEquals("network config on stdin is too large", r.json().path("msg").asText());
        } finally {
            sb.close();
        }
    }

    @Test
    void hostLocalAllocatesAlikeFromTheSameStateAndEqualsSignsInValuesArrive() throws Exception {
        TestNetns sb = TestNetns.create();
        try {
            Path data = work.resolve("host-local");
            String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"hl-" + sb.suffix() + "\",\"ipam\":{\"type\":\"host-local\",\"dataDir\":\""
                    + data + "\",\"ranges\":[[{\"subnet\":\"10.33.0.0/24\"}]],\"routes\":[{\"dst\":\"0.0.0.0/0\"}]}}";
            Map<String, String> add = attachment("ADD", "hl-" + sb.suffix(), sb.path());
            add.put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAME=a=b=c");
            DaemonClient.Answer viaDaemon = LauncherStandIn.request(daemon.socket, "host-local", add, conf.getBytes(StandardCharsets.UTF_8));
            assertEquals(0, viaDaemon.exitCode(), new String(viaDaemon.stdout(), StandardCharsets.UTF_8));
            assertTrue(Files.exists(data.resolve("hl-" + sb.suffix()).resolve("10.33.0.2")), "the daemon's lease is on disk");
            deleteTree(data);
            PluginRunner.Run inProcess = PluginRunner.exec(LauncherStandIn.inProcess("host-local"), add, conf);
            assertEquals(inProcess.stdout(), new String(viaDaemon.stdout(), StandardCharsets.UTF_8));
            assertEquals("10.33.0.2/24", inProcess.json().path("ips").path(0).path("address").asText());
            // DEL through the daemon releases the in-process run's lease: one store, either path.
            Map<String, String> del = attachment("DEL", "hl-" + sb.suffix(), sb.path());
            DaemonClient.Answer released = LauncherStandIn.request(daemon.socket, "host-local", del, conf.getBytes(StandardCharsets.UTF_8));
            assertEquals(0, released.exitCode());
            assertEquals(0, released.stdout().length);
            assertTrue(!Files.exists(data.resolve("hl-" + sb.suffix()).resolve("10.33.0.2")));
        } finally {
            sb.close();
        }
    }

    @Test
    void tuningChangesThePassedSandboxAndAnswersAlike() throws Exception {
        TestNetns sb = TestNetns.create();
        try {
            sb.addVeth("jtd" + sb.suffix(), "eth0");
            String mac = sb.link("eth0").path("address").asText();
            String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"tunnet\",\"type\":\"tuning\",\"dataDir\":\"" + work.resolve("tuning")
                    + "\",\"mtu\":1400,\"prevResult\":{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\",\"mac\":\"" + mac
                    + "\",\"sandbox\":\"" + sb.path() + "\"}],\"ips\":[{\"address\":\"10.99.0.2/24\",\"interface\":0}]}}";
            Map<String, String> add = attachment("ADD", "tu-" + sb.suffix(), sb.path());
            add.put("JCNI_TUNING_ALLOWLIST", "/nonexistent/jcni-it/allowlist.conf");
            Map<String, String> del = new LinkedHashMap<>(add);
            del.put("CNI_COMMAND", "DEL");
            int before = sb.link("eth0").path("mtu").asInt();

            DaemonClient.Answer added = LauncherStandIn.request(daemon.socket, "tuning", add, conf.getBytes(StandardCharsets.UTF_8));
            assertEquals(0, added.exitCode(), new String(added.stdout(), StandardCharsets.UTF_8) + new String(added.stderr(), StandardCharsets.UTF_8));
            assertEquals(1400, sb.link("eth0").path("mtu").asInt(), "the daemon changed the sandbox it was passed");
            DaemonClient.Answer deleted = LauncherStandIn.request(daemon.socket, "tuning", del, conf.getBytes(StandardCharsets.UTF_8));
            assertEquals(0, deleted.exitCode());
            assertEquals(before, sb.link("eth0").path("mtu").asInt(), "and restored it");

            PluginRunner.Run inAdd = PluginRunner.exec(LauncherStandIn.inProcess("tuning"), add, conf);
            PluginRunner.Run inDel = PluginRunner.exec(LauncherStandIn.inProcess("tuning"), del, conf);
            assertEquals(inAdd.stdout(), new String(added.stdout(), StandardCharsets.UTF_8));
            assertEquals(inAdd.exitCode(), added.exitCode());
            assertEquals(inDel.stdout(), new String(deleted.stdout(), StandardCharsets.UTF_8));
            assertEquals(inDel.exitCode(), deleted.exitCode());
        } finally {
            sb.close();
        }
    }

    @Test
    void statusOfEveryPluginAndBridgesInProcessIpamInsideTheDaemon() throws Exception {
        String ipam = ",\"ipam\":{\"type\":\"host-local\",\"dataDir\":\"" + work.resolve("status-ipam") + "\",\"ranges\":[[{\"subnet\":\"10.34.0.0/24\"}]]}";
        for (String plugin : new String[] {"bridge", "host-local", "portmap", "bandwidth", "tuning"}) {
            String conf = "{\"cniVersion\":\"1.1.0\",\"name\":\"st\",\"type\":\"" + plugin + "\"" + (plugin.equals("tuning") ? "" : ipam) + "}";
            assertEquals(0, same(plugin, env("STATUS"), conf, true).exitCode(), plugin);
            same(plugin, env("GC"), conf, true);
        }
        Map<String, String> debug = env("STATUS");
        debug.put("JCNI_DEBUG", "1");
        String bridge = "{\"cniVersion\":\"1.1.0\",\"name\":\"st\",\"type\":\"bridge\"" + ipam + "}";
        DaemonClient.Answer a = LauncherStandIn.request(daemon.socket, "bridge", debug, bridge.getBytes(StandardCharsets.UTF_8));
        String err = new String(a.stderr(), StandardCharsets.UTF_8);
        assertEquals(0, a.exitCode(), err);
        assertTrue(err.contains("delegate host-local STATUS: in-process, in place of " + PluginRunner.ours("host-local")), err);
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> all = Files.walk(p)) {
            for (Path x : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
