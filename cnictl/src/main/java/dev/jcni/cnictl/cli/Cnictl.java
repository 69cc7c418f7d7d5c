package dev.jcni.cnictl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.hash.Sha512;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Json;
import dev.jcni.cnictl.runtime.CniRuntime;
import dev.jcni.cnictl.runtime.ConfigLoader;
import dev.jcni.cnictl.runtime.ExecObserver;
import dev.jcni.cnictl.runtime.NetworkConfigList;
import dev.jcni.cnictl.runtime.PluginExecution;
import dev.jcni.cnictl.runtime.PluginLocator;
import dev.jcni.cnictl.runtime.PluginVersionInfo;
import dev.jcni.cnictl.runtime.ResultCache;
import dev.jcni.cnictl.runtime.RuntimeConf;
import dev.jcni.core.skel.CallerEnvironment;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * {@code cnictl}: cnitool's commands and environment on top of {@link CniRuntime}, plus
 * {@code version} and the end-to-end {@code demo}. Plugin stderr is passed on to stderr, as libcni
 * does; with {@code -v}, a line per plugin exec too.
 *
 * <p>Exit codes: 0 success, 1 the operation failed (message, code and details on stderr),
 * 2 wrong usage.
 */
public final class Cnictl {
    static final String HELP = String.join("\n",
            "cnictl: run CNI network configurations the way libcni does (cnitool-compatible).",
            "",
            "Usage:",
            "  cnictl [options] add|check|del|gc|status <network> <netns>",
            "  cnictl [options] version <plugin-type>",
            "  cnictl demo [--conflist FILE] [--bin DIR] [--system-plugins DIR] [--host-port N]",
            "              [--timeout SECONDS]",
            "  cnictl daemon status|stop",
            "",
            "Commands:",
            "  add      run every plugin's ADD in order, print the final result, cache it",
            "  check    run every plugin's CHECK with the cached result (config 0.4.0 or later)",
            "  del      run every plugin's DEL in reverse with the cached result, then drop the",
            "           cache entry; works even when the network's file is gone (config from the cache)",
            "  gc       DEL every cached attachment of the network, then GC each plugin (1.1.0)",
            "  status   run STATUS on every plugin (config 1.1.0; older configs succeed silently)",
            "  version  ask a plugin found on CNI_PATH which CNI versions it supports",
            "  demo     as root: make a sandbox netns, attach it with bridge -> portmap -> bandwidth",
            "           -> tuning, serve HTTP inside, fetch it through the hostPort, tear down and",
            "           prove nothing is left",
            "  daemon   ask the node daemon jcnid at $JCNI_SOCKET (default /run/jcni/jcnid.sock):",
            "           status prints its JSON (pid, build, uptime, requests per plugin and verb,",
            "           latency percentiles, errors); stop makes it finish what it accepted and",
            "           exit. Exit 0 when a daemon answered, 1 when none answers there",
            "",
            "check and del use the capability arguments (CAP_ARGS) and CNI_ARGS cached at ADD when",
            "none are given, so portmap and bandwidth find their settings again.",
            "",
            "Options:",
            "  -i, --ifname NAME     interface name in the netns (else $CNI_IFNAME, else eth0)",
            "  --cache-dir DIR       result cache (else $JCNI_CACHE_DIR, else /var/lib/cni)",
            "  --timeout SECONDS     deadline of each plugin exec, 0.001 to 86400 (else $JCNI_TIMEOUT,",
            "                        else 60; 30 for the demo)",
            "  --container-id ID     use ID instead of the one derived from the netns path",
            "  -v, --verbose         print each plugin exec (verb, plugin, exit code, time) on stderr",
            "",
            "Demo options:",
            "  --conflist FILE       the network to attach (else $JCNI_DEMO_CONFLIST, else the",
            "                        shipped deploy/demo/jcni-demo.conflist)",
            "  --bin DIR             where our plugins are (else $JCNI_BIN, else the bin/ of this cnictl)",
            "  --system-plugins DIR  where the fallback plugins are (default /usr/lib/cni)",
            "  --host-port N         the hostPort to forward (default: a free port in 18000-18999)",
            "",
            "Environment (as cnitool):",
            "  NETCONFPATH  directory of .conflist/.conf/.json files (default /etc/cni/net.d)",
            "  CNI_PATH     ':'-separated plugin directories (required)",
            "  CNI_IFNAME   interface name (default eth0)",
            "  CNI_ARGS     K=V;K=V handed to every plugin",
            "  CAP_ARGS     JSON object of capability arguments, e.g. portMappings",
            "",
            "The container ID is cnitool's: \"cnitool-\" + the first 10 bytes of SHA-512 of the",
            "absolute netns path, in hex, so cnictl and cnitool can tear down each other's work.",
            "",
            "Exit status: 0 success, 1 the operation failed (message, code and details on stderr),",
            "2 wrong usage.",
            "",
            "Examples:",
            "  ip netns add ns1",
            "  export CNI_PATH=/opt/cni/bin NETCONFPATH=/etc/cni/net.d",
            "  CAP_ARGS='{\"portMappings\":[{\"hostPort\":8080,\"containerPort\":80,\"protocol\":\"tcp\"}]}' \\",
            "      cnictl add mynet /var/run/netns/ns1",
            "  cnictl check mynet /var/run/netns/ns1",
            "  cnictl del mynet /var/run/netns/ns1      # portMappings come back from the cache",
            "  cnictl -i net1 add othernet /var/run/netns/ns1",
            "  cnictl version bridge",
            "  sudo cnictl demo",
            "");

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    Cnictl(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        // The environment as the caller set it (the launcher runs the JVM in C.UTF-8): libcni
        // hands the runtime's whole environment on to every plugin.
        int code = new Cnictl(CallerEnvironment.of(System.getenv()), System.out, System.err).run(args);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    int run(String[] args) {
        CommandLine cl;
        try {
            cl = CommandLine.parse(args, env);
        } catch (CommandLine.UsageException e) {
            return usageError(e.getMessage());
        }
        try {
            switch (cl.command) {
                case "help":
                    out.print(HELP);
                    return 0;
                case "add":
                case "check":
                case "del":
                case "gc":
                case "status":
                    return attachmentCommand(cl);
                case "version":
                    return versionCommand(cl);
                case "demo":
                    return new Demo(cl, env, out, err).run();
                case "daemon":
                    return DaemonCommand.run(cl, env, out, err);
                default:
                    return usageError("unknown command \"" + cl.command + "\"");
            }
        } catch (CommandLine.UsageException e) {
            return usageError(e.getMessage());
        } catch (CniException e) {
            printError(cl.command, e);
            return 1;
        }
    }

    private int usageError(String message) {
        err.println("cnictl: " + message);
        err.println("Run 'cnictl help' for usage.");
        return 2;
    }

    private int attachmentCommand(CommandLine cl) throws CniException, CommandLine.UsageException {
        if (cl.positional.size() < 2) {
            throw new CommandLine.UsageException(cl.command + " needs <network> <netns>");
        }
        String network = cl.positional.get(0);
        String netns = Path.of(cl.positional.get(1)).toAbsolutePath().normalize().toString();
        String containerId = cl.containerId != null ? cl.containerId : containerIdFor(netns);
        ObjectNode caps = capabilityArgs();
        RuntimeConf rt = new RuntimeConf(containerId, netns, cl.ifName, RuntimeConf.parseCniArgs(env.get("CNI_ARGS")), caps);
        CniRuntime runtime = runtime(cl);
        NetworkConfigList list = loadNetwork(cl.command, network, runtime, rt);
        switch (cl.command) {
            case "add": {
                CniRuntime.AddResult result = runtime.add(list, rt);
                byte[] printed = Json.writePretty(result.json());
                out.write(printed, 0, printed.length);
                return 0;
            }
            case "check":
                runtime.check(list, rt);
                return 0;
            case "del":
                runtime.del(list, rt);
                return 0;
            case "gc":
                runtime.gc(list, null);
                return 0;
            default:
                runtime.status(list);
                return 0;
        }
    }

    /** $CAP_ARGS as a JSON object, or null when it is unset. */
    private ObjectNode capabilityArgs() throws CniException {
        String capArgs = env.get("CAP_ARGS");
        if (capArgs == null || capArgs.isEmpty()) {
            return null;
        }
        JsonNode parsed;
        try {
            parsed = Json.parse(capArgs);
        } catch (Json.JsonSyntaxException e) {
            throw new CniException(CniException.DECODING_FAILURE, "CAP_ARGS is not valid JSON", e.getMessage());
        }
        if (!parsed.isObject()) {
            throw new CniException(CniException.DECODING_FAILURE, "CAP_ARGS must be a JSON object");
        }
        return (ObjectNode) parsed;
    }

    /**
     * The network from $NETCONFPATH. For del only, a network whose file is gone or broken is
     * taken from the cache entry of the ADD, so it can still be torn down.
     */
    private NetworkConfigList loadNetwork(String command, String network, CniRuntime runtime, RuntimeConf rt)
            throws CniException {
        String confDir = env.get("NETCONFPATH");
        Path dir = confDir == null || confDir.isEmpty() ? ConfigLoader.DEFAULT_DIR : Path.of(confDir);
        try {
            return ConfigLoader.load(dir, network, warning -> err.println("cnictl: warning: " + warning));
        } catch (CniException e) {
            NetworkConfigList cached = command.equals("del") ? runtime.cachedConfig(network, rt) : null;
            if (cached == null) {
                throw e;
            }
            err.println("cnictl: " + e.getMessage() + "; using the config cached at ADD");
            return cached;
        }
    }

    private int versionCommand(CommandLine cl) throws CniException, CommandLine.UsageException {
        if (cl.positional.size() != 1) {
            throw new CommandLine.UsageException("version needs <plugin-type>");
        }
        String type = cl.positional.get(0);
        CniRuntime runtime = runtime(cl);
        Path binary = runtime.locator().find(type);
        PluginVersionInfo info = runtime.version(type);
        out.println(type + " (" + binary + "): CNI " + String.join(", ", info.supportedVersions())
                + " (answered in " + info.cniVersion() + ")");
        return 0;
    }

    /** The runtime for add, check, del, gc, status and version: plugins from $CNI_PATH. */
    private CniRuntime runtime(CommandLine cl) throws CommandLine.UsageException {
        return CniRuntime.builder()
                .pluginPath(PluginLocator.parsePath(env.get("CNI_PATH")))
                .cacheDir(cl.cacheDir == null || cl.cacheDir.isEmpty() ? ResultCache.DEFAULT_DIR : Path.of(cl.cacheDir))
                .timeout(cl.timeout(Duration.ofSeconds(60)))
                .environment(env)
                .observer(new StderrObserver(err, cl.verbose))
                .build();
    }

    /** cnitool's derived ID: "cnitool-" + hex of the first 10 bytes of SHA-512(absolute netns path). */
    static String containerIdFor(String absoluteNetns) {
        return "cnitool-" + Sha512.hex(absoluteNetns, 20);
    }

    void printError(String command, CniException e) {
        err.println("cnictl " + command + ": " + e.msg());
        err.println("  code: " + e.code());
        if (!e.details().isEmpty()) {
            err.println("  details: " + e.details());
        }
    }

    /** Forwards plugin stderr (libcni copies it to the runtime's stderr) and, if asked, a line per exec. */
    static final class StderrObserver implements ExecObserver {
        private final PrintStream err;
        private final boolean verbose;

        StderrObserver(PrintStream err, boolean verbose) {
            this.err = err;
            this.verbose = verbose;
        }

        @Override
        public void onExec(PluginExecution e) {
            if (e.stderr().length > 0) {
                err.write(e.stderr(), 0, e.stderr().length);
                if (e.stderr()[e.stderr().length - 1] != '\n') {
                    err.println();
                }
            }
            if (verbose) {
                err.println("cnictl: " + e.command() + " " + e.pluginType() + " (" + e.binary() + "): exit " + e.exitCode()
                        + (e.timedOut() ? " (timed out)" : "") + " in " + DemoConsole.millis(e.elapsed()) + " ms");
            }
        }
    }
}
