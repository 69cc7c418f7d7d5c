package dev.jcni.it.hostile;

import dev.jcni.it.support.PluginRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A CNI plugin's launcher, {@code bin/<name>}, run as a runtime runs it: CNI_COMMAND from the
 * case's verb, an attachment in the worker's sandbox ({@code eth0} in {@code ${NETNS}}), CNI_PATH
 * our bin/, and node policy that keeps everything in the workspace (locks in {@code ${LOCKS}},
 * tuning's allowlist at {@code ${ALLOWLIST}}). Nothing else: runtimes exec plugins with a minimal
 * environment, so there is no PATH and no locale.
 */
public final class PluginTarget implements Target {
    /** The container ID of every case: each case has its own data and lock directories. */
    public static final String CONTAINER_ID = "hostile-1";

    private final String plugin;
    private final Map<String, String> policy;

    /** @param policy extra node policy variables (name to template) the plugin reads */
    public PluginTarget(String plugin, Map<String, String> policy) {
        this.plugin = plugin;
        this.policy = new LinkedHashMap<>(policy);
    }

    @Override
    public String name() {
        return plugin;
    }

    @Override
    public Map<String, String> prepare(Path suiteDir) {
        return Map.of();
    }

    @Override
    public Map<String, Text> defaultEnv(HostileCase c) {
        Map<String, Text> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", Text.of(c.verb()));
        env.put("CNI_CONTAINERID", Text.of(CONTAINER_ID));
        env.put("CNI_NETNS", Text.of("${NETNS}"));
        env.put("CNI_IFNAME", Text.of("eth0"));
        env.put("CNI_PATH", Text.of("${BIN}"));
        env.put("JCNI_LOCK_DIR", Text.of("${LOCKS}"));
        // The node's state directories: the workspace's data directory only, so a config's dataDir
        // anywhere else (a host directory, a link, a traversal) must be refused.
        env.put("JCNI_STATE_ROOTS", Text.of("${DATA}"));
        for (Map.Entry<String, String> e : policy.entrySet()) {
            env.put(e.getKey(), Text.of(e.getValue()));
        }
        return env;
    }

    @Override
    public List<Text> command(HostileCase c) {
        List<Text> cmd = new ArrayList<>();
        cmd.add(Text.of(PluginRunner.ours(plugin).toString()));
        cmd.addAll(c.args());
        return cmd;
    }

    @Override
    public Protocol protocol() {
        return Protocol.PLUGIN;
    }

    @Override
    public List<String> stateDirs() {
        return List.of("data");
    }
}
