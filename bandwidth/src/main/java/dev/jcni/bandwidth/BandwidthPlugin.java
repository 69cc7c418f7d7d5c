package dev.jcni.bandwidth;

import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netlink.LinkAttribute;
import dev.jcni.core.os.netlink.LinkInfo;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.CniVersion;
import dev.jcni.core.protocol.Result;
import dev.jcni.core.skel.CniPlugin;
import dev.jcni.core.skel.Invocation;
import dev.jcni.core.skel.Log;
import dev.jcni.core.skel.PluginMain;
import dev.jcni.core.skel.PrevResult;
import java.util.List;
import java.util.Set;

/**
 * The {@code bandwidth} meta-plugin: rate limits on the host end of the sandbox's veth, with tc
 * over rtnetlink (no tc process). Traffic to the container is shaped by a TBF at the host veth's
 * root, traffic from it by a TBF on an ifb its packets are redirected to, as the reference does;
 * config-compatible with it (rates and bursts in bits, runtimeConfig, its validation messages).
 *
 * <p>Beyond the reference: queues sized for latency ({@link TbfSizing}), subnet exemptions without
 * a class tree ({@link Steering}), runtimes' "no burst" values handled, ifbs named per attachment
 * and marked as ours, CHECK comparing every parameter and rule ({@link DriftCheck}), DEL without
 * the namespace or the config's rates, GC of stale ifbs ({@link IfbCollector}) and STATUS.
 *
 * <p>The verbs orchestrate; the config is {@link BandwidthConfig}'s, the plan
 * {@link ShapingPlan}'s, the kernel work {@link ShapingSession}'s, the host {@link HostKernel}'s
 * (a fake in unit tests).
 */
public final class BandwidthPlugin implements CniPlugin {
    public static final String NAME = "bandwidth";
    /** As the reference: results need interfaces, so 0.1.0 and 0.2.0 are not served. */
    static final List<String> VERSIONS = List.of(CniVersion.V0_3_0, CniVersion.V0_3_1, CniVersion.V0_4_0,
            CniVersion.V1_0_0, CniVersion.V1_1_0);

    /** Opens the host port for one request. */
    interface HostFactory {
        HostKernel open() throws OsException;
    }

    private final HostFactory hosts;

    public BandwidthPlugin() {
        this(new HostFactory() {
            @Override
            public HostKernel open() throws OsException {
                return KernelHost.open();
            }
        });
    }

    BandwidthPlugin(HostFactory hosts) {
        this.hosts = hosts;
    }

    public static void main(String[] args) {
        PluginMain.run(NAME, new BandwidthPlugin());
    }

    @Override
    public String about() {
        return "jcni bandwidth plugin: tc shaping of the sandbox veth's host end (TBF, ifb)";
    }

    @Override
    public List<String> supportedVersions() {
        return VERSIONS;
    }

    @Override
    public Result add(Invocation inv) throws CniException {
        BandwidthConfig config = BandwidthConfig.parse(inv);
        Result prev = chained(inv, "must be called as chained plugin");
        PrevResult.requirePrintable(prev, inv.cniVersion());
        if (!config.shapesAnything()) {
            return prev;
        }
        Attachment attachment = attachment(inv);
        Log.timing("config validated");
        try (HostKernel host = open()) {
            LinkInfo veth = hostVeth(host, inv);
            ShapingPlan plan = ShapingPlan.of(config, attachment, veth);
            Log.timing("planned");
            ShapingSession session = session(host);
            try {
                List<LinkInfo> ifbs = session.add(plan);
                Log.timing("applied");
                Result result = prev;
                for (LinkInfo ifb : ifbs) {
                    result = result.withAddedInterface(new Result.Interface(ifb.name(), macOf(ifb), null, null, null, null));
                }
                return result;
            } catch (CniException | RuntimeException e) {
                // A failure after the shaping is in place (a CNI error, or an unchecked one: jcnid
                // fails a request past its deadline at its next Log.timing mark) takes it back.
                session.undo();
                throw e;
            }
        }
    }

    /**
     * Removes the attachment's shaping, found from (network, container ID, ifname) alone: the
     * rates are not read, so a config an ADD would refuse never makes DEL fail, and a DEL without
     * the namespace still deletes the ifbs. The host veth's qdiscs are removed when the sandbox is
     * still there (they go with the veth otherwise).
     */
    @Override
    public void del(Invocation inv) throws CniException {
        Attachment attachment = attachment(inv);
        Log.timing("names derived");
        try (HostKernel host = open()) {
            Log.timing("host opened");
            LinkInfo veth = null;
            try {
                veth = host.hostVethOf(inv.netns(), inv.ifName());
                Log.timing("host veth found");
            } catch (HostVethException e) {
                Log.info("DEL of " + attachment + " without the host veth (" + e.getMessage() + "): removing the ifbs only");
            } catch (OsException e) {
                Log.warn("DEL of " + attachment + ": cannot find the host veth: " + e.getMessage());
            }
            session(host).remove(attachment, veth);
            Log.timing("removed");
        }
    }

    @Override
    public void check(Invocation inv) throws CniException {
        BandwidthConfig config = BandwidthConfig.parse(inv);
        chained(inv, "must be called as a chained plugin");
        if (!config.shapesAnything()) {
            return;
        }
        Attachment attachment = attachment(inv);
        try (HostKernel host = open()) {
            LinkInfo veth = hostVeth(host, inv);
            List<String> drift = session(host).drift(ShapingPlan.of(config, attachment, veth));
            if (!drift.isEmpty()) {
                throw new CniException(CniException.CHECK_DRIFT, "bandwidth of " + attachment + " differs from its configuration",
                        String.join("; ", drift));
            }
        }
    }

    @Override
    public void gc(Invocation inv) throws CniException {
        Set<String> valid = IfbCollector.validHashes(inv);
        try (HostKernel host = open()) {
            new IfbCollector(host).collect(inv.networkName(), valid);
        }
    }

    /** Fails with code 50 when the host's rtnetlink or the scheduler clock cannot be used. */
    @Override
    public void status(Invocation inv) throws CniException {
        try (HostKernel host = hosts.open()) {
            host.clock();
        } catch (OsException e) {
            throw new CniException(CniException.NOT_AVAILABLE, "bandwidth cannot serve ADD: traffic control is not usable",
                    e.getMessage(), e);
        }
    }

    private static Attachment attachment(Invocation inv) {
        return new Attachment(inv.networkName(), inv.containerId(), inv.ifName());
    }

    /** The previous result; a missing one in the reference's words (which differ between ADD and CHECK). */
    private static Result chained(Invocation inv, String missing) throws CniException {
        if (!inv.config().object("prevResult").isPresent()) {
            throw new CniException(CniException.INVALID_CONFIG, missing,
                    "bandwidth shapes the veth an interface plugin made: list it after one (bridge, ptp...)");
        }
        return PrevResult.require(inv, NAME);
    }

    private HostKernel open() throws CniException {
        try {
            return hosts.open();
        } catch (OsException e) {
            throw new CniException(CniException.PLUGIN_FAILURE, "cannot open rtnetlink on the host", e.getMessage(), e);
        }
    }

    private static ShapingSession session(HostKernel host) throws CniException {
        try {
            return new ShapingSession(host);
        } catch (OsException e) {
            throw new CniException(CniException.PLUGIN_FAILURE, "cannot read the packet scheduler's clock", e.getMessage(), e);
        }
    }

    /** The host end of CNI_IFNAME's veth, for ADD and CHECK; each way of not finding it is its own error. */
    private static LinkInfo hostVeth(HostKernel host, Invocation inv) throws CniException {
        String ifName = inv.ifName();
        try {
            return host.hostVethOf(inv.netns(), ifName);
        } catch (HostVethException e) {
            switch (e.reason()) {
                case NAMESPACE_GONE:
                    throw new CniException(CniException.INVALID_ENVIRONMENT, e.getMessage());
                case HOST_NAMESPACE:
                    throw new CniException(CniException.INVALID_NETNS, e.getMessage(),
                            "the host's own interfaces are never shaped as a sandbox's");
                case NO_INTERFACE:
                    throw new CniException(CniException.PLUGIN_FAILURE, "container interface " + ifName + " not found", e.getMessage());
                case NOT_A_VETH:
                    throw new CniException(CniException.PLUGIN_FAILURE, "container interface " + ifName + " has no veth peer",
                            e.getMessage() + ": bandwidth shapes the host end of a veth pair (bridge, ptp...)");
                default:
                    throw new CniException(CniException.PLUGIN_FAILURE, "veth peer of container interface " + ifName
                            + " is not in the host's namespace", e.getMessage());
            }
        } catch (OsException e) {
            throw new CniException(CniException.PLUGIN_FAILURE, "cannot find the host end of container interface " + ifName,
                    e.getMessage(), e);
        }
    }

    /** An ifb's MAC as the result prints it; null when the kernel reported none. */
    private static String macOf(LinkInfo link) {
        Object mac = link.get(LinkAttribute.MAC);
        return mac == null ? null : mac.toString();
    }
}
