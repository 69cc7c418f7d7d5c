package dev.jcni.it.hostile;

import dev.jcni.core.os.netns.NetNs;
import dev.jcni.it.support.TestNetns;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The sandbox one worker runs its cases against: a test namespace holding {@code eth0} (a veth
 * whose peer, {@code peer0}, is in the same namespace, so nothing of it is on the host) and
 * {@code lo}. A case that changed it (a successful ADD) is followed by a fresh one, so every case
 * starts from the same sandbox.
 */
final class WorkerSandbox implements AutoCloseable {
    private TestNetns ns;

    WorkerSandbox() {
        ns = create();
    }

    private static TestNetns create() {
        TestNetns ns = TestNetns.create();
        try {
            ns.ip("link", "add", "eth0", "type", "veth", "peer", "name", "peer0");
            // rp_filter 0, so that tuning's "2" is a change a snapshot sees (written from a thread
            // in the namespace: cheaper than `ip netns exec`, which remounts /sys).
            NetNs.run(ns.path(), () -> Files.writeString(Path.of("/proc/sys/net/ipv4/conf/eth0/rp_filter"), "0"));
        } catch (Exception | AssertionError e) {
            ns.close();
            throw new AssertionError("cannot make a sandbox: " + e, e);
        }
        return ns;
    }

    String path() {
        return ns.path();
    }

    String name() {
        return ns.name();
    }

    /** A fresh sandbox in place of this one. */
    void reset() {
        ns.close();
        ns = create();
    }

    @Override
    public void close() {
        ns.close();
    }
}
