package dev.jcni.cnictl.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The demo's window on the host: runs {@code ip}, {@code tc}, {@code iptables-save}, {@code nft}
 * and friends with a deadline and returns what they printed. Output goes through a temporary
 * file so a chatty command can never block on a full pipe.
 */
final class HostCommands {
    /** What a command printed (stdout and stderr together) and how it exited. */
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

    static Output run(List<String> argv) {
        Path out = null;
        try {
            out = Files.createTempFile("jcni-demo-cmd-", ".out");
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor();
                return new Output(124, String.join(" ", argv) + ": timed out after 20 s");
            }
            return new Output(p.exitValue(), new String(Files.readAllBytes(out), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Output(127, String.join(" ", argv) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Output(130, "interrupted");
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temp file in /tmp; nothing else to do
                }
            }
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
