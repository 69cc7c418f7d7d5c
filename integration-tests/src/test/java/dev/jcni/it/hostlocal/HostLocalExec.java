package dev.jcni.it.hostlocal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.it.support.PluginRunner;
import dev.jcni.it.support.TestNetns;
import dev.jcni.it.support.TestRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Runs our host-local launcher and the reference's (Debian's 1.1.1 in /usr/lib/cni) the way a
 * delegating interface plugin does: CNI_NETNS is a sandbox of the test's own (host-local never
 * enters it, but the protocol requires one for ADD and CHECK), the whole network config on
 * stdin. Container IDs carry the run's id, so two suites at once never share an attachment lock.
 */
final class HostLocalExec {
    static final Path OURS = PluginRunner.ours("host-local");
    static final Path REFERENCE = PluginRunner.reference("host-local");

    private final TestNetns sandbox;
    private final String idPrefix = "hl" + TestRun.current().nextId() + "-";

    HostLocalExec(TestNetns sandbox) {
        this.sandbox = sandbox;
    }

    static boolean referenceInstalled() {
        return Files.isExecutable(REFERENCE);
    }

    /** A container ID unique to this run: {@code hl<run id>-<name>}. */
    String id(String name) {
        return idPrefix + name;
    }

    PluginRunner.Run run(Path binary, String command, String config, String containerName, String ifName, String cniArgs)
            throws IOException, InterruptedException {
        return run(binary, command, config, containerName, ifName, cniArgs, Map.of());
    }

    /** As {@link #run(Path, String, String, String, String, String)} with more environment ({@code JCNI_DEBUG}...). */
    PluginRunner.Run run(Path binary, String command, String config, String containerName, String ifName, String cniArgs,
                         Map<String, String> extraEnv) throws IOException, InterruptedException {
        boolean attachment = command.equals("ADD") || command.equals("DEL") || command.equals("CHECK");
        Map<String, String> env = PluginRunner.env(command, attachment ? id(containerName) : "",
                command.equals("DEL") || !attachment ? "" : sandbox.path(), attachment ? ifName : "");
        if (cniArgs != null) {
            env.put("CNI_ARGS", cniArgs);
        }
        env.putAll(extraEnv);
        return PluginRunner.exec(binary, env, config);
    }

    PluginRunner.Run run(Path binary, String command, String config, String containerName) throws Exception {
        return run(binary, command, config, containerName, "eth0", null);
    }

    /** ADD that must succeed; the result's JSON. */
    JsonNode add(Path binary, String config, String containerName) throws Exception {
        return run(binary, "ADD", config, containerName).assertOk().json();
    }

    /** A network config named {@code network} whose ipam object is {@code ipam} (JSON text). */
    static String conf(String version, String network, String ipam) {
        return "{\"cniVersion\":\"" + version + "\",\"name\":\"" + network + "\",\"type\":\"bridge\",\"ipam\":" + ipam + "}";
    }

    /** An ipam object keeping its leases in {@code dataDir}, with {@code ranges} (JSON text) and more members. */
    static String ipam(Path dataDir, String ranges, String extra) {
        return "{\"type\":\"host-local\",\"dataDir\":\"" + dataDir + "\",\"ranges\":" + ranges + extra + "}";
    }

    /** The first address of a result's ips, without prefix length. */
    static String address(JsonNode result, int index) {
        String cidr = result.path("ips").path(index).path("address").asText();
        return cidr.substring(0, cidr.indexOf('/'));
    }

    /** The store's files and their text, sorted by name (the lock and round-robin records included). */
    static Map<String, String> store(Path networkDir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        if (!Files.isDirectory(networkDir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(networkDir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                out.put(p.getFileName().toString(), new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** The error object of a failed run: exit 1 and protocol JSON. */
    static JsonNode error(PluginRunner.Run r) {
        assertEquals(1, r.exitCode(), "expected a failure: " + r.stdout() + r.stderr());
        return r.json();
    }
}
