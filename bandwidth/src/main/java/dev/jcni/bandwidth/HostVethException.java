package dev.jcni.bandwidth;

/**
 * Why the host end of a sandbox interface could not be found. The verbs decide what each reason
 * means: ADD and CHECK fail with a message naming it; DEL, which must succeed however the sandbox
 * is, goes on without the host veth.
 */
final class HostVethException extends Exception {
    private static final long serialVersionUID = 1L;

    enum Reason {
        /** CNI_NETNS is empty, missing, or no network namespace. */
        NAMESPACE_GONE,
        /** CNI_NETNS is the plugin's own namespace, the host's (never a sandbox). */
        HOST_NAMESPACE,
        /** The sandbox has no interface called CNI_IFNAME. */
        NO_INTERFACE,
        /** The sandbox interface is no veth (macvlan, ipvlan, a moved physical device...). */
        NOT_A_VETH,
        /** The veth's other end is not in the host's namespace (another sandbox, or gone). */
        PEER_ELSEWHERE
    }

    private final Reason reason;

    HostVethException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    Reason reason() {
        return reason;
    }
}
