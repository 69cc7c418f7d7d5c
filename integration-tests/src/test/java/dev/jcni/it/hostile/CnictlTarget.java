package dev.jcni.it.hostile;

import dev.jcni.it.support.PluginRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/cnictl}, run as an operator or a node agent runs it: configs in the workspace's
 * {@code ${NETD}}, its cache in {@code ${CACHE}}, plugins from {@code ${STUBS}} then our bin/.
 * The case's arguments are the whole command line ({@code add hostile ${NETNS}}); its verb is the
 * command word, which decides what a successful answer prints.
 *
 * <p>{@code ${STUBS}} holds {@code iface}, a stand-in interface plugin: ADD answers a result
 * naming {@code eth0} and an address, so a chained plugin (tuning) behind it gets the
 * {@code prevResult} a real chain gives it; every other verb succeeds silently.
 */
public final class CnictlTarget implements Target {
    static final String IFACE_STUB = """
            #!/bin/sh
            # A stand-in interface plugin for the hostile suite: a result for chained plugins to follow.
            cat >/dev/null
            case "$CNI_COMMAND" in
              ADD) echo '{"cniVersion":"1.0.0","interfaces":[{"name":"eth0"}],"ips":[{"address":"10.99.0.2/24","interface":0}]}' ;;
              VERSION) echo '{"cniVersion":"1.1.0","supportedVersions":["0.3.0","0.3.1","0.4.0","1.0.0","1.1.0"]}' ;;
            esac
            exit 0
            """;

    @Override
    public String name() {
        return "cnictl";
    }

    @Override
    public Map<String, String> prepare(Path suiteDir) {
        Path stubs = suiteDir.resolve("stubs");
        try {
            Files.createDirectories(stubs);
            Path iface = stubs.resolve("iface");
            Files.writeString(iface, IFACE_STUB);
            Files.setPosixFilePermissions(iface, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("STUBS", stubs.toString());
    }

    @Override
    public Map<String, Text> defaultEnv(HostileCase c) {
        Map<String, Text> env = new LinkedHashMap<>();
        env.put("NETCONFPATH", Text.of("${NETD}"));
        env.put("CNI_PATH", Text.of("${STUBS}:${BIN}"));
        env.put("JCNI_CACHE_DIR", Text.of("${CACHE}"));
        env.put("JCNI_LOCK_DIR", Text.of("${LOCKS}"));
        // The node's state directories: the workspace's data directory only, so a config's dataDir
        // anywhere else (a host directory, a link, a traversal) must be refused.
        env.put("JCNI_STATE_ROOTS", Text.of("${DATA}"));
        env.put("JCNI_TUNING_ALLOWLIST", Text.of("${ALLOWLIST}"));
        return env;
    }

    @Override
    public List<Text> command(HostileCase c) {
        List<Text> cmd = new ArrayList<>();
        cmd.add(Text.of(PluginRunner.ours("cnictl").toString()));
        cmd.addAll(c.args());
        return cmd;
    }

    @Override
    public Protocol protocol() {
        return Protocol.CNICTL;
    }

    @Override
    public List<String> stateDirs() {
        // Not the whole cache directory: its lock file appears with the first command, and is no state.
        return List.of("cache/results", "data");
    }
}
