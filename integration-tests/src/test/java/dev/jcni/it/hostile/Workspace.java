package dev.jcni.it.hostile;

import dev.jcni.it.support.Cmd;
import dev.jcni.it.support.LeftoverSweep;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One case's own directory, laid out like the places a plugin meets on a node, and the values of
 * the placeholders its templates use:
 *
 * <table>
 *   <caption>placeholders</caption>
 *   <tr><td>{@code ${WS}}</td><td>the workspace</td></tr>
 *   <tr><td>{@code ${CWD}}</td><td>the process's working directory (empty): relative paths land here</td></tr>
 *   <tr><td>{@code ${DATA}}</td><td>the plugin's data directory (not made: the plugin makes it)</td></tr>
 *   <tr><td>{@code ${HOST}}</td><td>stand-ins for host files: {@code canary} (0644) and {@code secret}
 *       (0600), both holding {@link #SECRET_MARKER}; {@code dir/} (0755) holding {@code file};
 *       {@code link-dir} to {@code dir}, {@code link-canary} to {@code canary}. Nothing here may change.</td></tr>
 *   <tr><td>{@code ${CANARY}}, {@code ${SECRET}}</td><td>the two files above</td></tr>
 *   <tr><td>{@code ${POLICY}}, {@code ${ALLOWLIST}}</td><td>node policy files ({@code allowlist.conf}, absent unless planted)</td></tr>
 *   <tr><td>{@code ${LOGS}}, {@code ${LOCKS}}</td><td>a log directory (0755) and the lock directory (made by the plugin)</td></tr>
 *   <tr><td>{@code ${NETD}}, {@code ${CACHE}}</td><td>a runtime's config directory (0755) and result cache (made by it)</td></tr>
 * </table>
 *
 * plus the suite's values ({@code ${NETNS}}, {@code ${HOSTIF}}, {@code ${BIN}}... see
 * {@link HostileSuite}). Planting runs as a shell script, so paths may hold any bytes.
 */
final class Workspace implements AutoCloseable {
    /** In every stand-in for a host file: no output may ever contain it (an error echoing a file is a read). */
    static final String SECRET_MARKER = "jcni-hostile-secret-5e1f";
    /** The places {@link FileState} watches, relative to the workspace: nothing a case does may change them. */
    static final List<String> WATCHED = List.of("host", "policy", "net.d");
    private static final Duration PLANT_TIMEOUT = Duration.ofSeconds(20);

    private final Path root;
    private final Map<String, String> values;
    private final List<String> mounts = new ArrayList<>();

    private Workspace(Path root, Map<String, String> values) {
        this.root = root;
        this.values = Collections.unmodifiableMap(values);
    }

    /** Makes {@code parent/name} with the standard layout; {@code suiteValues} are the suite's placeholders. */
    static Workspace create(Path parent, String name, Map<String, String> suiteValues) {
        Path root = parent.resolve(name);
        Map<String, String> v = new HashMap<>(suiteValues);
        v.put("WS", root.toString());
        v.put("CWD", root.resolve("cwd").toString());
        v.put("DATA", root.resolve("data").toString());
        v.put("HOST", root.resolve("host").toString());
        v.put("CANARY", root.resolve("host/canary").toString());
        v.put("SECRET", root.resolve("host/secret").toString());
        v.put("POLICY", root.resolve("policy").toString());
        v.put("ALLOWLIST", root.resolve("policy/allowlist.conf").toString());
        v.put("LOGS", root.resolve("logs").toString());
        v.put("LOCKS", root.resolve("locks").toString());
        v.put("NETD", root.resolve("net.d").toString());
        v.put("CACHE", root.resolve("cache").toString());
        try {
            Files.createDirectories(root);
            for (String dir : new String[] {"cwd", "host", "host/dir", "policy", "logs", "net.d"}) {
                Files.createDirectories(root.resolve(dir));
                Files.setPosixFilePermissions(root.resolve(dir), PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Files.writeString(root.resolve("host/canary"), "canary " + SECRET_MARKER + "\n");
            Files.setPosixFilePermissions(root.resolve("host/canary"), PosixFilePermissions.fromString("rw-r--r--"));
            Files.writeString(root.resolve("host/secret"), "secret " + SECRET_MARKER + "\n");
            Files.setPosixFilePermissions(root.resolve("host/secret"), PosixFilePermissions.fromString("rw-------"));
            Files.writeString(root.resolve("host/dir/file"), "file in a host directory\n");
            Files.setPosixFilePermissions(root.resolve("host/dir/file"), PosixFilePermissions.fromString("rw-r--r--"));
            Files.createSymbolicLink(root.resolve("host/link-dir"), Path.of("dir"));
            Files.createSymbolicLink(root.resolve("host/link-canary"), Path.of("canary"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make workspace " + root, e);
        }
        return new Workspace(root, v);
    }

    Path root() {
        return root;
    }

    Map<String, String> values() {
        return values;
    }

    byte[] bytes(Text t) {
        return t.bytes(values);
    }

    String expand(String template) {
        return Text.expand(template, values);
    }

    /**
     * Puts the plants on disk, in order: plain files, directories and links at ASCII paths from
     * this JVM (most cases plant just a config), everything else with a shell script (paths are
     * bytes; FIFOs and devices need mkfifo and mknod).
     */
    void plant(List<Plant> plants) {
        if (plants.isEmpty()) {
            return;
        }
        boolean plain = true;
        for (Plant p : plants) {
            plain &= isPlain(p);
        }
        if (plain) {
            for (Plant p : plants) {
                plantInJava(p);
            }
            return;
        }
        ShellScript sh = new ShellScript().line("set -e").line("umask 022");
        int contentFiles = 0;
        for (Plant p : plants) {
            String path = ShellScript.word(sh.assign(bytes(p.path())));
            sh.line("mkdir -p -- \"$(dirname -- " + path + ")\"");
            switch (p.kind()) {
                case FILE -> {
                    Path content = root.resolve(".plant-" + contentFiles++);
                    write(content, p.content() == null ? new byte[0] : bytes(p.content()));
                    sh.line("mv -f -- " + ShellScript.quote(content.toString()) + " " + path);
                    sh.line("chmod " + Integer.toOctalString(p.mode() < 0 ? 0600 : p.mode()) + " " + path);
                }
                case DIR -> {
                    sh.line("mkdir -p -- " + path);
                    sh.line("chmod " + Integer.toOctalString(p.mode() < 0 ? 0700 : p.mode()) + " " + path);
                }
                case FIFO -> sh.line("mkfifo -- " + path);
                case ZERO_DEVICE -> sh.line("mknod -- " + path + " c 1 5");
                case SYMLINK -> sh.line("ln -s -- " + ShellScript.word(sh.assign(bytes(p.content()))) + " " + path);
                case HARDLINK -> sh.line("ln -- " + ShellScript.word(sh.assign(bytes(p.content()))) + " " + path);
                case BIND -> {
                    String source = ShellScript.word(sh.assign(bytes(p.content())));
                    sh.line("if [ -d " + source + " ]; then mkdir -p -- " + path + "; else : > " + path + "; fi");
                    sh.line("mount --bind -- " + source + " " + path);
                    mounts.add(new String(bytes(p.path()), StandardCharsets.ISO_8859_1));
                }
            }
            if (p.owner() >= 0) {
                sh.line("chown -h " + p.owner() + " " + path);
            }
        }
        Cmd.Result r = runScript(sh);
        if (!r.ok()) {
            throw new AssertionError("cannot plant " + plants + ": " + r.stderr().trim());
        }
    }

    /** A plant this JVM can make whatever its locale: a file, directory or link at an ASCII path, owned by root. */
    private boolean isPlain(Plant p) {
        boolean kind = p.kind() == Plant.Kind.FILE || p.kind() == Plant.Kind.DIR || p.kind() == Plant.Kind.SYMLINK;
        return kind && p.owner() < 0 && isAscii(bytes(p.path())) && (p.kind() != Plant.Kind.SYMLINK || isAscii(bytes(p.content())));
    }

    private static boolean isAscii(byte[] b) {
        for (byte x : b) {
            if (x <= 0) {
                return false;
            }
        }
        return true;
    }

    private void plantInJava(Plant p) {
        Path path = Path.of(new String(bytes(p.path()), StandardCharsets.US_ASCII));
        try {
            Files.createDirectories(path.getParent());
            switch (p.kind()) {
                case FILE -> {
                    Files.write(path, p.content() == null ? new byte[0] : bytes(p.content()));
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(rwx(p.mode() < 0 ? 0600 : p.mode())));
                }
                case DIR -> {
                    Files.createDirectories(path);
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(rwx(p.mode() < 0 ? 0700 : p.mode())));
                }
                default -> Files.createSymbolicLink(path, Path.of(new String(bytes(p.content()), StandardCharsets.US_ASCII)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot plant " + p, e);
        }
    }

    /** Permission bits as {@code rwxr-x---}. */
    static String rwx(int mode) {
        StringBuilder sb = new StringBuilder(9);
        for (int shift = 6; shift >= 0; shift -= 3) {
            int bits = (mode >> shift) & 7;
            sb.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-').append((bits & 1) != 0 ? 'x' : '-');
        }
        return sb.toString();
    }

    /** Runs a script in this workspace (its text is ASCII; see {@link ShellScript}). */
    Cmd.Result runScript(ShellScript sh) {
        Path script = root.resolve(".script-" + System.nanoTime() + ".sh");
        write(script, sh.toString().getBytes(StandardCharsets.US_ASCII));
        try {
            return Cmd.run(PLANT_TIMEOUT, "/bin/sh", script.toString());
        } finally {
            try {
                Files.deleteIfExists(script);
            } catch (IOException ignored) {
                // goes with the workspace
            }
        }
    }

    private static void write(Path file, byte[] content) {
        try {
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Unmounts what was bind-mounted, then deletes the workspace. */
    @Override
    public void close() {
        if (!mounts.isEmpty()) {
            ShellScript sh = new ShellScript();
            for (String m : mounts) {
                sh.line("umount -l -- " + ShellScript.word(sh.assign(m.getBytes(StandardCharsets.ISO_8859_1))) + " || true");
            }
            runScript(sh);
        }
        LeftoverSweep.deleteTree(root);
    }
}
