package dev.jcni.core.os.netlink;

import dev.jcni.core.os.OsException;

/**
 * Moves datagrams to and from the kernel. An interface so {@link RtNetlink}'s exchanges are
 * unit-tested with a fake, in this package and in the os packages that speak other netlink
 * protocols through it (conntrack).
 */
public interface NetlinkTransport {
    void send(byte[] message, String operation) throws OsException;

    /** Receives one datagram into {@code buf}; returns its length. */
    int receive(byte[] buf, String operation) throws OsException;

    void close();
}
