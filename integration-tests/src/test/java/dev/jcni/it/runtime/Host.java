package dev.jcni.it.runtime;

import dev.jcni.core.os.process.ProcessRunner;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Runs a tool (cnictl) for the runtime tests and gives back what it printed as one text. */
final class Host {
    private static final ProcessRunner RUNNER = new ProcessRunner();

    private Host() {}

    record Out(int code, String text) {
        boolean ok() {
            return code == 0;
        }
    }

    /**
     * stdout and stderr as one text; 124 after {@code timeout} (the process tree is then killed),
     * 127 if it cannot run. Never throws: cleanup code calls this too.
     */
    static Out run(Duration timeout, Map<String, String> env, List<String> argv) {
        try {
            ProcessRunner.Outcome o = RUNNER.run(argv, env, null, timeout);
            if (o.timedOut()) {
                return new Out(124, "timeout after " + timeout.toSeconds() + " s: " + argv + "\n"
                        + new String(o.stdout(), StandardCharsets.UTF_8) + new String(o.stderr(), StandardCharsets.UTF_8));
            }
            return new Out(o.exitCode(), new String(o.stdout(), StandardCharsets.UTF_8)
                    + new String(o.stderr(), StandardCharsets.UTF_8));
        } catch (InterruptedIOException e) {
            return new Out(130, "interrupted");
        } catch (IOException e) {
            return new Out(127, e.toString() + ": " + Arrays.toString(argv.toArray()));
        }
    }
}
