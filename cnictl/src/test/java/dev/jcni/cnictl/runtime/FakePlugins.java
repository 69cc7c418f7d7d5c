package dev.jcni.cnictl.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scripted fake plugins for runtime tests: small shell scripts that record every call (order,
 * environment, stdin) and answer with canned output, exit code, stderr or delay per verb.
 *
 * <p>Default answers: VERSION lists every version; ADD prints {@code {"interfaces":[{"name":"<plugin>0"}]}}
 * without a cniVersion (so the runtime's fix-up applies); every other verb prints nothing and exits 0.
 */
final class FakePlugins {
    /** One recorded call. */
    record Call(String plugin, String command, Map<String, String> env, String stdin) {
        JsonNode request() {
            try {
                return Json.parse(stdin);
            } catch (Json.JsonSyntaxException e) {
                throw new AssertionError("stdin of " + plugin + " " + command + " is not JSON: " + stdin, e);
            }
        }
    }

    private final Path bin;
    private final Path records;
    private final Path behaviour;

    FakePlugins(Path root) throws IOException {
        this.bin = Files.createDirectories(root.resolve("bin"));
        this.records = Files.createDirectories(root.resolve("records"));
        this.behaviour = Files.createDirectories(root.resolve("behaviour"));
    }

    Path bin() {
        return bin;
    }

    Path records() {
        return records;
    }

    FakePlugins install(String... names) throws IOException {
        for (String name : names) {
            installIn(bin, name);
        }
        return this;
    }

    /** Writes the script for {@code name} into {@code dir} (for path-order tests). */
    Path installIn(Path dir, String name) throws IOException {
        Path b = Files.createDirectories(behaviour.resolve(name));
        String script = "#!/bin/sh\n"
                + "R='" + records + "'; B='" + b + "'\n"
                + "echo \"" + name + " $CNI_COMMAND\" >> \"$R/calls.log\"\n"
                + "n=$(wc -l < \"$R/calls.log\" | tr -d ' ')\n"
                + "env > \"$R/$n.env\"\n"
                + "cat > \"$R/$n.stdin\"\n"
                + "c=$CNI_COMMAND\n"
                + "[ -f \"$B/$c.sh\" ] && . \"$B/$c.sh\"\n"
                + "[ -f \"$B/$c.stderr\" ] && cat \"$B/$c.stderr\" >&2\n"
                + "if [ -f \"$B/$c.stdout\" ]; then cat \"$B/$c.stdout\"\n"
                + "elif [ \"$c\" = VERSION ]; then echo '{\"cniVersion\":\"1.1.0\",\"supportedVersions\":"
                + "[\"0.1.0\",\"0.2.0\",\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]}'\n"
                + "elif [ \"$c\" = ADD ]; then printf '%s' '{\"interfaces\":[{\"name\":\"" + name + "0\"}]}'\n"
                + "fi\n"
                + "if [ -f \"$B/$c.exit\" ]; then exit $(cat \"$B/$c.exit\"); fi\n"
                + "exit 0\n";
        Path file = dir.resolve(name);
        Files.writeString(file, script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    FakePlugins stdout(String plugin, String command, String text) throws IOException {
        return put(plugin, command + ".stdout", text);
    }

    FakePlugins stderr(String plugin, String command, String text) throws IOException {
        return put(plugin, command + ".stderr", text);
    }

    FakePlugins exit(String plugin, String command, int code) throws IOException {
        return put(plugin, command + ".exit", Integer.toString(code));
    }

    /** Shell code run (sourced) before the canned answer, e.g. a sleep or a background child. */
    FakePlugins script(String plugin, String command, String shell) throws IOException {
        return put(plugin, command + ".sh", shell + "\n");
    }

    private FakePlugins put(String plugin, String file, String text) throws IOException {
        Files.writeString(Files.createDirectories(behaviour.resolve(plugin)).resolve(file), text);
        return this;
    }

    /** Every recorded call, in order. */
    List<Call> calls() throws IOException {
        List<Call> out = new ArrayList<>();
        Path log = records.resolve("calls.log");
        if (!Files.exists(log)) {
            return out;
        }
        List<String> lines = Files.readAllLines(log);
        for (int i = 0; i < lines.size(); i++) {
            String[] parts = lines.get(i).split(" ", 2);
            int n = i + 1;
            Map<String, String> env = new LinkedHashMap<>();
            for (String l : Files.readAllLines(records.resolve(n + ".env"))) {
                int eq = l.indexOf('=');
                if (eq > 0) {
                    env.put(l.substring(0, eq), l.substring(eq + 1));
                }
            }
            String stdin = new String(Files.readAllBytes(records.resolve(n + ".stdin")), StandardCharsets.UTF_8);
            out.add(new Call(parts[0], parts.length > 1 ? parts[1] : "", env, stdin));
        }
        return out;
    }

    /** "bridge ADD", "portmap ADD", … */
    List<String> callSummary() throws IOException {
        List<String> out = new ArrayList<>();
        for (Call c : calls()) {
            out.add(c.plugin() + " " + c.command());
        }
        return out;
    }

    void clearCalls() throws IOException {
        Files.deleteIfExists(records.resolve("calls.log"));
    }
}
