package dev.jcni.cnictl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.protocol.CniException;
import dev.jcni.cnictl.runtime.CniRuntime;
import dev.jcni.cnictl.runtime.NetworkConfigList;
import dev.jcni.cnictl.runtime.PluginConfig;
import dev.jcni.cnictl.runtime.PluginVersionInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which binary the demo uses for one plugin type: ours from {@code bin/} when it is there and
 * answers VERSION with the network's version, otherwise the system's (Debian's reference plugins
 * in /usr/lib/cni). The choice is materialised in a private plugin directory that becomes the
 * demo's CNI_PATH, so delegated plugins (bridge calling host-local) follow the same choice.
 *
 * @param type   the plugin type
 * @param binary the binary chosen
 * @param ours   true for a jcni launcher from bin/
 * @param why    why this one, printed by the demo
 */
record PluginChoice(String type, Path binary, boolean ours, String why) {

    /** The types the demo needs a binary for: the chain's, with the IPAM plugins they delegate to, in order. */
    static List<String> typesOf(NetworkConfigList list) {
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

    static PluginChoice choose(String type, Path binDir, Path systemDir, String cniVersion) throws CniException {
        String oursProblem;
        Path candidate = binDir == null ? null : binDir.resolve(type);
        if (candidate == null) {
            oursProblem = "no bin/ directory found";
        } else if (!Files.isRegularFile(candidate)) {
            oursProblem = "not built yet (no " + candidate + ")";
        } else {
            oursProblem = probe(type, binDir, cniVersion);
            if (oursProblem == null) {
                return new PluginChoice(type, candidate, true, "ours, from " + binDir);
            }
        }
        Path system = systemDir.resolve(type);
        if (!Files.isRegularFile(system)) {
            throw new CniException(CniException.INVALID_CONFIG, "no usable \"" + type + "\" plugin",
                    "ours: " + oursProblem + "; system: no " + system
                    + " (install it with: apt-get install -y containernetworking-plugins)");
        }
        return new PluginChoice(type, system, false, "system's, since ours is " + oursProblem);
    }

    /** Null when the plugin in {@code dir} answers VERSION and supports {@code version}, else why not. */
    private static String probe(String type, Path dir, String version) {
        try {
            PluginVersionInfo info = CniRuntime.builder().pluginPath(List.of(dir)).timeout(Duration.ofSeconds(30))
                    .build().version(type);
            if (!info.supports(version)) {
                return "without CNI " + version + " (it supports " + info.supportedVersions() + ")";
            }
            return null;
        } catch (CniException e) {
            return "not working (VERSION failed: " + e.getMessage() + ")";
        }
    }

    /**
     * Puts this choice into the private CNI_PATH directory as a symbolic link to the binary. Our
     * native launchers resolve their own executable (so behind the link they still find
     * {@code lib/jvm/<plugin>} in bin/), and our bridge, finding our host-local launcher behind
     * the link, answers the IPAM request in-process instead of starting a second JVM (a wrapper
     * script would be exec'ed; a copy of the launcher would find no lib/jvm/ beside it).
     */
    void install(Path pluginDir) throws IOException {
        Path link = pluginDir.resolve(type);
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, binary.toAbsolutePath());
    }
}
