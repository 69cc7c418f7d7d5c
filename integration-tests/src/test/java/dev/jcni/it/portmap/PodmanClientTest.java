package dev.jcni.it.portmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcni.core.os.netns.NetNs;
import dev.jcni.core.os.nft.NftListing;
import dev.jcni.core.os.process.ProcessRunner;
import dev.jcni.it.support.Cmd;
import dev.jcni.it.support.LeftoverSweep;
import dev.jcni.it.support.PluginRunner;
import dev.jcni.it.support.PrivateHost;
import dev.jcni.it.support.RequiresRoot;
import dev.jcni.it.support.TestRun;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real client first: Debian's podman 4.3.1 with its CNI backend runs a container with
 * {@code -p} through our {@code portmap} behind the reference {@code bridge}
 * (reference/podman-client.md has the recipe and its pitfalls): a TCP port, a UDP port and a TCP
 * port bound to 127.0.0.1, reached from the host; then {@code podman rm -f}, whose DEL must leave
 * no nftables element, rule or chain of the container and no UDP conntrack entry of its port.
 * No image is pulled: the container's root is a directory holding busybox-static.
 *
 * <p><b>Where podman acts.</b> podman runs under {@code nsenter --net} in a {@link PrivateHost},
 * and execs the plugins from there, so the bridge, addresses, routes, nftables and iptables rules,
 * conntrack entries and sysctls it and the plugins change are that namespace's, and go with it.
 * Its storage ({@code --root}, {@code --runroot}, vfs), its tmp dir (file locks, events), the CNI
 * config dir and host-local's data dir are under this run's scratch directory, named from the
 * run's lease like everything else; the container, bridge and network names carry the private
 * host's suffix. Outside both, podman itself makes, as on any host it runs on: the container's
 * network namespace ({@code /run/netns/netns-<uuid>}), libcni's result cache entry
 * ({@code /var/lib/cni/results/<network>-<container id>-eth0}) and the container's cgroup, all
 * removed by {@code podman rm -f} (run again in {@code finally}); what podman keeps for every
 * container it ever runs (the empty directory {@code /var/lib/cni/results}, cgroupfs'
 * {@code libpod_parent}) stays. Traffic only goes to the private host's own addresses.
 *
 * <p>busybox-static has no UDP server, so the UDP mapping is shown to reach the container
 * differently: the datagram reaches the container, whose kernel answers port unreachable (had it
 * not been forwarded, podman's own socket holding the host port, its port reservation, would
 * have taken it silently), and conntrack shows the flow's reply coming from the container's
 * address and port. TCP entries of finished connections are not flushed by DEL (closed connections, as
 * the reference leaves them; a new SYN replaces a TIME_WAIT entry), so only UDP is asserted.
 */
@RequiresRoot
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class PodmanClientTest {
    static final Path PODMAN = Path.of("/usr/bin/podman");
    static final Path RUNC = Path.of("/usr/sbin/runc");
    static final Path BUSYBOX = Path.of("/bin/busybox");
    /** Inside the private host only, where no other run can meet it. */
    static final String SUBNET = "10.197.0.0/24";
    static final int TCP_PORT = 18280;
    static final int LOOPBACK_PORT = 18281;
    static final int UDP_PORT = 18282;
    static final Duration PODMAN_TIMEOUT = Duration.ofSeconds(120);
    private static final ProcessRunner PROCESSES = new ProcessRunner();

    PrivateHost host;
    Path work;
    String tag;
    String network;
    String container;
    boolean running;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(Files.isExecutable(PODMAN), "skipped: no podman (deploy/install-deps.sh installs it)");
        assumeTrue(Files.isExecutable(RUNC), "skipped: no runc (deploy/install-deps.sh installs it)");
        assumeTrue(Files.isExecutable(BUSYBOX), "skipped: no /bin/busybox (busybox-static, deploy/install-deps.sh)");
        assumeTrue(InterfacePlugin.REFERENCE_BRIDGE.installed(), "skipped: no reference bridge in " + InterfacePlugin.REFERENCE_BRIDGE.dir);
        assertTrue(Files.isExecutable(PluginRunner.ours("portmap")), PluginRunner.ours("portmap") + ": run mvn -B -DskipTests package");
        host = PrivateHost.create();
        tag = host.netns().suffix();
        network = "pmpod-" + tag;
        container = "jcni-pm-" + tag;
        // Short: podman refuses a runroot longer than 50 characters.
        work = Files.createDirectory(TestRun.current().scratch().resolve("pod-" + tag));
    }

    @AfterEach
    void tearDown() {
        if (running) {
            Cmd.Result r = podmanResult("rm", "-f", "-t", "0", container);
            if (!r.ok()) {
                System.err.println("tearDown: podman rm -f " + container + " failed: " + r.stderr());
            }
        }
        if (host != null) {
            host.close();
        }
        if (work != null) {
            LeftoverSweep.deleteTree(work);
        }
    }

    private Path rootfs(String token) throws IOException {
        Path r = work.resolve("rootfs");
        for (String d : List.of("bin", "www", "proc", "sys", "dev", "etc", "tmp", "run")) {
            Files.createDirectories(r.resolve(d));
        }
        Files.copy(BUSYBOX, r.resolve("bin/busybox"));
        Files.createSymbolicLink(r.resolve("bin/sh"), Path.of("busybox"));
        Files.writeString(r.resolve("www/index.html"), token + "\n");
        Files.writeString(r.resolve("etc/hosts"), "");
        Files.writeString(r.resolve("etc/resolv.conf"), "");
        Files.writeString(r.resolve("etc/passwd"), "root:x:0:0:root:/:/bin/sh\n");
        return r;
    }

    /** The conflist (reference bridge, our portmap), our portmap first on podman's CNI path, and containers.conf. */
    private void configure() throws IOException {
        Path netd = Files.createDirectories(work.resolve("net.d"));
        Files.writeString(netd.resolve(network + ".conflist"), "{\"cniVersion\":\"0.4.0\",\"name\":\"" + network + "\",\"plugins\":["
                + "{\"type\":\"bridge\",\"bridge\":\"jpp" + tag + "\",\"isGateway\":true,\"ipMasq\":true,\"hairpinMode\":true,"
                + "\"ipam\":{\"type\":\"host-local\",\"ranges\":[[{\"subnet\":\"" + SUBNET + "\"}]],\"routes\":[{\"dst\":\"0.0.0.0/0\"}],"
                + "\"dataDir\":\"" + work.resolve("ipam") + "\"}},"
                + "{\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true}}]}");
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        Files.createSymbolicLink(plugins.resolve("portmap"), PluginRunner.ours("portmap"));
        long nofile = hardLimit("Max open files", 1048576);
        long nproc = hardLimit("Max processes", 4096);
        Files.writeString(work.resolve("containers.conf"), String.join("\n",
                "[containers]",
                // podman's defaults (nofile 1048576) fail where the hard limit is lower and root lacks CAP_SYS_RESOURCE.
                "default_ulimits = [\"nofile=" + nofile + ":" + nofile + "\", \"nproc=" + nproc + ":" + nproc + "\"]",
                "[network]",
                "network_backend = \"cni\"",
                "cni_plugin_dirs = [\"" + plugins + "\", \"" + InterfacePlugin.REFERENCE_BRIDGE.dir + "\"]",
                "network_config_dir = \"" + netd + "\"",
                "[engine]",
                // crun 1.8.1 refuses hybrid cgroup hierarchies; runc does not.
                "runtime = \"runc\"",
                "tmp_dir = \"" + work.resolve("tmp") + "\"",
                "lock_type = \"file\"",
                "events_logger = \"file\"",
                ""));
    }

    /** {@code min(hard limit of this JVM, wanted)} for a /proc/self/limits row. */
    private static long hardLimit(String row, long wanted) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith(row)) {
                String[] f = line.substring(row.length()).trim().split("\\s+");
                return "unlimited".equals(f[1]) ? wanted : Math.min(wanted, Long.parseLong(f[1]));
            }
        }
        return wanted;
    }

    private Cmd.Result podmanResult(String... args) {
        List<String> argv = new ArrayList<>(List.of(PODMAN.toString(), "--root", work.resolve("root").toString(),
                "--runroot", work.resolve("rr").toString(), "--storage-driver", "vfs"));
        argv.addAll(List.of(args));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("CONTAINERS_CONF", work.resolve("containers.conf").toString());
        env.put("JCNI_LOCK_DIR", work.resolve("locks").toString());
        List<String> full = host.inside(argv.toArray(new String[0]));
        try {
            ProcessRunner.Outcome o = PROCESSES.run(full, env, new byte[0], PODMAN_TIMEOUT);
            if (o.timedOut()) {
                throw new AssertionError(String.join(" ", full) + " did not finish within " + PODMAN_TIMEOUT.toSeconds() + " s");
            }
            return new Cmd.Result(String.join(" ", full), o.exitCode(), new String(o.stdout(), StandardCharsets.UTF_8),
                    new String(o.stderr(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + full + ": " + e, e);
        }
    }

    private String podman(String... args) {
        return podmanResult(args).orFail();
    }

    private NftListing table() throws Exception {
        return NftListing.parse(host.run("nft", "-j", "list", "table", "inet", "cni_hostport").orFail());
    }

    /** Everything in the table that names {@code id}: element and rule comments, and the chains elements go to. */
    private List<String> stateOf(String id) throws Exception {
        NftListing l = table();
        List<String> found = new ArrayList<>();
        List<String> chains = new ArrayList<>();
        for (var s : l.sets()) {
            for (var e : s.listedElements()) {
                if (e.comment() != null && e.comment().contains(id)) {
                    found.add(s.name() + " " + e);
                    if (e.verdict() != null && !chains.contains(e.verdict().target())) {
                        chains.add(e.verdict().target());
                    }
                }
            }
        }
        for (var r : l.rules()) {
            if (r.comment() != null && r.comment().contains(id)) {
                found.add("rule in " + r.chain().name() + ": " + r.comment());
            }
        }
        for (var c : l.chains()) {
            if (chains.contains(c.name())) {
                found.add("chain " + c.name());
            }
        }
        return found;
    }

    @Test
    void podmanRunPublishesTcpUdpAndLoopbackAndRmLeavesNothing() throws Exception {
        String token = "podman-" + tag;
        Path rootfs = rootfs(token);
        configure();
        assertEquals("cni", podman("info", "--format", "{{.Host.NetworkBackend}}").trim(), "podman's network backend");

        // Every option before --rootfs: the first positional argument is the rootfs, the rest the command.
        running = true;
        String id = podman("run", "-d", "--network", network,
                "-p", TCP_PORT + ":8080", "-p", "127.0.0.1:" + LOOPBACK_PORT + ":8080", "-p", UDP_PORT + ":9999/udp",
                "--name", container, "--rootfs", rootfs.toString(), "/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/www").trim();
        assertTrue(id.matches("[0-9a-f]{64}"), "podman run printed " + id);
        for (int i = 0; i < 100 && !host.accepts(PrivateHost.UPLINK_ADDRESS, TCP_PORT); i++) {
            Thread.sleep(100);
        }

        // TCP, from the host to its own address and to 127.0.0.1; the 127.0.0.1-bound port there only.
        assertEquals(token, host.httpGet(PrivateHost.UPLINK_ADDRESS, TCP_PORT).trim());
        assertEquals(token, host.httpGet("127.0.0.1", TCP_PORT).trim());
        assertEquals(token, host.httpGet("127.0.0.1", LOOPBACK_PORT).trim());
        assertFalse(host.accepts(PrivateHost.UPLINK_ADDRESS, LOOPBACK_PORT), "the 127.0.0.1-bound port answers on another address");

        // UDP: forwarded to the container, which has no UDP server: its kernel answers port unreachable.
        // Not forwarded, the datagram would reach podman's own socket holding the port (its port
        // reservation), which answers nothing.
        assertThrows(PortUnreachableException.class, () -> udpExchange(PrivateHost.UPLINK_ADDRESS, UDP_PORT));
        String flows = host.run("conntrack", "-L", "-p", "udp", "--dport", Integer.toString(UDP_PORT)).stdout();
        assertTrue(flows.contains("src=10.197.0.") && flows.contains("sport=9999"), "the reply comes from the container: " + flows);

        List<String> state = stateOf(id);
        assertEquals(3, countStartingWith(state, "hostport") + countStartingWith(state, "hostip_hostport"), "elements: " + state);
        assertEquals(1, countStartingWith(state, "chain "), "one chain: " + state);

        podman("rm", "-f", "-t", "0", container);
        running = false;
        assertEquals(List.of(), stateOf(id), "podman rm -f left state of the container");
        String after = host.run("conntrack", "-L", "-p", "udp", "--dport", Integer.toString(UDP_PORT)).stdout();
        assertFalse(after.contains("dport=" + UDP_PORT), "DEL flushed the UDP flow: " + after);
        assertFalse(host.accepts(PrivateHost.UPLINK_ADDRESS, TCP_PORT), "the port still answers after rm");
        assertFalse(Files.exists(Path.of("/var/lib/cni/results/" + network + "-" + id + "-eth0")), "libcni's cache entry is gone");
    }

    private static int countStartingWith(List<String> l, String prefix) {
        int n = 0;
        for (String s : l) {
            n += s.startsWith(prefix) ? 1 : 0;
        }
        return n;
    }

    /** A connected UDP exchange from inside the private host: the answer, or null; PortUnreachableException on ICMP port unreachable. */
    private String udpExchange(String address, int port) throws Exception {
        DatagramSocket s = NetNs.run(host.path(), () -> new DatagramSocket(new InetSocketAddress("0.0.0.0", 0)));
        try {
            s.connect(InetAddress.getByName(address), port);
            s.setSoTimeout(3000);
            byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
            byte[] buf = new byte[512];
            // A second datagram collects the ICMP error of the first if it arrives late.
            for (int i = 0; i < 2; i++) {
                s.send(new DatagramPacket(ping, ping.length));
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    s.receive(p);
                    return new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII);
                } catch (SocketTimeoutException again) {
                    // try once more
                }
            }
            return null;
        } finally {
            s.close();
        }
    }
}
