package dev.jcni.core.skel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.os.netns.NamespaceIdentity;
import dev.jcni.core.protocol.CniArgs;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.CniVersion;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.protocol.JsonFields;
import dev.jcni.core.protocol.Result;
import dev.jcni.core.protocol.ResultCodec;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The plugin side of the protocol: environment and stdin in, stdout bytes and an exit code out.
 *
 * <p>Steps, in the Go skel's order (cni-protocol.md §1.7): the environment each verb needs (code
 * 4), VERSION (stdin ignored), stdin as a JSON object (6), the network name (7), the version
 * gates (1, or 6 for an unparsable version), the namespace check for ADD/CHECK, then the verb,
 * which for ADD, DEL and CHECK runs holding its attachment's {@link AttachmentLock}.
 * Everything is validated before the plugin runs, so a rejected request changes nothing.
 *
 * <p>Whatever happens the answer is protocol: a CniException with its code, a path that cannot
 * be a file name with 4 (from the environment) or 7 (from the config), and anything else a verb
 * throws, {@code OutOfMemoryError} and {@code StackOverflowError} included, with 999 and the
 * trace on stderr only. Where to log is node policy: {@code JCNI_LOG_FILE} from the environment;
 * a network config's {@code logFile} is ignored with a warning.
 */
public final class Skel {
    private static final Pattern CONTAINER_ID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.\\-]*");
    private static final Pattern NETWORK_NAME = CONTAINER_ID;
    private static final int MAX_DUPLICATES_LOGGED = 5;

    /** What the process prints and how it exits. */
    public record Outcome(int exitCode, byte[] stdout) {}

    private final CniPlugin plugin;
    private final String pluginName;
    private final Duration lockWait;

    public Skel(String pluginName, CniPlugin plugin) {
        this(pluginName, plugin, AttachmentLock.DEFAULT_WAIT);
    }

    /** {@code lockWait}: how long a request waits for its attachment's lock before code 11. */
    Skel(String pluginName, CniPlugin plugin, Duration lockWait) {
        this.pluginName = pluginName;
        this.plugin = plugin;
        this.lockWait = lockWait;
    }

    public Outcome run(Map<String, String> env, byte[] stdin) {
        String requestVersion = null;
        Command command = null;
        try {
            String rawCommand = env.get("CNI_COMMAND");
            if (rawCommand == null || rawCommand.isEmpty()) {
                Log.about(plugin.about() + "\nCNI protocol versions supported: "
                        + String.join(", ", plugin.supportedVersions()));
                return new Outcome(0, new byte[0]);
            }
            command = Command.of(rawCommand);
            Log.configure(pluginName, env.get("JCNI_LOG_FILE"), isTrue(env.get("JCNI_DEBUG")));
            if (command == Command.VERSION) {
                return new Outcome(0, versionReply(stdin));
            }
            checkEnvironment(command, env);
            JsonFields config = parseConfig(stdin);
            JsonNode version = config.get("cniVersion");
            requestVersion = CniVersion.orDefault(version == null ? null : version.textValue());
            if (command == null) {
                throw new CniException(CniException.INVALID_ENVIRONMENT, "unknown CNI_COMMAND: " + rawCommand);
            }
            String networkName = config.get("name").textValue();
            checkVersion(command, requestVersion);
            Invocation inv = new Invocation(command,
                    env.getOrDefault("CNI_CONTAINERID", ""),
                    env.getOrDefault("CNI_NETNS", ""),
                    env.getOrDefault("CNI_IFNAME", ""),
                    CniArgs.parse(env.get("CNI_ARGS")),
                    splitPath(env.get("CNI_PATH")),
                    config, requestVersion, networkName, NodePolicy.fromEnvironment(env));
            configureLog(config, inv);
            if (command == Command.ADD || command == Command.CHECK) {
                checkNamespace(inv.netns(), env);
            }
            Log.timing("request validated");
            if (command == Command.ADD || command == Command.DEL || command == Command.CHECK) {
                try (AttachmentLock lock = AttachmentLock.acquire(env.get(AttachmentLock.DIR_ENV), pluginName,
                        inv.containerId(), inv.ifName(), lockWait)) {
                    Log.timing("attachment locked");
                    return new Outcome(0, dispatch(inv));
                }
            }
            return new Outcome(0, dispatch(inv));
        } catch (CniException e) {
            return failure(command, e, requestVersion);
        } catch (InvalidPathException e) {
            return failure(command, unrepresentablePath(e, env), requestVersion);
        } catch (Throwable e) {
            // A bug or the JVM giving up (OutOfMemoryError, StackOverflowError: the stack is unwound
            // by now), not a protocol error: answered as the Go library does (999), the trace on
            // stderr only, so the runtime still reads an error rather than an empty stdout.
            Log.error("internal error: " + e);
            for (StackTraceElement el : e.getStackTrace()) {
                Log.error("    at " + el);
            }
            CniException wrapped = new CniException(CniException.INTERNAL, "internal error: " + e);
            return new Outcome(1, Json.writePretty(wrapped.toJson(requestVersion)));
        }
    }

    /**
     * The answer to a request that another plugin of this process delegated ({@code bridge}
     * running its IPAM plugin in-process, see {@code dev.jcni.core.invoke.InProcessPlugins}):
     * exactly {@link #run}, the same checks, lock and answer, with the log set aside meanwhile so
     * the delegate logs under its own name and the caller's log is as it was afterwards.
     */
    public Outcome runNested(Map<String, String> env, byte[] stdin) {
        Log.Saved saved = Log.save();
        try {
            return run(env, stdin);
        } finally {
            Log.restore(saved);
        }
    }

    /**
     * Answers {@code e} without running anything, formatted as every error of this request is:
     * with the config's {@code cniVersion} when stdin is a config the request would accept,
     * logged as a failed verb. For the launcher's "the daemon failed after accepting" answer.
     */
    Outcome refuse(Map<String, String> env, byte[] stdin, CniException e) {
        Command command = Command.of(env.get("CNI_COMMAND"));
        Log.configure(pluginName, env.get("JCNI_LOG_FILE"), isTrue(env.get("JCNI_DEBUG")));
        String requestVersion = null;
        try {
            JsonNode version = parseConfig(stdin).get("cniVersion");
            requestVersion = CniVersion.orDefault(version == null ? null : version.textValue());
        } catch (CniException | RuntimeException notAConfig) {
            // Not a config this request would accept: its errors carry no version either.
        }
        return failure(command, e, requestVersion);
    }

    private static Outcome failure(Command command, CniException e, String requestVersion) {
        Log.error((command == null ? "" : command + " failed: ") + e.getMessage());
        return new Outcome(1, withNewline(Json.writePretty(e.toJson(requestVersion))));
    }

    /**
     * A path the JVM cannot turn into a file name (a character its file name encoding cannot
     * hold; with the launcher's UTF-8 locale only a lone surrogate from a JSON escape). From an
     * environment variable that cannot itself be a file name it is that variable's fault (4),
     * otherwise the config's (7): environment paths were checked before the verb ran.
     */
    private static CniException unrepresentablePath(InvalidPathException e, Map<String, String> env) {
        String input = e.getInput() == null ? "" : e.getInput();
        String why = "file names are bytes, and this one has a character the plugin's file name encoding ("
                + System.getProperty("sun.jnu.encoding") + ") cannot hold";
        for (Map.Entry<String, String> var : new TreeMap<>(env).entrySet()) {
            String value = var.getValue();
            if (!value.isEmpty() && input.contains(value) && !representable(value)) {
                return new CniException(CniException.INVALID_ENVIRONMENT,
                        var.getKey() + " \"" + value + "\" cannot be part of a file name", why);
            }
        }
        return new CniException(CniException.INVALID_CONFIG,
                "a path from the network config cannot be a file name: \"" + input + "\"", why);
    }

    private static boolean representable(String path) {
        try {
            Path.of(path);
            return true;
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private byte[] dispatch(Invocation inv) throws CniException {
        switch (inv.command()) {
            case ADD: {
                Result result = plugin.add(inv);
                return Json.writePretty(ResultCodec.toJson(result, inv.cniVersion()));
            }
            case DEL:
                plugin.del(inv);
                return new byte[0];
            case CHECK:
                plugin.check(inv);
                return new byte[0];
            case GC:
                plugin.gc(inv);
                return new byte[0];
            case STATUS:
                plugin.status(inv);
                return new byte[0];
            default:
                throw new IllegalStateException("unreachable: " + inv.command());
        }
    }

    /** VERSION ignores stdin except to echo a supported requested version, and never fails. */
    private byte[] versionReply(byte[] stdin) {
        String echoed = CniVersion.CURRENT;
        try {
            JsonNode requested = Json.parse(stdin).get("cniVersion");
            if (requested != null && requested.isTextual() && plugin.supportedVersions().contains(requested.textValue())) {
                echoed = requested.textValue();
            }
        } catch (Json.JsonSyntaxException | RuntimeException e) {
            // Garbage or empty stdin: answer with the current version, as the Go skel does.
        }
        ObjectNode o = Json.NODES.objectNode();
        o.put("cniVersion", echoed);
        ArrayNode versions = o.putArray("supportedVersions");
        for (String v : plugin.supportedVersions()) {
            versions.add(v);
        }
        return withNewline(Json.write(o));
    }

    private static void checkEnvironment(Command command, Map<String, String> env) throws CniException {
        List<String> missing = new ArrayList<>();
        boolean attachment = command == Command.ADD || command == Command.DEL || command == Command.CHECK;
        if (attachment) {
            requireVar(env, "CNI_CONTAINERID", missing);
            if (command != Command.DEL) {
                requireVar(env, "CNI_NETNS", missing);
            }
            requireVar(env, "CNI_IFNAME", missing);
        }
        if (command != null) {
            // The Go skel requires CNI_PATH for every verb but VERSION; runtimes always set it.
            requireVar(env, "CNI_PATH", missing);
        }
        if (!missing.isEmpty()) {
            throw new CniException(CniException.INVALID_ENVIRONMENT,
                    "required env variables [" + String.join(",", missing) + "] missing");
        }
        if (attachment) {
            String id = env.get("CNI_CONTAINERID");
            if (!CONTAINER_ID.matcher(id).matches()) {
                throw new CniException(CniException.INVALID_ENVIRONMENT,
                        "invalid characters in containerID \"" + id + "\"",
                        "CNI_CONTAINERID must match [a-zA-Z0-9][a-zA-Z0-9_.-]*");
            }
            checkInterfaceName(env.get("CNI_IFNAME"));
        }
    }

    private static void requireVar(Map<String, String> env, String name, List<String> missing) {
        String v = env.get(name);
        if (v == null || v.isEmpty()) {
            missing.add(name);
        }
    }

    /** The kernel's rules for a link name, as the Go library checks them. */
    static void checkInterfaceName(String name) throws CniException {
        String why = null;
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 15) {
            why = "longer than 15 bytes";
        } else if (name.equals(".") || name.equals("..")) {
            why = "not a valid name";
        } else {
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c == '/' || c == ':' || Character.isWhitespace(c)) {
                    why = "contains the invalid character '" + c + "'";
                    break;
                }
            }
        }
        if (why != null) {
            throw new CniException(CniException.INVALID_ENVIRONMENT,
                    "invalid CNI_IFNAME \"" + name + "\": " + why);
        }
    }

    /**
     * Stdin as a JSON object, read as Go's decoder reads it: keys case-insensitively, the last of
     * repeated keys winning. The repeats are logged (they are usually mistakes) and travel with
     * the config for plugins that refuse them.
     */
    private static JsonFields parseConfig(byte[] stdin) throws CniException {
        Json.Document document;
        JsonFields config;
        try {
            document = Json.parseDocument(stdin);
            config = JsonFields.of(document.object(), JsonFields.Source.NETWORK_CONFIG, document.duplicateKeys());
        } catch (Json.JsonSyntaxException e) {
            throw new CniException(CniException.DECODING_FAILURE, "error reading network config from stdin", e.getMessage());
        }
        logDuplicateKeys(document.duplicateKeys());
        JsonNode name = config.get("name");
        if (name == null || !name.isTextual() || name.textValue().isEmpty()) {
            throw new CniException(CniException.INVALID_CONFIG, "missing network name",
                    "the config has no \"name\" string");
        }
        if (!NETWORK_NAME.matcher(name.textValue()).matches()) {
            throw new CniException(CniException.INVALID_CONFIG, "invalid network name \"" + name.textValue() + "\"",
                    "a network name must match [a-zA-Z0-9][a-zA-Z0-9_.-]*");
        }
        JsonNode version = config.get("cniVersion");
        if (version != null && !version.isNull() && !version.isTextual()) {
            throw new CniException(CniException.DECODING_FAILURE, "invalid cniVersion " + Json.toString(version),
                    "cniVersion must be a string");
        }
        return config;
    }

    /** A few lines at most: stderr ends up in the runtime's log. */
    private static void logDuplicateKeys(List<Json.DuplicateKey> duplicates) {
        int shown = Math.min(duplicates.size(), MAX_DUPLICATES_LOGGED);
        for (int i = 0; i < shown; i++) {
            Log.warn("network config: " + duplicates.get(i) + "; the last one is read");
        }
        if (duplicates.size() > shown) {
            Log.warn("network config: " + (duplicates.size() - shown) + " more repeated keys");
        }
    }

    private void checkVersion(Command command, String version) throws CniException {
        String minimum = null;
        if (command == Command.CHECK) {
            minimum = CniVersion.V0_4_0;
        } else if (command == Command.GC || command == Command.STATUS) {
            minimum = CniVersion.V1_1_0;
        }
        if (minimum != null && CniVersion.compare(version, minimum) < 0) {
            throw new CniException(CniException.INCOMPATIBLE_VERSION,
                    "config version does not allow " + command, "config is \"" + version + "\", " + command
                    + " needs " + minimum + " or later");
        }
        if (!plugin.supportedVersions().contains(version)) {
            throw new CniException(CniException.INCOMPATIBLE_VERSION, "incompatible CNI versions",
                    "config is \"" + version + "\", plugin supports " + plugin.supportedVersions());
        }
    }

    /**
     * ADD and CHECK must act in a sandbox: refuse the host's own namespace, and a missing one.
     * The path is only stat'ed here, never opened or read: a FIFO or a device a caller names is
     * left for {@code NetNs.open}, which opens without blocking and checks it is a namespace.
     */
    private static void checkNamespace(String netns, Map<String, String> env) throws CniException {
        String override = env.get("CNI_NETNS_OVERRIDE");
        namespacePath(netns);
        // Not followed: /proc/PID/ns/net is a magic link whose target is no path; following it
        // would call a live namespace missing. In the node daemon the request's namespace is a
        // descriptor the caller passed (NamespaceOverride), whatever the daemon's mounts hold.
        if (!NamespaceIdentity.exists(netns)) {
            throw new CniException(CniException.INVALID_ENVIRONMENT,
                    "CNI_NETNS \"" + netns + "\" does not exist", "the network namespace is gone or was never created");
        }
        if (isTrue(override)) {
            return;
        }
        try {
            if (NamespaceIdentity.isOwnNamespace(netns)) {
                throw new CniException(CniException.INVALID_NETNS,
                        "CNI_NETNS \"" + netns + "\" is the plugin's own network namespace",
                        "refusing to change the host's network; set CNI_NETNS_OVERRIDE=1 to allow it");
            }
        } catch (IOException e) {
            throw new CniException(CniException.INVALID_ENVIRONMENT,
                    "cannot inspect CNI_NETNS \"" + netns + "\"", e.toString());
        }
    }

    /**
     * CNI_NETNS as a path, or code 4. A U+FFFD means the JVM could not decode the bytes the
     * runtime passed (not UTF-8): the decoded text names another path, perhaps an existing one.
     */
    private static Path namespacePath(String netns) throws CniException {
        String why = "the runtime passed bytes this plugin cannot decode in its file name encoding ("
                + System.getProperty("sun.jnu.encoding") + "), so it cannot open that path";
        if (netns.indexOf('\uFFFD') >= 0) {
            throw new CniException(CniException.INVALID_ENVIRONMENT, "CNI_NETNS \"" + netns + "\" is not valid UTF-8", why);
        }
        try {
            return Path.of(netns);
        } catch (InvalidPathException e) {
            throw new CniException(CniException.INVALID_ENVIRONMENT, "CNI_NETNS \"" + netns + "\" cannot be a file name", why);
        }
    }

    /**
     * The log's context for this request. A {@code logFile} key (jcni's earlier builds read it)
     * is ignored: a network config may come from a tenant, and where the plugin writes as root
     * is the node's choice ({@code JCNI_LOG_FILE}).
     */
    private static void configureLog(JsonFields config, Invocation inv) {
        Log.setContext(inv.command() + (inv.containerId().isEmpty() ? "" : " " + inv.containerId() + "/" + inv.ifName()));
        if (config.get("logFile") != null) {
            Log.warn("network config: \"logFile\" is ignored: where a plugin writes is node policy; set "
                    + "JCNI_LOG_FILE in the runtime's environment instead");
        }
    }

    private static List<String> splitPath(String raw) {
        List<String> out = new ArrayList<>();
        if (raw != null) {
            for (String p : raw.split(":")) {
                if (!p.isEmpty()) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private static boolean isTrue(String v) {
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
    }

    private static byte[] withNewline(byte[] b) {
        if (b.length > 0 && b[b.length - 1] == '\n') {
            return b;
        }
        byte[] out = java.util.Arrays.copyOf(b, b.length + 1);
        out[b.length] = '\n';
        return out;
    }
}
