package dev.jcni.core.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.runtime.CniRuntime;
import dev.jcni.core.runtime.ConfigLoader;
import dev.jcni.core.runtime.NetworkConfigList;
import dev.jcni.core.runtime.PluginConfig;
import dev.jcni.core.runtime.PluginExecution;
import dev.jcni.core.runtime.PluginFailure;
import dev.jcni.core.runtime.RuntimeConf;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code cnictl demo}: the whole product in one command, on a real kernel. It makes a sandbox
 * network namespace, attaches it with the shipped conflist (bridge -> portmap -> bandwidth ->
 * tuning), serves HTTP inside, fetches it through the hostPort on 127.0.0.1 and on the host's
 * own address, shows what each plugin changed and how long each took, runs CHECK, tears
 * everything down and proves nothing is left. Any failed step fails the demo (exit 1), and
 * everything it made is removed even then.
 *
 * <p>Traffic only ever goes to local addresses and into the namespace it created.
 */
final class Demo {
    static final String NETWORK_FILE = "jcni-demo.conflist";
    static final int CONTAINER_PORT = 8080;
    static final Path SYSTEM_PLUGINS = Path.of("/usr/lib/cni");
    static final String INSTALL_HINT = "apt-get install -y containernetworking-plugins iproute2 iptables nftables python3";

    /** A failed step: what failed and why. */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message);
        }
    }

    private final CommandLine cl;
    private final Map<String, String> env;
    private final PrintStream err;
    private final DemoConsole console;
    private final ExecLog executions;

    private final Map<String, PluginChoice> choices = new LinkedHashMap<>();
    private DemoSandbox sandbox;
    private NetworkConfigList list;
    private CniRuntime runtime;
    private RuntimeConf rt;
    private boolean added;
    private boolean deleted;
    private HttpCheck http;
    private int hostPort;
    private ObjectNode result;
    private String containerIp;
    private final Set<String> hostLinks = new LinkedHashSet<>();
    private final Set<String> firewallChains = new LinkedHashSet<>();

    Demo(CommandLine cl, Map<String, String> env, PrintStream out, PrintStream err) {
        this.cl = cl;
        this.env = env;
        this.err = err;
        this.console = new DemoConsole(out);
        this.executions = new ExecLog(err);
    }

    int run() {
        long start = System.nanoTime();
        console.banner("jcni demo: a sandbox attached with bridge -> portmap -> bandwidth -> tuning, driven by the jcni runtime");
        boolean ok = false;
        try {
            preflight();
            prepare();
            createNamespace();
            attach();
            showChanges();
            check();
            serveAndFetch();
            teardown();
            verifyNothingLeft();
            ok = true;
        } catch (Failure e) {
            err.println();
            err.println("FAILED: " + e.getMessage());
        } catch (CniException e) {
            err.println();
            err.println("FAILED: " + e.msg() + (e.details().isEmpty() ? "" : "; " + e.details()) + " (code " + e.code() + ")");
        } catch (IOException | RuntimeException e) {
            err.println();
            err.println("FAILED: " + e);
        } finally {
            cleanUp();
        }
        console.blankLine();
        if (ok) {
            console.banner("demo passed in " + DemoConsole.seconds(System.nanoTime() - start) + " s");
            return 0;
        }
        console.banner("demo FAILED after " + DemoConsole.seconds(System.nanoTime() - start)
                + " s (everything it made was removed)");
        return 1;
    }

    // ------------------------------------------------------------------ steps

    private void preflight() throws Failure {
        console.step("preflight");
        if (!isRoot()) {
            throw new Failure("the demo changes the host's network: run it as root (sudo bin/cnictl demo)");
        }
        List<String> missing = new ArrayList<>();
        for (String tool : new String[] {"ip", "tc", "python3"}) {
            if (HostCommands.which(tool) == null) {
                missing.add(tool);
            }
        }
        if (!missing.isEmpty()) {
            throw new Failure("missing " + missing + "; install with: " + INSTALL_HINT);
        }
        console.say("root, ip, tc and python3 are there");
    }

    private void prepare() throws Failure, CniException, IOException {
        console.step("configuration and plugins");
        sandbox = new DemoSandbox(console);
        sandbox.createRunDir();
        Path conflist = locateConflist();
        list = ConfigLoader.fromFile(conflist);
        console.say("network \"" + list.name() + "\" (cniVersion " + list.cniVersion() + ") from " + conflist);
        sandbox.useBridge(bridgeNameOf(list));
        checkSubnetIsFree();

        Path binDir = locateBin();
        Path systemDir = cl.systemPluginDir != null ? Path.of(cl.systemPluginDir) : SYSTEM_PLUGINS;
        Path pluginDir = Files.createDirectories(sandbox.runDir().resolve("plugins"));
        for (String type : pluginTypes(list)) {
            PluginChoice choice = PluginChoice.choose(type, binDir, systemDir, list.cniVersion());
            choice.install(pluginDir);
            choices.put(type, choice);
            console.say(String.format("%-10s -> %s  (%s)", type, choice.binary(), choice.why()));
        }
        if (!choices.get("portmap").ours() && HostCommands.which("iptables") == null) {
            throw new Failure("the system's portmap needs iptables; install with: " + INSTALL_HINT);
        }
        runtime = CniRuntime.builder()
                .pluginPath(List.of(pluginDir))
                .cacheDir(sandbox.cacheDir())
                .timeout(timeout())
                .environment(env)
                .observer(executions)
                .build();
        hostPort = chooseHostPort();
        console.say("CNI_PATH=" + pluginDir + "  cache=" + sandbox.cacheDir() + "  hostPort " + hostPort + " -> " + CONTAINER_PORT);
    }

    private void createNamespace() throws Failure {
        console.step("sandbox");
        sandbox.createNamespace();
    }

    private void attach() throws CniException, Failure {
        console.step("ADD");
        ObjectNode caps = Json.NODES.objectNode();
        ArrayNode mappings = caps.putArray("portMappings");
        mappings.addObject().put("hostPort", hostPort).put("containerPort", CONTAINER_PORT).put("protocol", "tcp");
        caps.putObject("bandwidth").put("ingressRate", 100_000_000L).put("ingressBurst", 10_000_000L)
                .put("egressRate", 100_000_000L).put("egressBurst", 10_000_000L);
        rt = new RuntimeConf("jcni-demo-" + sandbox.id(), sandbox.netnsPath(), "eth0",
                List.of(new RuntimeConf.Arg("IgnoreUnknown", "1"), new RuntimeConf.Arg("K8S_POD_NAME", "demo")), caps);
        console.say("container " + rt.containerId() + ", capability args " + Json.toString(caps));
        added = true; // from here on, cleanup must DEL even if ADD fails half-way
        int from = executions.mark();
        CniRuntime.AddResult r;
        try {
            r = runtime.add(list, rt);
        } finally {
            printTimings(from); // also when a plugin failed: shows which ones ran and how
        }
        result = r.json();
        if (r.result().ips().isEmpty()) {
            throw new Failure("the ADD result has no IP address: " + Json.toString(result));
        }
        String address = r.result().ips().get(0).address();
        containerIp = address.substring(0, address.indexOf('/'));
        console.say("result: " + Json.toString(result));
        console.say("cached in " + runtime.cache().path(list.name(), rt));
    }

    private void showChanges() {
        console.step("what each plugin changed");
        for (PluginExecution e : executions.of("ADD")) {
            console.heading(e.pluginType() + ":");
            for (String line : resultChanges(e)) {
                console.detail(line);
            }
            switch (e.pluginType()) {
                case "portmap":
                    for (String line : firewallLines()) {
                        console.detail(line);
                    }
                    break;
                case "bandwidth":
                    for (String link : hostLinks) {
                        for (String q : HostCommands.run("tc", "qdisc", "show", "dev", link).lines()) {
                            console.detail("tc " + link + ": " + q.trim());
                        }
                    }
                    break;
                case "tuning":
                    for (String line : tuningView(e)) {
                        console.detail(line);
                    }
                    break;
                default:
            }
        }
    }

    private void check() throws CniException {
        console.step("CHECK");
        int from = executions.mark();
        try {
            runtime.check(list, rt);
        } catch (PluginFailure e) {
            PluginChoice c = choices.get(e.pluginType());
            if (!e.pluginType().equals("portmap") || c == null || c.ours() || !e.pluginMsg().contains("ipv6")) {
                throw e;
            }
            // Debian's portmap 1.1.1 checks IPv6 chains it never made (fixed upstream in v1.3.0,
            // reference-plugins.md §7): a plugin bug, not an attachment problem. CHECK the rest.
            printTimings(from);
            console.say("system portmap 1.1.1 fails CHECK on IPv4-only mappings (known bug, fixed upstream in v1.3.0): "
                    + e.pluginMsg());
            List<PluginConfig> rest = new ArrayList<>();
            for (PluginConfig p : list.plugins()) {
                if (!p.type().equals("portmap")) {
                    rest.add(p);
                }
            }
            from = executions.mark();
            runtime.check(list.withPlugins(rest), rt);
            printTimings(from);
            console.say("every other plugin confirms the attachment is as the cached result says");
            return;
        }
        printTimings(from);
        console.say("every plugin confirms the attachment is as the cached result says");
    }

    private void serveAndFetch() throws Failure, IOException {
        console.step("HTTP through the hostPort");
        http = new HttpCheck(console, sandbox, containerIp, CONTAINER_PORT, hostPort);
        http.run();
    }

    private void teardown() throws CniException, Failure, IOException {
        console.step("DEL and teardown");
        http.stop();
        int from = executions.mark();
        // No capability args: portmap and bandwidth get theirs back from the cache.
        runtime.del(list, new RuntimeConf(rt.containerId(), rt.netns(), rt.ifName(), List.of(), null));
        deleted = true;
        printTimings(from);
        for (PluginExecution e : executions.of("DEL")) {
            if (e.pluginType().equals("portmap")) {
                JsonNode sent = Json.parse(e.stdin()).path("runtimeConfig").path("portMappings");
                console.say("portmap DEL received " + Json.toString(sent) + " from the cache (the caller passed none)");
            }
        }
        sandbox.deleteNamespace();
        sandbox.removeBridge();
    }

    private void verifyNothingLeft() throws Failure {
        console.step("nothing left behind");
        List<String> problems = new ArrayList<>();
        console.expect(problems, !Files.exists(Path.of(sandbox.netnsPath())), "no namespace " + sandbox.netnsName());
        for (String link : hostLinks) {
            console.expect(problems, !HostCommands.linkExists(link), "no link " + link + (link.startsWith("bwp") ? " (ifb)" : " (veth)"));
        }
        console.expect(problems, sandbox.bridgeExisted() || !HostCommands.linkExists(sandbox.bridgeName()),
                "no bridge " + sandbox.bridgeName());
        List<String> rules = rulesMentioningUs();
        console.expect(problems, rules.isEmpty(), "no iptables/nftables rule for " + rt.containerId() + " or port " + hostPort
                + (rules.isEmpty() ? "" : ": " + rules));
        Path leases = leaseDir();
        List<String> ours = leasesOfUs(leases);
        console.expect(problems, ours.isEmpty(), "no host-local lease in " + leases + (ours.isEmpty() ? "" : ": " + ours));
        Path cacheFile;
        try {
            cacheFile = runtime.cache().path(list.name(), rt);
        } catch (CniException e) {
            throw new Failure(e.getMessage());
        }
        console.expect(problems, !Files.exists(cacheFile), "no cache file " + cacheFile);
        if (!problems.isEmpty()) {
            throw new Failure("left behind: " + String.join("; ", problems));
        }
        console.say("(kept on purpose, as with any CNI runtime: the nat chains CNI-HOSTPORT-* that every portmap user"
                + " shares, and net.ipv4.ip_forward=1 set by bridge's isGateway)");
    }

    // ------------------------------------------------------------------ cleanup

    /** Best effort, idempotent, never throws: runs after success and after any failure. */
    private void cleanUp() {
        if (http != null) {
            http.stop();
        }
        if (added && !deleted && runtime != null) {
            try {
                runtime.del(list, rt);
                deleted = true;
                err.println("cleanup: DEL done");
            } catch (CniException e) {
                err.println("cleanup: DEL failed: " + e.getMessage());
            }
        }
        if (sandbox != null) {
            sandbox.cleanUp();
        }
    }

    // ------------------------------------------------------------------ helpers: plugins and config

    private Path locateConflist() throws Failure, IOException {
        if (cl.conflist != null) {
            return Path.of(cl.conflist);
        }
        String fromEnv = env.get("JCNI_DEMO_CONFLIST");
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return Path.of(fromEnv);
        }
        Path bin = locateBin();
        if (bin != null) {
            Path shipped = bin.toAbsolutePath().getParent().resolve("deploy/demo/" + NETWORK_FILE);
            if (Files.isRegularFile(shipped)) {
                return shipped;
            }
        }
        // Bundled in the jar as well, for a bin/ copied elsewhere.
        try (InputStream in = Demo.class.getResourceAsStream(NETWORK_FILE)) {
            if (in == null) {
                throw new Failure("cannot find " + NETWORK_FILE + "; pass --conflist FILE");
            }
            Path copy = sandbox.runDir().resolve(NETWORK_FILE);
            Files.write(copy, in.readAllBytes());
            return copy;
        }
    }

    /** bin/: --bin, $JCNI_BIN, or where this class was loaded from (bin/lib/*.jar or <repo>/chain-core/target/classes). */
    private Path locateBin() {
        if (cl.binDir != null) {
            return Path.of(cl.binDir);
        }
        String fromEnv = env.get("JCNI_BIN");
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return Path.of(fromEnv);
        }
        try {
            Path code = Path.of(Demo.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
            Path parent = code.getParent();
            if (parent != null && parent.getFileName() != null && parent.getFileName().toString().equals("lib")
                    && parent.getParent() != null) {
                return parent.getParent();
            }
            for (Path p = code; p != null; p = p.getParent()) {
                if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("chain-core"))) {
                    return p.resolve("bin");
                }
            }
        } catch (Exception e) {
            // no code source (e.g. a custom class loader): bin/ stays unknown, the system plugins are used
        }
        return null;
    }

    /** The types of the chain, with the IPAM plugins they delegate to, in order. */
    private static List<String> pluginTypes(NetworkConfigList list) {
        Set<String> types = new LinkedHashSet<>();
        for (PluginConfig p : list.plugins()) {
            types.add(p.type());
            JsonNode ipam = p.tree().path("ipam").path("type");
            if (ipam.isTextual()) {
                types.add(ipam.textValue());
            }
        }
        return new ArrayList<>(types);
    }

    private static String bridgeNameOf(NetworkConfigList list) throws Failure {
        for (PluginConfig p : list.plugins()) {
            if (p.type().equals("bridge")) {
                return p.tree().path("bridge").asText("cni0");
            }
        }
        throw new Failure("the demo conflist must start with a bridge plugin");
    }

    private void checkSubnetIsFree() throws Failure {
        for (PluginConfig p : list.plugins()) {
            for (JsonNode range : p.tree().path("ipam").path("ranges")) {
                for (JsonNode r : range) {
                    String subnet = r.path("subnet").asText("");
                    if (subnet.isEmpty()) {
                        continue;
                    }
                    for (String route : HostCommands.run("ip", "-4", "route", "show", "match", subnet).lines()) {
                        if (!route.startsWith("default") && !route.contains("dev " + sandbox.bridgeName() + " ")) {
                            throw new Failure("the demo subnet " + subnet + " is already routed on this host (" + route.trim()
                                    + "); pass --conflist with another subnet");
                        }
                    }
                    console.say("subnet " + subnet + " on bridge " + sandbox.bridgeName() + " is free");
                }
            }
        }
    }

    private Duration timeout() throws Failure {
        try {
            return cl.timeout(Duration.ofSeconds(30));
        } catch (CommandLine.UsageException e) {
            throw new Failure(e.getMessage());
        }
    }

    private int chooseHostPort() throws Failure {
        if (cl.hostPort != null) {
            try {
                return Integer.parseInt(cl.hostPort);
            } catch (NumberFormatException e) {
                throw new Failure("--host-port needs a number, got " + cl.hostPort);
            }
        }
        int first = 18000 + new SecureRandom().nextInt(1000);
        for (int i = 0; i < 1000; i++) {
            int port = 18000 + (first - 18000 + i) % 1000;
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress("0.0.0.0", port));
                return port;
            } catch (IOException busy) {
                // try the next one
            }
        }
        throw new Failure("no free TCP port in 18000-18999 for the hostPort");
    }

    // ------------------------------------------------------------------ helpers: what changed

    /** Interfaces and addresses this plugin added or changed in the result, from its prevResult and its output. */
    private List<String> resultChanges(PluginExecution e) {
        List<String> lines = new ArrayList<>();
        try {
            JsonNode prev = Json.parse(e.stdin()).path("prevResult");
            JsonNode now = Json.parse(e.stdout());
            Map<String, JsonNode> before = new LinkedHashMap<>();
            for (JsonNode i : prev.path("interfaces")) {
                before.put(i.path("name").asText() + "@" + i.path("sandbox").asText(""), i);
            }
            for (JsonNode i : now.path("interfaces")) {
                String key = i.path("name").asText() + "@" + i.path("sandbox").asText("");
                JsonNode old = before.get(key);
                String where = i.path("sandbox").asText("").isEmpty() ? "host" : "in " + i.path("sandbox").asText();
                if (old == null) {
                    lines.add("interface " + i.path("name").asText() + " (" + where + ") mac " + i.path("mac").asText("?"));
                    if (where.equals("host") && !i.path("name").asText().equals(sandbox.bridgeName())) {
                        hostLinks.add(i.path("name").asText());
                    }
                } else if (!old.equals(i)) {
                    lines.add("interface " + i.path("name").asText() + " (" + where + ") now " + Json.toString(i));
                }
            }
            Set<String> oldIps = new LinkedHashSet<>();
            for (JsonNode ip : prev.path("ips")) {
                oldIps.add(ip.path("address").asText());
            }
            for (JsonNode ip : now.path("ips")) {
                if (!oldIps.contains(ip.path("address").asText())) {
                    lines.add("address " + ip.path("address").asText() + " gateway " + ip.path("gateway").asText("-"));
                }
            }
            if (!prev.path("routes").equals(now.path("routes"))) {
                lines.add("routes " + Json.toString(now.path("routes")));
            }
        } catch (IOException ex) {
            lines.add("(output not readable: " + ex.getMessage() + ")");
        }
        if (lines.isEmpty()) {
            lines.add("result passed through unchanged");
        }
        lines.add(String.format("exec took %s ms", DemoConsole.millis(e.elapsed())));
        return lines;
    }

    /** iptables rules naming this container (bridge's ipMasq, portmap's DNAT) and nftables rules for the hostPort. */
    private List<String> firewallLines() {
        List<String> lines = new ArrayList<>();
        List<String> nat = HostCommands.run("iptables-save", "-t", "nat").lines();
        for (String l : nat) {
            if (l.contains(rt.containerId())) {
                int j = l.indexOf(" -j ");
                if (j > 0) {
                    String target = l.substring(j + 4).trim().split("\\s+")[0];
                    if (target.startsWith("CNI-") && !target.startsWith("CNI-HOSTPORT-")) {
                        firewallChains.add(target);
                    }
                }
            }
        }
        for (String l : nat) {
            boolean inOurChain = false;
            for (String c : firewallChains) {
                inOurChain |= l.startsWith("-A " + c + " ");
            }
            if (l.startsWith("-A ") && (l.contains(rt.containerId()) || inOurChain)) {
                lines.add("iptables -t nat " + l);
            }
        }
        for (String l : nftRulesMentioningUs()) {
            lines.add("nft " + l);
        }
        String localnet = HostCommands.readQuietly(Path.of("/proc/sys/net/ipv4/conf/" + sandbox.bridgeName() + "/route_localnet"));
        lines.add("net.ipv4.conf." + sandbox.bridgeName() + ".route_localnet = " + localnet.trim() + " (lets 127.0.0.1:" + hostPort + " be DNATed)");
        return lines;
    }

    /** nftables rules outside iptables-nft's own tables that name the container or the hostPort. */
    private List<String> nftRulesMentioningUs() {
        List<String> out = new ArrayList<>();
        if (HostCommands.which("nft") == null) {
            return out;
        }
        String table = "";
        for (String l : HostCommands.run("nft", "list", "ruleset").lines()) {
            String t = l.trim();
            if (t.startsWith("table ")) {
                table = t.substring(6).replace(" {", "");
                continue;
            }
            boolean iptablesTable = table.matches("ip6? (nat|filter|mangle|raw|security)");
            if (!iptablesTable && (t.contains(rt.containerId()) || t.contains("dport " + hostPort))) {
                out.add("[" + table + "] " + t);
            }
        }
        return out;
    }

    private List<String> tuningView(PluginExecution e) {
        List<String> lines = new ArrayList<>();
        JsonNode conf = Json.NODES.objectNode();
        try {
            conf = Json.parse(e.stdin());
        } catch (IOException ignored) {
            // shown as nothing configured
        }
        for (Map.Entry<String, JsonNode> s : conf.path("sysctl").properties()) {
            String file = "/proc/sys/" + s.getKey().replace('.', '/');
            String value = HostCommands.run("ip", "netns", "exec", sandbox.netnsName(), "cat", file).text().trim();
            lines.add("sysctl " + s.getKey() + " = " + value + " in the sandbox (asked: " + s.getValue().asText() + ")");
        }
        if (conf.has("mtu")) {
            String link = HostCommands.run("ip", "-n", sandbox.netnsName(), "-o", "link", "show", "dev", rt.ifName()).text();
            String[] f = link.trim().split("\\s+");
            String mtu = "?";
            for (int i = 0; i + 1 < f.length; i++) {
                if (f[i].equals("mtu")) {
                    mtu = f[i + 1];
                }
            }
            lines.add(rt.ifName() + " mtu " + mtu + " in the sandbox (asked: " + conf.get("mtu").asText() + ")");
        }
        return lines;
    }

    // ------------------------------------------------------------------ helpers: leftovers

    private List<String> rulesMentioningUs() {
        List<String> out = new ArrayList<>();
        for (String l : HostCommands.run("iptables-save").lines()) {
            boolean ours = l.contains(rt.containerId()) || (l.contains("--dport " + hostPort + " ") || l.endsWith("--dport " + hostPort));
            for (String c : firewallChains) {
                ours |= l.contains(c + " ") || l.endsWith(c);
            }
            if (ours && !l.startsWith("#")) {
                out.add(l.trim());
            }
        }
        out.addAll(nftRulesMentioningUs());
        return out;
    }

    private Path leaseDir() {
        for (PluginConfig p : list.plugins()) {
            JsonNode ipam = p.tree().path("ipam");
            if (ipam.path("type").asText("").equals("host-local")) {
                return Path.of(ipam.path("dataDir").asText("/var/lib/cni/networks")).resolve(list.name());
            }
        }
        return Path.of("/var/lib/cni/networks").resolve(list.name());
    }

    private List<String> leasesOfUs(Path dir) {
        List<String> out = new ArrayList<>();
        if (containerIp != null && Files.exists(dir.resolve(containerIp))) {
            out.add(dir.resolve(containerIp).toString());
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Iterator<Path> it = files.iterator(); it.hasNext(); ) {
                Path f = it.next();
                if (Files.isRegularFile(f) && HostCommands.readQuietly(f).contains(rt.containerId()) && !out.contains(f.toString())) {
                    out.add(f.toString());
                }
            }
        } catch (IOException absent) {
            // no lease directory at all: nothing left
        }
        return out;
    }

    // ------------------------------------------------------------------ helpers: output

    private void printTimings(int from) {
        console.timings(executions.since(from), choices);
    }

    private static boolean isRoot() {
        for (String l : HostCommands.readQuietly(Path.of("/proc/self/status")).split("\n")) {
            if (l.startsWith("Uid:")) {
                return l.split("\\s+")[2].equals("0");
            }
        }
        return false;
    }

}
