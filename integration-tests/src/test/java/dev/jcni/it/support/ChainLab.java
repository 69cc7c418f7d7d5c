package dev.jcni.it.support;

import dev.jcni.cnictl.runtime.CniRuntime;
import dev.jcni.cnictl.runtime.ConfigLoader;
import dev.jcni.cnictl.runtime.NetworkConfigList;
import dev.jcni.cnictl.runtime.RuntimeConf;
import dev.jcni.core.protocol.CniException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fixture of the tests that run whole chains with traffic: a {@link PrivateHost}, a scratch
 * directory for the conflist, IPAM store, plugin directory and runtime cache, a jcni runtime over
 * them, and every sandbox, server and attachment a test made. {@link #close} undoes it all in
 * the order that leaves nothing behind whatever failed: servers stopped, every attachment DELed
 * (so no lease, cache file or rule outlives a failing test), sandboxes, then the host and the
 * directory removed.
 */
public final class ChainLab implements AutoCloseable {
    private final PrivateHost host;
    private final Path work;
    private final List<AutoCloseable> closeFirst = new ArrayList<>();
    private final List<TestNetns> sandboxes = new ArrayList<>();
    private final List<RuntimeConf> attached = new ArrayList<>();
    private CniRuntime runtime;
    private NetworkConfigList list;

    private ChainLab(PrivateHost host, Path work) {
        this.host = host;
        this.work = work;
    }

    /** A new private host and a scratch directory named {@code prefix-...} in the run's scratch space. */
    public static ChainLab open(String prefix) throws IOException {
        PrivateHost host = PrivateHost.create();
        try {
            return new ChainLab(host, Files.createTempDirectory(TestRun.current().scratch(), prefix + "-"));
        } catch (IOException | RuntimeException e) {
            host.close();
            throw e;
        }
    }

    public PrivateHost host() {
        return host;
    }

    public Path work() {
        return work;
    }

    /** The run-unique suffix of the host's name, for network names and container IDs. */
    public String tag() {
        return host.netns().suffix();
    }

    /** {@code conflist} written to the scratch directory and loaded as the runtime would load it. */
    public NetworkConfigList network(String conflist) throws IOException, CniException {
        Path file = work.resolve("net.conflist");
        Files.writeString(file, conflist);
        list = ConfigLoader.fromFile(file);
        return list;
    }

    /**
     * The runtime over {@code pluginDir} with its cache in the scratch directory.
     *
     * @param environment what the runtime execs plugins with, or null for its own process's
     */
    public CniRuntime runtime(Path pluginDir, Map<String, String> environment, Duration timeout) {
        CniRuntime.Builder b = CniRuntime.builder().pluginPath(List.of(pluginDir)).cacheDir(work.resolve("cache")).timeout(timeout);
        if (environment != null) {
            b.environment(environment);
        }
        runtime = b.build();
        return runtime;
    }

    /** A new sandbox namespace, removed by {@link #close}. */
    public TestNetns sandbox() {
        TestNetns ns = TestNetns.create();
        sandboxes.add(ns);
        return ns;
    }

    /** ADD of {@code rt} to the current network, DELed by {@link #close} whether or not it succeeded. */
    public CniRuntime.AddResult add(RuntimeConf rt) throws Exception {
        attached.add(rt);
        return runtime.add(list, rt);
    }

    /** The attachments made so far, in order. */
    public List<RuntimeConf> attached() {
        return attached;
    }

    /** Something {@link #close} stops first (a server in a sandbox): {@code process::destroyForcibly}, an iperf3. */
    public void closeFirst(AutoCloseable c) {
        closeFirst.add(c);
    }

    @Override
    public void close() {
        for (AutoCloseable c : closeFirst) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("ChainLab: stopping " + c + " failed: " + e.getMessage());
            }
        }
        for (RuntimeConf rt : attached) {
            try {
                runtime.del(list, rt);
            } catch (Exception e) {
                System.err.println("ChainLab: DEL of " + rt.containerId() + " failed: " + e.getMessage());
            }
        }
        for (TestNetns ns : sandboxes) {
            ns.close();
        }
        host.close();
        LeftoverSweep.deleteTree(work);
    }
}
