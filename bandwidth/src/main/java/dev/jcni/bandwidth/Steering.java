package dev.jcni.bandwidth;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;
import dev.jcni.core.os.netlink.ActionMirred;
import dev.jcni.core.os.netlink.Filter;
import dev.jcni.core.os.netlink.FilterU32;
import dev.jcni.core.os.netlink.FilterU32Selector;
import dev.jcni.core.os.netlink.TcHandle;
import dev.jcni.core.os.netlink.TcOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * The u32 rules on the host veth's clsact hooks that send a direction's shaped traffic to its ifb
 * (mirred egress redirect), and let exempt traffic pass untouched.
 *
 * <p>Egress (from the container) is classified where it arrives, the veth's ingress hook, by
 * destination; ingress (to the container, only when subnets are configured) where it leaves, the
 * veth's egress hook, by source. Rules, in priority order (egress's; ingress's are 3 higher):
 * <pre>
 *   all traffic shaped:   prio 1 all   match-all              -> redirect
 *   unshapedSubnets:      prio 1 ip    each IPv4 subnet       -> pass
 *                         prio 2 ipv6  each IPv6 subnet       -> pass
 *                         prio 3 all   match-all              -> redirect
 *   shapedSubnets:        prio 1 ip    each IPv4 subnet       -> redirect
 *                         prio 2 ipv6  each IPv6 subnet       -> redirect   (anything else passes)
 * </pre>
 * The two hooks use different priorities because u32 keeps one set of hash tables per qdisc,
 * shared by clsact's two hooks: classification stays per hook, but a dump of one hook lists the
 * other hook's rules of the same priority too (kernel 6.18), and CHECK compares dumps.
 *
 * "Pass" is a terminal rule with a class id and no action: classification stops and the packet
 * goes on as if no filter were there, touching no qdisc. Exempt traffic therefore costs one u32
 * lookup and is never queued, limited or reordered; shaped traffic meets the same TBF whatever the
 * mode, so there is no class tree, no quantum, no second queue to drop in. Every rule carries
 * flowid 1:1, as the reference's redirect rule does (on clsact it only sets tc_index).
 */
final class Steering {
    static final TcHandle FLOWID = TcHandle.of(1, 1);
    static final int PRIO_IPV4 = 1;
    static final int PRIO_IPV6 = 2;
    static final int PRIO_ALL_AFTER_EXEMPTIONS = 3;
    /** Added to ingress's priorities, so the hooks' u32 tables never share a priority. */
    static final int INGRESS_PRIO_OFFSET = 3;

    private Steering() {}

    /** The clsact hook a direction is classified at on the host veth. */
    static TcHandle hook(Direction d) {
        return d == Direction.EGRESS ? TcHandle.CLSACT_INGRESS : TcHandle.CLSACT_EGRESS;
    }

    /** The rules for direction {@code d} on veth {@code vethIndex}, redirecting to {@code ifbIndex}. */
    static List<Filter> rules(int vethIndex, Direction d, Subnets subnets, int ifbIndex) {
        TcHandle hook = hook(d);
        int base = d == Direction.INGRESS ? INGRESS_PRIO_OFFSET : 0;
        List<TcOptions> redirect = List.of(ActionMirred.redirect(ifbIndex));
        List<Filter> out = new ArrayList<>();
        if (subnets.isAll()) {
            out.add(new Filter(vethIndex, hook, base + 1, Filter.ETH_P_ALL, 0,
                    FilterU32.options(FilterU32Selector.matchAll(), FLOWID, redirect)));
            return out;
        }
        List<TcOptions> action = subnets.mode() == Subnets.Mode.SHAPED ? redirect : null;
        for (IpPrefix p : subnets.of(IpAddress.Family.IPV4)) {
            out.add(new Filter(vethIndex, hook, base + PRIO_IPV4, Filter.ETH_P_IP, 0,
                    FilterU32.options(farEnd(d, p), FLOWID, action)));
        }
        for (IpPrefix p : subnets.of(IpAddress.Family.IPV6)) {
            out.add(new Filter(vethIndex, hook, base + PRIO_IPV6, Filter.ETH_P_IPV6, 0,
                    FilterU32.options(farEnd(d, p), FLOWID, action)));
        }
        if (subnets.mode() == Subnets.Mode.UNSHAPED) {
            out.add(new Filter(vethIndex, hook, base + PRIO_ALL_AFTER_EXEMPTIONS, Filter.ETH_P_ALL, 0,
                    FilterU32.options(FilterU32Selector.matchAll(), FLOWID, redirect)));
        }
        return out;
    }

    /** The match on the far end's address: the destination of egress, the source of ingress. */
    private static FilterU32Selector farEnd(Direction d, IpPrefix p) {
        return d == Direction.EGRESS ? FilterU32Selector.destination(p) : FilterU32Selector.source(p);
    }

    /**
     * A rule in a line: {@code prio 1 protocol all match 00000000/00000000 at 0 -> redirect to bwe3f0a9c21b4d7}.
     * {@code target} names the redirect's device (null: its ifindex is shown).
     */
    static String describe(Filter f, String target) {
        StringBuilder sb = new StringBuilder("prio ").append(f.priority()).append(" protocol ").append(Filter.protocolName(f.protocol()));
        FilterU32Selector sel = FilterU32.KIND.name().equals(f.kind()) ? f.get(FilterU32.SELECTOR) : null;
        if (sel == null) {
            sb.append(' ').append(f.kind());
        } else {
            for (FilterU32Selector.Key k : sel.keys()) {
                sb.append(' ').append(k);
            }
        }
        int to = redirectTarget(f);
        if (to != 0) {
            sb.append(" -> redirect to ").append(target != null ? target : "index " + to);
        } else {
            sb.append(" -> pass");
        }
        return sb.toString();
    }

    /** The ifindex a rule's mirred action sends to, or 0 for a rule without one. */
    static int redirectTarget(Filter f) {
        if (!FilterU32.KIND.name().equals(f.kind())) {
            return 0;
        }
        List<TcOptions> actions = f.get(FilterU32.ACTIONS);
        if (actions == null) {
            return 0;
        }
        for (TcOptions a : actions) {
            if (a.kind() == ActionMirred.KIND) {
                Integer target = a.get(ActionMirred.TARGET);
                if (target != null) {
                    return target;
                }
            }
        }
        return 0;
    }
}
