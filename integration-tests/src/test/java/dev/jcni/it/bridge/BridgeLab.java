package dev.jcni.it.bridge;

import dev.jcni.core.skel.StateRoots;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jcni.it.support.Cmd;
import dev.jcni.it.support.LeftoverSweep;
import dev.jcni.it.support.PluginRunner;
import dev.jcni.it.support.PrivateHost;
import dev.jcni.it.support.TestNetns;
import dev.jcni.it.support.TestRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A node for bridge tests: a {@link PrivateHost} the plugin runs in (its bridge, veths, rules and
 * forwarding never reach the real host), sandboxes of the test's own, and a scratch directory for
 * the IPAM store and the attachment locks. Plugins are exec'ed as a runtime on that host would:
 * {@code nsenter} into it, a minimal environment, CNI_PATH our bin/ (host-local in-process) unless
 * told otherwise. Everything goes in {@link #close}.
 */
final class BridgeLab implements AutoCloseable {
    static final Path OURS = PluginRunner.ours("bridge");
    static final Path REFERENCE = PluginRunner.reference("bridge");
    private static final ObjectMapper JSON = new ObjectMapper();

    final PrivateHost host;
    final Path work;
    final String network;
    private final List<TestNetns> sandboxes = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final String idPrefix = "br" + TestRun.current().nextId() + "-";

    BridgeLab() throws IOException {
        host = PrivateHost.create();
        try {
            work = Files.createTempDirectory(TestRun.current().scratch(), "bridge-");
        } catch (IOException | RuntimeException e) {
            host.close();
            throw e;
        }
        network = "brnet-" + host.netns().suffix();
    }

    /** A new sandbox namespace, closed with the lab. */
    TestNetns sandbox() {
        TestNetns ns = TestNetns.create();
        sandboxes.add(ns);
        return ns;
    }

    /** A container ID unique to this run. */
    String id(String name) {
        return idPrefix + name;
    }

    Path ipamDir() {
        return work.resolve("ipam");
    }

    /** The store directory of {@link #network}. */
    Path store() {
        return ipamDir().resolve(network);
    }

    /** A bridge config of {@link #network} with host-local {@code ranges} (JSON text) and more members. */
    String conf(String version, String bridge, String ranges, String extra) {
        return "{\"cniVersion\":\"" + version + "\",\"name\":\"" + network + "\",\"type\":\"bridge\",\"bridge\":\"" + bridge + "\""
                + (ranges == null ? "" : ",\"ipam\":{\"type\":\"host-local\",\"dataDir\":\"" + ipamDir() + "\",\"ranges\":" + ranges
                + ",\"routes\":[{\"dst\":\"0.0.0.0/0\"},{\"dst\":\"::/0\"}]}")
                + extra + "}";
    }

    /** Runs {@code plugin} in the host for an attachment of {@code sandbox} (null: CNI_NETNS empty). */
    PluginRunner.Run run(Path plugin, String command, String config, String container, TestNetns sandbox, Map<String, String> more)
            throws IOException {
        boolean attachment = !command.equals("GC") && !command.equals("STATUS");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", attachment ? id(container) : "");
        env.put("CNI_NETNS", attachment && sandbox != null ? sandbox.path() : "");
        env.put("CNI_IFNAME", attachment ? "eth0" : "");
        env.put("CNI_PATH", PluginRunner.OUR_BIN.toString());
        env.put("JCNI_LOCK_DIR", work.resolve("locks").toString());
        env.put(StateRoots.VARIABLE, PluginRunner.TEST_STATE_ROOTS);
        env.putAll(more);
        return host.exec(plugin, env, config);
    }

    PluginRunner.Run run(String command, String config, String container, TestNetns sandbox) throws IOException {
        return run(OURS, command, config, container, sandbox, Map.of());
    }

    /** ADD with our bridge that must succeed; its result. */
    JsonNode add(String config, String container, TestNetns sandbox) throws IOException {
        return run("ADD", config, container, sandbox).assertOk().json();
    }

    void del(String config, String container, TestNetns sandbox) throws IOException {
        run("DEL", config, container, sandbox).assertOk();
    }

    /** The error object of a run that must fail. */
    static JsonNode error(PluginRunner.Run r) {
        assertEquals(1, r.exitCode(), "expected a failure: " + r.stdout() + r.stderr());
        return r.json();
    }

    // ------------------------------------------------------------------ reading the kernel

    /** {@code ip -j [-d] -n NS args}, parsed. */
    static JsonNode ipJson(String namespace, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "-j", "-d", "-n", namespace));
        cmd.addAll(List.of(args));
        String out = Cmd.check(cmd.toArray(new String[0]));
        try {
            return JSON.readTree(out.isBlank() ? "[]" : out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names of the host's links of {@code kind} (veth, bridge...), the private host's own uplink aside. */
    List<String> hostLinks(String kind) {
        List<String> out = new ArrayList<>();
        for (JsonNode l : ipJson(host.name(), "link", "show")) {
            String name = l.get("ifname").asText();
            if (kind.equals(l.path("linkinfo").path("info_kind").asText()) && !name.startsWith("uplink")) {
                out.add(name);
            }
        }
        return out;
    }

    /** Names of the ports of {@code bridge}, in index order. */
    List<String> ports(String bridge) {
        List<String> out = new ArrayList<>();
        for (JsonNode l : ipJson(host.name(), "link", "show")) {
            if (bridge.equals(l.path("master").asText())) {
                out.add(l.get("ifname").asText());
            }
        }
        return out;
    }

    /** Addresses ({@code 10.1.0.1/24}) of a link, global scope. */
    static List<String> addresses(String namespace, String link) {
        List<String> out = new ArrayList<>();
        for (JsonNode l : ipJson(namespace, "addr", "show", "dev", link)) {
            for (JsonNode a : l.path("addr_info")) {
                if (a.path("scope").asText().equals("global")) {
                    out.add(a.get("local").asText() + "/" + a.get("prefixlen").asInt());
                }
            }
        }
        return out;
    }

    /** The host's nftables ruleset as text ({@code nft list ruleset}). */
    String ruleset() {
        return host.run("nft", "list", "ruleset").orFail();
    }

    /** Lease files of the store (the lock and round-robin records left out), with their text. */
    Map<String, String> leases() throws IOException {
        Map<String, String> out = new TreeMap<>();
        if (!Files.isDirectory(store())) {
            return out;
        }
        try (Stream<Path> files = Files.list(store())) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (!name.equals("lock") && !name.startsWith("last_reserved_ip")) {
                    out.put(name, Files.readString(p));
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ traffic

    /** True when {@code count} pings from {@code from} to {@code address} get an answer within the deadline. */
    static boolean ping(TestNetns from, String address) {
        String ping = address.contains(":") ? "-6" : "-4";
        return from.execResult("ping", ping, "-c", "1", "-W", "1", address).ok();
    }

    /** {@link #ping}, retried for up to {@code seconds} (IPv6 DAD on the host side, neighbour discovery). */
    static boolean pingWithin(TestNetns from, String address, int seconds) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        do {
            if (ping(from, address)) {
                return true;
            }
        } while (System.nanoTime() < deadline);
        return false;
    }

    /** A TCP server in {@code ns} on {@code port} answering each connection with its peer's address. */
    Process serveTcp(TestNetns ns, int port) throws IOException {
        String script = "import socket\n"
                + "s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)\n"
                + "s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)\n"
                + "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
                + "s.bind(('::', " + port + ")); s.listen(16)\n"
                + "while True:\n"
                + "    c, a = s.accept(); c.sendall((a[0] + '\\n').encode()); c.close()\n";
        Path file = work.resolve("server-" + port + ".py");
        Files.writeString(file, script);
        Process p = new ProcessBuilder("ip", "netns", "exec", ns.name(), "python3", file.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("server-" + ns.name() + ".log").toFile()).start();
        processes.add(p);
        return p;
    }

    /** The line a TCP connection from {@code ns} to {@code address:port} reads, or null (refused, silent, unreachable). */
    static String tcp(TestNetns ns, String address, int port) {
        Cmd.Result r = ns.execResult("python3", "-c", "import socket,sys\n"
                + "try:\n"
                + "    s = socket.create_connection(('" + address + "', " + port + "), timeout=3)\n"
                + "    s.settimeout(3); print(s.recv(200).decode().strip())\n"
                + "except Exception as e:\n"
                + "    sys.exit(1)\n");
        return r.ok() ? r.stdout().trim() : null;
    }

    /** {@link #tcp}, retried for up to {@code seconds} while the server starts. */
    static String tcpWithin(TestNetns ns, String address, int port, int seconds) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        String answer;
        do {
            answer = tcp(ns, address, port);
        } while (answer == null && System.nanoTime() < deadline);
        return answer;
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        for (TestNetns ns : sandboxes) {
            ns.close();
        }
        host.close();
        LeftoverSweep.deleteTree(work);
    }
}
