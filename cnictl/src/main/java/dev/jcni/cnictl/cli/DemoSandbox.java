package dev.jcni.cnictl.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the demo makes on the host besides the attachment itself, and takes away again: a private
 * run directory under /run/jcni-demo, the sandbox network namespace, and the bridge, unless
 * that existed before the demo.
 */
final class DemoSandbox {
    static final Path BASE = Path.of("/run/jcni-demo");

    private final DemoConsole console;
    private final String id;
    private final String netnsName;
    private final Path runDir;
    private String bridgeName;
    private boolean bridgeExisted;
    private boolean netnsCreated;

    /** A new run, with a random id; nothing is made yet. */
    DemoSandbox(DemoConsole console) {
        this.console = console;
        this.id = randomId();
        this.netnsName = "jcni-demo-" + id;
        this.runDir = BASE.resolve("run-" + id);
    }

    void createRunDir() throws IOException {
        Files.createDirectories(runDir);
    }

    /** Six hex digits naming this run's namespace, container and directory. */
    String id() {
        return id;
    }

    String netnsName() {
        return netnsName;
    }

    String netnsPath() {
        return "/var/run/netns/" + netnsName;
    }

    /** This run's private directory: plugin links, a copied conflist, the web root. */
    Path runDir() {
        return runDir;
    }

    /** The result cache, one for all runs, beside their directories. */
    Path cacheDir() {
        return BASE.resolve("cache");
    }

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
        HostCommands.Output o = HostCommands.run("ip", "netns", "add", netnsName);
        if (!o.ok()) {
            throw new Demo.Failure("ip netns add " + netnsName + ": " + o.text().trim());
        }
        netnsCreated = true;
        console.say("network namespace " + netnsName + " (" + netnsPath() + ")"
                + (bridgeExisted ? "; bridge " + bridgeName + " already exists" : ""));
    }

    void deleteNamespace() throws Demo.Failure {
        HostCommands.Output o = HostCommands.run("ip", "netns", "del", netnsName);
        if (!o.ok()) {
            throw new Demo.Failure("ip netns del " + netnsName + ": " + o.text().trim());
        }
        netnsCreated = false;
        console.say("namespace " + netnsName + " deleted");
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
            HostCommands.run("ip", "netns", "del", netnsName);
            netnsCreated = false;
        }
        if (bridgeName != null && !bridgeExisted && HostCommands.linkExists(bridgeName)) {
            HostCommands.run("ip", "link", "del", bridgeName);
        }
        deleteTree(runDir);
        if (!otherRunsActive()) {
            // Private to the demo: cache, leases and locks of finished runs.
            deleteTree(BASE);
        }
    }

    private static boolean otherRunsActive() {
        try (Stream<Path> entries = Files.list(BASE)) {
            for (Iterator<Path> it = entries.iterator(); it.hasNext(); ) {
                if (it.next().getFileName().toString().startsWith("run-")) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private static void deleteTree(Path root) {
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
        } catch (IOException e) {
            // best effort; whatever stays is under /run and goes at reboot
        }
    }

    private static String randomId() {
        byte[] b = new byte[3];
        new SecureRandom().nextBytes(b);
        return String.format("%02x%02x%02x", b[0], b[1], b[2]);
    }
}
