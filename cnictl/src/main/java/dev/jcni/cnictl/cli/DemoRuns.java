package dev.jcni.cnictl.cli;

import dev.jcni.core.protocol.CniException;
import dev.jcni.cnictl.runtime.CniRuntime;
import dev.jcni.cnictl.runtime.ConfigLoader;
import dev.jcni.cnictl.runtime.NetworkConfigList;
import dev.jcni.cnictl.runtime.RuntimeConf;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * All demo runs on this host, as their directories under the base ({@code /run/jcni-demo}, or
 * {@code $JCNI_DEMO_DIR}) show them: {@code run-<id>/owner} says which process runs it, and
 * {@code run-<id>/claims} which subnet, hostPort and bridge it took. Under the {@link DemoLock},
 * a new run sweeps what dead runs left, then claims what no live run holds, so two demos at once
 * never share a bridge, a subnet, a port or a directory.
 */
final class DemoRuns {
    static final Path DEFAULT_BASE = Path.of("/run/jcni-demo");
    static final String RUN_PREFIX = "run-";
    static final int FIRST_PORT = 18000;
    static final int PORTS = 1000;
    private static final Pattern DPORT = Pattern.compile("dports? (\\d+)");

    /**
     * One run directory.
     *
     * @param owner null when unreadable: the run directory and its owner are written under the
     *              lock, so a lock holder seeing none knows its creator died in between
     */
    record Run(String id, Path dir, DemoOwner owner, List<String> subnets, int hostPort, String bridge) {
        boolean alive() {
            return owner != null && owner.isAlive();
        }
    }

    private final DemoConsole console;
    private final Path base;
    private final Map<String, String> env;

    DemoRuns(DemoConsole console, Path base, Map<String, String> env) {
        this.console = console;
        this.base = base;
        this.env = env;
    }

    Path base() {
        return base;
    }

    DemoLock lock() throws IOException {
        return DemoLock.acquire(base);
    }

    /** Every run directory under the base. */
    List<Run> list() {
        List<Run> runs = new ArrayList<>();
        try (var entries = Files.list(base)) {
            for (Path dir : (Iterable<Path>) entries::iterator) {
                String name = dir.getFileName().toString();
                if (name.startsWith(RUN_PREFIX) && Files.isDirectory(dir)) {
                    runs.add(read(name.substring(RUN_PREFIX.length()), dir));
                }
            }
        } catch (IOException none) {
            // no base yet: no runs
        }
        return runs;
    }

    private static Run read(String id, Path dir) {
        DemoOwner owner = DemoOwner.parse(HostCommands.readQuietly(dir.resolve("owner")));
        List<String> subnets = new ArrayList<>();
        int port = 0;
        String bridge = null;
        for (String line : HostCommands.readQuietly(dir.resolve("claims")).split("\n")) {
            String[] f = line.trim().split(" ", 2);
            if (f.length < 2) {
                continue;
            }
            switch (f[0]) {
                case "subnet" -> subnets.add(f[1]);
                case "port" -> port = parsePort(f[1]);
                case "bridge" -> bridge = f[1];
                default -> { }
            }
        }
        return new Run(id, dir, owner, subnets, port, bridge);
    }

    private static int parsePort(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Cleans up after every dead run that changed this network namespace: DEL of its attachment
     * from its own cache and conflist (its veth, ifb, firewall rules, lease and backup), its
     * namespace (and any server still running in it), its bridge, its directory. A dead run of
     * another namespace is left to a demo there. Call while holding the lock.
     */
    void sweepDead() throws IOException {
        String here = DemoOwner.currentNetns();
        for (Run r : list()) {
            if (!r.alive() && (r.owner() == null || r.owner().netns().equals(here))) {
                console.say("cleaning up after demo run " + r.id() + (r.owner() == null ? ", which died while starting"
                        : ", whose process " + r.owner().pid() + " is gone"));
                sweep(r);
            }
        }
    }

    private void sweep(Run dead) {
        Path network = dead.dir().resolve(DemoSandbox.NETWORK_CONFLIST);
        if (Files.isRegularFile(network)) {
            try {
                NetworkConfigList list = ConfigLoader.fromFile(network);
                CniRuntime runtime = CniRuntime.builder()
                        .pluginPath(List.of(dead.dir().resolve("plugins")))
                        .cacheDir(dead.dir().resolve("cache"))
                        .timeout(Duration.ofSeconds(30))
                        .environment(env)
                        .build();
                // No capability args: the runtime replays the cached ones, as for the demo's own DEL.
                runtime.del(list, RuntimeConf.of(DemoSandbox.containerIdOf(dead.id()), DemoSandbox.netnsPathOf(dead.id()), "eth0"));
                console.say("  DEL of its attachment done");
            } catch (CniException e) {
                console.say("  DEL of its attachment failed (" + e.getMessage() + "); removing the rest anyway");
            }
        }
        DemoSandbox.removeNamespace(DemoSandbox.netnsNameOf(dead.id()));
        if (dead.bridge() != null && HostCommands.linkExists(dead.bridge())) {
            HostCommands.run("ip", "link", "del", dead.bridge());
        }
        DemoSandbox.deleteTree(dead.dir());
    }

    /** A new run: its directory, claimed exclusively, with its owner written. Call while holding the lock. */
    DemoSandbox newRun() throws IOException {
        SecureRandom random = new SecureRandom();
        for (int attempt = 0; attempt < 100; attempt++) {
            String id = String.format("%06x", random.nextInt(1 << 24));
            Path dir = base.resolve(RUN_PREFIX + id);
            try {
                Files.createDirectory(dir);
            } catch (FileAlreadyExistsException taken) {
                continue;
            }
            Path tmp = dir.resolve("owner.tmp");
            Files.writeString(tmp, DemoOwner.current().format(), StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve("owner"), StandardCopyOption.ATOMIC_MOVE);
            return new DemoSandbox(console, id, dir);
        }
        throw new IOException("no free run id under " + base);
    }

    /** The subnets claimed by live runs. */
    Set<String> claimedSubnets() {
        Set<String> out = new HashSet<>();
        for (Run r : list()) {
            if (r.alive()) {
                out.addAll(r.subnets());
            }
        }
        return out;
    }

    /**
     * The hostPort for a new run: {@code requested} (--host-port) if given and no live run holds
     * it, else one in 18000-18999 that no live run holds, no firewall rule names and nothing is
     * bound to. Call while holding the lock.
     */
    int chooseHostPort(String requested) throws Demo.Failure {
        Set<Integer> claimed = new HashSet<>();
        for (Run r : list()) {
            if (r.alive()) {
                claimed.add(r.hostPort());
            }
        }
        if (requested != null) {
            int port;
            try {
                port = Integer.parseInt(requested);
            } catch (NumberFormatException e) {
                port = 0;
            }
            if (port < 1 || port > 65535) {
                throw new Demo.Failure("--host-port needs a TCP port number (1-65535), got \"" + requested + "\"");
            }
            if (claimed.contains(port)) {
                throw new Demo.Failure("hostPort " + port + " is used by another demo running now; pass another --host-port");
            }
            return port;
        }
        Set<Integer> inRules = portsInFirewallRules();
        int first = new SecureRandom().nextInt(PORTS);
        for (int i = 0; i < PORTS; i++) {
            int port = FIRST_PORT + (first + i) % PORTS;
            if (claimed.contains(port) || inRules.contains(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress("0.0.0.0", port));
                return port;
            } catch (IOException busy) {
                // try the next one
            }
        }
        throw new Demo.Failure("no free TCP port in " + FIRST_PORT + "-" + (FIRST_PORT + PORTS - 1) + " for the hostPort");
    }

    /** Ports a DNAT rule may already forward (they are never bound, so a bind test cannot see them). */
    private static Set<Integer> portsInFirewallRules() {
        Set<Integer> ports = new HashSet<>();
        List<String> texts = new ArrayList<>();
        if (HostCommands.which("iptables-save") != null) {
            texts.add(HostCommands.run("iptables-save", "-t", "nat").text());
        }
        if (HostCommands.which("nft") != null) {
            texts.add(HostCommands.run("nft", "list", "ruleset").text());
        }
        for (String text : texts) {
            Matcher m = DPORT.matcher(text);
            while (m.find()) {
                ports.add(Integer.parseInt(m.group(1)));
            }
        }
        return ports;
    }

    /** Writes what this run took, for the runs that start while it lives. Call while holding the lock. */
    static void writeClaims(DemoSandbox run, List<String> subnets, int hostPort) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String s : subnets) {
            sb.append("subnet ").append(s).append('\n');
        }
        sb.append("port ").append(hostPort).append('\n');
        sb.append("bridge ").append(run.bridgeName()).append('\n');
        Path tmp = run.runDir().resolve("claims.tmp");
        Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, run.runDir().resolve("claims"), StandardCopyOption.ATOMIC_MOVE);
    }

    /** After a run: removes the base directory when no run is left in it. */
    void leave() {
        try (DemoLock l = lock()) {
            l.removeBaseIfIdle();
        } catch (IOException ignored) {
            // best effort: an empty directory under /run
        }
    }
}
