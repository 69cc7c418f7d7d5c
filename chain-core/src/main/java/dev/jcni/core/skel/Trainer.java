package dev.jcni.core.skel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Build-time workload for a plugin's start-up cache (JDK 25 AOT cache, or AppCDS on 17).
 *
 * <pre>Trainer NAME PLUGIN_CLASS NETNS_PATH DATA_DIR</pre>
 *
 * <p>The cache holds the classes the training run loaded, and the JVM maps all of them at every
 * start, so the run should walk the code of real requests and nothing else: no process
 * spawning, streams or lambdas here. It replays the requests in the plugin's resource
 * {@code META-INF/jcni/training/<name>.json} through the real {@link Skel}, in-process.
 * deploy/package-bin.sh makes a throwaway namespace with a veth end named eth0 when the build
 * runs as root (NETNS_PATH, or "-" without one) and a scratch DATA_DIR; requests marked
 * {@code needsNetns} are skipped without a namespace. A request may name another {@code plugin}
 * type of the same jar (declared in {@code META-INF/jcni/plugins/<type>}, as in-process delegation
 * finds it): it is replayed through that plugin, so the cache of a plugin that runs its delegate
 * in-process (bridge running host-local) holds the delegate's classes too.
 *
 * <p>A server of plugins (jcnid, whose main class is no plugin) names the plugins to replay and
 * how many rounds in its own resource, {@code {"rounds": N, "plugins": [types]}}: what its cache
 * must carry is the JIT's method profiles of real requests (see {@link #main}). Never used at run
 * time.
 */
public final class Trainer {
    private Trainer() {}

    public static void main(String[] args) throws Exception {
        String name = args[0];
        Class<?> main = Class.forName(args[1]);
        boolean sandbox = !args[2].equals("-");
        Map<String, String> placeholders = new HashMap<>();
        placeholders.put("@NETNS@", args[2]);
        placeholders.put("@DATADIR@", args[3]);
        // Loaded by every real start but not by the requests below: in the cache, no jar needs
        // opening at run time.
        Class.forName(PluginMain.class.getName());
        System.getenv("PATH");
        Map<String, String> launched = new HashMap<>(System.getenv());
        launched.put(CallerEnvironment.SAVED_LC_ALL, "unset");
        CallerEnvironment.of(launched);
        JsonNode training = loadTraining(name);
        if (CniPlugin.class.isAssignableFrom(main)) {
            CniPlugin plugin = (CniPlugin) main.getDeclaredConstructor().newInstance();
            replay(name, new Skel(name, plugin), training, sandbox, placeholders, args[3]);
        } else if (training.isObject()) {
            // A server of plugins (jcnid): every plugin's own requests, round after round. A
            // resident JVM keeps what it compiles, so what its cache should carry is the method
            // profiles of real requests (JDK 25 stores them with the classes), which only
            // repetition builds: the JIT then compiles the request paths early instead of after
            // the node's first hundred or so requests.
            int rounds = training.path("rounds").asInt(1);
            List<String> types = new ArrayList<>();
            List<Skel> skels = new ArrayList<>();
            List<JsonNode> requests = new ArrayList<>();
            for (JsonNode type : training.path("plugins")) {
                String t = type.asText();
                types.add(t);
                skels.add(new Skel(t, declared(t)));
                requests.add(loadTraining(t));
            }
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < types.size(); i++) {
                    replay(types.get(i), skels.get(i), requests.get(i), sandbox, placeholders, args[3]);
                }
            }
        }
        // else a tool such as cnictl: its cache holds the classes loaded so far, nothing more.
    }

    /** Replays {@code requests} through {@code skel} (or the plugin a request names). */
    private static void replay(String name, Skel skel, JsonNode requests, boolean sandbox, Map<String, String> placeholders,
                               String dataDir) throws Exception {
        for (JsonNode request : requests) {
            if (request.path("needsNetns").asBoolean(false) && !sandbox) {
                continue;
            }
            Map<String, String> env = new HashMap<>();
            for (Map.Entry<String, JsonNode> e : request.path("env").properties()) {
                env.put(e.getKey(), substitute(e.getValue().asText(), placeholders));
            }
            // Locks and state in the scratch directory: the build must not make /run/jcni or
            // /var/lib/cni on the build host. Without the state root the node policy refuses
            // every @DATADIR@ and the run would train only the error path.
            env.putIfAbsent(AttachmentLock.DIR_ENV, dataDir + "/locks");
            env.putIfAbsent(StateRoots.VARIABLE, dataDir);
            byte[] stdin = substitute(Json.toString(request.path("config")), placeholders).getBytes(StandardCharsets.UTF_8);
            String delegate = request.path("plugin").asText("");
            Skel.Outcome outcome = delegate.isEmpty() ? skel.run(env, stdin) : new Skel(delegate, declared(delegate)).runNested(env, stdin);
            System.err.println("train " + (delegate.isEmpty() ? name : name + " (as " + delegate + ")") + " "
                    + env.get("CNI_COMMAND") + ": exit " + outcome.exitCode());
        }
    }

    /** A new instance of the plugin {@code META-INF/jcni/plugins/<type>} declares. */
    private static CniPlugin declared(String type) throws Exception {
        try (InputStream in = Trainer.class.getClassLoader().getResourceAsStream("META-INF/jcni/plugins/" + type)) {
            if (in == null) {
                throw new IllegalArgumentException("no plugin of type " + type + " is declared on the class path");
            }
            String className = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return (CniPlugin) Class.forName(className).getDeclaredConstructor().newInstance();
        }
    }

    /**
     * {@code META-INF/jcni/training/<name>.json}: a plugin's requests (an array), or a server's
     * {@code {"rounds": N, "plugins": [types]}}; none is an empty array.
     */
    private static JsonNode loadTraining(String name) throws IOException {
        try (InputStream in = Trainer.class.getClassLoader().getResourceAsStream("META-INF/jcni/training/" + name + ".json")) {
            if (in == null) {
                return Json.NODES.arrayNode();
            }
            return Json.parse(in.readAllBytes());
        }
    }

    private static String substitute(String s, Map<String, String> placeholders) {
        String out = s;
        for (Map.Entry<String, String> e : placeholders.entrySet()) {
            out = out.replace(e.getKey(), e.getValue());
        }
        return out;
    }
}
