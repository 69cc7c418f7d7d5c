package dev.jcni.bridge;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netlink.Address;
import dev.jcni.core.os.netlink.LinkAttribute;
import dev.jcni.core.os.netlink.LinkInfo;
import dev.jcni.core.os.netlink.Nexthop;
import dev.jcni.core.os.netlink.Route;
import dev.jcni.core.os.netlink.RouteAttribute;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Result;
import dev.jcni.core.skel.Invocation;
import java.util.List;

/**
 * CHECK, as the reference's {@code cmdCheck}: the prevResult's bridge exists in the host, is a
 * bridge with the MAC it lists and the configured promiscuous mode; its container interface is
 * a veth in CNI_NETNS with its MAC; a host veth of the result is that veth's peer and a port of
 * the bridge; the container has every address of the result with a route to its subnet, and every
 * route of the result. Messages are the reference's, code 101 (what a runtime reads as drift).
 * VLANs, hairpin, isolation, masquerade and the spoof check are not checked, as in the reference.
 */
final class BridgeCheck {
    private final Invocation inv;
    private final BridgeConfig config;
    private final NetworkNamespace host;
    private final Sandboxes sandboxes;

    BridgeCheck(Invocation inv, BridgeConfig config, BridgeKernel kernel) {
        this.inv = inv;
        this.config = config;
        this.host = kernel.host();
        this.sandboxes = kernel.sandboxes();
    }

    void run(Result prev) throws CniException {
        Result.Interface brMap = null;
        Result.Interface contMap = null;
        for (Result.Interface i : prev.interfaces()) {
            if (i.name().equals(config.bridge())) {
                brMap = i;
            } else if (i.name().equals(inv.ifName()) && inv.netns().equals(i.sandbox())) {
                contMap = i;
            }
        }
        try {
            LinkInfo br = bridge(brMap);
            String contSandbox = contMap == null ? "" : nullToEmpty(contMap.sandbox());
            if (!inv.netns().equals(contSandbox)) {
                throw drift("Sandbox in prevResult " + contSandbox + " doesn't match configured netns: " + inv.netns());
            }
            Result.Interface cont = contMap;
            LinkInfo container = sandboxes.run(inv, new Sandboxes.Work<LinkInfo>() {
                @Override
                public LinkInfo run(NetworkNamespace sandbox) throws CniException, OsException {
                    return container(sandbox, cont);
                }
            });
            if (!hostVethFound(prev, br, container)) {
                throw drift("CNI veth created for bridge " + config.bridge() + " was not found");
            }
        } catch (OsException e) {
            throw HostBridge.failure("cannot read the host's links: " + e.getMessage(), e);
        }
        sandboxes.run(inv, new Sandboxes.Work<Void>() {
            @Override
            public Void run(NetworkNamespace sandbox) throws CniException, OsException {
                checkAddresses(sandbox, prev.ips());
                checkRoutes(sandbox, prev.routes());
                return null;
            }
        });
    }

    private LinkInfo bridge(Result.Interface brMap) throws CniException, OsException {
        LinkInfo br = lookup(host, brMap, false);
        if (!"bridge".equals(br.kind())) {
            throw drift("Interface " + brMap.name() + " does not have link type of bridge");
        }
        String mac = String.valueOf(br.get(LinkAttribute.MAC));
        if (brMap.mac() != null && !brMap.mac().isEmpty() && !brMap.mac().equals(mac)) {
            throw drift("Bridge interface " + brMap.name() + " Mac doesn't match: " + brMap.mac());
        }
        boolean promisc = br.get(LinkAttribute.PROMISC);
        if (promisc != config.promiscMode()) {
            throw drift("Bridge interface " + brMap.name() + " configured Promisc Mode " + config.promiscMode()
                    + " doesn't match current state: " + promisc + " ");
        }
        return br;
    }

    private LinkInfo container(NetworkNamespace sandbox, Result.Interface contMap) throws CniException, OsException {
        LinkInfo l = lookup(sandbox, contMap, true);
        if (!"veth".equals(l.kind())) {
            throw drift("Error: Container interface " + l.name() + " not of type veth");
        }
        if (l.get(LinkAttribute.LINK) == null) {
            throw drift("Unable to obtain veth peer index for veth " + l.name());
        }
        String mac = String.valueOf(l.get(LinkAttribute.MAC));
        if (contMap.mac() != null && !contMap.mac().isEmpty() && !contMap.mac().equals(mac)) {
            throw drift("Interface " + contMap.name() + " Mac " + contMap.mac() + " doesn't match container Mac: " + mac);
        }
        return l;
    }

    /** The reference's validateInterface: named, present, and in a sandbox or not as expected. */
    private static LinkInfo lookup(NetworkNamespace ns, Result.Interface i, boolean inSandbox) throws CniException, OsException {
        if (i == null || i.name().isEmpty()) {
            throw drift("Interface name missing ");
        }
        LinkInfo l = ns.linkOrNull(i.name());
        if (l == null) {
            throw drift("Interface name " + i.name() + " not found");
        }
        boolean hasSandbox = i.sandbox() != null && !i.sandbox().isEmpty();
        if (inSandbox && !hasSandbox) {
            throw drift("Interface " + i.name() + " is expected to be in a sandbox");
        }
        if (!inSandbox && hasSandbox) {
            throw drift("Interface " + i.name() + " should not be in sandbox");
        }
        return l;
    }

    /** A host interface of the result that is the container's peer, a port of the bridge, with its MAC. */
    private boolean hostVethFound(Result prev, LinkInfo br, LinkInfo container) throws CniException, OsException {
        for (Result.Interface i : prev.interfaces()) {
            if (i.name().equals(config.bridge()) || i.name().equals(inv.ifName())) {
                continue;
            }
            LinkInfo l = lookup(host, i, false);
            if (!"veth".equals(l.kind())) {
                continue;
            }
            Integer peer = l.get(LinkAttribute.LINK);
            Integer master = l.get(LinkAttribute.MASTER);
            if (peer == null || l.index() != container.get(LinkAttribute.LINK) || peer != container.index()
                    || master == null || master != br.index()) {
                continue;
            }
            String mac = String.valueOf(l.get(LinkAttribute.MAC));
            if (i.mac() != null && !i.mac().isEmpty() && !i.mac().equals(mac)) {
                throw drift("Interface " + i.name() + " Mac doesn't match: " + i.mac() + " not found");
            }
            return true;
        }
        return false;
    }

    /** The reference's ValidateExpectedInterfaceIPs: each address on the link, and a route to its subnet. */
    private void checkAddresses(NetworkNamespace sandbox, List<Result.IpConfig> ips) throws CniException, OsException {
        String ifName = inv.ifName();
        for (Result.IpConfig ip : ips) {
            LinkInfo link = sandbox.linkOrNull(ifName);
            if (link == null) {
                throw drift("Cannot find container link " + ifName);
            }
            boolean match = false;
            for (Address a : sandbox.addresses(link.index(), null)) {
                match |= a.prefix().equals(ip.address());
            }
            if (!match) {
                throw drift("Failed to match addr " + ip.address() + " on interface " + ifName);
            }
            IpPrefix subnet = ip.address().network();
            if (sandbox.routesTo(subnet).isEmpty()) {
                throw drift("Failed to find Gateway " + ip.gateway() + " for interface " + ifName);
            }
        }
    }

    /** The reference's ValidateExpectedRoute: each route in the main table (a default one by destination alone). */
    private static void checkRoutes(NetworkNamespace sandbox, List<Result.Route> routes) throws CniException, OsException {
        for (Result.Route r : routes) {
            IpPrefix dst = r.dst().network();
            boolean isDefault = dst.length() == 0;
            boolean found = false;
            for (Route k : sandbox.routesTo(dst)) {
                found |= isDefault || r.gw() == null || via(k, r.gw());
            }
            if (!found) {
                throw drift("Expected Route {Dst:" + dst + " GW:" + (r.gw() == null ? "<nil>" : r.gw()) + "} not found in routing table");
            }
        }
    }

    private static boolean via(Route k, IpAddress gw) {
        if (gw.equals(k.get(RouteAttribute.GATEWAY))) {
            return true;
        }
        List<Nexthop> hops = k.get(RouteAttribute.NEXTHOPS);
        if (hops != null) {
            for (Nexthop h : hops) {
                if (gw.equals(h.gateway())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static CniException drift(String msg) {
        return new CniException(CniException.CHECK_DRIFT, msg);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
