package dev.jcni.core.os.netlink;

import static dev.jcni.core.os.netlink.TcGolden.assertBytes;
import static dev.jcni.core.os.netlink.TcGolden.load;

import dev.jcni.core.net.IpPrefix;
import java.util.List;
import org.junit.jupiter.api.Test;

/** u32 filter requests byte for byte against tc's (va=3, vb=2, ifbx=4); nothing stripped. */
class FilterRequestGoldenTest {
    private static final Psched CLOCK = Psched.standard();
    private static final TcHandle HTB = TcHandle.qdisc(1);
    private final FakeTransport kernel = new FakeTransport();

    private Filters filters(byte[] golden) {
        return new Filters(TcGolden.acking(kernel, golden, 1), CLOCK);
    }

    private void add(String name, Filter f) throws Exception {
        byte[] golden = load(name);
        filters(golden).add(f);
        assertBytes(golden, kernel.sent.get(0));
    }

    private static Filter subnet(int priority, int protocol, FilterU32Selector selector, int classMinor) {
        return new Filter(4, HTB, priority, protocol, 0, FilterU32.options(selector, TcHandle.of(1, classMinor), null));
    }

    @Test
    void matchAllRedirectToIfb() throws Exception {
        // tc filter add dev va parent ffff: protocol all prio 1 u32 match u32 0 0 flowid 1:1 action mirred egress redirect dev ifbx
        add("tc-u32-mirred-redirect", new Filter(3, TcHandle.INGRESS_QDISC, 1, Filter.ETH_P_ALL, 0,
                FilterU32.options(FilterU32Selector.matchAll(), TcHandle.of(1, 1), List.of(ActionMirred.redirect(4)))));
    }

    @Test
    void mirrorOnClsactIngressWithoutClassId() throws Exception {
        // tc filter add dev vb parent ffff:fff2 protocol all prio 2 u32 match u32 0 0 action mirred egress mirror dev ifbx
        add("tc-u32-mirred-mirror", new Filter(2, TcHandle.CLSACT_INGRESS, 2, Filter.ETH_P_ALL, 0,
                FilterU32.options(FilterU32Selector.matchAll(), null, List.of(ActionMirred.mirror(4)))));
    }

    @Test
    void ipv4Prefixes() throws Exception {
        // tc filter add dev ifbx parent 1: protocol ip prio 16 u32 match ip dst 10.1.2.0/24 flowid 1:2
        add("tc-u32-ip-dst", subnet(16, Filter.ETH_P_IP, FilterU32Selector.destination(IpPrefix.parse("10.1.2.0/24")), 2));
    }

    @Test
    void ipv4HostSource() throws Exception {
        // tc filter add dev ifbx parent 1: protocol ip prio 17 u32 match ip src 192.168.7.9/32 flowid 1:30
        add("tc-u32-ip-src", subnet(17, Filter.ETH_P_IP, FilterU32Selector.source(IpPrefix.parse("192.168.7.9/32")), 0x30));
    }

    @Test
    void ipv4Everything() throws Exception {
        // tc filter add dev ifbx parent 1: protocol ip prio 19 u32 match ip dst 0.0.0.0/0 flowid 1:30
        add("tc-u32-ip-any", subnet(19, Filter.ETH_P_IP, FilterU32Selector.destination(IpPrefix.parse("0.0.0.0/0")), 0x30));
    }

    @Test
    void ipv6Prefixes() throws Exception {
        // tc filter add dev ifbx parent 1: protocol ipv6 prio 15 u32 match ip6 dst 2001:db8:1::/48 flowid 1:2
        add("tc-u32-ip6-dst", subnet(15, Filter.ETH_P_IPV6, FilterU32Selector.destination(IpPrefix.parse("2001:db8:1::/48")), 2));
    }

    @Test
    void ipv6SourceEndingInsideAWord() throws Exception {
        // tc filter add dev ifbx parent 1: protocol ipv6 prio 18 u32 match ip6 src fd00:1:2:3:4:5:6:0/113 flowid 1:30
        add("tc-u32-ip6-src", subnet(18, Filter.ETH_P_IPV6,
                FilterU32Selector.source(IpPrefix.parse("fd00:1:2:3:4:5:6:0/113")), 0x30));
    }

    @Test
    void ipv6EverythingHasNoKeys() throws Exception {
        // tc filter add dev ifbx parent 1: protocol ipv6 prio 20 u32 match ip6 dst ::/0 flowid 1:30
        add("tc-u32-ip6-any", subnet(20, Filter.ETH_P_IPV6, FilterU32Selector.destination(IpPrefix.parse("::/0")), 0x30));
    }

    @Test
    void replaceByHandle() throws Exception {
        // tc filter replace dev va parent ffff: protocol all prio 1 handle 800::800 u32 match u32 0 0 flowid 1:1 action mirred egress redirect dev vb
        byte[] golden = load("tc-u32-replace");
        filters(golden).replace(new Filter(3, TcHandle.INGRESS_QDISC, 1, Filter.ETH_P_ALL, FilterU32.handle(0x800, 0, 0x800),
                FilterU32.options(FilterU32Selector.matchAll(), TcHandle.of(1, 1), List.of(ActionMirred.redirect(2)))));
        assertBytes(golden, kernel.sent.get(0));
    }

    @Test
    void deleteOneRuleByHandle() throws Exception {
        // tc filter del dev ifbx parent 1: protocol ip prio 19 handle 804::800 u32
        byte[] golden = load("tc-filter-del-handle");
        filters(golden).delete(new Filter(4, HTB, 19, Filter.ETH_P_IP, FilterU32.handle(0x804, 0, 0x800),
                TcOptions.of(FilterU32.KIND)));
        assertBytes(golden, kernel.sent.get(0));
    }

    @Test
    void deleteAWholePriority() throws Exception {
        // tc filter del dev ifbx parent 1: protocol ipv6 prio 20
        byte[] golden = load("tc-filter-del-prio");
        filters(golden).deletePriority(4, HTB, 20, Filter.ETH_P_IPV6);
        assertBytes(golden, kernel.sent.get(0));
    }
}
