package dev.jcni.it.launcher;

import dev.jcni.core.os.process.ProcessRunner;
import dev.jcni.it.support.PluginRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A test copy of bin/ for one plugin: the real native launcher from the build, copied to
 * {@code <dir>/bin/<plugin>}, and as its in-process path {@code <dir>/bin/lib/jvm/<plugin>} a
 * stand-in script that records exactly what it was exec'd with (its environment and arguments
 * from /proc, its stdin) and answers {@link #STDOUT}, {@link #STDERR}, exit {@link #EXIT}. So a
 * test sees whether the launcher ran the in-process path, and with what, without a JVM.
 */
final class StandIn {
    static final String STDOUT = "stand-in stdout\n";
    static final String STDERR = "stand-in stderr\n";
    static final int EXIT = 7;
    private static final ProcessRunner RUNNER = new ProcessRunner();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Path launcher;
    private final Path records;

    private StandIn(Path launcher, Path records) {
        this.launcher = launcher;
        this.records = records;
    }

    static StandIn create(Path dir, String plugin) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path jvm = Files.createDirectories(bin.resolve("lib/jvm"));
        Path records = Files.createDirectories(dir.resolve("stand-in"));
        Path launcher = bin.resolve(plugin);
        Files.copy(PluginRunner.ours(plugin), launcher, StandardCopyOption.REPLACE_EXISTING);
        String script = "#!/bin/sh\n"
                + "/bin/cat /proc/$$/environ >'" + records + "/env'\n"
                + "/bin/cat /proc/$$/cmdline >'" + records + "/cmdline'\n"
                + "/bin/cat >'" + records + "/stdin'\n"
                + "printf 'stand-in stdout\\n'\n"
                + "printf 'stand-in stderr\\n' >&2\n"
                + "exit " + EXIT + "\n";
        Path s = jvm.resolve(plugin);
        Files.writeString(s, script, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new StandIn(launcher, records);
    }

    Path launcher() {
        return launcher;
    }

    /** Runs the launcher with exactly {@code env}, {@code stdin} and these arguments after argv[0]. */
    ProcessRunner.Outcome run(Map<String, String> env, byte[] stdin, String... args) throws IOException {
        forget();
        List<String> argv = new ArrayList<>();
        argv.add(launcher.toString());
        argv.addAll(Arrays.asList(args));
        ProcessRunner.Outcome o = RUNNER.run(argv, env, stdin, TIMEOUT);
        if (o.timedOut()) {
            throw new AssertionError(launcher + " did not finish within " + TIMEOUT);
        }
        return o;
    }

    /** Drops what an earlier run recorded. */
    void forget() throws IOException {
        for (String f : List.of("env", "cmdline", "stdin")) {
            Files.deleteIfExists(records.resolve(f));
        }
    }

    /** Whether the in-process path ran since the last {@link #run}. */
    boolean ran() {
        return Files.exists(records.resolve("stdin"));
    }

    /** The environment the in-process path was exec'd with. */
    Map<String, String> env() throws IOException {
        Map<String, String> env = new TreeMap<>();
        for (String entry : nulSeparated(records.resolve("env"))) {
            int eq = entry.indexOf('=');
            env.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        return env;
    }

    /** Its arguments after the script (the kernel puts the interpreter and the script's path first). */
    List<String> args() throws IOException {
        List<String> all = nulSeparated(records.resolve("cmdline"));
        return all.subList(2, all.size());
    }

    /** The bytes it read on stdin. */
    byte[] stdin() throws IOException {
        return Files.readAllBytes(records.resolve("stdin"));
    }

    private static List<String> nulSeparated(Path p) throws IOException {
        String all = Files.readString(p, StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length(); i++) {
            if (all.charAt(i) == '\0') {
                out.add(all.substring(start, i));
                start = i + 1;
            }
        }
        return out;
    }
}
