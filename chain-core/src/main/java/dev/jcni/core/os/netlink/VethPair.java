package dev.jcni.core.os.netlink;

/**
 * A veth pair just created by {@link Links#createVethPair}: the end in the socket's namespace as
 * the kernel reports it, and the name and index of the peer in its own namespace.
 */
public final class VethPair {
    private final LinkInfo end;
    private final String peerName;
    private final int peerIndex;

    VethPair(LinkInfo end, String peerName, int peerIndex) {
        this.end = end;
        this.peerName = peerName;
        this.peerIndex = peerIndex;
    }

    /** The end in this namespace (the sandbox's interface, when created from inside it). */
    public LinkInfo end() {
        return end;
    }

    /** The peer's name, chosen at random when the request gave none. */
    public String peerName() {
        return peerName;
    }

    /** The peer's ifindex in the peer's namespace. */
    public int peerIndex() {
        return peerIndex;
    }

    @Override
    public String toString() {
        return end.name() + " <-> " + peerName + " (index " + peerIndex + ")";
    }
}
