package dev.jcni.bridge;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;
import dev.jcni.core.os.NotFoundException;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netlink.Address;
import dev.jcni.core.os.netlink.Addresses;
import dev.jcni.core.os.netlink.BridgePortAttribute;
import dev.jcni.core.os.netlink.BridgeVlan;
import dev.jcni.core.os.netlink.BridgeVlans;
import dev.jcni.core.os.netlink.LinkAttribute;
import dev.jcni.core.os.netlink.LinkInfo;
import dev.jcni.core.os.netlink.Links;
import dev.jcni.core.os.netlink.NewLink;
import dev.jcni.core.os.netlink.Route;
import dev.jcni.core.os.netlink.RouteFilter;
import dev.jcni.core.os.netlink.Routes;
import dev.jcni.core.os.netlink.RtNetlink;
import dev.jcni.core.os.netlink.VethPair;
import dev.jcni.core.os.netns.NetNs;
import dev.jcni.core.os.sysctl.Sysctl;
import java.time.Duration;
import java.util.List;

/**
 * The real {@link NetworkNamespace}: rtnetlink through a socket opened in this namespace, and
 * /proc/sys as the calling thread sees it. The host's is made on the plugin's main thread (its
 * own namespace) and opens its socket on first use; a sandbox's is made inside
 * {@code NetNs.run} with a socket opened there, and used only on that thread.
 */
final class KernelNamespace implements NetworkNamespace, AutoCloseable {
    private RtNetlink socket;
    private NetNs handle;

    private KernelNamespace(RtNetlink socket, NetNs handle) {
        this.socket = socket;
        this.handle = handle;
    }

    /**
     * The plugin's own namespace, the host's: its handle is taken now, on the calling (main)
     * thread, so a veth peer can be sent here from inside a sandbox; its socket on first use.
     */
    static KernelNamespace host() throws OsException {
        return new KernelNamespace(null, NetNs.openCurrent());
    }

    /** The namespace of a sandbox, with a socket opened inside it (in {@code NetNs.run}). */
    static KernelNamespace sandbox(RtNetlink socket) {
        return new KernelNamespace(socket, null);
    }

    private RtNetlink nl() throws OsException {
        if (socket == null) {
            socket = RtNetlink.open();
        }
        return socket;
    }

    /** A handle on this namespace, for a veth peer created in it from a sandbox. */
    NetNs handle() {
        if (handle == null) {
            throw new IllegalStateException("a sandbox's namespace is never a veth peer's");
        }
        return handle;
    }

    @Override
    public LinkInfo linkOrNull(String name) throws OsException {
        try {
            return new Links(nl()).byName(name);
        } catch (NotFoundException e) {
            return null;
        }
    }

    @Override
    public LinkInfo link(int index) throws OsException {
        return new Links(nl()).byIndex(index);
    }

    @Override
    public List<LinkInfo> links() throws OsException {
        return new Links(nl()).list();
    }

    @Override
    public LinkInfo create(NewLink link) throws OsException {
        return new Links(nl()).create(link);
    }

    @Override
    public Veth createVethPair(NewLink end, NewLink peer, NetworkNamespace peerSide) throws OsException {
        NetNs peerNamespace = peerSide == this ? null : ((KernelNamespace) peerSide).handle();
        VethPair pair = new Links(nl()).createVethPair(end, peer, peerNamespace);
        return new Veth(pair.end(), pair.peerName());
    }

    @Override
    public void delete(int index) throws OsException {
        new Links(nl()).delete(index);
    }

    @Override
    public <T> void set(int index, LinkAttribute<T> row, T value) throws OsException {
        new Links(nl()).set(index, row, value);
    }

    @Override
    public <T> void set(int index, BridgePortAttribute<T> row, T value) throws OsException {
        new Links(nl()).set(index, row, value);
    }

    @Override
    public List<BridgeVlan> vlans(int port) throws OsException {
        return new BridgeVlans(nl()).list(port);
    }

    @Override
    public void addVlan(int port, BridgeVlan vlan) throws OsException {
        new BridgeVlans(nl()).add(port, vlan);
    }

    @Override
    public void deleteVlan(int port, BridgeVlan vlan) throws OsException {
        new BridgeVlans(nl()).delete(port, vlan);
    }

    @Override
    public List<Address> addresses(int index, IpAddress.Family family) throws OsException {
        return new Addresses(nl()).list(index, family);
    }

    @Override
    public void addAddress(int index, IpPrefix prefix) throws OsException {
        new Addresses(nl()).add(index, prefix);
    }

    @Override
    public void deleteAddress(int index, IpPrefix prefix) throws OsException {
        new Addresses(nl()).delete(index, prefix);
    }

    @Override
    public LinkInfo awaitRunning(int index, Duration timeout) throws OsException {
        return new Links(nl()).awaitRunning(index, timeout);
    }

    @Override
    public void awaitSettled(int index, Duration timeout) throws OsException {
        new Addresses(nl()).awaitSettled(index, timeout);
    }

    @Override
    public void addRoute(Route route) throws OsException {
        new Routes(nl()).add(route);
    }

    @Override
    public List<Route> routesTo(IpPrefix destination) throws OsException {
        return new Routes(nl()).list(RouteFilter.family(destination.family()).destination(destination));
    }

    @Override
    public String readSysctl(String key) throws OsException {
        return Sysctl.read(key);
    }

    @Override
    public void writeSysctl(String key, String value) throws OsException {
        Sysctl.write(key, value);
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.close();
            socket = null;
        }
        if (handle != null) {
            handle.close();
            handle = null;
        }
    }
}
