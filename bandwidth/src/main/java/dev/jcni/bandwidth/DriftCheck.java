package dev.jcni.bandwidth;

import dev.jcni.core.os.NotFoundException;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netlink.Filter;
import dev.jcni.core.os.netlink.LinkAttribute;
import dev.jcni.core.os.netlink.LinkInfo;
import dev.jcni.core.os.netlink.Psched;
import dev.jcni.core.os.netlink.Qdisc;
import dev.jcni.core.os.netlink.QdiscIngress;
import dev.jcni.core.os.netlink.TcHandle;
import dev.jcni.core.os.netlink.TcOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * CHECK's comparison of the host with a {@link ShapingPlan}, everything the plan made:
 * <ul>
 *   <li>each ifb: there, an ifb, this attachment's alias, up, the veth's MTU;</li>
 *   <li>each TBF (on an ifb, or at the veth's root): every parameter, through the tc tables'
 *       {@code differences} (rate, burst and peak bucket in the kernel's ticks, limit, peak rate,
 *       mpu, overhead, link layer);</li>
 *   <li>the veth's clsact qdisc and, on each of its hooks, the rules: every rule the plan wants
 *       (protocol, priority, match, flow id, redirect target), and none besides.</li>
 * </ul>
 * Each difference is one line naming the object and the parameter; all of them are reported.
 */
final class DriftCheck {
    private final HostKernel host;
    private final Psched clock;
    private final ShapingPlan plan;
    private final List<String> out = new ArrayList<>();

    DriftCheck(HostKernel host, Psched clock, ShapingPlan plan) {
        this.host = host;
        this.clock = clock;
        this.plan = plan;
    }

    List<String> drift() throws OsException {
        LinkInfo veth = plan.veth();
        List<Filter> wantedIngressHook = new ArrayList<>();
        List<Filter> wantedEgressHook = new ArrayList<>();
        boolean rulesKnown = true;
        for (ShapingPlan.Shaper s : plan.shapers()) {
            if (!s.onIfb()) {
                compareRoot(veth.index(), "host veth " + veth.name(), s.tbf());
                continue;
            }
            LinkInfo ifb = ifb(s);
            if (ifb == null) {
                rulesKnown = false; // the rules name the ifb's index: without it, they cannot be compared
                continue;
            }
            compareRoot(ifb.index(), "ifb " + ifb.name(), s.tbf());
            List<Filter> wanted = Steering.hook(s.direction()).equals(TcHandle.CLSACT_INGRESS) ? wantedIngressHook : wantedEgressHook;
            wanted.addAll(plan.rules(s, ifb.index()));
        }
        if (plan.needsClsact()) {
            Qdisc hook = host.qdiscAt(veth.index(), TcHandle.INGRESS);
            if (hook == null) {
                out.add("host veth " + veth.name() + " has no clsact qdisc");
            } else if (!QdiscIngress.CLSACT.name().equals(hook.kind())) {
                out.add("host veth " + veth.name() + " has an " + hook.kind() + " qdisc where the clsact qdisc belongs");
            } else if (rulesKnown) {
                compareRules(veth, TcHandle.CLSACT_INGRESS, "ingress", wantedIngressHook);
                compareRules(veth, TcHandle.CLSACT_EGRESS, "egress", wantedEgressHook);
            }
        }
        return out;
    }

    /** The shaper's ifb as it stands, with what is wrong with it noted; null when there is none to compare. */
    private LinkInfo ifb(ShapingPlan.Shaper s) throws OsException {
        LinkInfo ifb;
        try {
            ifb = host.link(s.ifbName());
        } catch (NotFoundException e) {
            out.add("ifb " + s.ifbName() + " (" + s.direction().key() + ") does not exist");
            return null;
        }
        if (!"ifb".equals(ifb.kind())) {
            out.add(s.ifbName() + " is a " + ifb.kind() + ", not an ifb");
            return null;
        }
        String alias = ifb.get(LinkAttribute.ALIAS);
        if (!plan.attachment().owns(alias)) {
            out.add("ifb " + ifb.name() + " has alias " + ShapingSession.quoted(alias) + ", not this attachment's");
        }
        if (!Boolean.TRUE.equals(ifb.get(LinkAttribute.UP))) {
            out.add("ifb " + ifb.name() + " is down");
        }
        int mtu = ShapingPlan.mtuOf(ifb);
        if (mtu != ShapingPlan.mtuOf(plan.veth())) {
            out.add("ifb " + ifb.name() + " has mtu " + mtu + ", the host veth " + ShapingPlan.mtuOf(plan.veth()));
        }
        return ifb;
    }

    private void compareRoot(int ifindex, String what, TcOptions tbf) throws OsException {
        Qdisc root = host.qdiscAt(ifindex, TcHandle.ROOT);
        if (root == null || root.handle().equals(TcHandle.UNSPEC)) {
            out.add(what + " has no tbf at its root" + (root == null ? "" : " (" + root.kind() + ")"));
            return;
        }
        for (String d : Qdisc.root(ifindex, ShapingSession.HANDLE_MAJOR, tbf).differences(root, clock)) {
            out.add(what + " root tbf: " + d);
        }
    }

    private void compareRules(LinkInfo veth, TcHandle hook, String hookName, List<Filter> wanted) throws OsException {
        List<Filter> left = new ArrayList<>(host.filters(veth.index(), hook));
        for (Filter w : wanted) {
            Filter match = null;
            for (Filter a : left) {
                if (w.differences(a, clock).isEmpty()) {
                    match = a;
                    break;
                }
            }
            if (match == null) {
                out.add("host veth " + veth.name() + " " + hookName + " hook lacks the rule " + Steering.describe(w, null));
            } else {
                left.remove(match);
            }
        }
        for (Filter a : left) {
            out.add("host veth " + veth.name() + " " + hookName + " hook has a rule the configuration does not: "
                    + Steering.describe(a, null));
        }
    }
}
