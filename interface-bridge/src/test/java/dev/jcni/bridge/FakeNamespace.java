package dev.jcni.bridge;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;
import dev.jcni.core.net.MacAddress;
import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netlink.Address;
import dev.jcni.core.os.netlink.BridgeAttribute;
import dev.jcni.core.os.netlink.BridgePortAttribute;
import dev.jcni.core.os.netlink.BridgeVlan;
import dev.jcni.core.os.netlink.LinkAttribute;
import dev.jcni.core.os.netlink.LinkInfo;
import dev.jcni.core.os.netlink.NewLink;
import dev.jcni.core.os.netlink.OperState;
import dev.jcni.core.os.netlink.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An in-memory network namespace that behaves as the kernel does where the plugin relies on it:
 * names unique, a veth pair spanning two namespaces (deleting one end deletes both), a port
 * running only when both veth ends are up, bridge-port flags only on ports, VLAN entries only
 * where VLAN filtering exists, addresses unique per link, sysctls that exist or not.
 * Operations can be made to fail ({@link #failOn}); every change is recorded ({@link #log}).
 */
final class FakeNamespace implements NetworkNamespace {
    /** One link's state. */
    static final class Link {
        int index;
        String name;
        String kind;
        boolean up;
        boolean promisc;
        int mtu = 1500;
        MacAddress mac;
        Integer master;
        Link peer;
        FakeNamespace peerNs;
        boolean hairpin;
        boolean isolated;
        boolean vlanFiltering;
        final List<BridgeVlan> vlans = new ArrayList<>();
        final List<IpPrefix> addresses = new ArrayList<>();
    }

    final String name;
    final Map<Integer, Link> links = new TreeMap<>();
    final Map<String, String> sysctls = new LinkedHashMap<>();
    final List<Route> routes = new ArrayList<>();
    final List<String> log = new ArrayList<>();
    final Map<String, OsException> failures = new LinkedHashMap<>();
    /** False for a kernel without bridge VLAN filtering (this test host's). */
    boolean vlanFiltering = true;
    private int nextIndex = 2;
    private static int nextMac = 1;
    private static int nextVeth = 0x1000;

    FakeNamespace(String name) {
        this.name = name;
        sysctls.put("net/ipv4/ip_forward", "0");
        sysctls.put("net/ipv6/conf/all/forwarding", "0");
        sysctls.put("net/ipv6/conf/lo/disable_ipv6", "0");
    }

    /** Makes {@code operation} fail once with {@code errno}. */
    void failOn(String operation, int errno) {
        failures.put(operation, OsException.fromErrno("fake " + operation, errno));
    }

    private void maybeFail(String operation) throws OsException {
        OsException e = failures.remove(operation);
        if (e != null) {
            throw e;
        }
    }

    Link byName(String n) {
        for (Link l : links.values()) {
            if (l.name.equals(n)) {
                return l;
            }
        }
        return null;
    }

    private Link require(int index, String op) throws OsException {
        Link l = links.get(index);
        if (l == null) {
            throw OsException.fromErrno(op + " index " + index, Errno.ENODEV);
        }
        return l;
    }

    Link addLink(String n, String kind) {
        Link l = new Link();
        l.index = nextIndex++;
        l.name = n;
        l.kind = kind;
        l.mac = MacAddress.fromBytes(new byte[] {0x0a, 0x58, 0, 0, (byte) (nextMac >> 8), (byte) nextMac++});
        links.put(l.index, l);
        return l;
    }

    LinkInfo info(Link l) {
        boolean running = l.up && (l.peer == null || l.peer.up) && !"bridge".equals(l.kind) || "bridge".equals(l.kind) && l.up && hasPorts(l);
        int flags = (l.up ? LinkInfo.IFF_UP : 0) | (running ? LinkInfo.IFF_RUNNING : 0) | (l.promisc ? LinkInfo.IFF_PROMISC : 0);
        LinkInfo.Builder b = new LinkInfo.Builder(l.index).flags(flags).kind(l.kind)
                .set(LinkAttribute.NAME, l.name).set(LinkAttribute.MTU, l.mtu).set(LinkAttribute.MAC, l.mac)
                .set(LinkAttribute.OPERSTATE, running ? OperState.UP : l.up ? OperState.LOWERLAYERDOWN : OperState.DOWN);
        if (l.master != null) {
            b.set(LinkAttribute.MASTER, l.master).portKind("bridge")
                    .set(BridgePortAttribute.HAIRPIN, l.hairpin).set(BridgePortAttribute.ISOLATED, l.isolated);
        }
        if (l.peer != null) {
            b.set(LinkAttribute.LINK, l.peer.index);
        }
        if ("bridge".equals(l.kind)) {
            b.set(BridgeAttribute.VLAN_FILTERING, l.vlanFiltering);
        }
        return b.build();
    }

    private boolean hasPorts(Link br) {
        for (Link l : links.values()) {
            if (l.master != null && l.master == br.index) {
                return true;
            }
        }
        return false;
    }

    @Override
    public LinkInfo linkOrNull(String n) throws OsException {
        maybeFail("linkOrNull");
        Link l = byName(n);
        return l == null ? null : info(l);
    }

    @Override
    public LinkInfo link(int index) throws OsException {
        return info(require(index, "link"));
    }

    @Override
    public List<LinkInfo> links() throws OsException {
        List<LinkInfo> out = new ArrayList<>();
        for (Link l : links.values()) {
            out.add(info(l));
        }
        return out;
    }

    @Override
    public LinkInfo create(NewLink request) throws OsException {
        maybeFail("create");
        if (byName(request.name()) != null) {
            throw OsException.fromErrno("create " + request.name(), Errno.EEXIST);
        }
        if (Boolean.TRUE.equals(request.get(BridgeAttribute.VLAN_FILTERING)) && !vlanFiltering) {
            throw OsException.fromErrno("create " + request.name(), Errno.EOPNOTSUPP);
        }
        Link l = addLink(request.name(), request.kind());
        Integer mtu = request.get(LinkAttribute.MTU);
        if (mtu != null) {
            l.mtu = mtu;
        }
        l.vlanFiltering = Boolean.TRUE.equals(request.get(BridgeAttribute.VLAN_FILTERING));
        log.add("create " + request.kind() + " " + request.name());
        return info(l);
    }

    @Override
    public Veth createVethPair(NewLink end, NewLink peer, NetworkNamespace peerSide) throws OsException {
        maybeFail("createVethPair");
        FakeNamespace other = (FakeNamespace) peerSide;
        if (byName(end.name()) != null) {
            throw OsException.fromErrno("create veth " + end.name(), Errno.EEXIST);
        }
        String peerName = peer.name() != null ? peer.name() : "veth" + Integer.toHexString(0x10000000 + nextVeth++);
        Link a = addLink(end.name(), "veth");
        Link b = other.addLink(peerName, "veth");
        for (Link l : new Link[] {a, b}) {
            NewLink r = l == a ? end : peer;
            if (r.get(LinkAttribute.MTU) != null) {
                l.mtu = r.get(LinkAttribute.MTU);
            }
        }
        if (end.get(LinkAttribute.MAC) != null) {
            a.mac = end.get(LinkAttribute.MAC);
        }
        a.peer = b;
        a.peerNs = other;
        b.peer = a;
        b.peerNs = this;
        log.add("create veth " + end.name() + " peer " + peerName + " in " + other.name);
        return new Veth(info(a), peerName);
    }

    @Override
    public void delete(int index) throws OsException {
        maybeFail("delete");
        Link l = require(index, "delete");
        links.remove(index);
        if (l.peer != null) {
            l.peerNs.links.remove(l.peer.index);
            l.peerNs.log.add("gone with its peer: " + l.peer.name);
        }
        for (Link other : links.values()) {
            if (other.master != null && other.master == index) {
                other.master = null;
            }
        }
        log.add("delete " + l.name);
    }

    @Override
    public <T> void set(int index, LinkAttribute<T> row, T value) throws OsException {
        maybeFail("set " + row.name());
        Link l = require(index, "set");
        if (row == LinkAttribute.UP) {
            l.up = (Boolean) value;
        } else if (row == LinkAttribute.PROMISC) {
            l.promisc = (Boolean) value;
        } else if (row == LinkAttribute.MTU) {
            l.mtu = (Integer) value;
        } else if (row == LinkAttribute.MAC) {
            l.mac = (MacAddress) value;
        } else if (row == LinkAttribute.MASTER) {
            Link br = require((Integer) value, "master");
            if (!"bridge".equals(br.kind)) {
                throw OsException.fromErrno("set master", Errno.EINVAL);
            }
            l.master = (Integer) value;
            if (br.vlanFiltering) {
                l.vlans.add(BridgeVlan.access(1));
            }
        } else {
            throw new UnsupportedOperationException(row.name());
        }
        log.add("set " + l.name + " " + row.describe(value));
    }

    @Override
    public <T> void set(int index, BridgePortAttribute<T> row, T value) throws OsException {
        maybeFail("set " + row.name());
        Link l = require(index, "set port");
        if (l.master == null) {
            throw OsException.fromErrno("set " + row.name(), Errno.EOPNOTSUPP);
        }
        if (row == BridgePortAttribute.HAIRPIN) {
            l.hairpin = (Boolean) value;
        } else if (row == BridgePortAttribute.ISOLATED) {
            l.isolated = (Boolean) value;
        } else {
            throw new UnsupportedOperationException(row.name());
        }
        log.add("set " + l.name + " " + row.describe(value));
    }

    private void requireFiltering(String op) throws OsException {
        maybeFail(op);
        if (!vlanFiltering) {
            throw OsException.fromErrno(op, Errno.EOPNOTSUPP);
        }
    }

    @Override
    public List<BridgeVlan> vlans(int port) throws OsException {
        return new ArrayList<>(require(port, "vlans").vlans);
    }

    @Override
    public void addVlan(int port, BridgeVlan vlan) throws OsException {
        requireFiltering("addVlan");
        require(port, "addVlan").vlans.add(vlan);
        log.add("vlan add " + links.get(port).name + " " + vlan);
    }

    @Override
    public void deleteVlan(int port, BridgeVlan vlan) throws OsException {
        requireFiltering("deleteVlan");
        require(port, "deleteVlan").vlans.remove(vlan);
        log.add("vlan del " + links.get(port).name + " " + vlan);
    }

    @Override
    public List<Address> addresses(int index, IpAddress.Family family) throws OsException {
        List<Address> out = new ArrayList<>();
        for (IpPrefix p : require(index, "addresses").addresses) {
            if (family == null || p.family() == family) {
                out.add(Address.on(index, p).build());
            }
        }
        return out;
    }

    @Override
    public void addAddress(int index, IpPrefix prefix) throws OsException {
        maybeFail("addAddress");
        Link l = require(index, "addAddress");
        if (l.addresses.contains(prefix)) {
            throw OsException.fromErrno("add address " + prefix, Errno.EEXIST);
        }
        l.addresses.add(prefix);
        // The kernel's route to the address's subnet.
        routes.add(Route.to(prefix.network()).set(dev.jcni.core.os.netlink.RouteAttribute.DEVICE, index).build());
        log.add("address add " + prefix + " on " + l.name);
    }

    @Override
    public void deleteAddress(int index, IpPrefix prefix) throws OsException {
        Link l = require(index, "deleteAddress");
        if (!l.addresses.remove(prefix)) {
            throw OsException.fromErrno("delete address " + prefix, Errno.EADDRNOTAVAIL);
        }
        routes.removeIf(r -> r.destination().equals(prefix.network()) && index == r.get(dev.jcni.core.os.netlink.RouteAttribute.DEVICE));
        log.add("address del " + prefix + " on " + l.name);
    }

    @Override
    public LinkInfo awaitRunning(int index, Duration timeout) throws OsException {
        maybeFail("awaitRunning");
        LinkInfo l = link(index);
        if (!l.isRunning()) {
            throw OsException.fromErrno("wait for " + l.name(), Errno.ETIMEDOUT);
        }
        return l;
    }

    @Override
    public void awaitSettled(int index, Duration timeout) throws OsException {
        maybeFail("awaitSettled");
        log.add("settled " + require(index, "settle").name);
    }

    @Override
    public void addRoute(Route route) throws OsException {
        maybeFail("addRoute");
        for (Route r : routes) {
            if (r.destination().equals(route.destination()) && r.table() == route.table()) {
                throw OsException.fromErrno("add route " + route, Errno.EEXIST);
            }
        }
        routes.add(route);
        log.add("route add " + route);
    }

    @Override
    public List<Route> routesTo(IpPrefix destination) {
        List<Route> out = new ArrayList<>();
        for (Route r : routes) {
            if (r.destination().equals(destination)) {
                out.add(r);
            }
        }
        return out;
    }

    @Override
    public String readSysctl(String key) throws OsException {
        maybeFail("readSysctl " + key);
        String v = sysctls.get(key);
        if (v == null) {
            String[] parts = key.split("/");
            if (parts.length > 4 && parts[2].equals("conf") && byName(parts[3]) != null) {
                return "0";  // a link's own sysctls, at their defaults
            }
            throw OsException.fromErrno("read sysctl " + key, Errno.ENOENT);
        }
        return v;
    }

    @Override
    public void writeSysctl(String key, String value) throws OsException {
        maybeFail("writeSysctl " + key);
        String[] parts = key.split("/");
        boolean perLink = parts.length > 4 && parts[2].equals("conf") && !parts[3].equals("all") && !parts[3].equals("default");
        if (perLink && byName(parts[3]) == null) {
            throw OsException.fromErrno("write sysctl " + key, Errno.ENOENT);
        }
        sysctls.put(key, value);
        log.add("sysctl " + key + "=" + value);
    }
}
