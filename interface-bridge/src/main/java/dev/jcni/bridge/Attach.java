package dev.jcni.bridge;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;
import dev.jcni.core.net.MacAddress;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netlink.LinkAttribute;
import dev.jcni.core.os.netlink.LinkInfo;
import dev.jcni.core.os.nft.NftException;
import dev.jcni.core.os.nft.NftRunner;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Result;
import dev.jcni.core.skel.Invocation;
import dev.jcni.core.skel.Log;
import dev.jcni.core.skel.PrevResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One ADD: the reference's steps (§4.3), each change registering its revert, so that a failed
 * ADD leaves no veth, no bridge it created, no address, no rule and no lease (IPAM DEL) behind.
 *
 * <p>What can be known before changing anything is checked first: the config (by the caller),
 * the IPAM plugin on CNI_PATH, nftables when the config needs it, a link of the bridge's name
 * that is no bridge, CNI_IFNAME taken in the sandbox, an L2 result that the request's version
 * cannot express. Then, in order: bridge, veth pair, port, spoof check, IPAM, the container's
 * addresses and routes, masquerade, the port running, and last the shared state the network's
 * other attachments rely on (gateway addresses, forwarding), so that as little as possible can
 * fail after it. (The reference sets the gateway before masquerading and the port check; the
 * result is the same.)
 */
final class Attach {
    /** How long the host's port may take to come up (the reference polls for 2.55 s). */
    static final Duration PORT_UP = Duration.ofSeconds(3);

    private final Invocation inv;
    private final BridgeConfig config;
    private final NetworkNamespace host;
    private final Sandboxes sandboxes;
    private final Ipam ipam;
    private final Firewall firewall;
    private final Undo undo = new Undo();

    Attach(Invocation inv, BridgeConfig config, BridgeKernel kernel) {
        this.inv = inv;
        this.config = config;
        this.host = kernel.host();
        this.sandboxes = kernel.sandboxes();
        this.ipam = kernel.ipam();
        this.firewall = kernel.firewall(inv.node());
    }

    Result run() throws CniException {
        Attachment owner = new Attachment(inv.networkName(), inv.containerId(), inv.ifName());
        if (!config.isLayer3()) {
            PrevResult.requirePrintable(new Result(inv.cniVersion(), List.of(), List.of(), List.of(), null), inv.cniVersion());
        } else {
            ipam.requireAvailable(inv, config.ipamType());
        }
        NftRunner nft = config.ipMasq() || config.macSpoofCheck() ? nftables() : null;
        Log.timing("nftables runner");
        HostBridge bridge = new HostBridge(host, config);
        try {
            bridge.checkUsable();
        } catch (OsException e) {
            throw HostBridge.failure("cannot read the host's links: " + e.getMessage(), e);
        }
        sandboxes.run(inv, new Sandboxes.Work<Void>() {
            @Override
            public Void run(NetworkNamespace sandbox) throws CniException, OsException {
                new ContainerSide(sandbox, inv.ifName()).checkFree();
                return null;
            }
        });
        Log.timing("checked");
        try {
            // Printable in the request's version: an L2 result was checked above, and an L3 one
            // has an address (leaseAddresses refuses a lease without one), all 0.2.0 needs.
            return attach(owner, bridge, nft);
        } catch (CniException | RuntimeException e) {
            undo.run();
            throw e;
        }
    }

    private NftRunner nftables() throws CniException {
        try {
            return firewall.nft();
        } catch (NftException e) {
            throw new CniException(CniException.PLUGIN_FAILURE, (config.ipMasq() ? "ipMasq" : "macspoofchk") + " needs nftables, which cannot be used",
                    e.getMessage(), e);
        }
    }

    private Result attach(Attachment owner, HostBridge bridge, NftRunner nft) throws CniException {
        LinkInfo br = bridge.ensure(undo);
        Log.timing("bridge");
        NetworkNamespace.Veth pair = createVeth();
        Log.timing("veth pair");
        String hostVeth = pair.peerName();
        LinkInfo port = bridge.attachPort(hostVeth, br);
        MacAddress containerMac = pair.end().get(LinkAttribute.MAC);
        List<Result.Interface> interfaces = new ArrayList<>();
        interfaces.add(iface(br.name(), br.get(LinkAttribute.MAC), null));
        interfaces.add(iface(hostVeth, port.get(LinkAttribute.MAC), null));
        interfaces.add(iface(inv.ifName(), containerMac, inv.netns()));
        if (config.macSpoofCheck()) {
            addSpoofCheck(nft, owner, hostVeth, containerMac);
        }
        List<Result.IpConfig> ips = List.of();
        List<Result.Route> routes = List.of();
        Result.Dns dns = null;
        Gateways gateways = null;
        if (config.isLayer3()) {
            Result lease = leaseAddresses();
            gateways = Gateways.of(lease.ips(), lease.routes(), config);
            ips = gateways.ips();
            routes = gateways.routes();
            dns = lease.dns();
            configureContainer(gateways);
            if (config.ipMasq()) {
                addMasquerade(nft, owner, ips);
            }
        } else if (!config.disableContainerInterface()) {
            sandboxes.run(inv, new Sandboxes.Work<Void>() {
                @Override
                public Void run(NetworkNamespace sandbox) throws CniException {
                    new ContainerSide(sandbox, inv.ifName()).setUp();
                    return null;
                }
            });
        }
        if (!config.disableContainerInterface()) {
            awaitPort(port.index());
        }
        if (gateways != null && config.isGateway()) {
            setGateways(bridge, br, port.index(), gateways, interfaces);
        }
        interfaces.set(1, iface(hostVeth, refreshed(port.index()).get(LinkAttribute.MAC), null));
        interfaces.set(0, iface(br.name(), refreshed(br.index()).get(LinkAttribute.MAC), null));
        if (config.dns() != null) {
            dns = config.dns();
        }
        return new Result(inv.cniVersion(), interfaces, ips, routes, dns);
    }

    private NetworkNamespace.Veth createVeth() throws CniException {
        NetworkNamespace.Veth pair = sandboxes.run(inv, new Sandboxes.Work<NetworkNamespace.Veth>() {
            @Override
            public NetworkNamespace.Veth run(NetworkNamespace sandbox) throws CniException {
                return new ContainerSide(sandbox, inv.ifName()).createVeth(host, config.mtu(), config.mac());
            }
        });
        undo.add("delete " + inv.ifName() + " in the sandbox", new Undo.Step() {
            @Override
            public void run() throws CniException {
                sandboxes.runIfSandbox(inv, new Sandboxes.Work<Void>() {
                    @Override
                    public Void run(NetworkNamespace sandbox) throws OsException {
                        new ContainerSide(sandbox, inv.ifName()).delete();
                        return null;
                    }
                });
            }
        });
        return pair;
    }

    private void addSpoofCheck(NftRunner nft, Attachment owner, String hostVeth, MacAddress mac) throws CniException {
        SpoofCheck check = new SpoofCheck(nft);
        try {
            check.add(owner, hostVeth, mac);
        } catch (NftException e) {
            throw new CniException(CniException.PLUGIN_FAILURE, "failed to setup spoof-check: " + e.getMessage(), e.errorText(), e);
        }
        undo.add("remove the spoof check", new Undo.Step() {
            @Override
            public void run() throws Exception {
                check.remove(owner);
            }
        });
        Log.timing("spoof check");
    }

    private Result leaseAddresses() throws CniException {
        // Registered first: a delegate whose ADD failed gets its DEL too (the spec's SHOULD),
        // which releases whatever it may have taken before failing.
        undo.add("release the addresses (IPAM DEL)", new Undo.Step() {
            @Override
            public void run() throws CniException {
                ipam.del(inv, config.ipamType());
            }
        });
        Result lease = ipam.add(inv, config.ipamType());
        Log.timing("IPAM ADD");
        if (lease.ips().isEmpty()) {
            throw new CniException(CniException.PLUGIN_FAILURE, "IPAM plugin returned missing IP config",
                    config.ipamType() + " answered without an address");
        }
        return lease;
    }

    private void configureContainer(Gateways gateways) throws CniException {
        sandboxes.run(inv, new Sandboxes.Work<Void>() {
            @Override
            public Void run(NetworkNamespace sandbox) throws CniException {
                new ContainerSide(sandbox, inv.ifName()).configure(gateways.ips(), gateways.routes(), config.enableDad());
                return null;
            }
        });
        Log.timing("container configured");
    }

    private void addMasquerade(NftRunner nft, Attachment owner, List<Result.IpConfig> ips) throws CniException {
        List<IpPrefix> addresses = new ArrayList<>();
        for (Result.IpConfig ip : ips) {
            addresses.add(ip.address());
        }
        Masquerade masquerade = new Masquerade(nft);
        try {
            masquerade.add(owner, addresses);
        } catch (NftException e) {
            throw new CniException(CniException.PLUGIN_FAILURE, "failed to setup ip masquerade: " + e.getMessage(), e.errorText(), e);
        }
        undo.add("remove the masquerade rules", new Undo.Step() {
            @Override
            public void run() throws Exception {
                masquerade.remove(owner);
            }
        });
        Log.timing("masquerade");
    }

    private void awaitPort(int index) throws CniException {
        try {
            host.awaitRunning(index, PORT_UP);
        } catch (OsException e) {
            String state;
            try {
                dev.jcni.core.os.netlink.OperState s = host.link(index).get(LinkAttribute.OPERSTATE);
                state = s == null ? "unknown" : s.text();
            } catch (OsException gone) {
                state = "gone";
            }
            throw new CniException(CniException.PLUGIN_FAILURE, "bridge port in error state: " + state, e.getMessage(), e);
        }
        Log.timing("port up");
    }

    private void setGateways(HostBridge bridge, LinkInfo br, int ownPort, Gateways gateways, List<Result.Interface> interfaces)
            throws CniException {
        List<IpAddress.Family> families = new ArrayList<>();
        LinkInfo vlanGateway = null;
        for (IpPrefix gw : gateways.bridgeAddresses()) {
            if (config.vlans().vlan() != 0) {
                if (vlanGateway == null) {
                    vlanGateway = bridge.ensureVlanGateway(br, undo);
                    interfaces.add(iface(vlanGateway.name(), vlanGateway.get(LinkAttribute.MAC), null));
                }
                try {
                    bridge.ensureAddress(vlanGateway, gw, ownPort, undo);
                } catch (CniException e) {
                    throw new CniException(e.code(), "failed to set vlan interface for bridge with addr: " + e.msg(), e.details(), e);
                }
            } else {
                try {
                    bridge.ensureAddress(br, gw, ownPort, undo);
                } catch (CniException e) {
                    throw new CniException(e.code(), "failed to set bridge addr: " + e.msg(), e.details(), e);
                }
            }
            if (!families.contains(gw.family())) {
                families.add(gw.family());
            }
        }
        bridge.enableForwarding(families);
        Log.timing("gateways");
    }

    private LinkInfo refreshed(int index) throws CniException {
        try {
            return host.link(index);
        } catch (OsException e) {
            throw HostBridge.failure("failed to lookup index " + index + ": " + e.getMessage(), e);
        }
    }

    static Result.Interface iface(String name, MacAddress mac, String sandbox) {
        return new Result.Interface(name, mac == null ? null : mac.toString(), null, sandbox, null, null);
    }
}
