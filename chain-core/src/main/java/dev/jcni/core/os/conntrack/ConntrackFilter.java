package dev.jcni.core.os.conntrack;

import dev.jcni.core.net.IpAddress;
import java.util.Objects;

/**
 * Which entries {@link Conntrack#delete} removes: one address family and protocol, an original
 * destination port, and optionally an original destination address. For a hostPort that is
 * "every flow that arrived for this port" (on this address, for a hostIP-bound mapping), which
 * covers both the stale flows of a previous owner and the flows of the mapping being removed.
 *
 * @param family the table to search
 * @param protocol IP protocol number; 17 udp, 132 sctp
 * @param destinationPort original destination port, 1..65535
 * @param destination original destination address, or null for any
 */
public record ConntrackFilter(IpAddress.Family family, int protocol, int destinationPort, IpAddress destination) {
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int SCTP = 132;

    public ConntrackFilter {
        Objects.requireNonNull(family, "family");
        if (protocol < 0 || protocol > 255) {
            throw new IllegalArgumentException("protocol " + protocol + " is outside 0..255");
        }
        if (destinationPort < 1 || destinationPort > 65535) {
            throw new IllegalArgumentException("port " + destinationPort + " is outside 1..65535");
        }
        if (destination != null && destination.family() != family) {
            throw new IllegalArgumentException("destination " + destination + " is not " + family);
        }
    }

    /** True when this filter selects {@code e}. */
    public boolean matches(ConntrackEntry e) {
        return e.family() == family && e.protocol() == protocol && e.destinationPort() == destinationPort
                && (destination == null || destination.equals(e.destination()));
    }

    @Override
    public String toString() {
        return "proto " + protocol + " dport " + destinationPort + (destination != null ? " dst " + destination : "") + " (" + family + ")";
    }
}
