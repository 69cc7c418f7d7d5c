package dev.jcni.cnictl.runtime;

import dev.jcni.core.skel.Command;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One finished plugin exec, as reported to an {@link ExecObserver}: what was sent, what came
 * back and how long it took. The runtime itself never prints; a CLI or a test decides what to
 * show (plugin stderr, timings, the request of each plugin).
 */
public record PluginExecution(Command command, String pluginType, Path binary, byte[] stdin, byte[] stdout,
                              byte[] stderr, int exitCode, Duration elapsed, boolean timedOut) {
    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    public String stdinText() {
        return new String(stdin, StandardCharsets.UTF_8);
    }
}
