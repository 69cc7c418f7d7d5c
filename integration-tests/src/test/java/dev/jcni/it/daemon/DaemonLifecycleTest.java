package dev.jcni.it.daemon;

import dev.jcni.it.support.JcnidProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.daemon.DaemonClient;
import dev.jcni.core.daemon.Hello;
import dev.jcni.core.daemon.Reply;
import dev.jcni.core.daemon.Wire;
import dev.jcni.core.os.process.ProcessRunner;
import dev.jcni.core.os.socket.SeqpacketSocket;
import dev.jcni.core.protocol.Json;
import dev.jcni.it.support.Cmd;
import dev.jcni.it.support.PluginRunner;
import dev.jcni.it.support.RequiresRoot;
import dev.jcni.it.support.TestNetns;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * bin/jcnid's life: a stale socket at start, SIGTERM with 20 requests in flight (all answered,
 * exit 0), a launcher of another build (declined, then the daemon drains and exits), no free
 * worker, a peer that is neither root nor the daemon's user, garbage, and cnictl's status and stop.
 */
@RequiresRoot
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class DaemonLifecycleTest {
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private TestNetns sandbox;
    private Path work;

    @BeforeEach
    void setUp() throws Exception {
        sandbox = TestNetns.create();
        work = JcnidProcess.newDirectory();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
        sandbox.close();
    }

    private JcnidProcess start(String... settings) {
        JcnidProcess d = JcnidProcess.start(JcnidProcess.settings(settings));
        cleanup.add(d);
        return d;
    }

    private String conf() {
        return "{\"cniVersion\":\"1.0.0\",\"name\":\"lc-" + sandbox.suffix() + "\",\"ipam\":{\"type\":\"host-local\",\"dataDir\":\""
                + work.resolve("ipam") + "\",\"ranges\":[[{\"subnet\":\"10.37.0.0/24\"}]]}}";
    }

    private Map<String, String> add(String container) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", "ADD");
        env.put("CNI_CONTAINERID", container);
        env.put("CNI_NETNS", sandbox.path());
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", PluginRunner.OUR_BIN.toString());
        env.put("JCNI_LOCK_DIR", work.resolve("locks").toString());
        env.put("JCNI_STATE_ROOTS", PluginRunner.TEST_STATE_ROOTS);
        return env;
    }

    private DaemonClient.Answer hostLocalAdd(JcnidProcess d, String container) throws Exception {
        return LauncherStandIn.request(d.socket, "host-local", add(container), conf().getBytes(StandardCharsets.UTF_8));
    }

    private static int busyWorkers(JcnidProcess d) throws Exception {
        DaemonClient.Answer s = DaemonClient.control(d.socket, "status", "", Duration.ofSeconds(10));
        return Json.parse(s.stdout()).path("workers").path("busy").asInt();
    }

    private static void awaitBusy(JcnidProcess d, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (busyWorkers(d) != n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never " + n + " busy workers:\n" + d.log());
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aStaleSocketFileAtStartIsReplaced() throws Exception {
        Path dir = JcnidProcess.newDirectory();
        Path run = Files.createDirectory(dir.resolve("run"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(run.resolve("jcnid.sock")));
        }
        assertTrue(Files.exists(run.resolve("jcnid.sock"), LinkOption.NOFOLLOW_LINKS), "a dead daemon's socket file");
        JcnidProcess d = JcnidProcess.start(dir, Map.of());
        cleanup.add(d);
        assertEquals(0, hostLocalAdd(d, "stale").exitCode());
    }

    @Test
    void sigtermWithTwentyRequestsInFlightAnswersThemAllAndExitsZero() throws Exception {
        JcnidProcess d = start("JCNI_DAEMON_WORKERS", "32");
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<DaemonClient.Answer>> answers = new ArrayList<>();
            try (AttachmentLocks held = new AttachmentLocks(work.resolve("locks"), "host-local")) {
                for (int i = 0; i < 20; i++) {
                    String container = "inflight-" + i;
                    answers.add(pool.submit(() -> hostLocalAdd(d, container)));
                }
                awaitBusy(d, 20);
                d.terminate();
                d.awaitLog("stopping: SIGTERM; finishing 20 open requests");
                assertFalse(Files.exists(Path.of(d.socket), LinkOption.NOFOLLOW_LINKS), "new launchers find no socket while it drains");
            }
            Set<String> addresses = new HashSet<>();
            for (Future<DaemonClient.Answer> f : answers) {
                DaemonClient.Answer a = f.get(120, TimeUnit.SECONDS);
                assertTrue(a.accepted());
                assertEquals(0, a.exitCode(), new String(a.stdout(), StandardCharsets.UTF_8));
                addresses.add(Json.parse(a.stdout()).path("ips").path(0).path("address").asText());
            }
            assertEquals(20, addresses.size(), "twenty leases: " + addresses);
            assertEquals(0, d.awaitExit(), d.log());
            assertTrue(d.log().contains("drained (SIGTERM), 20 requests served"), d.log());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLauncherOfAnotherBuildIsDeclinedAndTheDaemonExitsAfterDraining() throws Exception {
        JcnidProcess d = start();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<DaemonClient.Answer> inFlight;
            try (AttachmentLocks held = new AttachmentLocks(work.resolve("locks"), "host-local")) {
                inFlight = pool.submit(() -> hostLocalAdd(d, "before-upgrade"));
                awaitBusy(d, 1);
                DaemonClient.Answer other = LauncherStandIn.request(d.socket, "0123456789abcdef", "host-local", add("after-upgrade"),
                        conf().getBytes(StandardCharsets.UTF_8));
                assertFalse(other.accepted());
                assertEquals(Wire.DECLINED_BUILD, other.reason(), other.message());
                assertTrue(other.message().contains("launcher build 0123456789abcdef, daemon build " + LauncherStandIn.BUILD), other.message());
                assertTrue(d.process.isAlive(), "it finishes what it accepted first");
            }
            DaemonClient.Answer finished = inFlight.get(60, TimeUnit.SECONDS);
            assertEquals(0, finished.exitCode());
            assertEquals(0, d.awaitExit(), d.log());
            assertFalse(Files.exists(Path.of(d.socket), LinkOption.NOFOLLOW_LINKS));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void noFreeWorkerIsDeclinedBusy() throws Exception {
        JcnidProcess d = start("JCNI_DAEMON_WORKERS", "1");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<DaemonClient.Answer> first;
            try (AttachmentLocks held = new AttachmentLocks(work.resolve("locks"), "host-local")) {
                first = pool.submit(() -> hostLocalAdd(d, "first"));
                awaitBusy(d, 1);
                DaemonClient.Answer second = hostLocalAdd(d, "second");
                assertFalse(second.accepted());
                assertEquals(Wire.DECLINED_BUSY, second.reason(), second.message());
            }
            assertEquals(0, first.get(60, TimeUnit.SECONDS).exitCode());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aPeerThatIsNeitherRootNorTheDaemonsUserIsDeclined() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(python), "needs /usr/bin/python3 to connect as another user");
        JcnidProcess d = start();
        // The socket's directory keeps other users out; opened here on purpose, to reach the
        // daemon's own check (SO_PEERCRED) behind it.
        Files.setPosixFilePermissions(d.dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(d.dir.resolve("run"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(Path.of(d.socket), PosixFilePermissions.fromString("rw-rw-rw-"));
        byte[] hello = new Hello(Wire.KIND_PLUGIN, LauncherStandIn.BUILD, "host-local", List.of("host-local"),
                List.of("CNI_COMMAND=VERSION"), 0, 0).encode();
        String script = "import socket,sys\n"
                + "s=socket.socket(socket.AF_UNIX,socket.SOCK_SEQPACKET)\n"
                + "s.connect(sys.argv[1])\n"
                + "try:\n    s.send(bytes.fromhex(sys.argv[2]))\nexcept OSError:\n    pass\n"
                + "print(s.recv(65536).hex())\n";
        Cmd.Result r = Cmd.run(Duration.ofSeconds(30), "setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups",
                python.toString(), "-c", script, d.socket, HexFormat.of().formatHex(hello));
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        Reply reply = Reply.decode(HexFormat.of().parseHex(r.stdout().trim()));
        assertEquals(Wire.DECLINED, reply.type());
        assertEquals(Wire.DECLINED_PEER, reply.reason(), reply.message());
        assertTrue(reply.message().startsWith("uid 65534 "), reply.message());
        assertTrue(d.awaitLog("declined (peer not allowed)").contains("declined (peer not allowed)"));
    }

    @Test
    void garbageIsDeclinedAndTheDaemonGoesOn() throws Exception {
        JcnidProcess d = start();
        try (SeqpacketSocket s = SeqpacketSocket.connect(d.socket)) {
            s.receiveTimeout(Duration.ofSeconds(30));
            s.send(HexFormat.of().parseHex("00ff00ff4a434e49deadbeef"));
            DaemonClient.Answer a = DaemonClient.readAnswer(s);
            assertFalse(a.accepted());
            assertEquals(Wire.DECLINED_MALFORMED, a.reason());
        }
        assertEquals(0, hostLocalAdd(d, "after-garbage").exitCode());
    }

    @Test
    void cnictlDaemonStatusAndStop() throws Exception {
        JcnidProcess d = start();
        assertEquals(0, hostLocalAdd(d, "counted").exitCode());
        Map<String, String> env = Map.of("JCNI_SOCKET", d.socket, "PATH", "/usr/bin:/bin");
        PluginRunner.Run s = run(env, "daemon", "status");
        assertEquals(0, s.exitCode(), s.stderr());
        JsonNode json = Json.parse(s.stdout().getBytes(StandardCharsets.UTF_8));
        assertEquals(d.process.pid(), json.path("pid").asLong());
        assertEquals(LauncherStandIn.BUILD, json.path("build").asText());
        assertEquals(1, json.path("requests").path("byPlugin").path("host-local").path("ADD").asInt());
        assertTrue(json.path("latencyMillis").has("p99"));

        PluginRunner.Run stop = run(env, "daemon", "stop");
        assertEquals(0, stop.exitCode(), stop.stderr());
        assertEquals("{\"stopping\":true}\n", stop.stdout());
        assertEquals(0, d.awaitExit(), d.log());
        PluginRunner.Run after = run(env, "daemon", "status");
        assertEquals(1, after.exitCode());
        assertTrue(after.stderr().contains("no daemon answers at " + d.socket), after.stderr());
    }

    @Test
    void itsMainClassRunDirectlyAsTheBuildsCacheCheckDoesDoesNotServe() throws Exception {
        // The last line of bin/jcnid: exec JAVA FLAGS... -cp CLASSPATH MAIN "$@"
        List<String> lines = Files.readAllLines(JcnidProcess.JCNID);
        List<String> argv = new ArrayList<>(List.of(lines.get(lines.size() - 1).split(" ")));
        assertEquals("exec", argv.remove(0));
        assertEquals("\"$@\"", argv.remove(argv.size() - 1));
        Path socket = JcnidProcess.newDirectory().resolve("run/jcnid.sock");
        ProcessRunner.Outcome o = new ProcessRunner().run(argv, Map.of("PATH", "/usr/bin:/bin", "JCNI_SOCKET", socket.toString(),
                "LC_ALL", "C.UTF-8"), new byte[0], Duration.ofSeconds(60));
        String err = new String(o.stderr(), StandardCharsets.UTF_8);
        assertFalse(o.timedOut(), "it served: " + err);
        assertEquals(0, o.exitCode(), err);
        assertTrue(err.contains("not started through its launcher script (bin/jcnid); not serving"), err);
        assertFalse(Files.exists(socket.getParent()), "no socket was made");
    }

    private static PluginRunner.Run run(Map<String, String> env, String... args) throws Exception {
        List<String> argv = new ArrayList<>();
        argv.add(PluginRunner.ours("cnictl").toString());
        argv.addAll(List.of(args));
        ProcessRunner.Outcome o = new ProcessRunner().run(argv, env, new byte[0], Duration.ofSeconds(60));
        assertFalse(o.timedOut(), "cnictl " + String.join(" ", args) + " timed out");
        return new PluginRunner.Run(o.exitCode(), new String(o.stdout(), StandardCharsets.UTF_8), new String(o.stderr(), StandardCharsets.UTF_8));
    }
}
