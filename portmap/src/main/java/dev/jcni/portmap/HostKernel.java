package dev.jcni.portmap;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.conntrack.ConntrackFilter;
import dev.jcni.core.os.nft.NftException;
import dev.jcni.core.os.nft.NftRunner;
import java.util.List;

/**
 * What portmap does to the host, as a port: nftables, conntrack, the route to a container and
 * sysctls. {@link KernelHost} is the real one (the plugin's own network namespace, the host's);
 * unit tests use a fake with a {@code FakeNftRunner}.
 */
interface HostKernel {
    /** The nftables runner (chosen once per process). */
    NftRunner nft() throws NftException;

    /** Why nftables cannot be used here, or null when it can (STATUS). */
    String nftUnavailability();

    /** Deletes the conntrack entries the filters select; returns how many. */
    int deleteConntrack(List<ConntrackFilter> filters) throws OsException;

    /** The interface a packet to {@code destination} leaves by. */
    String outputInterface(IpAddress destination) throws OsException;

    String readSysctl(String key) throws OsException;

    void writeSysctl(String key, String value) throws OsException;
}
