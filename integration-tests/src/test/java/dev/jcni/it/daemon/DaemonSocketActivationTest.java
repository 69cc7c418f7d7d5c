package dev.jcni.it.daemon;

import dev.jcni.it.support.JcnidProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.daemon.DaemonClient;
import dev.jcni.core.daemon.Wire;
import dev.jcni.it.support.Cmd;
import dev.jcni.core.protocol.Json;
import dev.jcni.it.support.PluginRunner;
import dev.jcni.it.support.RequiresRoot;
import dev.jcni.it.support.TestNetns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * jcnid started by socket activation, as systemd starts it: {@code systemd-socket-activate} holds
 * the listening socket and starts jcnid on the first connection, handing the socket over as
 * descriptor 3. Twenty parallel first requests are all served by one daemon; the daemon leaves
 * the socket file (it is not its own) and exits when idle.
 */
@RequiresRoot
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DaemonSocketActivationTest {
    private static final Path ACTIVATE = Path.of("/usr/bin/systemd-socket-activate");

    @Test
    void twentyParallelFirstRequestsOneDaemonThenIdleExit() throws Exception {
        assumeTrue(Files.isExecutable(ACTIVATE), "needs systemd-socket-activate (package systemd)");
        Path dir = JcnidProcess.newDirectory();
        Path run = Files.createDirectory(dir.resolve("run"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path socket = run.resolve("jcnid.sock");
        ProcessBuilder pb = new ProcessBuilder(ACTIVATE.toString(), "--seqpacket", "-l", socket.toString(),
                "-E", "JCNI_DAEMON_WORKERS=32", "-E", "JCNI_DAEMON_IDLE_EXIT=3", JcnidProcess.JCNID.toString());
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        pb.redirectErrorStream(true);
        pb.redirectOutput(dir.resolve("activate.log").toFile());
        Process p = pb.start();
        TestNetns sandbox = TestNetns.create();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            awaitFile(socket, p, dir);
            List<Future<DaemonClient.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Map<String, String> env = env(sandbox, dir, "first-" + i);
                answers.add(pool.submit(() -> LauncherStandIn.request(socket.toString(), "host-local", env, conf(sandbox, dir))));
            }
            Set<String> addresses = new HashSet<>();
            for (Future<DaemonClient.Answer> f : answers) {
                DaemonClient.Answer a = f.get(120, TimeUnit.SECONDS);
                assertTrue(a.accepted(), a.message() + "\n" + log(dir));
                assertEquals(0, a.exitCode(), new String(a.stdout(), StandardCharsets.UTF_8));
                addresses.add(Json.parse(a.stdout()).path("ips").path(0).path("address").asText());
            }
            assertEquals(20, addresses.size());
            DaemonClient.Answer s = DaemonClient.control(socket.toString(), "status", "", Duration.ofSeconds(10));
            JsonNode status = Json.parse(s.stdout());
            assertTrue(status.path("socketActivated").asBoolean(), status.toString());
            assertEquals(20, status.path("requests").path("byPlugin").path("host-local").path("ADD").asInt(), "one daemon served all twenty");
            assertEquals(p.pid(), status.path("pid").asLong(), "systemd-socket-activate exec'd jcnid in its own process");

            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "no idle exit:\n" + log(dir));
            assertEquals(0, p.exitValue(), log(dir));
            assertTrue(log(dir).contains("drained (idle for 3 s (socket-activated))"), log(dir));
            assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "the socket file is the activator's, never removed by jcnid");
        } finally {
            pool.shutdownNow();
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            sandbox.close();
        }
    }

    /**
     * deploy/systemd's units as systemd would run them, at their own socket path
     * (/run/jcni/jcnid.sock, in a private mount namespace with its own /run, so the node's is never
     * touched): the activator listens where jcnid.socket says, jcnid gets jcnid.service's
     * environment, and a launcher and cnictl with no JCNI_SOCKET find it there.
     */
    @Test
    void theDeployedUnitsSocketPathServesLaunchersAndCnictlByDefault() throws Exception {
        assumeTrue(Files.isExecutable(ACTIVATE), "needs systemd-socket-activate (package systemd)");
        Map<String, List<String>> socketUnit = DeployUnitsTest.parse(DeployUnitsTest.UNITS.resolve("jcnid.socket"));
        Map<String, List<String>> serviceUnit = DeployUnitsTest.parse(DeployUnitsTest.UNITS.resolve("jcnid.service"));
        String path = DeployUnitsTest.one(socketUnit, "Socket.ListenSequentialPacket");
        String runDir = Path.of(path).getParent().toString();
        StringBuilder setEnv = new StringBuilder();
        for (String e : serviceUnit.get("Service.Environment")) {
            setEnv.append(" -E '").append(e).append('\'');
        }
        Path dir = JcnidProcess.newDirectory();
        Path bin = PluginRunner.OUR_BIN;
        String script = "set -e\n"
                + "mount -t tmpfs -o mode=0755 tmpfs /run\n"
                + "mkdir -p -m " + DeployUnitsTest.one(socketUnit, "Socket.DirectoryMode") + " " + runDir + "\n"
                + ACTIVATE + " --seqpacket -l " + path + setEnv + " " + bin.resolve("jcnid") + " > " + dir.resolve("activate.log") + " 2>&1 &\n"
                + "act=$!\n"
                + "i=0; until " + bin.resolve("cnictl") + " daemon status > /dev/null 2>&1; do sleep 0.1; i=$((i+1)); [ $i -lt 900 ] || exit 3; done\n"
                + "echo '{\"cniVersion\":\"1.0.0\",\"name\":\"u\",\"type\":\"tuning\"}' | env -i PATH=/usr/bin:/bin CNI_COMMAND=VERSION "
                + "JCNI_LAUNCHER_DEBUG=1 " + bin.resolve("tuning") + " > " + dir.resolve("version.out") + " 2> " + dir.resolve("version.err") + "\n"
                + "env -i PATH=/usr/bin:/bin " + bin.resolve("cnictl") + " daemon status > " + dir.resolve("status.json") + "\n"
                + "stat -c %a " + runDir + " > " + dir.resolve("mode") + "\n"
                + "kill -TERM $act; code=0; wait $act || code=$?; echo $code > " + dir.resolve("exit") + "\n"
                + "[ -S " + path + " ]\n";
        Cmd.Result r = Cmd.run(Duration.ofSeconds(240), "unshare", "--mount", "--propagation", "private", "sh", "-c", script);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr() + "\n" + log(dir));
        JsonNode version = Json.parse(Files.readString(dir.resolve("version.out")));
        assertEquals("1.0.0", version.path("cniVersion").asText(), version.toString());
        assertTrue(version.path("supportedVersions").toString().contains("\"1.1.0\""), version.toString());
        JsonNode status = Json.parse(Files.readString(dir.resolve("status.json")));
        assertEquals(Wire.DEFAULT_SOCKET, status.path("socket").asText());
        assertTrue(status.path("socketActivated").asBoolean(), status.toString());
        assertEquals(1, status.path("requests").path("byPlugin").path("tuning").path("VERSION").asInt(),
                "the launcher with no JCNI_SOCKET reached it: " + status + "\n" + Files.readString(dir.resolve("version.err")));
        assertEquals("700", Files.readString(dir.resolve("mode")).strip());
        assertEquals("0", Files.readString(dir.resolve("exit")).strip(), "SIGTERM: drained, exit 0\n" + log(dir));
    }

    private static Map<String, String> env(TestNetns sandbox, Path dir, String container) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", "ADD");
        env.put("CNI_CONTAINERID", container);
        env.put("CNI_NETNS", sandbox.path());
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", PluginRunner.OUR_BIN.toString());
        env.put("JCNI_LOCK_DIR", dir.resolve("locks").toString());
        env.put("JCNI_STATE_ROOTS", PluginRunner.TEST_STATE_ROOTS);
        return env;
    }

    private static byte[] conf(TestNetns sandbox, Path dir) {
        return ("{\"cniVersion\":\"1.0.0\",\"name\":\"sa-" + sandbox.suffix() + "\",\"ipam\":{\"type\":\"host-local\",\"dataDir\":\""
                + dir.resolve("ipam") + "\",\"ranges\":[[{\"subnet\":\"10.38.0.0/24\"}]]}}").getBytes(StandardCharsets.UTF_8);
    }

    private static void awaitFile(Path socket, Process p, Path dir) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("systemd-socket-activate did not listen:\n" + log(dir));
            }
            Thread.sleep(20);
        }
    }

    private static String log(Path dir) {
        try {
            return Files.readString(dir.resolve("activate.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
