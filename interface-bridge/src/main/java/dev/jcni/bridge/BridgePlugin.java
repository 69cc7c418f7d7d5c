package dev.jcni.bridge;

import dev.jcni.core.os.nft.NftRunners;
import dev.jcni.core.skel.ValidAttachments;
import dev.jcni.core.os.NativeLibraries;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netlink.LinkInfo;
import dev.jcni.core.os.nft.NftException;
import dev.jcni.core.os.nft.NftRunner;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.CniVersion;
import dev.jcni.core.protocol.JsonFields;
import dev.jcni.core.protocol.Result;
import dev.jcni.core.skel.CniPlugin;
import dev.jcni.core.skel.Invocation;
import dev.jcni.core.skel.Log;
import dev.jcni.core.skel.PluginMain;
import dev.jcni.core.skel.PrevResult;
import dev.jcni.core.skel.Sandbox;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code bridge} interface plugin: a Linux bridge in the host, a veth pair per sandbox, the
 * addresses from the IPAM plugin, config- and result-compatible with the reference (every key,
 * the same messages, the same result layout; docs/bridge.md). Beyond it: everything that can be
 * checked is checked before the first change, and a failed ADD undoes its own work (IPAM DEL
 * included); DEL needs neither the namespace nor the addresses to remove the masquerade and
 * spoof-check rules, which are owned by (network, container ID, ifname); GC and a STATUS that
 * looks at the bridge; the spoof check is one map lookup per frame.
 *
 * <p>The verbs orchestrate: {@link BridgeConfig} reads the request, {@link Attach} is ADD,
 * {@link BridgeCheck} CHECK, {@link HostBridge} and {@link ContainerSide} the two namespaces'
 * work, {@link Masquerade} and {@link SpoofCheck} the nftables state, all through the
 * {@link BridgeKernel} port (fakes in unit tests).
 */
public final class BridgePlugin implements CniPlugin {
    public static final String NAME = "bridge";

    /** Makes the port for one request; the real one opens the plugin's namespace. */
    interface Kernels {
        BridgeKernel open() throws CniException;
    }

    private final Kernels kernels;

    public BridgePlugin() {
        this(new Kernels() {
            @Override
            public BridgeKernel open() throws CniException {
                return BridgeKernel.real();
            }
        });
    }

    BridgePlugin(Kernels kernels) {
        this.kernels = kernels;
    }

    public static void main(String[] args) {
        String command = System.getenv("CNI_COMMAND");
        if ("ADD".equals(command) || "DEL".equals(command) || "GC".equals(command)) {
            NftRunners.preloadInBackground();  // ipMasq, macspoofchk
        }
        if ("GC".equals(command) || "STATUS".equals(command)) {
            NativeLibraries.preloadInBackground();
        }
        PluginMain.run(NAME, new BridgePlugin());
    }

    @Override
    public String about() {
        return "jcni bridge plugin: a Linux bridge and a veth pair per sandbox, addresses from IPAM";
    }

    @Override
    public List<String> supportedVersions() {
        return CniVersion.ALL;
    }

    @Override
    public Result add(Invocation inv) throws CniException {
        BridgeConfig config = BridgeConfig.parse(inv);
        Log.timing("config validated");
        return new Attach(inv, config, kernels.open()).run();
    }

    /**
     * Removes the container's interface (when the sandbox is still there), releases the
     * addresses (IPAM DEL), and removes the masquerade and spoof-check rules by the attachment's
     * identity. The bridge, its addresses and forwarding stay, as with the reference. Succeeds
     * with the namespace gone, CNI_NETNS empty, and when repeated.
     */
    @Override
    public void del(Invocation inv) throws CniException {
        BridgeConfig.Cleanup config = BridgeConfig.cleanup(inv);
        BridgeKernel kernel = kernels.open();
        Sandbox.Presence where = kernel.sandboxes().runIfSandbox(inv, new Sandboxes.Work<Void>() {
            @Override
            public Void run(NetworkNamespace sandbox) throws OsException {
                new ContainerSide(sandbox, inv.ifName()).delete();
                return null;
            }
        });
        if (where == Sandbox.Presence.HOST) {
            Log.warn("CNI_NETNS " + inv.netns() + " is the host's own network namespace: " + inv.ifName() + " is not deleted there");
        }
        Log.timing("interface deleted");
        if (config.ipamType() != null) {
            kernel.ipam().del(inv, config.ipamType());
            Log.timing("IPAM DEL");
        }
        if (config.spoofCheck() || config.masquerade()) {
            NftRunner nft = nftOrNull(kernel, inv);
            Log.timing("nftables runner");
            if (nft != null) {
                Attachment owner = new Attachment(inv.networkName(), inv.containerId(), inv.ifName());
                try {
                    if (config.spoofCheck()) {
                        new SpoofCheck(nft).remove(owner);
                    }
                    if (config.masquerade()) {
                        new Masquerade(nft).remove(owner);
                    }
                } catch (NftException e) {
                    throw new CniException(CniException.PLUGIN_FAILURE, "failed to remove the firewall rules of " + owner + ": "
                            + e.getMessage(), e.errorText(), e);
                }
                Log.timing("firewall rules removed");
            }
        }
    }

    /** The runner, or null (logged) when nftables cannot be reached: then it holds no rules of ours either. */
    private static NftRunner nftOrNull(BridgeKernel kernel, Invocation inv) {
        try {
            return kernel.firewall(inv.node()).nft();
        } catch (NftException e) {
            Log.warn("nftables cannot be used, so no masquerade or spoof-check rule can be removed: " + e.getMessage());
            return null;
        }
    }

    @Override
    public void check(Invocation inv) throws CniException {
        BridgeConfig config = BridgeConfig.parse(inv);
        BridgeKernel kernel = kernels.open();
        if (config.isLayer3()) {
            kernel.ipam().check(inv, config.ipamType());
        }
        Result prev = PrevResult.require(inv, NAME);
        new BridgeCheck(inv, config, kernel).run(prev);
    }

    /**
     * Removes the masquerade and spoof-check state of this network's attachments that are not
     * in {@code cni.dev/valid-attachments} (whatever the config's flags say now), then forwards to
     * IPAM. Goes on after a failure and reports every one.
     */
    @Override
    public void gc(Invocation inv) throws CniException {
        BridgeConfig.Cleanup config = BridgeConfig.cleanup(inv);
        List<Attachment> valid = validAttachments(inv);
        BridgeKernel kernel = kernels.open();
        List<CniException> failures = new ArrayList<>();
        NftRunner nft = nftOrNull(kernel, inv);
        if (nft != null) {
            Set<String> chains = new LinkedHashSet<>();
            Set<String> instances = new LinkedHashSet<>();
            for (Attachment a : valid) {
                chains.add(a.spoofChain());
                instances.add(a.masqueradeInstance());
            }
            try {
                int spoof = new SpoofCheck(nft).collect(inv.networkName(), chains);
                int masq = new Masquerade(nft).collect(inv.networkName(), instances);
                Log.info("GC: removed the spoof check of " + spoof + " and " + masq + " masquerade rule(s) of network " + inv.networkName());
            } catch (NftException e) {
                failures.add(new CniException(CniException.PLUGIN_FAILURE, "GC of the firewall rules of network " + inv.networkName()
                        + " failed: " + e.getMessage(), e.errorText(), e));
            } catch (CniException e) {
                failures.add(e);
            }
        }
        if (config.ipamType() != null) {
            try {
                kernel.ipam().gc(inv, config.ipamType());
            } catch (CniException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            CniException first = failures.get(0);
            StringBuilder all = new StringBuilder();
            for (CniException e : failures) {
                all.append(all.length() == 0 ? "" : "; ").append(e.getMessage());
            }
            throw new CniException(first.code(), first.msg(), all.toString(), first);
        }
    }

    /** The attachments of this network a GC request lists as still valid (entries naming an interface). */
    static List<Attachment> validAttachments(Invocation inv) throws CniException {
        List<Attachment> out = new ArrayList<>();
        for (ValidAttachments.Entry a : ValidAttachments.of(inv).entries()) {
            if (a.ifName() != null) {
                out.add(new Attachment(inv.networkName(), a.containerId(), a.ifName()));
            }
        }
        return out;
    }

    /**
     * Code 50 when an ADD of this config cannot succeed on this node: a link of the bridge's name
     * that is no bridge, nftables out of reach while the config needs it, the IPAM plugin missing
     * from CNI_PATH; then the IPAM plugin's own STATUS, whose error passes unchanged.
     */
    @Override
    public void status(Invocation inv) throws CniException {
        BridgeConfig config = BridgeConfig.parse(inv);
        BridgeKernel kernel = kernels.open();
        LinkInfo existing;
        try {
            existing = kernel.host().linkOrNull(config.bridge());
        } catch (OsException e) {
            throw new CniException(CniException.NOT_AVAILABLE, "bridge cannot serve ADD: the host's links cannot be read", e.getMessage());
        }
        if (existing != null && !"bridge".equals(existing.kind())) {
            throw new CniException(CniException.NOT_AVAILABLE, "bridge cannot serve ADD: \"" + config.bridge() + "\" exists but is not a bridge",
                    "it is a " + (existing.kind() == null ? "device without a kind" : existing.kind()));
        }
        if (config.ipMasq() || config.macSpoofCheck()) {
            String why = kernel.firewall(inv.node()).unavailability();
            if (why != null) {
                throw new CniException(CniException.NOT_AVAILABLE, "bridge cannot serve ADD: "
                        + (config.ipMasq() ? "ipMasq" : "macspoofchk") + " needs nftables", why);
            }
        }
        if (config.isLayer3()) {
            try {
                kernel.ipam().requireAvailable(inv, config.ipamType());
            } catch (CniException e) {
                throw new CniException(CniException.NOT_AVAILABLE, "bridge cannot serve ADD: " + e.getMessage(), e.details(), e);
            }
            kernel.ipam().status(inv, config.ipamType());
        }
    }
}
