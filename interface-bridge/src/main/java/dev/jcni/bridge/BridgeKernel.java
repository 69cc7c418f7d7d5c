package dev.jcni.bridge;

import dev.jcni.core.protocol.CniException;
import dev.jcni.core.os.OsException;
import dev.jcni.core.skel.NodePolicy;

/**
 * Everything the bridge plugin reaches beyond its own code, as one port: the host's namespace,
 * the way into sandboxes, the IPAM plugin, nftables. {@link #real} is the node; unit tests
 * build one of fakes, so every verb runs without root.
 */
interface BridgeKernel {
    /** The plugin's own namespace, the host's. */
    NetworkNamespace host();

    Sandboxes sandboxes();

    Ipam ipam();

    Firewall firewall(NodePolicy node);

    /** The node: its namespace taken on the calling (main) thread. */
    static BridgeKernel real() throws CniException {
        KernelNamespace host;
        try {
            host = KernelNamespace.host();
        } catch (OsException e) {
            throw new CniException(CniException.PLUGIN_FAILURE, "cannot open the plugin's own network namespace", e.getMessage(), e);
        }
        Ipam ipam = Ipam.delegated();
        return new BridgeKernel() {
            @Override
            public NetworkNamespace host() {
                return host;
            }

            @Override
            public Sandboxes sandboxes() {
                return Sandboxes.KERNEL;
            }

            @Override
            public Ipam ipam() {
                return ipam;
            }

            @Override
            public Firewall firewall(NodePolicy node) {
                return Firewall.kernel(node);
            }
        };
    }
}
