package dev.jcni.bridge;

import dev.jcni.core.os.nft.ChosenNftRunner;
import dev.jcni.core.os.nft.NftException;
import dev.jcni.core.os.nft.NftRunner;
import dev.jcni.core.os.nft.NftRunners;
import dev.jcni.core.skel.NodePolicy;

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
        ChosenNftRunner chosen = new ChosenNftRunner(node.get(NftRunners.OVERRIDE_ENV, null));
        return new Firewall() {
            @Override
            public NftRunner nft() throws NftException {
                return chosen.get();
            }

            @Override
            public String unavailability() {
                return chosen.unavailability();
            }
        };
    }
}
