package dev.jcni.it.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.it.support.Cmd;
import dev.jcni.it.support.PluginRunner;
import dev.jcni.it.support.RequiresRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6 at the process edge, through the real {@code bin/tuning}: whatever the caller passes,
 * the answer is CNI error JSON on stdout with exit 1, in bounded time, and nothing is written
 * where the network config points. Each case runs under {@link Shell#TIMEOUT}: a hang fails it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProcessEdgeTest {
    @TempDir
    Path tmp;

    private static Map<String, String> env(String command, String netns) {
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", "edge-1");
        env.put("CNI_NETNS", Shell.quote(netns));
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", Shell.quote(PluginRunner.OUR_BIN.toString()));
        return env;
    }

    private Path stdin(String json) throws Exception {
        return Files.writeString(tmp.resolve("stdin-" + System.nanoTime() + ".json"), json, StandardCharsets.US_ASCII);
    }

    private static String conf(String extra) {
        return "{\"cniVersion\":\"1.0.0\",\"name\":\"edge\",\"type\":\"tuning\"" + extra
                + ",\"prevResult\":{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\",\"sandbox\":\"/x\"}]}}";
    }

    @Test
    void anEndlessStdinIsCode6InBoundedTime() {
        // Before: the JVM read /dev/zero until it ran out of memory, with nothing on stdout.
        for (String command : List.of("ADD", "DEL")) {
            long start = System.nanoTime();
            Shell.Run r = Shell.run(Shell.plugin("tuning", env(command, "/run/netns/none")) + " </dev/zero");
            assertEquals(6, r.error().path("code").asInt(), r.stdout());
            assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 20, "took too long");
        }
        Shell.Run version = Shell.run(Shell.plugin("tuning", Map.of("CNI_COMMAND", "VERSION")) + " </dev/zero");
        assertEquals(0, version.exitCode(), version.stderr());
        assertEquals(7, version.json().path("supportedVersions").size());
    }

    @Test
    void aNamespacePathThatIsNoNamespaceNeverHangs() throws Exception {
        Path fifo = tmp.resolve("fifo");
        Cmd.check("mkfifo", fifo.toString());
        Path regular = Files.writeString(tmp.resolve("regular"), "not a namespace\n");
        Path input = stdin(conf(",\"mtu\":1400"));
        for (String netns : List.of(fifo.toString(), regular.toString(), "/dev/zero", "/dev/null", tmp.toString())) {
            for (String command : List.of("ADD", "CHECK", "DEL")) {
                Shell.Run r = Shell.run(Shell.plugin("tuning", env(command, netns)) + " <" + Shell.quote(input.toString()));
                if (command.equals("DEL")) {
                    // DEL is best effort: nothing was added, so nothing to restore.
                    assertEquals(0, r.exitCode(), netns + ": " + r.stdout() + r.stderr());
                } else {
                    JsonNode e = r.error();
                    assertTrue(e.path("msg").asText().contains(netns) || e.path("details").asText().contains(netns), netns + ": " + e);
                }
            }
        }
    }

    /** Hole 2: the config's logFile was created (0644) even for a refused request. */
    @Test
    void aLogFileInTheNetworkConfigIsNeverWritten() throws Exception {
        Path chosen = tmp.resolve("chosen-by-a-tenant.log");
        Path input = stdin(conf(",\"logFile\":\"" + chosen + "\""));
        Shell.Run refused = Shell.run(Shell.plugin("tuning", env("ADD", "/run/netns/none")) + " <" + Shell.quote(input.toString()));
        assertEquals(4, refused.error().path("code").asInt());
        Shell.Run del = Shell.run(Shell.plugin("tuning", env("DEL", "")) + " <" + Shell.quote(input.toString()));
        assertEquals(0, del.exitCode(), del.stderr());
        assertTrue(del.stderr().contains("\"logFile\" is ignored"), del.stderr());
        assertFalse(Files.exists(chosen), "the network config chose where the plugin writes");
    }

    @Test
    void theNodesLogFileWorksAndAFifoThereDoesNotHang() throws Exception {
        Path input = stdin(conf(""));
        Path log = tmp.resolve("jcni.log");
        Map<String, String> env = env("ADD", "/run/netns/none");
        env.put("JCNI_LOG_FILE", Shell.quote(log.toString()));
        assertEquals(4, Shell.run(Shell.plugin("tuning", env) + " <" + Shell.quote(input.toString())).error().path("code").asInt());
        assertTrue(Files.readString(log).contains("tuning: ERROR [ADD edge-1/eth0] ADD failed"), "the environment's log file gets the lines");

        Path fifo = tmp.resolve("jcni.fifo");
        Cmd.check("mkfifo", fifo.toString());
        env.put("JCNI_LOG_FILE", Shell.quote(fifo.toString()));
        Shell.Run r = Shell.run(Shell.plugin("tuning", env) + " <" + Shell.quote(input.toString()));
        assertEquals(4, r.error().path("code").asInt());
        assertTrue(r.stderr().contains("a FIFO"), r.stderr());
    }

    /** A procfs mounted elsewhere is still kernel settings: the file system decides, not the path. */
    @Test
    @RequiresRoot
    void aLogFileOnProcMountedElsewhereIsRefused() throws Exception {
        Path input = stdin(conf(""));
        Path mnt = Files.createDirectory(tmp.resolve("kernel"));
        Map<String, String> env = env("DEL", "");
        env.put("JCNI_LOG_FILE", Shell.quote(mnt.resolve("self/comm").toString()));
        // The proc mount exists only in this caller's private mount namespace, and jcnid opens a
        // log file in its own mount view (docs/daemon.md, "what it does not do"): in-process only.
        env.put("JCNI_DAEMON", "off");
        Shell.Run r = Shell.run("exec unshare -m --propagation private sh -c " + Shell.quote("mount -t proc proc "
                + Shell.quote(mnt.toString()) + " && exec " + Shell.plugin("tuning", env) + " <" + Shell.quote(input.toString())));
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stderr().contains("kernel file system (proc)"), r.stderr());
    }

    @Test
    void aByteOrderMarkOrUtf16IsCode6() throws Exception {
        String conf = conf(",\"mtu\":1400");
        Path bom = Files.write(tmp.resolve("bom.json"), concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                conf.getBytes(StandardCharsets.UTF_8)));
        Path utf16 = Files.write(tmp.resolve("utf16.json"), conf.getBytes(StandardCharsets.UTF_16LE));
        for (Path input : List.of(bom, utf16)) {
            Shell.Run r = Shell.run(Shell.plugin("tuning", env("DEL", "")) + " <" + Shell.quote(input.toString()));
            assertEquals(6, r.error().path("code").asInt(), input.toString());
        }
    }

    /**
     * Point 7: runtimeConfig and args are objects, or the request is refused (7) before anything
     * changes. CNI_NETNS is a plain file, so a config that got through would fail entering it
     * (100), never touch a namespace.
     */
    @Test
    void runtimeConfigAndArgsThatAreNotObjectsAreCode7() throws Exception {
        Path notANamespace = Files.writeString(tmp.resolve("sandbox"), "");
        for (String bad : List.of(",\"runtimeConfig\":\"mac\"", ",\"runtimeConfig\":[1]", ",\"args\":[1]", ",\"args\":\"x\"",
                ",\"args\":{\"cni\":\"x\"}")) {
            Path input = stdin(conf(",\"mtu\":1400" + bad));
            Shell.Run r = Shell.run(Shell.plugin("tuning", env("ADD", notANamespace.toString())) + " <" + Shell.quote(input.toString()));
            assertEquals(7, r.error().path("code").asInt(), bad + ": " + r.stdout());
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
