package dev.jcni.portmap;

import dev.jcni.core.os.nft.NftRunners;
import dev.jcni.core.skel.ValidAttachments;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.conntrack.ConntrackFilter;
import dev.jcni.core.os.nft.NftException;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.CniVersion;
import dev.jcni.core.protocol.JsonFields;
import dev.jcni.core.protocol.Result;
import dev.jcni.core.skel.CniPlugin;
import dev.jcni.core.skel.Invocation;
import dev.jcni.core.skel.Log;
import dev.jcni.core.skel.NodePolicy;
import dev.jcni.core.skel.PluginMain;
import dev.jcni.core.skel.PrevResult;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code portmap} meta-plugin: hostPort to containerPort DNAT for the container's addresses,
 * through nftables verdict maps ({@link HostportTable}): one lookup per new connection whatever
 * the number of mappings, one atomic batch per verb, state owned by (network, container ID,
 * ifname) so DEL needs no runtimeConfig and removes exactly its own. Config-compatible with the
 * reference (nftables keys; the iptables ones are refused as unsupported), and beyond it:
 * conflicts detected (takeover or strict, node policy), UDP/SCTP flows flushed on DEL too, CHECK
 * compares rule and element contents, GC and STATUS implemented. The result is prevResult.
 *
 * <p>The verbs orchestrate; the plan is {@link AttachmentPlan}'s, the nftables work
 * {@link AddOperation}'s, {@link RemoveOperation}'s (DEL, GC) and {@link DriftCheck}'s (CHECK),
 * the host {@link HostKernel}'s (a fake in unit tests).
 */
public final class PortmapPlugin implements CniPlugin {
    public static final String NAME = "portmap";

    private final HostportTable table = new HostportTable();
    private final HostFactory hosts;

    /** Makes the host port for a request (the node policy may force an nftables runner). */
    interface HostFactory {
        HostKernel host(NodePolicy node);
    }

    public PortmapPlugin() {
        this(new HostFactory() {
            @Override
            public HostKernel host(NodePolicy node) {
                return new KernelHost(node);
            }
        });
    }

    PortmapPlugin(HostFactory hosts) {
        this.hosts = hosts;
    }

    public static void main(String[] args) {
        String command = System.getenv("CNI_COMMAND");
        if ("ADD".equals(command) || "DEL".equals(command) || "CHECK".equals(command) || "GC".equals(command)) {
            NftRunners.preloadInBackground();
        }
        PluginMain.run(NAME, new PortmapPlugin());
    }

    @Override
    public String about() {
        return "jcni portmap plugin: hostPort DNAT through nftables verdict maps";
    }

    @Override
    public List<String> supportedVersions() {
        return CniVersion.ALL;
    }

    @Override
    public Result add(Invocation inv) throws CniException {
        PortmapConfig config = PortmapConfig.parse(inv);
        Result prev = inv.config().object("prevResult").isPresent() ? PrevResult.require(inv, NAME) : null;
        if (prev == null) {
            throw new CniException(CniException.INVALID_CONFIG, "must be called as chained plugin",
                    "portmap needs the previous result for the container's addresses: list it after an interface plugin");
        }
        PrevResult.requirePrintable(prev, inv.cniVersion());
        ConflictPolicy policy = ConflictPolicy.of(inv.node());
        if (config.mappings().isEmpty()) {
            return prev;
        }
        Attachment owner = new Attachment(inv.networkName(), inv.containerId(), inv.ifName());
        AttachmentPlan plan = AttachmentPlan.build(table, owner, config, ContainerIps.from(prev, inv.ifName()));
        for (PortMapping m : plan.unused) {
            Log.warn(m.entry() + " (" + m.hostSide() + ") applies to no address of " + inv.ifName() + " in prevResult: not mapped");
        }
        if (plan.isEmpty()) {
            return prev;
        }
        Log.timing("planned");
        HostKernel host = hosts.host(inv.node());
        enableRouteLocalnet(host, plan);
        AddOperation operation = null;
        try {
            operation = new AddOperation(table, host.nft(), plan, policy);
            operation.run();
            Log.timing("applied");
            // Keys taken over from another attachment are keys of this plan: their flows are in this flush.
            flushConntrack(host, plan.conntrack, "ADD");
        } catch (NftException e) {
            undo(host, owner, operation);
            throw nftFailure("cannot set up the port mappings of " + owner, e);
        } catch (CniException | RuntimeException e) {
            undo(host, owner, operation);
            throw e;
        }
        return prev;
    }

    /**
     * Takes back an ADD that fails after its batch went in (a CNI error, or an unchecked one: jcnid
     * fails a request past its deadline at its next {@link Log#timing} mark): the attachment's chain
     * and elements are removed as DEL removes them, so nothing of it stays. A re-ADD's undo removes
     * the earlier ADD's mappings with it (the runtime DELs an attachment whose ADD failed anyway);
     * keys taken over from another attachment are not given back (its record no longer has them);
     * route_localnet stays set, as DEL leaves it. A batch that failed changed nothing, and no
     * operation (null: no nftables) none: no undo.
     */
    private void undo(HostKernel host, Attachment owner, AddOperation operation) {
        if (operation == null || !operation.committed()) {
            return;
        }
        try {
            remove(host, owner, "undo of ADD");
        } catch (CniException | NftException e) {
            Log.warn("undo: cannot remove the port mappings of " + owner + ": " + e.getMessage());
        }
    }

    /** DEL's work, also the undo of an ADD: the attachment's chain and elements, then the flows of its UDP and SCTP keys. */
    private void remove(HostKernel host, Attachment owner, String verb) throws CniException, NftException {
        List<MapKey> removed = new RemoveOperation(table, host.nft()).del(owner);
        flushConntrack(host, conntrackFilters(removed), verb);
    }

    /** The conntrack filters for {@code keys} (UDP and SCTP only). */
    static List<ConntrackFilter> conntrackFilters(List<MapKey> keys) {
        List<ConntrackFilter> out = new java.util.ArrayList<>();
        for (MapKey k : keys) {
            ConntrackFilter f = k.conntrackFilter();
            if (f != null && !out.contains(f)) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * 127.0.0.1 traffic DNATed to the container leaves by the interface that routes to it; the
     * kernel drops it there unless that interface has {@code route_localnet} set. Set on that
     * interface only, and only when a mapping answers on 127.0.0.1 with snat on; left set by DEL,
     * as the reference does (other attachments behind the same interface may rely on it).
     */
    private static void enableRouteLocalnet(HostKernel host, AttachmentPlan plan) throws CniException {
        if (plan.localnetDestination == null) {
            return;
        }
        String key = null;
        try {
            String itf = host.outputInterface(plan.localnetDestination);
            key = "net/ipv4/conf/" + itf + "/route_localnet";
            if (!"1".equals(host.readSysctl(key))) {
                host.writeSysctl(key, "1");
                Log.info("set " + key + " = 1 for 127.0.0.1 traffic to " + plan.localnetDestination);
            }
        } catch (OsException e) {
            throw new CniException(CniException.PLUGIN_FAILURE, "unable to enable route_localnet"
                    + (key == null ? " (no route to " + plan.localnetDestination + ")" : " (" + key + ")"), e.getMessage(), e);
        }
    }

    private static void flushConntrack(HostKernel host, List<ConntrackFilter> filters, String verb) {
        if (filters.isEmpty()) {
            return;
        }
        try {
            int n = host.deleteConntrack(filters);
            Log.info(verb + ": flushed " + n + " conntrack entr" + (n == 1 ? "y" : "ies") + " for " + filters);
        } catch (OsException e) {
            // As the reference: stale flows expire by themselves; the mapping itself is in place.
            Log.warn("failed to delete stale conntrack entries for " + filters + ": " + e.getMessage());
        }
    }

    /**
     * Removes this attachment's chain and the map elements that go to it, found from (network,
     * container ID, ifname) alone: runtimeConfig is not needed, and is not read; its own chain
     * records its keys, so nothing else is read. Elements another attachment has taken over stay. The config is not validated beyond what identifies the
     * attachment, so a DEL never fails on a config an ADD would refuse.
     */
    @Override
    public void del(Invocation inv) throws CniException {
        Attachment owner = new Attachment(inv.networkName(), inv.containerId(), inv.ifName());
        HostKernel host = hosts.host(inv.node());
        try {
            remove(host, owner, "DEL");
            // Marked after the flush: a DEL failed between the two could not be finished by a
            // repeat, which finds no chain and so no keys whose flows it would flush.
            Log.timing("applied");
        } catch (NftException e) {
            throw nftFailure("cannot remove the port mappings of " + owner, e);
        }
    }

    @Override
    public void check(Invocation inv) throws CniException {
        PortmapConfig config = PortmapConfig.parse(inv);
        Result prev = PrevResult.require(inv, NAME);
        if (config.mappings().isEmpty()) {
            return;
        }
        Attachment owner = new Attachment(inv.networkName(), inv.containerId(), inv.ifName());
        AttachmentPlan plan = AttachmentPlan.build(table, owner, config, ContainerIps.from(prev, inv.ifName()));
        if (plan.isEmpty()) {
            return;
        }
        HostKernel host = hosts.host(inv.node());
        List<String> drift;
        try {
            drift = new java.util.ArrayList<>(new DriftCheck(table, host.nft()).drift(plan));
        } catch (NftException e) {
            throw nftFailure("cannot read the port mappings of " + owner, e);
        }
        if (plan.localnetDestination != null) {
            try {
                String key = "net/ipv4/conf/" + host.outputInterface(plan.localnetDestination) + "/route_localnet";
                String v = host.readSysctl(key);
                if (!"1".equals(v)) {
                    drift.add(key + " is " + v + ", so 127.0.0.1 cannot reach the container");
                }
            } catch (OsException e) {
                drift.add("cannot read route_localnet on the way to " + plan.localnetDestination + ": " + e.getMessage());
            }
        }
        if (!drift.isEmpty()) {
            throw new CniException(CniException.CHECK_DRIFT, "port mappings of " + owner + " differ from the configuration",
                    String.join("; ", drift));
        }
    }

    @Override
    public void gc(Invocation inv) throws CniException {
        Set<String> valid = new HashSet<>();
        for (ValidAttachments.Entry a : ValidAttachments.of(inv).entries()) {
            if (a.ifName() != null) {
                valid.add(new Attachment(inv.networkName(), a.containerId(), a.ifName()).chainName());
            }
        }
        HostKernel host = hosts.host(inv.node());
        try {
            List<MapKey> removed = new RemoveOperation(table, host.nft()).gc(inv.networkName(), valid);
            flushConntrack(host, conntrackFilters(removed), "GC");
        } catch (NftException e) {
            throw nftFailure("cannot collect stale port mappings of network " + inv.networkName(), e);
        }
    }

    @Override
    public void status(Invocation inv) throws CniException {
        String why = hosts.host(inv.node()).nftUnavailability();
        if (why != null) {
            throw new CniException(CniException.NOT_AVAILABLE, "portmap cannot serve ADD: nftables cannot be used", why);
        }
    }

    private static CniException nftFailure(String what, NftException e) {
        if (e.batchJson() != null) {
            Log.debug("the batch nftables refused: " + e.batchJson());
        }
        return new CniException(CniException.PLUGIN_FAILURE, what, e.getMessage(), e);
    }
}
