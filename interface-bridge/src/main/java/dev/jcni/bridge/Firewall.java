package dev.jcni.bridge;

import dev.jcni.core.os.nft.NftErrors;
import dev.jcni.core.os.nft.NftException;
import dev.jcni.core.os.nft.NftRunner;
import dev.jcni.core.os.nft.NftRunners;
import dev.jcni.core.os.nft.NftUnavailableException;
import dev.jcni.core.skel.NodePolicy;
import java.util.Map;

/**
 * The host's nftables for masquerading and the spoof check: the runner the node's policy allows
 * ({@value NftRunners#OVERRIDE_ENV}), chosen once per process, in the plugin's own (the host's)
 * namespace. Unit tests hand the plugin a fake whose runner is a {@code FakeNftRunner}.
 */
interface Firewall {
    NftRunner nft() throws NftException;

    /** Why nftables cannot be used here, or null when it can (STATUS, and the checks before ADD). */
    String unavailability();

    /** The real one, for the node's policy. */
    static Firewall kernel(NodePolicy node) {
        String fromNode = node.get(NftRunners.OVERRIDE_ENV, null);
        String override = NftRunners.override(System.getProperties(),
                fromNode == null ? Map.<String, String>of() : Map.of(NftRunners.OVERRIDE_ENV, fromNode));
        return new Firewall() {
            private NftRunner runner;

            @Override
            public synchronized NftRunner nft() throws NftException {
                if (runner == null) {
                    try {
                        runner = NftRunners.choose(override, NftRunners.defaultBackends());
                    } catch (NftUnavailableException e) {
                        throw NftErrors.runnerFailure("choose an nftables runner", null, e.errno(), e.getMessage());
                    }
                }
                return runner;
            }

            @Override
            public String unavailability() {
                return NftRunners.unavailabilityCause(override, NftRunners.defaultBackends());
            }
        };
    }
}
