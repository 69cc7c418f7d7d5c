package dev.jcni.core.skel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Build-time workload for a plugin's start-up cache (JDK 25 AOT cache, or AppCDS on 17).
 *
 * <p>The cache holds the classes a training run loaded, so the run should walk the same code as
 * real requests. It replays the requests in the plugin's resource
 * {@code META-INF/jcni/training/<name>.json} through the real {@link Skel}, in-process. When run
 * as root with iproute2 present it makes a throwaway namespace holding one end of a veth pair,
 * so ADD, CHECK and DEL touch a real kernel; otherwise requests marked {@code needsNetns} are
 * skipped and the cache covers only the parsing and error paths. Never used at run time.
 */
public final class Trainer {
    private Trainer() {}

    public static void main(String[] args) throws Exception {
        String name = args[0];
        CniPlugin plugin = (CniPlugin) Class.forName(args[1]).getDeclaredConstructor().newInstance();
        Skel skel = new Skel(name, plugin);
        JsonNode requests = loadRequests(name);
        Path dataDir = Files.createTempDirectory("jcni-train-");
        String ns = "jcni-train-" + ProcessHandle.current().pid();
        boolean sandbox = createSandbox(ns);
        try {
            Map<String, String> placeholders = new HashMap<>();
            placeholders.put("@NETNS@", "/run/netns/" + ns);
            placeholders.put("@DATADIR@", dataDir.toString());
            for (JsonNode request : requests) {
                if (request.path("needsNetns").asBoolean(false) && !sandbox) {
                    continue;
                }
                Map<String, String> env = new HashMap<>();
                for (Map.Entry<String, JsonNode> e : request.path("env").properties()) {
                    env.put(e.getKey(), substitute(e.getValue().asText(), placeholders));
                }
                byte[] stdin = substitute(Json.toString(request.path("config")), placeholders).getBytes(StandardCharsets.UTF_8);
                Skel.Outcome outcome = skel.run(env, stdin);
                System.err.println("train " + name + " " + env.get("CNI_COMMAND") + " -> exit " + outcome.exitCode());
            }
        } finally {
            if (sandbox) {
                run("ip", "netns", "del", ns);
            }
            deleteTree(dataDir);
        }
    }

    private static JsonNode loadRequests(String name) throws IOException {
        try (InputStream in = Trainer.class.getClassLoader().getResourceAsStream("META-INF/jcni/training/" + name + ".json")) {
            if (in == null) {
                return Json.NODES.arrayNode();
            }
            return Json.parse(in.readAllBytes());
        }
    }

    private static boolean createSandbox(String ns) {
        try {
            return run("ip", "netns", "add", ns)
                    && run("ip", "link", "add", ns.substring(0, Math.min(15, ns.length())), "type", "veth", "peer", "name", "eth0", "netns", ns);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String substitute(String s, Map<String, String> placeholders) {
        String out = s;
        for (Map.Entry<String, String> e : placeholders.entrySet()) {
            out = out.replace(e.getKey(), e.getValue());
        }
        return out;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
