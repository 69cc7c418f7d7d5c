package dev.jcni.daemon;

import dev.jcni.core.daemon.DaemonClient;
import dev.jcni.core.daemon.Hello;
import dev.jcni.core.daemon.Wire;
import dev.jcni.core.os.netns.NetNs;
import dev.jcni.core.os.socket.Descriptor;
import dev.jcni.core.os.socket.SeqpacketListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** A daemon serving {@link ScriptedPlugin} as "scripted" on a socket in a test directory, in this JVM. */
final class DaemonHarness implements AutoCloseable {
    static final String BUILD = "0123456789abcdef";
    static final Duration WAIT = Duration.ofSeconds(20);

    final String socket;
    final Daemon daemon;
    final ByteArrayOutputStream log = new ByteArrayOutputStream();
    final Thread serving;
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final NetNs own;

    DaemonHarness(Path dir, int workers) throws Exception {
        socket = dir.resolve("run/jcnid.sock").toString();
        Map<String, String> env = Map.of(Wire.SOCKET_VARIABLE, socket, DaemonSettings.WORKERS, Integer.toString(workers));
        DaemonSettings settings = DaemonSettings.from(env, ProcessHandle.current().pid());
        own = NetNs.openCurrent();
        DaemonLog daemonLog = new DaemonLog(new PrintStream(log, true, StandardCharsets.UTF_8));
        daemon = new Daemon(settings, BUILD, PluginRegistry.of(Map.of("scripted", ScriptedPlugin.class)), own,
                SeqpacketListener.bind(socket, 16), daemonLog, null);
        serving = new Thread(() -> {
            try {
                daemon.serve();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "test-jcnid");
        serving.start();
    }

    String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    /** The daemon's log once it matches {@code regex} (lines are written after the reply, so a test may read before). */
    String logMatching(String regex) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!log().matches(regex)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the daemon's log never matched " + regex + ":\n" + log());
            }
            Thread.sleep(10);
        }
        return log();
    }

    /** Attachment locks of these tests: never the node's /run/jcni/locks. */
    static final String LOCKS = System.getProperty("java.io.tmpdir") + "/jcnid-test-locks-" + ProcessHandle.current().pid();

    static Map<String, String> env(String command) {
        return env(command, "ctr-1");
    }

    static Map<String, String> env(String command, String containerId) {
        Map<String, String> env = new HashMap<>();
        env.put("JCNI_LOCK_DIR", LOCKS);
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", containerId);
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", "/opt/cni/bin");
        return env;
    }

    static List<String> entries(Map<String, String> env) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            out.add(e.getKey() + "=" + e.getValue());
        }
        return out;
    }

    /** A plugin request as a launcher sends it: its own namespace, and CNI_NETNS's when set (opened from {@code sandboxFile}). */
    DaemonClient.Answer request(String plugin, Map<String, String> env, String stdin, String sandboxFile) throws Exception {
        return request(BUILD, plugin, entries(env), stdin.getBytes(StandardCharsets.UTF_8), sandboxFile);
    }

    DaemonClient.Answer request(String build, String plugin, List<String> env, byte[] stdin, String sandboxFile) throws Exception {
        List<Descriptor> pass = new ArrayList<>();
        pass.add(Descriptor.openReadOnly("/proc/self/ns/net"));
        if (sandboxFile != null) {
            pass.add(Descriptor.openReadOnly(sandboxFile));
        }
        try {
            Hello hello = new Hello(Wire.KIND_PLUGIN, build, plugin, List.of(plugin), env, sandboxFile == null ? 0 : Wire.FLAG_SANDBOX,
                    stdin.length);
            return DaemonClient.request(socket, hello, pass, stdin, WAIT);
        } finally {
            for (Descriptor d : pass) {
                d.close();
            }
        }
    }

    void awaitExit() throws Exception {
        serving.join(WAIT.toMillis());
        if (serving.isAlive()) {
            throw new AssertionError("the daemon did not drain and return; log:\n" + log());
        }
        if (failure.get() != null) {
            throw new AssertionError("the daemon failed", failure.get());
        }
    }

    @Override
    public void close() throws Exception {
        daemon.stop("test over");
        ScriptedPlugin.GATE.release(100);
        serving.join(WAIT.toMillis());
        ScriptedPlugin.GATE.drainPermits();
        ScriptedPlugin.ENTERED.drainPermits();
        own.close();
    }
}
