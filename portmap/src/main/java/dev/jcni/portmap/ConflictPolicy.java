package dev.jcni.portmap;

import dev.jcni.core.protocol.CniException;
import dev.jcni.core.skel.NodePolicy;
import java.util.Locale;

/**
 * What an ADD does when a hostPort it maps is already mapped by another attachment. Node policy
 * ({@value #VARIABLE} in the runtime's environment), never the network config: a config is
 * written by tenants, and the policy decides whether one tenant's ADD may take another's port.
 */
enum ConflictPolicy {
    /**
     * The newest ADD wins, atomically, with a warning: the default, for Kubernetes, whose
     * scheduler keeps hostPorts unique per node, so an existing owner is a leftover of a sandbox
     * whose DEL has not come (yet). The old owner's later DEL leaves the new owner alone.
     */
    TAKEOVER,
    /** The ADD fails, naming the current owner, and changes nothing. */
    STRICT;

    static final String VARIABLE = "JCNI_PORTMAP_CONFLICT";

    static ConflictPolicy of(NodePolicy node) throws CniException {
        String v = node.get(VARIABLE, "takeover").trim().toLowerCase(Locale.ROOT);
        if ("takeover".equals(v)) {
            return TAKEOVER;
        }
        if ("strict".equals(v)) {
            return STRICT;
        }
        throw new CniException(CniException.INVALID_ENVIRONMENT, VARIABLE + " must be \"takeover\" or \"strict\"",
                "the node's runtime sets it to \"" + v + "\"");
    }
}
