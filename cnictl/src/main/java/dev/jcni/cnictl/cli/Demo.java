package dev.jcni.cnictl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.skel.Command;
import dev.jcni.core.skel.StateRoots;
import dev.jcni.cnictl.runtime.CniRuntime;
import dev.jcni.cnictl.runtime.ConfigLoader;
import dev.jcni.cnictl.runtime.NetworkConfigList;
import dev.jcni.cnictl.runtime.PluginConfig;
import dev.jcni.cnictl.runtime.PluginExecution;
import dev.jcni.cnictl.runtime.PluginFailure;
import dev.jcni.cnictl.runtime.RuntimeConf;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code cnictl demo}: the whole product in one command, on a real kernel. It makes a sandbox
 * network namespace, attaches it with the shipped conflist (bridge -> portmap -> bandwidth ->
 * tuning), serves HTTP inside, fetches it through the hostPort on 127.0.0.1 and on the host's
 * own address, shows what each plugin changed and how long each took, runs CHECK, tears
 * everything down and proves nothing is left. Any failed step fails the demo (exit 1), and
 * everything it made is removed even then.
 *
 * <p>Traffic only ever goes to local addresses and into the namespace it created. The steps are
 * here; what each one needs is in its own class (see the package documentation).
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
    private DemoRuns runs;
    private DemoSandbox sandbox;
    private NetworkConfigList list;
    private CniRuntime runtime;
    private RuntimeConf rt;
    private boolean added;
    private boolean deleted;
    private HttpCheck http;
    private int hostPort;
    private List<String> attachmentSubnets = List.of();
    private DemoAttachment attachment;
    private DemoFirewall firewall;

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
            printFailure(e.getMessage());
        } catch (CniException e) {
            printFailure(e.msg() + (e.details().isEmpty() ? "" : "; " + e.details()) + " (code " + e.code() + ")");
        } catch (IOException | RuntimeException e) {
            printFailure(e.toString());
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

    private void printFailure(String why) {
        err.println();
        err.println("FAILED: " + why);
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
        runs = new DemoRuns(console, baseDir(), pluginEnvironment());
        // Under the lock: what dead runs left goes, and this run claims a directory, a subnet and
        // a hostPort that no live run holds, so demos at the same time never meet.
        try (DemoLock lock = runs.lock()) {
            runs.sweepDead();
            sandbox = runs.newRun();
            loadNetwork();
            hostPort = runs.chooseHostPort(cl.hostPort);
            DemoRuns.writeClaims(sandbox, attachmentSubnets, hostPort);
        }
        Path pluginDir = choosePlugins();
        runtime = CniRuntime.builder()
                .pluginPath(List.of(pluginDir))
                .cacheDir(sandbox.cacheDir())
                .timeout(timeout())
                .environment(pluginEnvironment())
                .observer(executions)
                .build();
        console.say("CNI_PATH=" + pluginDir + "  cache=" + sandbox.cacheDir() + "  hostPort " + hostPort + " -> " + CONTAINER_PORT);
    }

    /** The conflist, made this run's own: its network name, bridge, free subnet and state directories. */
    private void loadNetwork() throws Failure, CniException, IOException {
        Path conflist = locateConflist();
        DemoNetwork own = DemoNetwork.makeOwn(ConfigLoader.fromFile(conflist), sandbox, runs.claimedSubnets());
        list = ConfigLoader.fromFile(own.file());
        attachmentSubnets = own.subnets();
        console.say("network \"" + list.name() + "\" (cniVersion " + list.cniVersion() + ") from " + conflist
                + ", with this run's names: " + own.file());
        for (String note : own.notes()) {
            console.say(note);
        }
        sandbox.useBridge(bridgeNameOf(list));
        console.say("bridge " + sandbox.bridgeName() + ", subnet " + String.join(", ", own.subnets()) + " (free on this host)");
    }

    /**
     * The environment the plugins get: ours, with the demo runs' directory added to the node's
     * state directories, since the demo's conflist puts the tuning backups and host-local leases
     * there (one run's directory each) and jcni plugins accept a config's dataDir only within
     * them (StateRoots). The sweep of dead runs needs the same, for their DEL.
     */
    private Map<String, String> pluginEnvironment() {
        Map<String, String> out = new java.util.HashMap<>(env);
        String roots = env.getOrDefault(StateRoots.VARIABLE, StateRoots.DEFAULT_ROOTS);
        out.put(StateRoots.VARIABLE, roots + ":" + baseDir());
        return out;
    }

    /** Where the runs keep their directories: $JCNI_DEMO_DIR, else /run/jcni-demo. */
    private Path baseDir() {
        String fromEnv = env.get("JCNI_DEMO_DIR");
        return fromEnv == null || fromEnv.isEmpty() ? DemoRuns.DEFAULT_BASE : Path.of(fromEnv);
    }

    /**
     * A binary for every plugin type of the chain, ours or the system's, linked into a private
     * plugin directory that becomes CNI_PATH; returns that directory.
     */
    private Path choosePlugins() throws Failure, CniException, IOException {
        Path binDir = locateBin();
        Path systemDir = cl.systemPluginDir != null ? Path.of(cl.systemPluginDir) : SYSTEM_PLUGINS;
        Path pluginDir = Files.createDirectories(sandbox.runDir().resolve("plugins"));
        for (String type : PluginChoice.typesOf(list)) {
            PluginChoice choice = PluginChoice.choose(type, binDir, systemDir, list.cniVersion());
            choice.install(pluginDir);
            choices.put(type, choice);
            console.say(String.format("%-10s -> %s  (%s)", type, choice.binary(), choice.why()));
        }
        PluginChoice portmap = choices.get("portmap");
        if (portmap == null) {
            throw new Failure("the demo conflist needs a portmap plugin: the HTTP check goes through its hostPort");
        }
        if (!portmap.ours() && HostCommands.which("iptables") == null) {
            throw new Failure("the system's portmap needs iptables; install with: " + INSTALL_HINT);
        }
        return pluginDir;
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
        rt = new RuntimeConf(sandbox.containerId(), sandbox.netnsPath(), "eth0",
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
        if (r.result().ips().isEmpty()) {
            throw new Failure("the ADD result has no IP address: " + Json.toString(r.json()));
        }
        Path cacheFile = runtime.cache().path(list.name(), rt);
        attachment = DemoAttachment.of(list, rt, hostPort, r.result(), sandbox.bridgeName(), cacheFile);
        firewall = new DemoFirewall(rt.containerId(), hostPort);
        console.say("result: " + Json.toString(r.json()));
        console.say("cached in " + cacheFile);
    }

    private void showChanges() {
        console.step("what each plugin changed");
        new ChangeReport(console, sandbox, attachment, firewall).print(executions.of(Command.ADD));
    }

    private void check() throws CniException {
        console.step("CHECK");
        int from = executions.mark();
        try {
            runtime.check(list, rt);
            printTimings(from);
            console.say("every plugin confirms the attachment is as the cached result says");
        } catch (PluginFailure e) {
            if (!isSystemPortmapIpv6Bug(e)) {
                throw e;
            }
            printTimings(from);
            console.say("system portmap 1.1.1 fails CHECK on IPv4-only mappings (known bug, fixed upstream in v1.3.0): "
                    + e.pluginMsg());
            from = executions.mark();
            runtime.check(list.withPlugins(pluginsExcept("portmap")), rt);
            printTimings(from);
            console.say("every other plugin confirms the attachment is as the cached result says");
        }
    }

    /**
     * Debian's portmap 1.1.1 checks IPv6 chains it never made (fixed upstream in v1.3.0,
     * reference-plugins.md §7): a plugin bug, not an attachment problem, so the demo CHECKs the rest.
     */
    private boolean isSystemPortmapIpv6Bug(PluginFailure e) {
        PluginChoice c = choices.get(e.pluginType());
        return e.pluginType().equals("portmap") && c != null && !c.ours() && e.pluginMsg().contains("ipv6");
    }

    private List<PluginConfig> pluginsExcept(String type) {
        List<PluginConfig> rest = new ArrayList<>();
        for (PluginConfig p : list.plugins()) {
            if (!p.type().equals(type)) {
                rest.add(p);
            }
        }
        return rest;
    }

    private void serveAndFetch() throws Failure, IOException {
        console.step("HTTP through the hostPort");
        http = new HttpCheck(console, sandbox, attachment, CONTAINER_PORT);
        http.run();
    }

    private void teardown() throws CniException, Failure, IOException {
        console.step("DEL and teardown");
        http.stop();
        int from = executions.mark();
        // No capability args: portmap and bandwidth get theirs back from the cache.
        runtime.del(list, RuntimeConf.of(rt.containerId(), rt.netns(), rt.ifName()));
        deleted = true;
        printTimings(from);
        for (PluginExecution e : executions.of(Command.DEL)) {
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
        new LeakCheck(console, sandbox, attachment, firewall).verify();
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
        if (runs != null) {
            runs.leave();
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

    /** bin/: --bin, $JCNI_BIN, or where this class was loaded from (bin/lib/*.jar or <repo>/cnictl/target/classes). */
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

    private static String bridgeNameOf(NetworkConfigList list) throws Failure {
        for (PluginConfig p : list.plugins()) {
            if (p.type().equals("bridge")) {
                return p.tree().path("bridge").asText("cni0");
            }
        }
        throw new Failure("the demo conflist needs a bridge plugin: the demo checks and removes its bridge");
    }

    private Duration timeout() throws Failure {
        try {
            return cl.timeout(Duration.ofSeconds(30));
        } catch (CommandLine.UsageException e) {
            throw new Failure(e.getMessage());
        }
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
