package dev.jcni.bridge;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netlink.Address;
import dev.jcni.core.os.netlink.BridgePortAttribute;
import dev.jcni.core.os.netlink.BridgeVlan;
import dev.jcni.core.os.netlink.LinkAttribute;
import dev.jcni.core.os.netlink.LinkInfo;
import dev.jcni.core.os.netlink.NewLink;
import dev.jcni.core.os.netlink.Route;
import java.time.Duration;
import java.util.List;

/**
 * One network namespace as the bridge plugin works on it, the host's (the plugin's own) or a
 * sandbox's: links, bridge ports, addresses, routes and sysctls, in the kernel layer's terms.
 * {@link KernelNamespace} is the real one; unit tests use an in-memory fake, so the verbs'
 * orchestration, undo included, is tested without root. Failures are the kernel layer's typed
 * {@link OsException}s; a missing link is a {@code NotFoundException}.
 *
 * <p>A sandbox's namespace is only used inside {@link Sandboxes#run}, on the thread that entered it.
 */
interface NetworkNamespace {
    /** The link called {@code name}, or null when there is none. */
    LinkInfo linkOrNull(String name) throws OsException;

    LinkInfo link(int index) throws OsException;

    /** Every link here, in the kernel's order. */
    List<LinkInfo> links() throws OsException;

    /** Creates a link (an existing name is an {@code ExistsException}) and returns it as the kernel reports it. */
    LinkInfo create(NewLink link) throws OsException;

    /**
     * A veth pair: {@code end} here, {@code peer} (named at random when unnamed) in
     * {@code peerSide}, created there directly.
     */
    Veth createVethPair(NewLink end, NewLink peer, NetworkNamespace peerSide) throws OsException;

    /** A veth pair just made: the end here as the kernel reports it, and the peer's name over there. */
    record Veth(LinkInfo end, String peerName) {}

    void delete(int index) throws OsException;

    <T> void set(int index, LinkAttribute<T> row, T value) throws OsException;

    <T> void set(int index, BridgePortAttribute<T> row, T value) throws OsException;

    List<BridgeVlan> vlans(int port) throws OsException;

    void addVlan(int port, BridgeVlan vlan) throws OsException;

    void deleteVlan(int port, BridgeVlan vlan) throws OsException;

    /** Addresses of the link of {@code family} (null: both). */
    List<Address> addresses(int index, IpAddress.Family family) throws OsException;

    void addAddress(int index, IpPrefix prefix) throws OsException;

    void deleteAddress(int index, IpPrefix prefix) throws OsException;

    /** Until the link is running; the link as last read. ETIMEDOUT when it is not by {@code timeout}. */
    LinkInfo awaitRunning(int index, Duration timeout) throws OsException;

    /** Until no IPv6 address of the link is tentative (DAD done). */
    void awaitSettled(int index, Duration timeout) throws OsException;

    void addRoute(Route route) throws OsException;

    /** The main table's routes to exactly {@code destination}. */
    List<Route> routesTo(IpPrefix destination) throws OsException;

    /** A sysctl by its slash-separated path below /proc/sys, e.g. {@code net/ipv4/ip_forward}. */
    String readSysctl(String key) throws OsException;

    void writeSysctl(String key, String value) throws OsException;
}
