package dev.jcni.core.os.netlink;

import static dev.jcni.core.os.netlink.TcGolden.assertBytes;
import static dev.jcni.core.os.netlink.TcGolden.load;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.net.IpPrefix;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Kernel dumps captured from kernel 6.18 (resources tc-dump-*.hex; the namespace's state is in
 * tc-dump-state.txt as {@code tc -d -raw} printed it), fed through the real clients: the dump
 * requests must be tc's, and every value must read back as tc shows it.
 */
class TcDumpDecodeTest {
    private static final Psched CLOCK = Psched.standard();
    private final FakeTransport kernel = new FakeTransport();

    /** A socket whose kernel answers the golden dump request with the golden datagram and DONE. */
    private RtNetlink answering(String dump) {
        byte[] datagram = load(dump);
        byte[] request = load(dump + "-request");
        int off = 0;
        while (off + 16 <= datagram.length) {
            HostOrder.putI32(datagram, off + 8, FakeTransport.SEQ);
            off += NetlinkConstants.align(HostOrder.i32(datagram, off));
        }
        kernel.answer(datagram, FakeTransport.done(0));
        return new RtNetlink(kernel, TcGolden.seq(request));
    }

    private void assertRequestWas(String dump) {
        assertBytes(load(dump + "-request"), kernel.sent.get(0));
    }

    @Test
    void aTbfWithAPeakRate() throws Exception {
        // qdisc tbf 1: dev va root rate 1Mbit burst 12500b/1 mpu 0b [0017d784] peakrate 10Gbit mtu 2500b/1 mpu 0b [00000025]
        //   lat 21.1ms limit 15140b linklayer ethernet (tc-dump-state-peak.txt)
        List<Qdisc> all = new Qdiscs(answering("tc-dump-qdisc-peak"), CLOCK).list(3);
        assertRequestWas("tc-dump-qdisc-peak");
        assertEquals(1, all.size(), all.toString());
        Qdisc tbf = all.get(0);
        assertEquals(1_250_000_000L, tbf.get(QdiscTbf.PEAKRATE));
        assertEquals(37L, tbf.get(QdiscTbf.MTU), "the peak bucket in ticks: 3028 B at 1.25e9 B/s is 2422 ns");
        assertEquals(1_562_500L, tbf.get(QdiscTbf.BUFFER));
        // 37 ticks = 2.368 us at 1.25e9 B/s: 2960 bytes (tc 6.1 prints 2500b, truncating to 2 us).
        assertEquals(2960L, tbf.get(QdiscTbf.PBURST));
        TcOptions wanted = QdiscTbf.options(125_000, 12_500, 15_140)
                .with(QdiscTbf.PEAKRATE, 1_250_000_000L).with(QdiscTbf.PBURST, 3028L);
        assertEquals(List.of(), Qdisc.root(3, 1, wanted).differences(tbf, CLOCK));
        TcOptions asTcSetIt = wanted.with(QdiscTbf.MPU, 0).with(QdiscTbf.OVERHEAD, 0).with(QdiscTbf.LINKLAYER, TcLinkLayer.ETHERNET);
        assertEquals(tbf.options(), QdiscTbf.reported(asTcSetIt, CLOCK), "what a fake kernel reports is what this one did");
        List<String> drift = Qdisc.root(3, 1, wanted.with(QdiscTbf.PBURST, 9000L).with(QdiscTbf.PEAKRATE, 2_500_000_000L))
                .differences(tbf, CLOCK);
        assertEquals(2, drift.size(), drift.toString());
        assertTrue(drift.get(0).startsWith("peakrate 2500000000 (kernel: peakrate 1250000000)"), drift.toString());
        assertTrue(drift.get(1).startsWith("pburst 9000 = 56 ticks (kernel: 37 ticks"), drift.toString());
    }

    @Test
    void aTbfWithoutAPeakRateReportsNone() throws Exception {
        Qdisc tbf = new Qdiscs(answering("tc-dump-qdisc"), CLOCK).list(3).get(0);
        assertEquals("tbf", tbf.kind());
        assertNull(tbf.get(QdiscTbf.PEAKRATE));
        assertNull(tbf.get(QdiscTbf.PBURST));
        List<String> drift = Qdisc.root(3, 1, tbf.options().with(QdiscTbf.PEAKRATE, 100_000_000L).with(QdiscTbf.PBURST, 3028L))
                .differences(tbf, CLOCK);
        assertEquals(List.of("peakrate 100000000 (kernel: not set)", "pburst 3028 = 473 ticks (kernel: no peakrate)"), drift);
    }

    @Test
    void qdiscs() throws Exception {
        List<Qdisc> all = new Qdiscs(answering("tc-dump-qdisc"), CLOCK).list();
        assertRequestWas("tc-dump-qdisc");
        assertEquals(8, all.size(), all.toString());

        Qdisc lo = all.get(0);
        assertEquals("noqueue", lo.kind());
        assertEquals(1, lo.ifindex());
        assertEquals(TcHandle.UNSPEC, lo.handle());
        assertEquals(TcHandle.ROOT, lo.parent());

        // qdisc tbf 5: dev vb root rate 40Gbit burst 295000b/1 mpu 64b [000003a9] limit 400000b overhead 14
        Qdisc tbf64 = all.get(1);
        assertEquals(2, tbf64.ifindex());
        assertEquals(TcHandle.qdisc(5), tbf64.handle());
        assertEquals(5_000_000_000L, tbf64.get(QdiscTbf.RATE), "RATE64 beats the struct's ~0");
        assertEquals(937L, tbf64.get(QdiscTbf.BUFFER));
        assertEquals(400_000L, tbf64.get(QdiscTbf.LIMIT));
        assertEquals(64, tbf64.get(QdiscTbf.MPU));
        assertEquals(14, tbf64.get(QdiscTbf.OVERHEAD));
        assertEquals(TcLinkLayer.ETHERNET, tbf64.get(QdiscTbf.LINKLAYER));
        // tc 6.1 prints 295000b (it truncates 59.97 us to 59); 937 ticks are 299840 bytes at 5e9 B/s.
        assertEquals(299_840L, tbf64.get(QdiscTbf.BURST));

        assertEquals(new Qdisc(2, TcHandle.INGRESS_QDISC, TcHandle.INGRESS, TcOptions.of(QdiscIngress.CLSACT)), all.get(2));

        // qdisc tbf 1: dev va root rate 10Mbit burst 125000b/1 [0017d784] lat 25ms limit 156250b linklayer ethernet
        Qdisc tbf = all.get(3);
        assertEquals(new Qdisc(3, TcHandle.qdisc(1), TcHandle.ROOT, TcOptions.of(QdiscTbf.KIND)
                .with(QdiscTbf.RATE, 1_250_000L).with(QdiscTbf.BURST, 125_000L).with(QdiscTbf.LIMIT, 156_250L)
                .with(QdiscTbf.MPU, 0).with(QdiscTbf.OVERHEAD, 0).with(QdiscTbf.LINKLAYER, TcLinkLayer.ETHERNET)
                .with(QdiscTbf.BUFFER, 1_562_500L)), tbf);
        assertEquals(25_000.0, QdiscTbf.latencyMicros(1_250_000, 156_250, 1_562_500, CLOCK), 1e-9);
        assertEquals(tbf.options(), QdiscTbf.reported(QdiscTbf.options(1_250_000, 125_000, 156_250).with(QdiscTbf.MPU, 0)
                .with(QdiscTbf.OVERHEAD, 0).with(QdiscTbf.LINKLAYER, TcLinkLayer.ETHERNET), CLOCK));
        assertEquals(tbf64.options(), QdiscTbf.reported(QdiscTbf.options(5_000_000_000L, 300_000, 400_000).with(QdiscTbf.MPU, 64)
                .with(QdiscTbf.OVERHEAD, 14).with(QdiscTbf.LINKLAYER, TcLinkLayer.ETHERNET), CLOCK), "burst read back as 299840");

        assertEquals(QdiscIngress.ingress(3), all.get(4));

        // qdisc htb 1: dev ifbx root r2q 10 default 0x30 direct_packets_stat 0 direct_qlen 32
        Qdisc htb = all.get(5);
        assertEquals(TcOptions.of(QdiscHtb.KIND).with(QdiscHtb.R2Q, 10L).with(QdiscHtb.DEFAULT_CLASS, 0x30L)
                .with(QdiscHtb.DIRECT_QLEN, 32L).with(QdiscHtb.DIRECT_PACKETS, 0L), htb.options());
        assertEquals(new Qdisc(4, TcHandle.qdisc(2), TcHandle.of(1, 2), QdiscFifo.bytes(30_000)), all.get(6));
        assertEquals(new Qdisc(4, TcHandle.qdisc(0x30), TcHandle.of(1, 0x30), QdiscFifo.packets(100)), all.get(7));
    }

    @Test
    void qdiscsOfOneDeviceAreFilteredHere() throws Exception {
        // The kernel ignores tcm_ifindex in qdisc dumps: the datagram holds every device's.
        List<Qdisc> va = new Qdiscs(answering("tc-dump-qdisc"), CLOCK).list(3);
        assertEquals(List.of("tbf", "ingress"), List.of(va.get(0).kind(), va.get(1).kind()));
        assertEquals(2, va.size());
    }

    @Test
    void wantedObjectsMatchWhatTheKernelReports() throws Exception {
        List<Qdisc> all = new Qdiscs(answering("tc-dump-qdisc"), CLOCK).list();
        Qdisc wanted = Qdisc.root(3, 1, QdiscTbf.options(1_250_000, 125_000, 156_250));
        assertEquals(List.of(), wanted.differences(all.get(3), CLOCK));
        Qdisc wanted64 = Qdisc.root(2, 5, QdiscTbf.options(5_000_000_000L, 300_000, 400_000)
                .with(QdiscTbf.MPU, 64).with(QdiscTbf.OVERHEAD, 14));
        assertEquals(List.of(), wanted64.differences(all.get(1), CLOCK), "the kernel's ticks for 300000 B are 937");
        assertEquals(List.of("burst 125001 = 1562512 ticks (kernel: 1562500 ticks, burst 125000)"),
                Qdisc.root(3, 1, QdiscTbf.options(1_250_000, 125_001, 156_250)).differences(all.get(3), CLOCK));
        assertEquals(List.of("kind htb (kernel: tbf)"),
                Qdisc.root(3, 1, QdiscHtb.options(0x30)).differences(all.get(3), CLOCK));
    }

    @Test
    void htbClasses() throws Exception {
        List<TcClass> classes = new TcClasses(answering("tc-dump-class"), CLOCK).list(4);
        assertRequestWas("tc-dump-class");
        assertEquals(3, classes.size());
        // class htb 1:1 root rate 100Mbit ceil 100Mbit burst 12500b cburst 12500b level 7 buffer [00003d09]
        TcClass inner = classes.get(0);
        assertEquals(TcHandle.of(1, 1), inner.classId());
        assertEquals(TcHandle.ROOT, inner.parent());
        assertEquals(TcHandle.UNSPEC, inner.leaf());
        assertEquals(12_500_000L, inner.get(QdiscHtbClass.RATE));
        assertEquals(12_500_000L, inner.get(QdiscHtbClass.CEIL));
        assertEquals(12_500L, inner.get(QdiscHtbClass.BURST));
        assertEquals(15_625L, inner.get(QdiscHtbClass.BUFFER));
        assertEquals(7L, inner.get(QdiscHtbClass.LEVEL));
        TcClass asAdded = new TcClass(4, TcHandle.of(1, 1), TcHandle.qdisc(1), QdiscHtbClass.options(12_500_000, 12_500_000,
                12_500, 60_000));
        assertEquals(List.of(), asAdded.differences(inner, CLOCK), "added under 1:, reported under root");
        assertEquals(List.of("parent 1:5 (kernel: root)"), new TcClass(4, TcHandle.of(1, 1), TcHandle.of(1, 5),
                QdiscHtbClass.options(12_500_000, 12_500_000, 12_500, 60_000)).differences(inner, CLOCK));
        // class htb 1:2 root leaf 2: quantum 200000 rate 100Gbit ceil 100Gbit burst 125000000b
        TcClass fast = classes.get(1);
        assertEquals(TcHandle.qdisc(2), fast.leaf());
        assertEquals(12_500_000_000L, fast.get(QdiscHtbClass.RATE));
        assertEquals(12_500_000_000L, fast.get(QdiscHtbClass.CEIL));
        assertEquals(125_000_000L, fast.get(QdiscHtbClass.BURST));
        assertEquals(200_000L, fast.get(QdiscHtbClass.QUANTUM));
        assertEquals(0L, fast.get(QdiscHtbClass.LEVEL));
        // class htb 1:30 parent 1:1 leaf 30: prio 0 quantum 3000 rate 5Mbit ceil 5Mbit burst 20000b (after the replace)
        TcClass leaf = classes.get(2);
        assertEquals(TcHandle.of(1, 1), leaf.parent());
        assertEquals(TcHandle.qdisc(0x30), leaf.leaf());
        assertEquals(List.of(), new TcClass(4, TcHandle.of(1, 0x30), TcHandle.of(1, 1),
                QdiscHtbClass.options(625_000, 625_000, 20_000, 3000).with(QdiscHtbClass.PRIO, 0L)).differences(leaf, CLOCK));
        assertEquals(List.of("prio 1 (kernel: prio 0)"), new TcClass(4, TcHandle.of(1, 0x30), TcHandle.of(1, 1),
                QdiscHtbClass.options(625_000, 625_000, 20_000, 3000).with(QdiscHtbClass.PRIO, 1L)).differences(leaf, CLOCK),
                "the replace sent prio 0");
    }

    @Test
    void ingressRedirectRule() throws Exception {
        List<Filter> rules = new Filters(answering("tc-dump-filter-va"), CLOCK).list(3, TcHandle.CLSACT_INGRESS);
        assertRequestWas("tc-dump-filter-va");
        assertEquals(1, rules.size(), "the classifier and its hash table 800: are no rules: " + rules);
        Filter f = rules.get(0);
        assertEquals(TcHandle.INGRESS_QDISC, f.parent());
        assertEquals(1, f.priority());
        assertEquals(Filter.ETH_P_ALL, f.protocol());
        assertEquals("800::800", FilterU32.formatHandle(f.handle()));
        assertEquals(TcHandle.of(1, 1), f.get(FilterU32.CLASSID));
        assertEquals(FilterU32Selector.matchAll(), f.get(FilterU32.SELECTOR));
        // action order 1: mirred (Egress Redirect to device vb) stolen, index 2 (vb is index 2, after the replace)
        TcOptions mirred = f.get(FilterU32.ACTIONS).get(0);
        assertEquals(1, f.get(FilterU32.ACTIONS).size());
        assertEquals(TcOptions.of(ActionMirred.KIND).with(ActionMirred.MODE, ActionMirred.Mode.EGRESS_REDIRECT)
                .with(ActionMirred.TARGET, 2).with(ActionMirred.VERDICT, TcActions.TC_ACT_STOLEN)
                .with(ActionMirred.INDEX, 2), mirred);
        Filter wanted = new Filter(3, TcHandle.INGRESS_QDISC, 1, Filter.ETH_P_ALL, 0,
                FilterU32.options(FilterU32Selector.matchAll(), TcHandle.of(1, 1), List.of(ActionMirred.redirect(2))));
        assertEquals(List.of(), wanted.differences(f, CLOCK));
        assertEquals(List.of("actions [mirred{egress redirect, dev index 4}] (kernel: actions [mirred{egress redirect, "
                + "dev index 2, stolen, index 2}])"), new Filter(3, TcHandle.INGRESS_QDISC, 1, Filter.ETH_P_ALL, 0,
                FilterU32.options(FilterU32Selector.matchAll(), TcHandle.of(1, 1), List.of(ActionMirred.redirect(4))))
                .differences(f, CLOCK));
    }

    @Test
    void clsactMirrorRuleWithoutClassId() throws Exception {
        List<Filter> rules = new Filters(answering("tc-dump-filter-vb"), CLOCK).list(2, TcHandle.CLSACT_INGRESS);
        assertRequestWas("tc-dump-filter-vb");
        Filter f = rules.get(0);
        assertEquals(TcHandle.CLSACT_INGRESS, f.parent());
        assertNull(f.get(FilterU32.CLASSID));
        assertEquals(List.of(), new Filter(2, TcHandle.CLSACT_INGRESS, 2, Filter.ETH_P_ALL, 0,
                FilterU32.options(FilterU32Selector.matchAll(), null, List.of(ActionMirred.mirror(4)))).differences(f, CLOCK));
        assertEquals(TcActions.TC_ACT_PIPE, f.get(FilterU32.ACTIONS).get(0).get(ActionMirred.VERDICT));
    }

    @Test
    void subnetRules() throws Exception {
        List<Filter> rules = new Filters(answering("tc-dump-filter-ifbx"), CLOCK).list(4, TcHandle.UNSPEC);
        assertRequestWas("tc-dump-filter-ifbx");
        // prio 19 lost its only rule to the golden delete; its hash table alone is no rule.
        assertEquals(4, rules.size(), rules.toString());
        TcHandle htb = TcHandle.qdisc(1);
        assertNoDifferences(new Filter(4, htb, 15, Filter.ETH_P_IPV6, 0, FilterU32.options(
                FilterU32Selector.destination(IpPrefix.parse("2001:db8:1::/48")), TcHandle.of(1, 2), null)), rules.get(0));
        assertEquals("801::800", FilterU32.formatHandle(rules.get(0).handle()));
        assertNoDifferences(new Filter(4, htb, 16, Filter.ETH_P_IP, 0, FilterU32.options(
                FilterU32Selector.destination(IpPrefix.parse("10.1.2.0/24")), TcHandle.of(1, 2), null)), rules.get(1));
        assertNoDifferences(new Filter(4, htb, 17, Filter.ETH_P_IP, 0, FilterU32.options(
                FilterU32Selector.source(IpPrefix.parse("192.168.7.9/32")), TcHandle.of(1, 0x30), null)), rules.get(2));
        assertNoDifferences(new Filter(4, htb, 18, Filter.ETH_P_IPV6, 0, FilterU32.options(
                FilterU32Selector.source(IpPrefix.parse("fd00:1:2:3:4:5:6:0/113")), TcHandle.of(1, 0x30), null)), rules.get(3));
        assertEquals("[match fd000001/ffffffff at 8, match 00020003/ffffffff at 12, match 00040005/ffffffff at 16, "
                + "match 00060000/ffff8000 at 20]", rules.get(3).get(FilterU32.SELECTOR).toString());
        List<String> other = new Filter(4, htb, 16, Filter.ETH_P_IP, 0, FilterU32.options(
                FilterU32Selector.destination(IpPrefix.parse("10.1.3.0/24")), TcHandle.of(1, 2), null)).differences(rules.get(1), CLOCK);
        assertEquals(1, other.size());
        assertTrue(other.get(0).startsWith("match [match 0a010300/ffffff00 at 16]"), other.get(0));
    }

    private static void assertNoDifferences(Filter wanted, Filter actual) {
        assertEquals(List.of(), wanted.differences(actual, CLOCK), actual.toString());
    }
}
