package dev.jcni.bridge;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;
import dev.jcni.core.os.ExistsException;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netlink.Address;
import dev.jcni.core.os.netlink.BridgeAttribute;
import dev.jcni.core.os.netlink.BridgePortAttribute;
import dev.jcni.core.os.netlink.BridgeVlan;
import dev.jcni.core.os.netlink.LinkAttribute;
import dev.jcni.core.os.netlink.LinkInfo;
import dev.jcni.core.os.netlink.NewLink;
import dev.jcni.core.os.sysctl.Forwarding;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.skel.Log;
import java.util.List;

/**
 * The host's side of an attachment: the bridge (created if missing, never reconfigured when it
 * exists, as the reference), the port (master, hairpin, isolation, VLANs), the gateway addresses
 * and forwarding. Every change a failed ADD must take back registers its revert in the
 * {@link Undo}; messages are the reference's.
 */
final class HostBridge {
    private final NetworkNamespace host;
    private final BridgeConfig config;

    HostBridge(NetworkNamespace host, BridgeConfig config) {
        this.host = host;
        this.config = config;
    }

    /** Before any change: a link of the bridge's name that is no bridge fails the ADD here. */
    void checkUsable() throws CniException, OsException {
        LinkInfo existing = host.linkOrNull(config.bridge());
        if (existing != null && !"bridge".equals(existing.kind())) {
            throw notABridge();
        }
    }

    private CniException notABridge() {
        return new CniException(CniException.PLUGIN_FAILURE, "failed to create bridge \"" + config.bridge() + "\": \""
                + config.bridge() + "\" already exists but is not a bridge");
    }

    /** The bridge, created (with the MTU and VLAN filtering of the config) when missing; up. */
    LinkInfo ensure(Undo undo) throws CniException {
        String name = config.bridge();
        String failed = "failed to create bridge \"" + name + "\": ";
        NewLink request = NewLink.bridge(name);
        if (config.mtu() > 0) {
            request.set(LinkAttribute.MTU, config.mtu());
        }
        if (config.vlans().filtering()) {
            request.set(BridgeAttribute.VLAN_FILTERING, true);
        }
        LinkInfo br;
        try {
            br = host.create(request);
            int created = br.index();
            undo.add("delete bridge " + name, new Undo.Step() {
                @Override
                public void run() throws OsException {
                    deleteIfUnused(created, name);
                }
            });
        } catch (ExistsException exists) {
            br = null;  // an existing bridge is used as it is, as the reference does
        } catch (OsException e) {
            throw failure(failed + "could not add \"" + name + "\": " + e.getMessage(), e);
        }
        try {
            if (config.promiscMode()) {
                setPromisc(br, name, failed);
            }
            br = host.linkOrNull(name);
            if (br == null || !"bridge".equals(br.kind())) {
                throw notABridge();
            }
            quietSysctl("net/ipv6/conf/" + name + "/accept_ra", "0");
            if ((br.flags() & LinkInfo.IFF_UP) == 0) {
                host.set(br.index(), LinkAttribute.UP, true);
            }
            return br;
        } catch (OsException e) {
            throw failure(failed + e.getMessage(), e);
        }
    }

    private void setPromisc(LinkInfo created, String name, String failed) throws CniException {
        try {
            LinkInfo br = created != null ? created : host.linkOrNull(name);
            if (br != null && !Boolean.TRUE.equals(br.get(LinkAttribute.PROMISC))) {
                host.set(br.index(), LinkAttribute.PROMISC, true);
            }
        } catch (OsException e) {
            throw failure(failed + "could not set promiscuous mode on \"" + name + "\": " + e.getMessage(), e);
        }
    }

    /** Deletes a bridge this ADD created, unless another attachment has made a port of it meanwhile. */
    void deleteIfUnused(int index, String name) throws OsException {
        for (LinkInfo l : host.links()) {
            Integer master = l.get(LinkAttribute.MASTER);
            if (master != null && master == index) {
                Log.info("undo: bridge " + name + " has ports of other attachments by now; it stays");
                return;
            }
        }
        host.delete(index);
    }

    /** Makes the host veth a port of the bridge, with the config's port flags and VLANs; up. */
    LinkInfo attachPort(String hostVeth, LinkInfo bridge) throws CniException {
        LinkInfo port;
        try {
            port = host.linkOrNull(hostVeth);
        } catch (OsException e) {
            throw failure("failed to lookup \"" + hostVeth + "\": " + e.getMessage(), e);
        }
        if (port == null) {
            throw new CniException(CniException.PLUGIN_FAILURE, "failed to lookup \"" + hostVeth + "\": Link not found");
        }
        int index = port.index();
        try {
            host.set(index, LinkAttribute.UP, true);
        } catch (OsException e) {
            throw failure("failed to set \"" + hostVeth + "\" up: " + e.getMessage(), e);
        }
        quietSysctl("net/ipv6/conf/" + hostVeth + "/accept_ra", "0");
        try {
            host.set(index, LinkAttribute.MASTER, bridge.index());
        } catch (OsException e) {
            throw failure("failed to connect \"" + hostVeth + "\" to bridge " + bridge.name() + ": " + e.getMessage(), e);
        }
        // A new port has hairpin and isolation off: only "on" is a change to make.
        if (config.hairpinMode()) {
            try {
                host.set(index, BridgePortAttribute.HAIRPIN, true);
            } catch (OsException e) {
                throw failure("failed to setup hairpin mode for " + hostVeth + ": " + e.getMessage(), e);
            }
        }
        if (config.portIsolation()) {
            try {
                host.set(index, BridgePortAttribute.ISOLATED, true);
            } catch (OsException e) {
                throw failure("failed to set isolated on for " + hostVeth + ": " + e.getMessage(), e);
            }
        }
        setVlans(index, hostVeth, config.vlans().vlan(), config.vlans());
        return port;
    }

    /** The reference's VLAN steps for a port: default removed, access VLAN, trunk, native VLAN 1. */
    private void setVlans(int port, String name, int vlan, VlanSettings vlans) throws CniException {
        String on = " on interface \"" + name + "\": ";
        if (vlans.removesDefault()) {
            try {
                for (BridgeVlan v : host.vlans(port)) {
                    host.deleteVlan(port, v);
                }
            } catch (OsException e) {
                throw failure("failed to remove default vlan" + on + e.getMessage(), e);
            }
        }
        try {
            if (vlan != 0) {
                host.addVlan(port, BridgeVlan.access(vlan));
            }
            for (BridgeVlan v : vlans.trunkEntries()) {
                host.addVlan(port, v);
            }
        } catch (OsException e) {
            throw failure("failed to setup vlan tag" + on + e.getMessage(), e);
        }
        if (vlan == 0 && !vlans.trunk().isEmpty()) {
            try {
                host.addVlan(port, BridgeVlan.access(1));
            } catch (OsException e) {
                throw failure("failed to setup default native vlan tag" + on + e.getMessage(), e);
            }
        }
    }

    /**
     * The gateway interface of an access VLAN, {@code <bridge>.<vlan>}: the reference's veth pair
     * in the host, whose random end is a port of the bridge in that VLAN. Made when missing.
     *
     * @return the interface, and whether this ADD made it
     */
    LinkInfo ensureVlanGateway(LinkInfo bridge, Undo undo) throws CniException {
        String name = bridge.name() + "." + config.vlans().vlan();
        String failed = "failed to create vlan interface: ";
        try {
            LinkInfo existing = host.linkOrNull(name);
            if (existing != null) {
                return existing;
            }
            NewLink end = NewLink.veth(name);
            NewLink peer = NewLink.vethPeer(null);
            Integer mtu = bridge.get(LinkAttribute.MTU);
            if (mtu != null && mtu > 0) {
                end.set(LinkAttribute.MTU, mtu);
                peer.set(LinkAttribute.MTU, mtu);
            }
            NetworkNamespace.Veth pair = host.createVethPair(end, peer, host);
            int index = pair.end().index();
            undo.add("delete vlan gateway " + name, new Undo.Step() {
                @Override
                public void run() throws OsException {
                    host.delete(index);
                }
            });
            String peerName = pair.peerName();
            host.set(index, LinkAttribute.UP, true);
            setVlans(attachGatewayPort(peerName, bridge), peerName, config.vlans().vlan(), config.vlans());
            return host.link(index);
        } catch (OsException e) {
            throw failure(failed + e.getMessage(), e);
        } catch (CniException e) {
            throw new CniException(e.code(), failed + e.msg(), e.details(), e);
        }
    }

    private int attachGatewayPort(String peerName, LinkInfo bridge) throws OsException {
        LinkInfo peer = host.linkOrNull(peerName);
        host.set(peer.index(), LinkAttribute.UP, true);
        quietSysctl("net/ipv6/conf/" + peerName + "/accept_ra", "0");
        host.set(peer.index(), LinkAttribute.MASTER, bridge.index());
        return peer.index();
    }

    /**
     * The reference's ensureAddr: {@code gateway} on {@code link} (its address already there is
     * fine). Any other IPv4 address, or an overlapping IPv6 one, conflicts: replaced with
     * {@code forceAddress}, refused otherwise. Then the link's MAC is set to itself, so a bridge
     * keeps it instead of following its lowest port's.
     */
    void ensureAddress(LinkInfo link, IpPrefix gateway, int ownPort, Undo undo) throws CniException {
        String name = link.name();
        int index = link.index();
        try {
            for (Address a : host.addresses(index, gateway.family())) {
                IpPrefix have = a.prefix();
                if (have.equals(gateway)) {
                    return;
                }
                if (gateway.family() == IpAddress.Family.IPV4 || have.contains(gateway.address()) || gateway.contains(have.address())) {
                    if (!config.forceAddress()) {
                        throw new CniException(CniException.PLUGIN_FAILURE, "\"" + name + "\" already has an IP address different from "
                                + gateway, "it has " + have + "; set forceAddress to replace it");
                    }
                    removeForced(index, name, have, undo);
                }
            }
            try {
                host.addAddress(index, gateway);
                undo.add("remove " + gateway + " from " + name, new Undo.Step() {
                    @Override
                    public void run() throws OsException {
                        if (hasOtherPorts(index, ownPort)) {
                            Log.info("undo: " + name + " serves other attachments by now; " + gateway + " stays");
                        } else {
                            host.deleteAddress(index, gateway);
                        }
                    }
                });
            } catch (ExistsException raced) {
                // Added by a concurrent ADD of the same network since the list: what we wanted.
            } catch (OsException e) {
                throw failure("could not add IP address " + gateway + " to \"" + name + "\": " + e.getMessage(), e);
            }
            try {
                // The MAC as read before this attachment's port joined: a new bridge's own random
                // one, not the lowest port's, which it would otherwise follow as ports come and go.
                // A bridge an earlier ADD left without ports before this step (its process killed)
                // has none (00:00:00:00:00:00, which the kernel refuses): then the one it follows
                // now, as the reference does (it re-reads the bridge after the port joined).
                dev.jcni.core.net.MacAddress mac = link.get(LinkAttribute.MAC);
                if (mac == null || mac.isZero()) {
                    mac = host.link(index).get(LinkAttribute.MAC);
                }
                host.set(index, LinkAttribute.MAC, mac);
            } catch (OsException e) {
                throw failure("could not set bridge's mac: " + e.getMessage(), e);
            }
        } catch (OsException e) {
            throw failure("could not get list of IP addresses: " + e.getMessage(), e);
        }
    }

    private void removeForced(int index, String name, IpPrefix have, Undo undo) throws CniException {
        try {
            host.deleteAddress(index, have);
        } catch (OsException e) {
            throw failure("could not remove IP address from \"" + name + "\": " + e.getMessage(), e);
        }
        undo.add("put " + have + " back on " + name, new Undo.Step() {
            @Override
            public void run() throws OsException {
                host.addAddress(index, have);
            }
        });
    }

    /** True when a link other than {@code ownPort} is a port of {@code bridge}. */
    private boolean hasOtherPorts(int bridge, int ownPort) throws OsException {
        for (LinkInfo l : host.links()) {
            Integer master = l.get(LinkAttribute.MASTER);
            if (master != null && master == bridge && l.index() != ownPort) {
                return true;
            }
        }
        return false;
    }

    /** IP forwarding on for each family in {@code families}; read first, written only when off. */
    void enableForwarding(List<IpAddress.Family> families) throws CniException {
        for (IpAddress.Family f : families) {
            String key = Forwarding.key(f);
            try {
                if (!"1".equals(host.readSysctl(key))) {
                    host.writeSysctl(key, "1");
                }
            } catch (OsException e) {
                throw failure("failed to enable forwarding: " + e.getMessage(), e);
            }
        }
    }

    private void quietSysctl(String key, String value) {
        try {
            host.writeSysctl(key, value);
        } catch (OsException e) {
            Log.debug("sysctl " + key + "=" + value + ": " + e.getMessage());
        }
    }

    static CniException failure(String msg, OsException e) {
        return new CniException(CniException.PLUGIN_FAILURE, msg, e.getMessage(), e);
    }
}
