package dev.jcni.bandwidth;

import dev.jcni.core.os.netlink.Filter;
import dev.jcni.core.os.netlink.LinkAttribute;
import dev.jcni.core.os.netlink.LinkInfo;
import dev.jcni.core.os.netlink.QdiscTbf;
import dev.jcni.core.os.netlink.TcOptions;
import dev.jcni.core.skel.Log;
import java.util.ArrayList;
import java.util.List;

/**
 * What one attachment's shaping consists of, before anything is made: for each limited direction
 * a TBF ({@link TbfSizing}), where it sits, and how traffic reaches it.
 *
 * <ul>
 *   <li>Egress (from the container): an ifb ({@link Attachment#ifbName}) with the TBF at its root;
 *       the host veth's clsact ingress hook redirects to it ({@link Steering}).</li>
 *   <li>Ingress (to the container), all traffic shaped: the TBF at the host veth's root, as the
 *       reference does.</li>
 *   <li>Ingress with subnet exemptions: a second ifb with the TBF, reached from the veth's clsact
 *       egress hook (the ifb hands the packet back to the veth, which sends it on without
 *       classifying it again), so that exempt traffic never enters a qdisc.</li>
 * </ul>
 * Shapers are listed egress first, the order the ifbs appear in the result.
 */
final class ShapingPlan {
    /** One direction's TBF: at the root of the ifb {@code ifbName}, or of the host veth when that is null. */
    record Shaper(Direction direction, String ifbName, TcOptions tbf) {
        boolean onIfb() {
            return ifbName != null;
        }
    }

    private final Attachment attachment;
    private final LinkInfo veth;
    private final Subnets subnets;
    private final List<Shaper> shapers;

    private ShapingPlan(Attachment attachment, LinkInfo veth, Subnets subnets, List<Shaper> shapers) {
        this.attachment = attachment;
        this.veth = veth;
        this.subnets = subnets;
        this.shapers = List.copyOf(shapers);
    }

    static ShapingPlan of(BandwidthConfig config, Attachment attachment, LinkInfo veth) {
        int mtu = mtuOf(veth);
        List<Shaper> shapers = new ArrayList<>();
        Direction[] order = {Direction.EGRESS, Direction.INGRESS};
        for (Direction d : order) {
            BandwidthConfig.Limit limit = config.limit(d);
            if (limit == null) {
                continue;
            }
            TcOptions tbf = TbfSizing.tbf(limit.rate(), limit.burst(), mtu, config.latencyMicros());
            warnIfBurstBelowAFrame(d, tbf, mtu);
            boolean viaIfb = d == Direction.EGRESS || !config.subnets().isAll();
            shapers.add(new Shaper(d, viaIfb ? attachment.ifbName(d) : null, tbf));
        }
        return new ShapingPlan(attachment, veth, config.subnets(), shapers);
    }

    private static void warnIfBurstBelowAFrame(Direction d, TcOptions tbf, int mtu) {
        long burst = tbf.get(QdiscTbf.BURST);
        if (burst < TbfSizing.frame(mtu)) {
            Log.warn(d.burstKey() + " is " + burst + " bytes, less than one frame of the link (" + TbfSizing.frame(mtu)
                    + " bytes): larger packets will be dropped");
        }
    }

    /** The veth's MTU; 1500 if the kernel did not report one. */
    static int mtuOf(LinkInfo link) {
        Integer mtu = link.get(LinkAttribute.MTU);
        return mtu == null || mtu <= 0 ? 1500 : mtu;
    }

    Attachment attachment() {
        return attachment;
    }

    LinkInfo veth() {
        return veth;
    }

    List<Shaper> shapers() {
        return shapers;
    }

    /** The shaper at the host veth's root, or null. */
    Shaper vethRootShaper() {
        for (Shaper s : shapers) {
            if (!s.onIfb()) {
                return s;
            }
        }
        return null;
    }

    /** True when some direction goes through an ifb, so the veth needs its clsact hooks. */
    boolean needsClsact() {
        for (Shaper s : shapers) {
            if (s.onIfb()) {
                return true;
            }
        }
        return false;
    }

    /** The rules that send {@code s}'s traffic to its ifb, whose ifindex is {@code ifbIndex}. */
    List<Filter> rules(Shaper s, int ifbIndex) {
        return Steering.rules(veth.index(), s.direction(), subnets, ifbIndex);
    }
}
