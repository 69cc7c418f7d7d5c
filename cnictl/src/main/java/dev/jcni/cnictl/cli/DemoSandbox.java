package dev.jcni.cnictl.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What one demo run makes on the host besides the attachment itself, and takes away again, all
 * named by the run's id so that demos running at the same time never share anything: a private
 * run directory ({@code <base>/run-<id>}: the owner, the claims, this run's conflist, plugin links,
 * result cache, host-local leases, tuning backups, the web root), the sandbox network namespace
 * {@code jcni-demo-<id>}, and the bridge {@code jcni-br-<id>}. Made by {@link DemoRuns#newRun}.
 */
final class DemoSandbox {
    /** This run's own conflist, written from the template with this run's names. */
    static final String NETWORK_CONFLIST = "network.conflist";
    static final String NETNS_PREFIX = "jcni-demo-";
    static final String BRIDGE_PREFIX = "jcni-br-";

    private final DemoConsole console;
    private final String id;
    private final Path runDir;
    private String bridgeName;
    private boolean bridgeExisted;
    private boolean netnsCreated;

    DemoSandbox(DemoConsole console, String id, Path runDir) {
        this.console = console;
        this.id = id;
        this.runDir = runDir;
        this.bridgeName = BRIDGE_PREFIX + id;
    }

    static String netnsNameOf(String id) {
        return NETNS_PREFIX + id;
    }

    static String netnsPathOf(String id) {
        return "/var/run/netns/" + netnsNameOf(id);
    }

    static String containerIdOf(String id) {
        return "jcni-demo-" + id;
    }

    /** Six hex digits naming this run's namespace, container, bridge and directory. */
    String id() {
        return id;
    }

    String netnsName() {
        return netnsNameOf(id);
    }

    String netnsPath() {
        return netnsPathOf(id);
    }

    String containerId() {
        return containerIdOf(id);
    }

    /** This run's private directory. */
    Path runDir() {
        return runDir;
    }

    /** The result cache of this run. */
    Path cacheDir() {
        return runDir.resolve("cache");
    }

    /** The bridge: {@code jcni-br-<id>}, unless the network has been given another ({@link #useBridge}). */
    String bridgeName() {
        return bridgeName;
    }

    boolean bridgeExisted() {
        return bridgeExisted;
    }

    /**
     * The bridge the network's bridge plugin uses. Whether it exists is noted now, before the demo
     * can have made it, so that clean-up after any later failure leaves a bridge that was there.
     */
    void useBridge(String name) {
        this.bridgeName = name;
        this.bridgeExisted = HostCommands.linkExists(name);
    }

    void createNamespace() throws Demo.Failure {
        HostCommands.Output o = HostCommands.run("ip", "netns", "add", netnsName());
        if (!o.ok()) {
            throw new Demo.Failure("ip netns add " + netnsName() + ": " + o.text().trim());
        }
        netnsCreated = true;
        console.say("network namespace " + netnsName() + " (" + netnsPath() + ")"
                + (bridgeExisted ? "; bridge " + bridgeName + " already exists" : ""));
    }

    void deleteNamespace() throws Demo.Failure {
        HostCommands.Output o = HostCommands.run("ip", "netns", "del", netnsName());
        if (!o.ok()) {
            throw new Demo.Failure("ip netns del " + netnsName() + ": " + o.text().trim());
        }
        netnsCreated = false;
        console.say("namespace " + netnsName() + " deleted");
    }

    /**
     * Removes the bridge after DEL (the bridge plugin never does): always the one the demo made, and
     * one that was already there only when nothing is attached to it any more.
     */
    void removeBridge() {
        if (!HostCommands.linkExists(bridgeName)) {
            return;
        }
        boolean hasPorts = !HostCommands.run("ip", "-o", "link", "show", "master", bridgeName).lines().isEmpty();
        if (!bridgeExisted || !hasPorts) {
            HostCommands.run("ip", "link", "del", bridgeName);
            console.say("bridge " + bridgeName + " removed" + (bridgeExisted ? " (an idle one left by an earlier run)" : ""));
            bridgeExisted = false;
        } else {
            console.say("bridge " + bridgeName + " existed before the demo and still has ports: left alone");
        }
    }

    /** Best effort, idempotent, never throws: what is still there after a failure, or after success. */
    void cleanUp() {
        if (netnsCreated) {
            removeNamespace(netnsName());
            netnsCreated = false;
        }
        if (bridgeName != null && !bridgeExisted && HostCommands.linkExists(bridgeName)) {
            HostCommands.run("ip", "link", "del", bridgeName);
        }
        deleteTree(runDir);
    }

    /** Deletes a namespace, first killing what still runs in it (a server of a run that was killed keeps it alive). */
    static void removeNamespace(String name) {
        if (!Files.exists(Path.of("/run/netns", name))) {
            return;
        }
        for (String pid : HostCommands.run("ip", "netns", "pids", name).text().trim().split("\\s+")) {
            try {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            } catch (NumberFormatException notAPid) {
                // empty output, or an error message
            }
        }
        HostCommands.run("ip", "netns", "del", name);
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> all = new ArrayList<>();
            walk.forEach(all::add);
            all.sort(Comparator.reverseOrder());
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // best effort; whatever stays is under /run and goes at reboot
        }
    }
}
