package dev.jcni.bandwidth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jcni.core.net.IpPrefix;
import dev.jcni.core.os.netlink.ActionMirred;
import dev.jcni.core.os.netlink.Filter;
import dev.jcni.core.os.netlink.FilterU32;
import dev.jcni.core.os.netlink.FilterU32Selector;
import dev.jcni.core.os.netlink.TcHandle;
import java.util.List;
import org.junit.jupiter.api.Test;

class SteeringTest {
    private static final int VETH = 7;
    private static final int IFB = 9;

    private static Subnets subnets(Subnets.Mode mode, String... cidrs) throws Exception {
        List<IpPrefix> p = new java.util.ArrayList<>();
        for (String c : cidrs) {
            p.add(IpPrefix.parse(c));
        }
        return Subnets.of(mode, p);
    }

    private static Filter rule(TcHandle hook, int prio, int protocol, FilterU32Selector sel, boolean redirect) {
        return new Filter(VETH, hook, prio, protocol, 0,
                FilterU32.options(sel, TcHandle.of(1, 1), redirect ? List.of(ActionMirred.redirect(IFB)) : null));
    }

    @Test
    void allTrafficOfEgressIsOneMatchAllRedirectOnTheIngressHook() {
        assertEquals(List.of(rule(TcHandle.CLSACT_INGRESS, 1, Filter.ETH_P_ALL, FilterU32Selector.matchAll(), true)),
                Steering.rules(VETH, Direction.EGRESS, Subnets.ALL, IFB));
    }

    @Test
    void unshapedSubnetsPassBeforeTheRedirectAndMatchTheFarEnd() throws Exception {
        Subnets s = subnets(Subnets.Mode.UNSHAPED, "10.1.0.0/16", "fd00:1::/48", "192.168.7.0/24");
        TcHandle in = TcHandle.CLSACT_INGRESS;
        assertEquals(List.of(
                rule(in, 1, Filter.ETH_P_IP, FilterU32Selector.destination(IpPrefix.parse("10.1.0.0/16")), false),
                rule(in, 1, Filter.ETH_P_IP, FilterU32Selector.destination(IpPrefix.parse("192.168.7.0/24")), false),
                rule(in, 2, Filter.ETH_P_IPV6, FilterU32Selector.destination(IpPrefix.parse("fd00:1::/48")), false),
                rule(in, 3, Filter.ETH_P_ALL, FilterU32Selector.matchAll(), true)),
                Steering.rules(VETH, Direction.EGRESS, s, IFB));
        // Ingress is classified where it leaves the veth, by source, three priorities higher.
        TcHandle out = TcHandle.CLSACT_EGRESS;
        assertEquals(List.of(
                rule(out, 4, Filter.ETH_P_IP, FilterU32Selector.source(IpPrefix.parse("10.1.0.0/16")), false),
                rule(out, 4, Filter.ETH_P_IP, FilterU32Selector.source(IpPrefix.parse("192.168.7.0/24")), false),
                rule(out, 5, Filter.ETH_P_IPV6, FilterU32Selector.source(IpPrefix.parse("fd00:1::/48")), false),
                rule(out, 6, Filter.ETH_P_ALL, FilterU32Selector.matchAll(), true)),
                Steering.rules(VETH, Direction.INGRESS, s, IFB));
    }

    @Test
    void shapedSubnetsRedirectAndNothingElseDoes() throws Exception {
        Subnets s = subnets(Subnets.Mode.SHAPED, "203.0.113.0/24");
        assertEquals(List.of(rule(TcHandle.CLSACT_INGRESS, 1, Filter.ETH_P_IP,
                FilterU32Selector.destination(IpPrefix.parse("203.0.113.0/24")), true)),
                Steering.rules(VETH, Direction.EGRESS, s, IFB));
    }

    @Test
    void describeAndRedirectTarget() throws Exception {
        List<Filter> rules = Steering.rules(VETH, Direction.EGRESS, subnets(Subnets.Mode.UNSHAPED, "10.1.0.0/16"), IFB);
        assertEquals(0, Steering.redirectTarget(rules.get(0)));
        assertEquals(IFB, Steering.redirectTarget(rules.get(1)));
        assertEquals("prio 1 protocol ip match 0a010000/ffff0000 at 16 -> pass", Steering.describe(rules.get(0), null));
        assertEquals("prio 3 protocol all match 00000000/00000000 at 0 -> redirect to bwe1", Steering.describe(rules.get(1), "bwe1"));
        assertEquals("prio 3 protocol all match 00000000/00000000 at 0 -> redirect to index 9", Steering.describe(rules.get(1), null));
    }

    @Test
    void hooks() {
        assertEquals(TcHandle.CLSACT_INGRESS, Steering.hook(Direction.EGRESS));
        assertEquals(TcHandle.CLSACT_EGRESS, Steering.hook(Direction.INGRESS));
    }
}
