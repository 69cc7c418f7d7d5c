package dev.jcni.cnictl.cli;

import dev.jcni.core.os.process.ProcessRunner;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The demo's window on the host: runs {@code ip}, {@code tc}, {@code iptables-save}, {@code nft}
 * and friends through the project's {@link ProcessRunner} (deadline, private output files) and
 * gives back what they printed as one text, as a shell would show it. Never throws: a command
 * that cannot run or times out is an exit code and a message, which the demo reports.
 */
final class HostCommands {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final ProcessRunner RUNNER = new ProcessRunner();

    /** What a command printed (stdout, then stderr) and how it exited. */
    record Output(int exitCode, String text) {
        boolean ok() {
            return exitCode == 0;
        }

        List<String> lines() {
            List<String> out = new ArrayList<>();
            for (String l : text.split("\n")) {
                if (!l.isBlank()) {
                    out.add(l);
                }
            }
            return out;
        }
    }

    private HostCommands() {}

    static Output run(String... argv) {
        return run(Arrays.asList(argv));
    }

    /** Runs {@code argv} with this process's environment and nothing on stdin; 124 on timeout, 127 if it cannot run. */
    static Output run(List<String> argv) {
        try {
            ProcessRunner.Outcome o = RUNNER.run(argv, null, null, TIMEOUT);
            if (o.timedOut()) {
                return new Output(124, String.join(" ", argv) + ": timed out after " + TIMEOUT.toSeconds() + " s");
            }
            return new Output(o.exitCode(), new String(o.stdout(), StandardCharsets.UTF_8)
                    + new String(o.stderr(), StandardCharsets.UTF_8));
        } catch (InterruptedIOException e) {
            return new Output(130, "interrupted");
        } catch (IOException e) {
            return new Output(127, String.join(" ", argv) + ": " + e.getMessage());
        }
    }

    /** The first executable named {@code name} on $PATH (plus the sbin directories root has), or null. */
    static Path which(String name) {
        String path = System.getenv("PATH");
        List<String> dirs = new ArrayList<>(Arrays.asList((path == null ? "" : path).split(":")));
        dirs.addAll(List.of("/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (String d : dirs) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Path.of(d, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** The file's text, or "" when it cannot be read (absent, or gone meanwhile). */
    static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    static boolean linkExists(String name) {
        return run("ip", "link", "show", "dev", name).ok();
    }
}
