package dev.jcni.bridge;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;
import dev.jcni.core.os.ExistsException;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netlink.LinkAttribute;
import dev.jcni.core.os.netlink.LinkInfo;
import dev.jcni.core.os.netlink.NewLink;
import dev.jcni.core.os.netlink.Nexthop;
import dev.jcni.core.os.netlink.Route;
import dev.jcni.core.os.netlink.RouteAttribute;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Result;
import dev.jcni.core.skel.Log;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The sandbox's side of an attachment, run inside it: the veth pair (made from in here, its peer
 * sent straight to the host, as the reference's {@code ip.SetupVeth}), and the reference's
 * {@code ipam.ConfigureIface}: DAD and ARP sysctls, IPv6 enabled where needed, the addresses, the
 * link up, IPv6 settled when there is an IPv6 gateway, the routes. Messages are the reference's.
 */
final class ContainerSide {
    /** The reference's dadSettleTimeout. */
    static final Duration SETTLE = Duration.ofSeconds(5);

    private final NetworkNamespace sandbox;
    private final String ifName;

    ContainerSide(NetworkNamespace sandbox, String ifName) {
        this.sandbox = sandbox;
        this.ifName = ifName;
    }

    /** Before any change: CNI_IFNAME must be free in the sandbox. */
    void checkFree() throws CniException, OsException {
        if (sandbox.linkOrNull(ifName) != null) {
            throw taken();
        }
    }

    private CniException taken() {
        return new CniException(CniException.PLUGIN_FAILURE, "container veth name (\"" + ifName + "\") already exists",
                "an interface of that name is in the sandbox already");
    }

    /** The pair: {@code ifName} here, a random {@code vethXXXXXXXX} in {@code host}. */
    NetworkNamespace.Veth createVeth(NetworkNamespace host, int mtu, dev.jcni.core.net.MacAddress mac) throws CniException {
        NewLink end = NewLink.veth(ifName);
        NewLink peer = NewLink.vethPeer(null);
        if (mtu > 0) {
            end.set(LinkAttribute.MTU, mtu);
            peer.set(LinkAttribute.MTU, mtu);
        }
        if (mac != null) {
            end.set(LinkAttribute.MAC, mac);
        }
        try {
            return sandbox.createVethPair(end, peer, host);
        } catch (ExistsException e) {
            throw taken();
        } catch (OsException e) {
            throw HostBridge.failure("failed to make veth pair: " + e.getMessage(), e);
        }
    }

    /** Deletes the container's interface (its peer goes with it); a missing one is no error. */
    void delete() throws OsException {
        LinkInfo l = sandbox.linkOrNull(ifName);
        if (l == null) {
            return;
        }
        try {
            sandbox.delete(l.index());
        } catch (dev.jcni.core.os.NotFoundException gone) {
            // Gone meanwhile: what DEL wanted.
        }
    }

    void setUp() throws CniException {
        try {
            LinkInfo l = sandbox.linkOrNull(ifName);
            if (l == null) {
                throw new CniException(CniException.PLUGIN_FAILURE, "failed to retrieve link: Link not found");
            }
            sandbox.set(l.index(), LinkAttribute.UP, true);
        } catch (OsException e) {
            throw HostBridge.failure("failed to set \"" + ifName + "\" up: " + e.getMessage(), e);
        }
    }

    /**
     * Addresses and routes of {@code result} (every address is this interface's), as the
     * reference configures them, after its DAD and ARP sysctls.
     */
    void configure(List<Result.IpConfig> ips, List<Result.Route> routes, boolean enableDad) throws CniException {
        if (enableDad) {
            quietSysctl("net/ipv6/conf/" + ifName + "/enhanced_dad", "1");
            quietSysctl("net/ipv6/conf/" + ifName + "/accept_dad", "1");
        } else {
            quietSysctl("net/ipv6/conf/" + ifName + "/accept_dad", "0");
        }
        quietSysctl("net/ipv4/conf/" + ifName + "/arp_notify", "1");
        LinkInfo link;
        try {
            link = sandbox.linkOrNull(ifName);
        } catch (OsException e) {
            throw HostBridge.failure("failed to lookup \"" + ifName + "\": " + e.getMessage(), e);
        }
        if (link == null) {
            throw new CniException(CniException.PLUGIN_FAILURE, "failed to lookup \"" + ifName + "\": Link not found");
        }
        int index = link.index();
        IpAddress v4gw = null;
        IpAddress v6gw = null;
        boolean ipv6Enabled = false;
        for (Result.IpConfig ip : ips) {
            if (ip.family() == IpAddress.Family.IPV6 && !ipv6Enabled) {
                enableIpv6();
                ipv6Enabled = true;
            }
            try {
                sandbox.addAddress(index, ip.address());
            } catch (OsException e) {
                throw HostBridge.failure("failed to add IP addr " + ip.address() + " to \"" + ifName + "\": " + e.getMessage(), e);
            }
            IpAddress gw = ip.gateway();
            if (gw != null && gw.family() == IpAddress.Family.IPV4 && v4gw == null) {
                v4gw = gw;
            } else if (gw != null && gw.family() == IpAddress.Family.IPV6 && v6gw == null) {
                v6gw = gw;
            }
        }
        try {
            sandbox.set(index, LinkAttribute.UP, true);
        } catch (OsException e) {
            throw HostBridge.failure("failed to set \"" + ifName + "\" UP: " + e.getMessage(), e);
        }
        if (v6gw != null) {
            try {
                sandbox.awaitSettled(index, SETTLE);
            } catch (OsException e) {
                throw HostBridge.failure("failed to settle addresses for \"" + ifName + "\": " + e.getMessage(), e);
            }
        }
        for (Route route : kernelRoutes(routes, index, v4gw, v6gw)) {
            try {
                sandbox.addRoute(route);
            } catch (ExistsException e) {
                // The reference appends (NLM_F_APPEND); a route to the same destination is kept.
                Log.warn("route " + route + " exists already in the sandbox; kept");
            } catch (OsException e) {
                throw HostBridge.failure("failed to add route '" + route + "': " + e.getMessage(), e);
            }
        }
    }

    /** disable_ipv6=0 on lo and the interface (written only when not 0), keep_addr_on_down=1. */
    private void enableIpv6() throws CniException {
        for (String iface : new String[] {"lo", ifName}) {
            String key = "net/ipv6/conf/" + iface + "/disable_ipv6";
            String value;
            try {
                value = sandbox.readSysctl(key);
            } catch (OsException e) {
                Log.warn("failed to read sysctl \"" + key + "\": " + e.getMessage());
                continue;
            }
            if (!value.equals("0")) {
                try {
                    sandbox.writeSysctl(key, "0");
                } catch (OsException e) {
                    throw HostBridge.failure("failed to enable IPv6 for interface \"" + iface + "\" (" + key + "=" + value + "): "
                            + e.getMessage(), e);
                }
            }
        }
        try {
            sandbox.writeSysctl("net/ipv6/conf/" + ifName + "/keep_addr_on_down", "1");
        } catch (OsException e) {
            throw HostBridge.failure("failed to enable keep_addr_on_down for interface \"" + ifName + "\": " + e.getMessage(), e);
        }
    }

    /**
     * The result's routes as kernel routes through the interface: a route without a gateway takes
     * its family's first gateway; priority, table and scope are kept. Routes to one destination
     * (same table and metric) with different gateways become one multipath route, the ECMP route
     * the reference's RouteAddEcmp makes of them.
     */
    static List<Route> kernelRoutes(List<Result.Route> routes, int index, IpAddress v4gw, IpAddress v6gw) throws CniException {
        List<Route> out = new ArrayList<>();
        List<Result.Route> done = new ArrayList<>();
        for (int i = 0; i < routes.size(); i++) {
            Result.Route r = routes.get(i);
            if (done.contains(r)) {
                continue;
            }
            List<IpAddress> gateways = new ArrayList<>();
            gateways.add(gatewayOf(r, v4gw, v6gw));
            for (int j = i + 1; j < routes.size(); j++) {
                Result.Route other = routes.get(j);
                if (sameKey(r, other) && gateways.get(0) != null && gatewayOf(other, v4gw, v6gw) != null) {
                    IpAddress g = gatewayOf(other, v4gw, v6gw);
                    if (!gateways.contains(g)) {
                        gateways.add(g);
                    }
                    done.add(other);
                }
            }
            IpPrefix dst = r.dst().network();
            Route.Builder b = Route.to(dst).set(RouteAttribute.DEVICE, index);
            if (gateways.size() > 1) {
                List<Nexthop> hops = new ArrayList<>();
                for (IpAddress g : gateways) {
                    hops.add(Nexthop.via(g, index));
                }
                b = Route.to(dst).set(RouteAttribute.NEXTHOPS, hops);
            } else if (gateways.get(0) != null) {
                b.set(RouteAttribute.GATEWAY, gateways.get(0));
            }
            if (r.priority() != null) {
                b.set(RouteAttribute.METRIC, r.priority());
            }
            if (r.table() != null && r.table() < 0) {
                throw new CniException(CniException.INVALID_CONFIG, "failed to add route '" + r.dst() + "': table "
                        + Integer.toUnsignedLong(r.table()) + " is beyond the tables this plugin sets (1..2147483647)");
            }
            if (r.table() != null && r.table() != 0) {
                b.table(r.table());
            }
            if (r.scope() != null) {
                b.scope(r.scope());
            }
            out.add(b.build());
        }
        return out;
    }

    private static IpAddress gatewayOf(Result.Route r, IpAddress v4gw, IpAddress v6gw) {
        if (r.gw() != null) {
            return r.gw();
        }
        return r.dst().family() == IpAddress.Family.IPV4 ? v4gw : v6gw;
    }

    private static boolean sameKey(Result.Route a, Result.Route b) {
        return a.dst().equals(b.dst()) && java.util.Objects.equals(a.priority(), b.priority())
                && java.util.Objects.equals(a.table(), b.table()) && java.util.Objects.equals(a.scope(), b.scope());
    }

    private void quietSysctl(String key, String value) {
        try {
            sandbox.writeSysctl(key, value);
        } catch (OsException e) {
            Log.debug("sysctl " + key + "=" + value + ": " + e.getMessage());
        }
    }
}
