package dev.jcni.it.daemon;

import dev.jcni.core.daemon.DaemonClient;
import dev.jcni.core.daemon.Hello;
import dev.jcni.core.daemon.Wire;
import dev.jcni.core.os.netns.NetNs;
import dev.jcni.core.os.socket.Descriptor;
import dev.jcni.it.support.PluginRunner;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the native launcher sends, done in Java for the tests (docs/daemon-protocol.md): the
 * environment as the JVM launcher script would hand it to the JVM, the calling thread's own
 * network namespace and the opened CNI_NETNS as descriptors, stdin cut at 16 MiB + 1.
 */
final class LauncherStandIn {
    static final Duration TIMEOUT = Duration.ofSeconds(120);
    /** The build identity of our bin/lib, computed here from the page's rule (not by the code under test). */
    static final String BUILD = buildOf(PluginRunner.OUR_BIN.resolve("lib"));

    private LauncherStandIn() {}

    /**
     * Today's in-process path of {@code plugin}: the JVM launcher script, which is
     * {@code bin/lib/jvm/<plugin>} once {@code bin/<plugin>} is the native launcher, and
     * {@code bin/<plugin>} itself before.
     */
    static Path inProcess(String plugin) {
        Path script = PluginRunner.OUR_BIN.resolve("lib").resolve("jvm").resolve(plugin);
        return Files.isRegularFile(script) ? script : PluginRunner.ours(plugin);
    }

    /** One request from the calling thread's namespace, as bin/{@code plugin} would make it. */
    static DaemonClient.Answer request(String socket, String plugin, Map<String, String> env, byte[] stdin) throws Exception {
        return request(socket, BUILD, plugin, env, stdin);
    }

    static DaemonClient.Answer request(String socket, String build, String plugin, Map<String, String> env, byte[] stdin)
            throws Exception {
        List<Descriptor> pass = new ArrayList<>();
        try {
            pass.add(Descriptor.openReadOnly("/proc/thread-self/ns/net"));
            String netns = env.get("CNI_NETNS");
            int flags = 0;
            if (netns != null && !netns.isEmpty()) {
                pass.add(Descriptor.openReadOnly(netns));
                flags |= Wire.FLAG_SANDBOX;
            }
            byte[] sent = stdin;
            if (stdin.length > Wire.MAX_STDIN) {
                sent = Arrays.copyOf(stdin, (int) Wire.MAX_STDIN);
                flags |= Wire.FLAG_STDIN_TRUNCATED;
            }
            Hello hello = new Hello(Wire.KIND_PLUGIN, build, plugin, List.of(plugin), scriptEnvironment(env), flags, sent.length);
            return DaemonClient.request(socket, hello, pass, sent, TIMEOUT);
        } finally {
            for (Descriptor d : pass) {
                d.close();
            }
        }
    }

    /** The same request made from inside the namespace at {@code nsPath} (as a runtime running there would). */
    static DaemonClient.Answer requestFrom(String nsPath, String socket, String plugin, Map<String, String> env, byte[] stdin)
            throws Exception {
        try (NetNs ns = NetNs.open(nsPath)) {
            return ns.run(() -> {
                try {
                    return request(socket, plugin, env, stdin);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    /** The launcher script's changes: option variables dropped, the caller's LC_ALL recorded, LC_ALL=C.UTF-8. */
    static List<String> scriptEnvironment(Map<String, String> env) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            String k = e.getKey();
            if (k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS") || k.equals("_JAVA_OPTIONS") || k.equals("CLASSPATH")
                    || k.equals("LC_ALL") || k.equals("JCNI_CALLER_LC_ALL")) {
                continue;
            }
            out.add(k + "=" + e.getValue());
        }
        out.add("JCNI_CALLER_LC_ALL=" + (env.containsKey("LC_ALL") ? "set:" + env.get("LC_ALL") : "unset"));
        out.add("LC_ALL=C.UTF-8");
        return out;
    }

    /** SHA-256 over bin/lib's jars in file-name byte order, first 16 hex digits (the page's definition). */
    static String buildOf(Path lib) {
        try (Stream<Path> files = Files.list(lib)) {
            List<Path> jars = new ArrayList<>(files.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p))
                    .toList());
            jars.sort((a, b) -> Arrays.compareUnsigned(a.getFileName().toString().getBytes(StandardCharsets.UTF_8),
                    b.getFileName().toString().getBytes(StandardCharsets.UTF_8)));
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path jar : jars) {
                try (InputStream in = Files.newInputStream(jar)) {
                    sha.update(in.readAllBytes());
                }
            }
            return java.util.HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (Exception e) {
            return "0000000000000000";
        }
    }
}
