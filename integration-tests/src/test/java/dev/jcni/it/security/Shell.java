package dev.jcni.it.security;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.protocol.Json;
import dev.jcni.it.support.Cmd;
import dev.jcni.it.support.PluginRunner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a launcher the way a runtime may, where {@link PluginRunner} cannot: with stdin from a
 * device, with bytes that are no text in the environment, inside a mount namespace. The script
 * handed to {@code sh -c} is ASCII only, so it reaches the shell intact whatever this JVM's locale;
 * other bytes are written as {@code printf} octal escapes ({@link #bytes}). The plugin itself gets
 * exactly the variables given ({@code env -i}), as runtimes exec plugins with a minimal environment.
 */
final class Shell {
    static final Duration TIMEOUT = Duration.ofSeconds(40);

    private Shell() {}

    /** Exit code, stdout and stderr of one run of {@code sh -c script}. */
    record Run(int exitCode, String stdout, String stderr) {
        JsonNode json() {
            try {
                return Json.parse(stdout.getBytes(StandardCharsets.UTF_8));
            } catch (Json.JsonSyntaxException e) {
                throw new AssertionError("stdout is not JSON: " + e.getMessage() + "\nstdout: " + stdout + "\nstderr: " + stderr);
            }
        }

        /** The CNI error on stdout, checked to be one, with exit code 1. */
        JsonNode error() {
            if (exitCode != 1) {
                throw new AssertionError("expected exit 1, got " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr);
            }
            JsonNode e = json();
            if (!e.path("code").isInt() || e.path("msg").asText().isEmpty()) {
                throw new AssertionError("not a CNI error: " + stdout);
            }
            return e;
        }

        Run assertOk() {
            if (exitCode != 0) {
                throw new AssertionError("exit " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr);
            }
            return this;
        }
    }

    static Run run(String script) {
        Cmd.Result r = Cmd.run(TIMEOUT, "/bin/sh", "-c", script);
        return new Run(r.exitCode(), r.stdout(), r.stderr());
    }

    /**
     * {@code env -i K=V... <bin/plugin>}: each value is a shell word, so it may be
     * {@code "$(printf ...)"} from {@link #bytes} or a quoted literal from {@link #quote}.
     */
    static String plugin(String name, Map<String, String> shellWords) {
        StringBuilder sb = new StringBuilder("env -i");
        Map<String, String> words = new TreeMap<>(shellWords);
        for (Map.Entry<String, String> m : PluginRunner.modeEnvironment().entrySet()) {
            words.putIfAbsent(m.getKey(), quote(m.getValue()));
        }
        for (Map.Entry<String, String> e : words.entrySet()) {
            sb.append(' ').append(e.getKey()).append('=').append(e.getValue());
        }
        return sb.append(' ').append(quote(PluginRunner.ours(name).toString())).toString();
    }

    /** A shell word for the bytes of {@code text} in UTF-8, non-ASCII ones as octal escapes. */
    static String bytes(String text) {
        return bytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A shell word for exactly these bytes (none may be 0). */
    static String bytes(byte[] raw) {
        StringBuilder sb = new StringBuilder("\"$(printf '");
        for (byte b : raw) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\' && c != '%') {
                sb.append((char) c);
            } else {
                sb.append('\\').append(Integer.toOctalString(c));
            }
        }
        return sb.append("')\"").toString();
    }

    /** A single-quoted shell word for ASCII text. */
    static String quote(String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            if (ascii.charAt(i) >= 0x7f) {
                throw new IllegalArgumentException("not ASCII: " + ascii);
            }
        }
        return "'" + ascii.replace("'", "'\\''") + "'";
    }
}
