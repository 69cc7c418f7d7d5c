package dev.jcni.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.net.MacAddress;
import dev.jcni.core.os.netlink.LinkAttribute;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.skel.Log;
import dev.jcni.core.skel.Sandbox;
import dev.jcni.core.skel.Skel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tuning behind the real skel, as a runtime execs it, with the fake sandbox: what only a whole
 * request shows (CNI_ARGS as the runtime sends it, the debug timeline, DEL's log lines).
 */
class TuningThroughSkelTest {
    @TempDir
    Path tmp;
    private FakeSandboxes sandboxes;
    private Skel skel;
    private ByteArrayOutputStream stderr;
    private Path dataDir;

    @BeforeEach
    void setUp() {
        sandboxes = new FakeSandboxes();
        skel = new Skel("tuning", new TuningPlugin(sandboxes));
        stderr = new ByteArrayOutputStream();
        Log.redirect(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        dataDir = tmp.resolve("data");
    }

    @AfterEach
    void tearDown() {
        // The skel configured the log from the environment; leave it as the next test expects.
        skel.run(Map.of("CNI_COMMAND", "VERSION"), new byte[0]);
        Log.redirect(System.err);
    }

    private Map<String, String> env(String command) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", "ctr1");
        Path netns = tmp.resolve("netns");
        if (!Files.exists(netns)) {
            Files.createFile(netns); // exists and is not our namespace: passes the skel's check
        }
        env.put("CNI_NETNS", netns.toString());
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", "/opt/cni/bin");
        env.put("JCNI_LOCK_DIR", tmp.resolve("locks").toString());
        env.put(TuningDefaults.ALLOWLIST_VARIABLE, tmp.resolve("no-allowlist").toString());
        env.put(dev.jcni.core.skel.StateRoots.VARIABLE, tmp.toString());
        return env;
    }

    private String conf(String fields) {
        return "{\"cniVersion\":\"1.0.0\",\"name\":\"net1\",\"type\":\"tuning\",\"dataDir\":\"" + dataDir + "\"" + fields
                + ",\"prevResult\":{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\",\"sandbox\":\"/x\"}],"
                + "\"ips\":[{\"address\":\"10.0.0.2/24\",\"interface\":0}]}}";
    }

    private Skel.Outcome run(Map<String, String> env, String stdin) {
        return skel.run(env, stdin.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * CNI_ARGS goes to every plugin of a chain, so keys tuning does not know are no error, with or
     * without IgnoreUnknown (the reference answers "unknown args" without it); MAC is still read.
     */
    @Test
    void unknownCniArgsKeysAreIgnoredAndMacIsStillRead() throws Exception {
        String[] cniArgs = {"K8S_POD_NAME=web;FOO=bar;MAC=c2:00:00:00:00:07", "IgnoreUnknown=1;FOO=bar;MAC=c2:00:00:00:00:08"};
        for (String args : cniArgs) {
            Map<String, String> env = env("ADD");
            env.put("CNI_ARGS", args);
            Skel.Outcome o = run(env, conf(""));
            String out = new String(o.stdout(), StandardCharsets.UTF_8);
            assertEquals(0, o.exitCode(), out);
            String mac = args.substring(args.indexOf("MAC=") + 4);
            assertEquals(MacAddress.parse(mac), sandboxes.target.get(LinkAttribute.MAC));
            assertEquals(mac, Json.parse(o.stdout()).get("interfaces").get(0).get("mac").textValue());
        }
    }

    @Test
    void debugShowsWhereAnAddSpendsItsTime() throws Exception {
        Map<String, String> env = env("ADD");
        env.put("JCNI_DEBUG", "1");
        assertEquals(0, run(env, conf(",\"mtu\":1400")).exitCode());
        Matcher m = Pattern.compile("tuning: DEBUG \\[ADD ctr1/eth0\\] \\+\\d+\\.\\d ms ([a-z ]+)\n").matcher(stderr.toString(StandardCharsets.UTF_8));
        List<String> steps = new ArrayList<>();
        while (m.find()) {
            steps.add(m.group(1));
        }
        assertEquals(List.of("request validated", "attachment locked", "config validated", "in sandbox", "backup written", "applied"), steps,
                stderr.toString(StandardCharsets.UTF_8));
    }

    @Test
    void delOfAVanishedSandboxSaysItDropsTheBackup() throws Exception {
        assertEquals(0, run(env("ADD"), conf(",\"mtu\":1400")).exitCode());
        sandboxes.presence = Sandbox.Presence.GONE;
        Map<String, String> env = env("DEL");
        env.put("JCNI_DEBUG", "1");
        assertEquals(0, run(env, conf("")).exitCode());
        String err = stderr.toString(StandardCharsets.UTF_8);
        assertTrue(err.contains("tuning: INFO [DEL ctr1/eth0] sandbox namespace is gone; dropping the backup of ctr1/eth0\n"), err);
        assertFalse(err.contains("host's own"), err);
        assertFalse(Files.exists(dataDir.resolve("ctr1_eth0.json")));
    }

    @Test
    void gcSaysWhatItRemoved() throws Exception {
        for (String ctr : List.of("live", "gone")) {
            Map<String, String> env = env("ADD");
            env.put("CNI_CONTAINERID", ctr);
            assertEquals(0, run(env, conf(",\"mtu\":1400")).exitCode());
        }
        Map<String, String> gc = new HashMap<>(Map.of("CNI_COMMAND", "GC", "CNI_PATH", "/opt/cni/bin", "JCNI_DEBUG", "1",
                TuningDefaults.ALLOWLIST_VARIABLE, tmp.resolve("no-allowlist").toString(),
                dev.jcni.core.skel.StateRoots.VARIABLE, tmp.toString()));
        String request = "{\"cniVersion\":\"1.1.0\",\"name\":\"net1\",\"type\":\"tuning\",\"dataDir\":\"" + dataDir + "\","
                + "\"cni.dev/valid-attachments\":[{\"containerID\":\"live\",\"ifname\":\"eth0\"}]}";
        assertEquals(0, run(gc, request).exitCode());
        String err = stderr.toString(StandardCharsets.UTF_8);
        assertTrue(err.contains("tuning: INFO [GC] GC: removing stale tuning backup gone_eth0.json\n"), err);
        assertTrue(err.contains("tuning: INFO [GC] GC: removed 1 stale tuning backup(s) of network net1\n"), err);
        assertTrue(Files.exists(dataDir.resolve("live_eth0.json")));
        assertFalse(Files.exists(dataDir.resolve("gone_eth0.json")));
    }

    @Test
    void gcWithoutAListSaysEveryAttachmentIsStale() throws Exception {
        Map<String, String> gc = new HashMap<>(Map.of("CNI_COMMAND", "GC", "CNI_PATH", "/opt/cni/bin",
                dev.jcni.core.skel.StateRoots.VARIABLE, tmp.toString()));
        String request = "{\"cniVersion\":\"1.1.0\",\"name\":\"net1\",\"type\":\"tuning\",\"dataDir\":\"" + dataDir + "\"}";
        assertEquals(0, run(gc, request).exitCode());
        assertTrue(stderr.toString(StandardCharsets.UTF_8).contains(
                "tuning: WARN [GC] GC request lists no valid attachments: every attachment of network net1 counts as stale\n"),
                stderr.toString(StandardCharsets.UTF_8));
    }

    @Test
    void delSaysWhatWasGoneAndNeededNoRestoring() throws Exception {
        sandboxes.target.sysctls.put("net/core/somaxconn", "4096");
        assertEquals(0, run(env("ADD"), conf(",\"mtu\":1400,\"sysctl\":{\"net.core.somaxconn\":\"1024\"}")).exitCode());
        sandboxes.target.sysctls.remove("net/core/somaxconn");
        sandboxes.target.linkPresent = false;
        Map<String, String> env = env("DEL");
        env.put("JCNI_DEBUG", "1");
        assertEquals(0, run(env, conf("")).exitCode());
        String err = stderr.toString(StandardCharsets.UTF_8);
        assertTrue(err.contains("INFO [DEL ctr1/eth0] sysctl net/core/somaxconn is gone, nothing to restore\n"), err);
        assertTrue(err.contains("INFO [DEL ctr1/eth0] link eth0 is gone, its attributes need no restoring\n"), err);
    }
}
