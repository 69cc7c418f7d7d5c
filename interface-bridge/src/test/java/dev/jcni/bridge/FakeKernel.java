package dev.jcni.bridge;

import dev.jcni.core.net.IpPrefix;
import dev.jcni.core.os.nft.FakeNftRunner;
import dev.jcni.core.os.nft.NftErrors;
import dev.jcni.core.os.nft.NftException;
import dev.jcni.core.os.nft.NftRunner;
import dev.jcni.core.os.Errno;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.protocol.Result;
import dev.jcni.core.protocol.ResultCodec;
import dev.jcni.core.skel.Invocation;
import dev.jcni.core.skel.NodePolicy;
import dev.jcni.core.skel.Sandbox;
import java.util.ArrayList;
import java.util.List;

/**
 * A node in memory: a host namespace, one sandbox, an IPAM plugin that hands out the addresses
 * it is given and records its calls, and nftables as {@link FakeNftRunner}. The plugin built by
 * {@link #plugin} works on this, so every verb runs without root.
 */
final class FakeKernel implements BridgeKernel {
    final FakeNamespace host = new FakeNamespace("host");
    FakeNamespace sandbox = new FakeNamespace("sandbox");
    final FakeNftRunner nft = new FakeNftRunner();
    /** What the plugin's firewall runs on: the fake itself, or a {@link FlakyRunner} around it. */
    NftRunner runner = nft;
    /** What DEL finds at CNI_NETNS; ADD and CHECK fail with code 4 unless SANDBOX. */
    Sandbox.Presence presence = Sandbox.Presence.SANDBOX;
    /** Why nftables cannot be used, or null. */
    String nftMissing;
    final FakeIpam ipam = new FakeIpam();

    BridgePlugin plugin() {
        return new BridgePlugin(new BridgePlugin.Kernels() {
            @Override
            public BridgeKernel open() {
                return FakeKernel.this;
            }
        });
    }

    @Override
    public NetworkNamespace host() {
        return host;
    }

    @Override
    public Sandboxes sandboxes() {
        return new Sandboxes() {
            @Override
            public <T> T run(Invocation inv, Work<T> work) throws CniException {
                if (presence != Sandbox.Presence.SANDBOX) {
                    throw new CniException(CniException.INVALID_ENVIRONMENT, "CNI_NETNS \"" + inv.netns() + "\" does not exist");
                }
                try {
                    return work.run(sandbox);
                } catch (dev.jcni.core.os.OsException e) {
                    throw new CniException(CniException.PLUGIN_FAILURE, "kernel operation failed in the sandbox", e.getMessage(), e);
                }
            }

            @Override
            public Sandbox.Presence runIfSandbox(Invocation inv, Work<Void> work) throws CniException {
                if (presence == Sandbox.Presence.SANDBOX && !inv.netns().isEmpty()) {
                    run(inv, work);
                    return presence;
                }
                return inv.netns().isEmpty() ? Sandbox.Presence.GONE : presence;
            }
        };
    }

    @Override
    public Ipam ipam() {
        return ipam;
    }

    @Override
    public Firewall firewall(NodePolicy node) {
        return new Firewall() {
            @Override
            public NftRunner nft() throws NftException {
                if (nftMissing != null) {
                    throw NftErrors.runnerFailure("choose an nftables runner", null, Errno.ENOENT, nftMissing);
                }
                return runner;
            }

            @Override
            public String unavailability() {
                return nftMissing;
            }
        };
    }

    /** An IPAM plugin that answers with {@link #lease}, records calls, and fails when told to. */
    static final class FakeIpam implements Ipam {
        final List<String> calls = new ArrayList<>();
        /** The ADD answer, JSON of a result (no interfaces), version 1.0.0. */
        String lease = "{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.22.0.5/16\",\"gateway\":\"10.22.0.1\"}],"
                + "\"routes\":[{\"dst\":\"0.0.0.0/0\"}],\"dns\":{\"nameservers\":[\"10.22.0.1\"]}}";
        /** Verb (ADD, DEL...) that fails, and how. */
        String failing;
        CniException failure = new CniException(100, "no IP addresses available in range set: 10.22.0.0/16");
        boolean missing;
        /** Runs during ADD, before the lease is handed out: another process's doing, for races. */
        Runnable duringAdd;

        @Override
        public void requireAvailable(Invocation inv, String type) throws CniException {
            if (missing) {
                throw new CniException(CniException.INVALID_CONFIG, "failed to find plugin \"" + type + "\" in path [/opt/cni/bin]");
            }
        }

        private void call(String verb, Invocation inv, String type) throws CniException {
            calls.add(verb + " " + type + " " + inv.containerId() + "/" + inv.ifName());
            if (verb.equals(failing)) {
                throw failure;
            }
        }

        @Override
        public Result add(Invocation inv, String type) throws CniException {
            call("ADD", inv, type);
            if (duringAdd != null) {
                duringAdd.run();
            }
            try {
                return ResultCodec.parse(Json.parse(lease.getBytes(java.nio.charset.StandardCharsets.UTF_8)), inv.cniVersion());
            } catch (Json.JsonSyntaxException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public void del(Invocation inv, String type) throws CniException {
            call("DEL", inv, type);
        }

        @Override
        public void check(Invocation inv, String type) throws CniException {
            call("CHECK", inv, type);
        }

        @Override
        public void gc(Invocation inv, String type) throws CniException {
            call("GC", inv, type);
        }

        @Override
        public void status(Invocation inv, String type) throws CniException {
            call("STATUS", inv, type);
        }
    }

    static IpPrefix prefix(String text) {
        try {
            return IpPrefix.parse(text);
        } catch (dev.jcni.core.net.AddressFormatException e) {
            throw new AssertionError(e);
        }
    }
}
