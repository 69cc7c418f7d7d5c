package dev.jcni.bandwidth;

import dev.jcni.core.testing.CapturedLog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netlink.ActionMirred;
import dev.jcni.core.os.netlink.Filter;
import dev.jcni.core.os.netlink.FilterU32;
import dev.jcni.core.os.netlink.FilterU32Selector;
import dev.jcni.core.os.netlink.LinkAttribute;
import dev.jcni.core.os.netlink.LinkInfo;
import dev.jcni.core.os.netlink.Qdisc;
import dev.jcni.core.os.netlink.QdiscIngress;
import dev.jcni.core.os.netlink.QdiscTbf;
import dev.jcni.core.os.netlink.TcHandle;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Result;
import dev.jcni.core.skel.Command;
import dev.jcni.core.skel.Invocation;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The verbs on an in-memory host: what they make, compare and remove, and that a failed ADD leaves nothing. */
class BandwidthPluginTest {
    static final String BOTH = "\"ingressRate\":10000000,\"ingressBurst\":1000000,\"egressRate\":20000000,\"egressBurst\":2000000";
    static final String UNSHAPED = BOTH + ",\"unshapedSubnets\":[\"10.1.0.0/16\",\"fd00:1::/48\"]";

    FakeHost host;
    LinkInfo veth;
    BandwidthPlugin plugin;
    final Attachment attachment = new Attachment("net1", Requests.CONTAINER, "eth0");

    @BeforeEach
    void setUp() {
        host = new FakeHost();
        veth = host.addVeth("veth1", Requests.NETNS, "eth0", 1400);
        plugin = new BandwidthPlugin(() -> {
            host.opened++;
            return host;
        });
    }

    private Result add(String keys) throws Exception {
        return plugin.add(Requests.invocation(Command.ADD, Requests.conf(keys)));
    }

    private void check(String keys) throws Exception {
        plugin.check(Requests.invocation(Command.CHECK, Requests.conf(keys)));
    }

    private void del(String keys) throws Exception {
        plugin.del(Requests.invocation(Command.DEL, Requests.conf(keys)));
    }

    private String egressIfb() {
        return attachment.ifbName(Direction.EGRESS);
    }

    private String ingressIfb() {
        return attachment.ifbName(Direction.INGRESS);
    }

    @Test
    void addShapesIngressAtTheVethAndEgressThroughAnIfb() throws Exception {
        Result r = add(BOTH);
        assertEquals(2, r.interfaces().size());
        LinkInfo ifb = host.linkOrNull(egressIfb());
        assertEquals(new Result.Interface(egressIfb(), ifb.get(LinkAttribute.MAC).toString(), null, null, null, null),
                r.interfaces().get(1), "the ifb is added to the result, without a sandbox");
        assertEquals("ifb", ifb.kind());
        assertEquals(1400, ifb.get(LinkAttribute.MTU), "the veth's MTU");
        assertTrue(ifb.get(LinkAttribute.UP));
        assertTrue(attachment.owns(ifb.get(LinkAttribute.ALIAS)));

        Qdisc ingress = host.qdiscOrNull(veth.index(), TcHandle.ROOT);
        assertEquals(TcHandle.qdisc(1), ingress.handle());
        assertEquals(1_250_000L, ingress.get(QdiscTbf.RATE));
        assertEquals(125_000L, ingress.get(QdiscTbf.BURST));
        assertEquals(8_484L, ingress.get(QdiscTbf.LIMIT), "6 frames of 1414 bytes: 1400 mtu + 14");
        Qdisc egress = host.qdiscOrNull(ifb.index(), TcHandle.ROOT);
        assertEquals(2_500_000L, egress.get(QdiscTbf.RATE));
        assertEquals(12_500L, egress.get(QdiscTbf.LIMIT), "5 ms at 20 Mbit/s");

        assertEquals("clsact", host.qdiscOrNull(veth.index(), TcHandle.INGRESS).kind());
        List<Filter> rules = host.filtersAt(veth.index(), TcHandle.CLSACT_INGRESS);
        assertEquals(1, rules.size());
        assertEquals(List.of(), new Filter(veth.index(), TcHandle.CLSACT_INGRESS, 1, Filter.ETH_P_ALL, 0,
                FilterU32.options(FilterU32Selector.matchAll(), TcHandle.of(1, 1), List.of(ActionMirred.redirect(ifb.index()))))
                .differences(rules.get(0), FakeHost.CLOCK));
        assertEquals(List.of(), host.filtersAt(veth.index(), TcHandle.CLSACT_EGRESS));
        assertNull(host.linkOrNull(ingressIfb()), "ingress needs no ifb without exemptions");
        assertTrue(host.closed, "the socket is closed");
    }

    @Test
    void ingressAloneIsOneTbf() throws Exception {
        Result r = add("\"ingressRate\":8000,\"ingressBurst\":80");
        assertEquals(1, r.interfaces().size(), "no ifb, nothing added to the result");
        assertEquals(List.of("add tbf on veth1"), host.changes);
        assertEquals(1000L, host.qdiscOrNull(veth.index(), TcHandle.ROOT).get(QdiscTbf.RATE));
    }

    @Test
    void egressAloneIsAnIfbAndTheRedirect() throws Exception {
        add("\"egressRate\":16,\"egressBurst\":8");
        assertEquals(List.of("create ifb " + egressIfb(), "add tbf on " + egressIfb(), "add clsact on veth1",
                "add filter prio 1 on veth1"), host.changes);
        assertNull(host.qdiscOrNull(veth.index(), TcHandle.ROOT));
    }

    @Test
    void exemptionsPutBothDirectionsBehindIfbsAndRules() throws Exception {
        Result r = add(UNSHAPED);
        assertEquals(List.of("eth0", egressIfb(), ingressIfb()), List.of(r.interfaces().get(0).name(),
                r.interfaces().get(1).name(), r.interfaces().get(2).name()));
        assertNull(host.qdiscOrNull(veth.index(), TcHandle.ROOT), "no TBF at the veth: exempt traffic meets no qdisc");
        assertEquals(1_250_000L, host.qdiscOrNull(host.linkOrNull(ingressIfb()).index(), TcHandle.ROOT).get(QdiscTbf.RATE));
        assertEquals(3, host.filtersAt(veth.index(), TcHandle.CLSACT_INGRESS).size());
        List<Filter> out = host.filtersAt(veth.index(), TcHandle.CLSACT_EGRESS);
        assertEquals(List.of(4, 5, 6), List.of(out.get(0).priority(), out.get(1).priority(), out.get(2).priority()));
        assertEquals(host.linkOrNull(ingressIfb()).index(), Steering.redirectTarget(out.get(2)));
    }

    @Test
    void shapedSubnetsRedirectOnlyThem() throws Exception {
        add("\"egressRate\":1000000,\"egressBurst\":100000,\"shapedSubnets\":[\"203.0.113.0/24\"]");
        List<Filter> rules = host.filtersAt(veth.index(), TcHandle.CLSACT_INGRESS);
        assertEquals(1, rules.size());
        assertEquals(Filter.ETH_P_IP, rules.get(0).protocol());
        assertEquals(host.linkOrNull(egressIfb()).index(), Steering.redirectTarget(rules.get(0)));
    }

    @Test
    void withoutRatesNothingIsTouched() throws Exception {
        Invocation inv = Requests.invocation(Command.ADD, Requests.conf("\"unshapedSubnets\":[\"10.0.0.0/8\"]"));
        Result r = plugin.add(inv);
        assertEquals(1, r.interfaces().size());
        assertEquals(0, host.opened, "the host is not even opened");
        plugin.check(Requests.invocation(Command.CHECK, Requests.conf("")));
        assertEquals(0, host.opened);
    }

    @Test
    void aChainedPluginNeedsAPreviousResult() throws Exception {
        String noPrev = "{\"cniVersion\":\"1.0.0\",\"name\":\"net1\",\"type\":\"bandwidth\"," + BOTH + "}";
        CniException add = assertThrows(CniException.class, () -> plugin.add(Requests.invocation(Command.ADD, noPrev)));
        assertEquals(CniException.INVALID_CONFIG, add.code());
        assertEquals("must be called as chained plugin", add.msg());
        CniException check = assertThrows(CniException.class, () -> plugin.check(Requests.invocation(Command.CHECK, noPrev)));
        assertEquals("must be called as a chained plugin", check.msg());
        assertEquals(0, host.opened);
    }

    @Test
    void everyWayOfNotFindingTheHostVethIsItsOwnError() throws Exception {
        Object[][] cases = {
            {HostVethException.Reason.NAMESPACE_GONE, CniException.INVALID_ENVIRONMENT, "fake: NAMESPACE_GONE"},
            {HostVethException.Reason.HOST_NAMESPACE, CniException.INVALID_NETNS, "fake: HOST_NAMESPACE"},
            {HostVethException.Reason.NO_INTERFACE, CniException.PLUGIN_FAILURE, "container interface eth1 not found"},
            {HostVethException.Reason.NOT_A_VETH, CniException.PLUGIN_FAILURE, "container interface eth1 has no veth peer"},
            {HostVethException.Reason.PEER_ELSEWHERE, CniException.PLUGIN_FAILURE,
                "veth peer of container interface eth1 is not in the host's namespace"}};
        String before = host.snapshot();
        for (Object[] c : cases) {
            host.noVeth(Requests.NETNS, "eth1", (HostVethException.Reason) c[0]);
            Invocation inv = Requests.invocation(Command.ADD, Requests.CONTAINER, Requests.NETNS, "eth1", Requests.conf(BOTH));
            CniException e = assertThrows(CniException.class, () -> plugin.add(inv));
            assertEquals((int) (Integer) c[1], e.code(), e.msg());
            assertEquals(c[2], e.msg());
            assertEquals(before, host.snapshot());
        }
    }

    @Test
    void aRepeatedAddChangesNothingAndAnswersTheSame() throws Exception {
        Result first = add(UNSHAPED);
        int changes = host.changes.size();
        Result second = add(UNSHAPED);
        assertEquals(first, second);
        assertEquals(changes, host.changes.size());
    }

    @Test
    void anAddOverOtherShapingFailsAndChangesNothing() throws Exception {
        add(BOTH);
        String before = host.snapshot();
        CniException e = assertThrows(CniException.class, () -> add(BOTH.replace("20000000", "30000000")));
        assertEquals(CniException.PLUGIN_FAILURE, e.code());
        assertTrue(e.msg().contains("is shaped already, not as configured"), e.msg());
        assertTrue(e.details().contains("rate 3750000 (kernel: rate 2500000)"), e.details());
        assertEquals(before, host.snapshot());
    }

    @Test
    void anIngressShaperThisConfigDoesNotSetBlocksTheAdd() throws Exception {
        add("\"ingressRate\":8000,\"ingressBurst\":800");
        String before = host.snapshot();
        CniException e = assertThrows(CniException.class, () -> add("\"egressRate\":8000,\"egressBurst\":800"));
        assertEquals(CniException.PLUGIN_FAILURE, e.code());
        assertTrue(e.details().contains("has a tbf at its root that this configuration does not set"), e.details());
        assertEquals(before, host.snapshot());
    }

    @Test
    void aLinkThatIsNotOursBlocksTheAdd() throws Exception {
        host.addLink(egressIfb(), "ifb", "someone else's");
        String before = host.snapshot();
        CniException e = assertThrows(CniException.class, () -> add(BOTH));
        assertTrue(e.details().contains("exists and is not this attachment's ifb"), e.details());
        assertEquals(before, host.snapshot());
    }

    @Test
    void anOwnLeftoverIfbIsReplaced() throws Exception {
        LinkInfo stale = host.addLink(egressIfb(), "ifb", attachment.alias());
        add(BOTH);
        assertEquals("delete link " + egressIfb(), host.changes.get(0));
        assertTrue(host.linkOrNull(egressIfb()).index() != stale.index());
    }

    @Test
    void aFailureAtAnyStepLeavesTheHostAsItWas() throws Exception {
        String[][] steps = {{"createIfb", "1"}, {"createIfb", "2"}, {"addQdisc", "1"}, {"addQdisc", "2"}, {"addQdisc", "3"},
            {"addFilter", "1"}, {"addFilter", "3"}, {"addFilter", "6"}};
        for (String[] step : steps) {
            setUp();
            String before = host.snapshot();
            host.failOn(step[0], Integer.parseInt(step[1]), OsException.fromErrno(step[0], Errno.ENOMEM));
            CniException e = assertThrows(CniException.class, () -> add(UNSHAPED), step[0] + " " + step[1]);
            assertEquals(CniException.PLUGIN_FAILURE, e.code());
            assertTrue(e.details().contains("ENOMEM"), e.details());
            assertEquals(before, host.snapshot(), "after " + step[0] + " #" + step[1] + " failed");
        }
        for (String[] step : new String[][] {{"addQdisc", "2"}, {"addQdisc", "3"}, {"addFilter", "1"}}) {
            setUp();
            String before = host.snapshot();
            host.failOn(step[0], Integer.parseInt(step[1]), OsException.fromErrno(step[0], Errno.EINVAL));
            assertThrows(CniException.class, () -> add(BOTH));
            assertEquals(before, host.snapshot(), "after " + step[0] + " #" + step[1] + " failed (no exemptions)");
        }
    }

    @Test
    void checkPassesOnWhatAddMade() throws Exception {
        for (String keys : new String[] {UNSHAPED, BOTH, "\"egressRate\":1000000,\"egressBurst\":100000,\"shapedSubnets\":[\"::/0\"]"}) {
            setUp();
            add(keys);
            check(keys);
        }
    }

    @Test
    void checkNamesEveryParameterThatDrifted() throws Exception {
        add(BOTH);
        int ifb = host.linkOrNull(egressIfb()).index();
        Qdisc tbf = host.qdiscOrNull(ifb, TcHandle.ROOT);
        host.replaceQdisc(new Qdisc(ifb, tbf.handle(), tbf.parent(), tbf.options().with(QdiscTbf.RATE, 625_000L)
                .with(QdiscTbf.LIMIT, 30_000L)));
        host.setUp(egressIfb(), false);
        CniException e = assertThrows(CniException.class, () -> check(BOTH));
        assertEquals(CniException.CHECK_DRIFT, e.code());
        assertEquals("bandwidth of ctr1/eth0 on net1 differs from its configuration", e.msg());
        assertTrue(e.details().contains("ifb " + egressIfb() + " root tbf: rate 2500000 (kernel: rate 625000)"), e.details());
        assertTrue(e.details().contains("root tbf: limit 12500 (kernel: limit 30000)"), e.details());
        assertTrue(e.details().contains("ifb " + egressIfb() + " is down"), e.details());
    }

    @Test
    void checkSeesMissingAndExtraRulesAndForeignIfbs() throws Exception {
        add(UNSHAPED);
        host.removeFilters(veth.index(), TcHandle.CLSACT_INGRESS);
        host.setAlias(ingressIfb(), "borrowed");
        host.setMtu(ingressIfb(), 9000);
        CniException e = assertThrows(CniException.class, () -> check(UNSHAPED));
        assertTrue(e.details().contains("ingress hook lacks the rule prio 1 protocol ip match 0a010000/ffff0000 at 16 -> pass"),
                e.details());
        assertTrue(e.details().contains("ingress hook lacks the rule prio 3 protocol all"), e.details());
        assertTrue(e.details().contains("has alias \"borrowed\", not this attachment's"), e.details());
        assertTrue(e.details().contains("has mtu 9000, the host veth 1400"), e.details());
        // A config asking for fewer exemptions than were made: the extra rule is drift too.
        CniException fewer = assertThrows(CniException.class, () -> check(BOTH + ",\"unshapedSubnets\":[\"10.1.0.0/16\"]"));
        assertTrue(fewer.details().contains("egress hook has a rule the configuration does not: prio 5 protocol ipv6"),
                fewer.details());
    }

    @Test
    void checkSeesAMissingIfbAndTbf() throws Exception {
        add(BOTH);
        host.deleteQdisc(veth.index(), TcHandle.ROOT);
        host.deleteLink(host.linkOrNull(egressIfb()).index());
        CniException e = assertThrows(CniException.class, () -> check(BOTH));
        assertTrue(e.details().contains("host veth veth1 has no tbf at its root"), e.details());
        assertTrue(e.details().contains("ifb " + egressIfb() + " (egress) does not exist"), e.details());
    }

    @Test
    void delRemovesEverythingAndTwiceIsFine() throws Exception {
        String before = host.snapshot();
        add(UNSHAPED);
        del("");
        assertEquals(before, host.snapshot());
        del("");
        assertEquals(before, host.snapshot());
    }

    @Test
    void delWithTheNamespaceGoneDeletesTheIfbs() throws Exception {
        add(BOTH);
        host.noVeth(Requests.NETNS, "eth0", HostVethException.Reason.NAMESPACE_GONE);
        del("\"ingressRate\":5");
        assertNull(host.linkOrNull(egressIfb()));
    }

    @Test
    void delNeedsNoValidRates() throws Exception {
        add(BOTH);
        del("\"ingressRate\":1000,\"unshapedSubnets\":[\"nonsense\"]");
        assertNull(host.linkOrNull(egressIfb()));
        assertNull(host.qdiscOrNull(veth.index(), TcHandle.ROOT));
    }

    @Test
    void delLeavesALinkThatIsNotOurs() throws Exception {
        host.addLink(egressIfb(), "dummy", null);
        host.addLink(ingressIfb(), "ifb", "someone else's");
        del("");
        assertNotNull(host.linkOrNull(egressIfb()));
        assertNotNull(host.linkOrNull(ingressIfb()));
    }

    @Test
    void delCleansUpAfterTheReferencePlugin() throws Exception {
        LinkInfo bwp = host.addLink(attachment.referenceIfbName(), "ifb", null);
        host.addQdisc(Qdisc.root(veth.index(), 1, QdiscTbf.options(1000, 10, 35)));
        host.addQdisc(QdiscIngress.ingress(veth.index()));
        host.addFilter(new Filter(veth.index(), TcHandle.INGRESS_QDISC, 1, Filter.ETH_P_ALL, 0, FilterU32.options(
                FilterU32Selector.matchAll(), TcHandle.of(1, 1), List.of(ActionMirred.redirect(bwp.index())))));
        del("");
        assertNull(host.linkOrNull(bwp.name()));
        assertNull(host.qdiscOrNull(veth.index(), TcHandle.INGRESS), "a redirect to a deleted ifb would drop everything");
        assertNull(host.qdiscOrNull(veth.index(), TcHandle.ROOT));
    }

    @Test
    void delKeepsAnotherClsactOfTheVeth() throws Exception {
        host.addQdisc(QdiscIngress.clsact(veth.index()));
        del("");
        assertEquals("clsact", host.qdiscOrNull(veth.index(), TcHandle.INGRESS).kind());
    }

    @Test
    void anIfbThatCannotBeDeletedFailsTheDelSoItIsRetried() throws Exception {
        add(BOTH);
        host.failOn("deleteLink", 1, OsException.fromErrno("RTM_DELLINK", Errno.EBUSY));
        CniException e = assertThrows(CniException.class, () -> del(""));
        assertEquals(CniException.PLUGIN_FAILURE, e.code());
        del("");
        assertNull(host.linkOrNull(egressIfb()));
    }

    @Test
    void gcDeletesOnlyThisNetworksStaleIfbs() throws Exception {
        Attachment valid = new Attachment("net1", "keep", "eth0");
        Attachment stale = new Attachment("net1", "gone", "eth0");
        Attachment other = new Attachment("net2", "gone", "eth0");
        host.addLink(valid.ifbName(Direction.EGRESS), "ifb", valid.alias());
        host.addLink(stale.ifbName(Direction.EGRESS), "ifb", stale.alias());
        host.addLink(stale.ifbName(Direction.INGRESS), "ifb", stale.alias());
        host.addLink(other.ifbName(Direction.EGRESS), "ifb", other.alias());
        host.addLink("bwe0123456789ab", "ifb", null);
        host.addLink("bwe0123456789ac", "ifb", stale.alias()); // an alias copied onto another name
        host.addLink(stale.referenceIfbName(), "ifb", null);
        host.addLink("dummy0", "dummy", stale.alias());
        String gc = "{\"cniVersion\":\"1.1.0\",\"name\":\"net1\",\"type\":\"bandwidth\","
                + "\"cni.dev/valid-attachments\":[{\"containerID\":\"keep\",\"ifname\":\"eth0\"}]}";
        plugin.gc(Requests.invocation(Command.GC, "", "", "", gc));
        assertEquals(List.of("delete link " + stale.ifbName(Direction.EGRESS), "delete link " + stale.ifbName(Direction.INGRESS)),
                host.changes);
    }

    @Test
    void gcWithoutAListTakesEveryAttachmentAsStale() throws Exception {
        Attachment a = new Attachment("net1", "a", "eth0");
        host.addLink(a.ifbName(Direction.EGRESS), "ifb", a.alias());
        plugin.gc(Requests.invocation(Command.GC, "", "", "", "{\"cniVersion\":\"1.1.0\",\"name\":\"net1\",\"type\":\"bandwidth\"}"));
        assertNull(host.linkOrNull(a.ifbName(Direction.EGRESS)));
        CniException bad = assertThrows(CniException.class, () -> plugin.gc(Requests.invocation(Command.GC, "", "", "",
                "{\"cniVersion\":\"1.1.0\",\"name\":\"net1\",\"cni.dev/valid-attachments\":{}}")));
        assertEquals(CniException.INVALID_CONFIG, bad.code());
    }

    @Test
    void statusAnswersWhetherTrafficControlCanBeUsed() throws Exception {
        Invocation inv = Requests.invocation(Command.STATUS, "", "", "", "{\"cniVersion\":\"1.1.0\",\"name\":\"net1\"}");
        plugin.status(inv);
        BandwidthPlugin broken = new BandwidthPlugin(() -> {
            throw OsException.fromErrno("socket(NETLINK_ROUTE)", Errno.EACCES);
        });
        CniException e = assertThrows(CniException.class, () -> broken.status(inv));
        assertEquals(CniException.NOT_AVAILABLE, e.code());
        assertTrue(e.details().contains("EACCES"), e.details());
    }

    @Test
    void versionsAreTheReferences() {
        assertEquals(List.of("0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"), plugin.supportedVersions());
        assertFalse(plugin.about().isEmpty());
        assertSame(BandwidthPlugin.VERSIONS, plugin.supportedVersions());
    }

    // ------------------------------------------------------------------ what the log tells an operator

    @Test
    void theDebugLogShowsWhereAnAddAndADelSpendTheirTime() throws Exception {
        try (CapturedLog log = new CapturedLog(BandwidthPlugin.NAME, new BandwidthPlugin(), true)) {
            add(BOTH);
            assertEquals(List.of("config validated", "planned", "applied"), log.timeline(), log.toString());
        }
        try (CapturedLog log = new CapturedLog(BandwidthPlugin.NAME, new BandwidthPlugin(), true)) {
            del("");
            assertEquals(List.of("names derived", "host opened", "host veth found", "removed"), log.timeline(), log.toString());
            assertTrue(log.has("INFO", "deleted the clsact qdisc of host veth veth1"), log.toString());
            assertTrue(log.has("INFO", "deleted the tbf of host veth veth1"), log.toString());
            assertTrue(log.has("INFO", "deleted ifb " + egressIfb() + " of ctr1/eth0 on net1"), log.toString());
        }
    }

    @Test
    void aRepeatedAddAndAReplacedLeftoverAreLogged() throws Exception {
        host.addLink(egressIfb(), "ifb", attachment.alias());
        try (CapturedLog log = new CapturedLog(BandwidthPlugin.NAME, new BandwidthPlugin(), true)) {
            add(BOTH);
            assertTrue(log.has("INFO", "replacing " + egressIfb() + ", an ifb an earlier ADD of ctr1/eth0 on net1 left behind"),
                    log.toString());
            assertFalse(log.has("INFO", "the host veth of ctr1/eth0 on net1 is shaped as configured already"), log.toString());
        }
        try (CapturedLog log = new CapturedLog(BandwidthPlugin.NAME, new BandwidthPlugin(), true)) {
            add(BOTH);
            assertTrue(log.has("INFO", "the host veth of ctr1/eth0 on net1 is shaped as configured already"), log.toString());
        }
    }

    @Test
    void aDelThatCannotFindTheHostVethSaysWhyAndStillDeletesTheIfbs() throws Exception {
        add(BOTH);
        host.noVeth(Requests.NETNS, "eth0", HostVethException.Reason.NAMESPACE_GONE);
        try (CapturedLog log = new CapturedLog(BandwidthPlugin.NAME, new BandwidthPlugin(), true)) {
            del("");
            assertTrue(log.has("INFO", "DEL of ctr1/eth0 on net1 without the host veth (fake: NAMESPACE_GONE): removing the ifbs only"),
                    log.toString());
            assertEquals(List.of("names derived", "host opened", "removed"), log.timeline(), log.toString());
        }
        assertNull(host.linkOrNull(egressIfb()));

        setUp();
        add(BOTH);
        OsException denied = OsException.fromErrno("RTM_GETLINK", Errno.EPERM);
        host.failOn("hostVethOf", 1, denied);
        try (CapturedLog log = new CapturedLog(BandwidthPlugin.NAME, new BandwidthPlugin(), false)) {
            del("");
            assertTrue(log.has("WARN", "DEL of ctr1/eth0 on net1: cannot find the host veth: " + denied.getMessage()), log.toString());
        }
        assertNull(host.linkOrNull(egressIfb()), "the ifbs go all the same");
        assertNotNull(host.qdiscOrNull(veth.index(), TcHandle.ROOT), "the veth was not found, so its qdiscs were not touched");
    }

    @Test
    void aVethThatGoesOrCannotBeUnhookedDuringDelStillLosesItsIfbs() throws Exception {
        add(BOTH);
        host.failOn("qdiscAt", 1, OsException.fromErrno("RTM_GETQDISC", Errno.ENODEV));
        try (CapturedLog log = new CapturedLog(BandwidthPlugin.NAME, new BandwidthPlugin(), true)) {
            del("");
            assertTrue(log.has("INFO", "host veth veth1 is gone"), log.toString());
        }
        assertNull(host.linkOrNull(egressIfb()));

        setUp();
        add(BOTH);
        OsException denied = OsException.fromErrno("RTM_GETQDISC", Errno.EPERM);
        host.failOn("qdiscAt", 1, denied);
        try (CapturedLog log = new CapturedLog(BandwidthPlugin.NAME, new BandwidthPlugin(), false)) {
            del("");
            assertTrue(log.has("WARN", "cannot remove the shaping of host veth veth1: " + denied.getMessage()), log.toString());
        }
        assertNull(host.linkOrNull(egressIfb()));
    }

    @Test
    void delSaysWhyItLeavesALinkNamedLikeOurs() throws Exception {
        host.addLink(egressIfb(), "dummy", null);
        host.addLink(ingressIfb(), "ifb", "someone else's");
        try (CapturedLog log = new CapturedLog(BandwidthPlugin.NAME, new BandwidthPlugin(), false)) {
            del("");
            assertTrue(log.has("WARN", "link " + egressIfb() + " is named like an ifb of ctr1/eth0 on net1 but is not one (kind dummy, "
                    + "alias none): left alone"), log.toString());
            assertTrue(log.has("WARN", "link " + ingressIfb() + " is named like an ifb of ctr1/eth0 on net1 but is not one (kind ifb, "
                    + "alias \"someone else's\"): left alone"), log.toString());
        }
    }

    @Test
    void theReferencesIfbIsDeletedOnlyWithoutAnAlias() throws Exception {
        LinkInfo bwp = host.addLink(attachment.referenceIfbName(), "ifb", null);
        try (CapturedLog log = new CapturedLog(BandwidthPlugin.NAME, new BandwidthPlugin(), true)) {
            del("");
            assertTrue(log.has("INFO", bwp.name() + " is the reference plugin's ifb for this container: deleting it too"), log.toString());
        }
        assertNull(host.linkOrNull(bwp.name()));
        host.addLink(attachment.referenceIfbName(), "ifb", "uplink of someone else");
        del("");
        assertNotNull(host.linkOrNull(bwp.name()), "an alias says it is not the reference's: the reference sets none");
    }

    @Test
    void anUndoStepThatFailsIsLoggedAndTheAddReportsItsOwnFailure() throws Exception {
        OsException refused = OsException.fromErrno("RTM_NEWQDISC", Errno.ENOMEM);
        OsException busy = OsException.fromErrno("RTM_DELLINK", Errno.EBUSY);
        host.failOn("addQdisc", 1, refused);
        host.failOn("deleteLink", 1, busy);
        try (CapturedLog log = new CapturedLog(BandwidthPlugin.NAME, new BandwidthPlugin(), false)) {
            CniException e = assertThrows(CniException.class, () -> add(BOTH));
            assertEquals(refused.getMessage(), e.details());
            assertTrue(log.has("WARN", "undo: cannot delete the ifb " + egressIfb() + ": " + busy.getMessage()), log.toString());
        }
    }

    @Test
    void aBugBelowThePluginStillUndoesTheAdd() throws Exception {
        String before = host.snapshot();
        IllegalStateException bug = new IllegalStateException("a bug below the plugin");
        host.failOn("addFilter", 1, bug);
        assertSame(bug, assertThrows(IllegalStateException.class, () -> add(BOTH)));
        assertEquals(before, host.snapshot());
    }

    @Test
    void aBurstBelowOneFrameIsWarnedAbout() throws Exception {
        // The veth's MTU is 1400: a frame is 1414 bytes, 11312 bits.
        try (CapturedLog log = new CapturedLog(BandwidthPlugin.NAME, new BandwidthPlugin(), false)) {
            add("\"egressRate\":8000,\"egressBurst\":11304");
            assertTrue(log.has("WARN", "egressBurst is 1413 bytes, less than one frame of the link (1414 bytes): "
                    + "larger packets will be dropped"), log.toString());
        }
        setUp();
        try (CapturedLog log = new CapturedLog(BandwidthPlugin.NAME, new BandwidthPlugin(), false)) {
            add("\"egressRate\":8000,\"egressBurst\":11312");
            assertEquals(List.of(), log.lines(), "one whole frame fits");
        }
    }

    @Test
    void aVethReportingNoMtuGetsIfbsOf1500() throws Exception {
        host = new FakeHost();
        veth = host.addVeth("veth1", Requests.NETNS, "eth0", 0);
        add(BOTH);
        assertEquals(1500, host.linkOrNull(egressIfb()).get(LinkAttribute.MTU));
    }

    @Test
    void aResultTheRequestsVersionCannotExpressFailsBeforeAnyChange() throws Exception {
        // The skel serves bandwidth from 0.3.0 on; an in-process caller may not have asked it.
        String noAddress = "{\"cniVersion\":\"0.2.0\",\"name\":\"net1\",\"type\":\"bandwidth\"," + BOTH
                + ",\"prevResult\":{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\",\"sandbox\":\"" + Requests.NETNS + "\"}]}}";
        String before = host.snapshot();
        CniException e = assertThrows(CniException.class, () -> plugin.add(Requests.invocation(Command.ADD, noAddress)));
        assertEquals(CniException.INCOMPATIBLE_VERSION, e.code());
        assertEquals(before, host.snapshot());
        assertEquals(0, host.opened);
    }

    @Test
    void gcLogsWhatItDeleted() throws Exception {
        Attachment stale = new Attachment("net1", "gone", "eth0");
        host.addLink(stale.ifbName(Direction.EGRESS), "ifb", stale.alias());
        host.addLink(stale.ifbName(Direction.INGRESS), "ifb", stale.alias());
        try (CapturedLog log = new CapturedLog(BandwidthPlugin.NAME, new BandwidthPlugin(), true)) {
            plugin.gc(Requests.invocation(Command.GC, "", "", "", "{\"cniVersion\":\"1.1.0\",\"name\":\"net1\",\"type\":\"bandwidth\"}"));
            assertTrue(log.has("INFO", "GC: deleted ifb " + stale.ifbName(Direction.EGRESS) + " (" + stale.alias() + ")"), log.toString());
            assertTrue(log.has("INFO", "GC: deleted 2 stale ifb(s) of network net1"), log.toString());
        }
    }
}
