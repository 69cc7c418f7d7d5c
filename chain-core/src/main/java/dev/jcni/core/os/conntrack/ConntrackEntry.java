package dev.jcni.core.os.conntrack;

import dev.jcni.core.net.IpAddress;
import java.util.Objects;

/**
 * The original-direction tuple of one conntrack entry (what the first packet carried, before
 * any NAT), and its zone: what identifies the entry for a delete.
 *
 * @param protocol IP protocol number (6 tcp, 17 udp, 132 sctp, ...)
 * @param source original source address
 * @param destination original destination address (a hostPort flow's is the host's address)
 * @param sourcePort 0 for protocols without ports
 * @param destinationPort 0 for protocols without ports
 * @param zone conntrack zone, 0 by default
 */
public record ConntrackEntry(int protocol, IpAddress source, IpAddress destination, int sourcePort, int destinationPort,
                             int zone) {
    public ConntrackEntry {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        if (source.family() != destination.family()) {
            throw new IllegalArgumentException("tuple mixes address families: " + source + " -> " + destination);
        }
    }

    public IpAddress.Family family() {
        return source.family();
    }

    @Override
    public String toString() {
        return "proto " + protocol + " " + source + ":" + sourcePort + " -> " + destination + ":" + destinationPort
                + (zone != 0 ? " zone " + zone : "");
    }
}
