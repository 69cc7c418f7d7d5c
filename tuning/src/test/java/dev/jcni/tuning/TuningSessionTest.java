package dev.jcni.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.net.MacAddress;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netlink.LinkAttribute;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.skel.Command;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TuningSessionTest {
    private FakeTarget target;
    private TuningSession session;

    @BeforeEach
    void setUp() {
        target = new FakeTarget();
        target.sysctls.put("net/core/somaxconn", "4096");
        target.sysctls.put("net/ipv4/conf/eth0/rp_filter", "0");
        session = new TuningSession(target, "eth0");
    }

    private static TuningConfig config(String fields) throws Exception {
        return TuningConfig.parse(Requests.invocation(Command.ADD, "{\"name\":\"n\"" + fields + "}"));
    }

    private static List<SysctlKey> keys(TuningConfig c) throws CniException {
        List<SysctlKey> keys = new ArrayList<>();
        for (String k : c.sysctls().keySet()) {
            keys.add(SysctlKey.resolve(k, "eth0"));
        }
        return keys;
    }

    private static MacAddress mac(String text) throws Exception {
        return MacAddress.parse(text);
    }

    private static LinkSettings link(int mtu) {
        return LinkSettings.NONE.with(TunableAttribute.MTU, mtu);
    }

    private static final String EVERYTHING = ",\"mtu\":1400,\"mac\":\"c2:11:22:33:44:55\",\"promisc\":true,\"allmulti\":true,"
            + "\"txQLen\":500,\"sysctl\":{\"net.core.somaxconn\":\"1024\",\"net.ipv4.conf.IFNAME.rp_filter\":\"2\"}";

    @Test
    void applyThenRestoreReturnsEveryValue() throws Exception {
        TuningConfig c = config(EVERYTHING);
        TuningBackup originals = session.captureOriginals(c, keys(c), "n", "ctr1");
        session.apply(c, keys(c), originals);
        assertEquals("1024", target.sysctls.get("net/core/somaxconn"));
        assertEquals("2", target.sysctls.get("net/ipv4/conf/eth0/rp_filter"));
        assertEquals(1400, target.get(LinkAttribute.MTU));
        assertEquals(mac("c2:11:22:33:44:55"), target.get(LinkAttribute.MAC));
        assertTrue(target.get(LinkAttribute.PROMISC) && target.get(LinkAttribute.ALLMULTI));
        assertEquals(500, target.get(LinkAttribute.TX_QUEUE_LENGTH));
        assertTrue(session.drift(c, keys(c)).isEmpty());

        assertTrue(session.restore(originals).isEmpty());
        assertEquals("4096", target.sysctls.get("net/core/somaxconn"));
        assertEquals("0", target.sysctls.get("net/ipv4/conf/eth0/rp_filter"));
        assertEquals(1500, target.get(LinkAttribute.MTU));
        assertEquals(mac("02:00:00:00:00:01"), target.get(LinkAttribute.MAC));
        assertFalse(target.get(LinkAttribute.PROMISC) || target.get(LinkAttribute.ALLMULTI));
        assertEquals(1000, target.get(LinkAttribute.TX_QUEUE_LENGTH));
        assertTrue(target.get(LinkAttribute.UP), "flags nobody configured stay as they were");
    }

    @Test
    void stepsRunInTheReferencesApplyAndRestoreOrders() throws Exception {
        TuningConfig c = config(EVERYTHING);
        TuningBackup originals = session.captureOriginals(c, keys(c), "n", "ctr1");
        session.apply(c, keys(c), originals);
        assertEquals(List.of("sysctl net/core/somaxconn=1024", "sysctl net/ipv4/conf/eth0/rp_filter=2",
                "mac c2:11:22:33:44:55", "promisc on", "mtu 1400", "allmulticast on", "txqueuelen 500"), target.calls);
        target.calls.clear();
        session.restore(originals);
        assertEquals(List.of("sysctl net/ipv4/conf/eth0/rp_filter=0", "sysctl net/core/somaxconn=4096",
                "mtu 1500", "mac 02:00:00:00:00:01", "promisc off", "allmulticast off", "txqueuelen 1000"), target.calls);
    }

    @Test
    void aMacForALinkWithoutEthernetAddressIsRefusedBeforeAnyChange() throws Exception {
        target.put(LinkAttribute.MAC, null); // InfiniBand or a tunnel: no 6-byte address
        TuningConfig c = config(",\"mac\":\"c2:11:22:33:44:55\",\"mtu\":1400");
        CniException e = assertThrows(CniException.class, () -> session.captureOriginals(c, keys(c), "n", "ctr1"));
        assertEquals(CniException.INVALID_CONFIG, e.code());
        assertTrue(e.details().contains("no Ethernet"), e.details());
        assertTrue(target.calls.isEmpty(), target.calls.toString());
        assertEquals(1500, target.get(LinkAttribute.MTU));
    }

    @Test
    void macDriftComparesAddressesNotTheirSpelling() throws Exception {
        TuningConfig c = config(",\"mac\":\"C2-11-22-33-44-55\"");
        target.put(LinkAttribute.MAC, mac("c2:11:22:33:44:55"));
        assertTrue(session.drift(c, keys(c)).isEmpty());
        target.put(LinkAttribute.MAC, mac("c2:11:22:33:44:56"));
        assertEquals(List.of("MAC address of eth0 is c2:11:22:33:44:56, configured c2:11:22:33:44:55"), session.drift(c, keys(c)));
    }

    @Test
    void onlyConfiguredAttributesAreBackedUp() throws Exception {
        TuningConfig c = config(",\"mtu\":1400");
        TuningBackup b = session.captureOriginals(c, keys(c), "n", "ctr1");
        assertEquals(link(1500), b.link());
        assertNull(b.link().get(TunableAttribute.MAC));
        assertTrue(b.sysctls().isEmpty());
    }

    @Test
    void aFailedStepUndoesTheStepsBeforeIt() throws Exception {
        TuningConfig c = config(EVERYTHING);
        TuningBackup originals = session.captureOriginals(c, keys(c), "n", "ctr1");
        target.failOn = "set mtu";
        CniException e = assertThrows(CniException.class, () -> session.apply(c, keys(c), originals));
        assertEquals("failed to set MTU to 1400 on eth0", e.msg());
        assertEquals("4096", target.sysctls.get("net/core/somaxconn"));
        assertEquals("0", target.sysctls.get("net/ipv4/conf/eth0/rp_filter"));
        assertEquals(mac("02:00:00:00:00:01"), target.get(LinkAttribute.MAC));
        assertFalse(target.get(LinkAttribute.PROMISC));
        assertEquals(1500, target.get(LinkAttribute.MTU));
        assertFalse(target.calls.contains("allmulticast on"), "nothing after the failed step runs");
    }

    @Test
    void theLastStepFailingUndoesEverythingBeforeIt() throws Exception {
        TuningConfig c = config(EVERYTHING);
        TuningBackup originals = session.captureOriginals(c, keys(c), "n", "ctr1");
        target.failOn = "set txqueuelen";
        CniException e = assertThrows(CniException.class, () -> session.apply(c, keys(c), originals));
        assertEquals("failed to set transmit queue length to 500 on eth0", e.msg());
        assertFalse(target.get(LinkAttribute.ALLMULTI));
        assertEquals(1500, target.get(LinkAttribute.MTU));
        assertEquals("4096", target.sysctls.get("net/core/somaxconn"));
    }

    @Test
    void aSysctlTheKernelTakesOnlyPartOfIsUndone() throws Exception {
        target.singleValue.add("net/ipv4/conf/eth0/rp_filter");
        TuningConfig c = config(",\"sysctl\":{\"net.core.somaxconn\":\"1024\",\"net.ipv4.conf.IFNAME.rp_filter\":\"1 2 3\"}");
        TuningBackup originals = session.captureOriginals(c, keys(c), "n", "ctr1");
        CniException e = assertThrows(CniException.class, () -> session.apply(c, keys(c), originals));
        assertEquals("failed to set sysctl net.ipv4.conf.IFNAME.rp_filter to \"1 2 3\"", e.msg());
        assertEquals("0", target.sysctls.get("net/ipv4/conf/eth0/rp_filter"), "the part the kernel took is undone");
        assertEquals("4096", target.sysctls.get("net/core/somaxconn"));
    }

    @Test
    void aSysctlReadingBackDifferentlyIsAFailureUndone() throws Exception {
        // A string sysctl keeps what precedes a newline and reports the whole write: only reading back tells.
        FakeTarget truncating = new FakeTarget() {
            @Override
            public void writeSysctl(String path, String value) throws OsException {
                super.writeSysctl(path, value.equals("cubic bbr") ? "cubic" : value);
            }
        };
        truncating.sysctls.put("net/ipv4/tcp_congestion_control", "reno");
        TuningSession s = new TuningSession(truncating, "eth0");
        TuningConfig c = config(",\"sysctl\":{\"net.ipv4.tcp_congestion_control\":\"cubic bbr\"}");
        TuningBackup originals = s.captureOriginals(c, keys(c), "n", "ctr1");
        CniException e = assertThrows(CniException.class, () -> s.apply(c, keys(c), originals));
        assertEquals("failed to set sysctl net.ipv4.tcp_congestion_control to \"cubic bbr\"", e.msg());
        assertEquals("the kernel applied \"cubic\"", e.details());
        assertEquals("reno", truncating.sysctls.get("net/ipv4/tcp_congestion_control"));
    }

    @Test
    void aMissingSysctlFailsBeforeAnyChange() throws Exception {
        TuningConfig c = config(",\"mtu\":1400,\"sysctl\":{\"net.core.somaxconn\":\"1\",\"net.ipv4.no_such\":\"1\"}");
        CniException e = assertThrows(CniException.class, () -> session.captureOriginals(c, keys(c), "n", "ctr1"));
        assertTrue(e.msg().contains("net.ipv4.no_such"), e.msg());
        assertTrue(target.calls.isEmpty());
    }

    @Test
    void aMissingLinkFailsBeforeAnyChange() throws Exception {
        target.linkPresent = false;
        TuningConfig c = config(",\"mtu\":1400,\"sysctl\":{\"net.core.somaxconn\":\"1\"}");
        assertThrows(CniException.class, () -> session.captureOriginals(c, keys(c), "n", "ctr1"));
        assertTrue(target.calls.isEmpty());
    }

    @Test
    void driftNamesEveryDifferenceAndIgnoresWhatNobodyConfigured() throws Exception {
        TuningConfig c = config(",\"mtu\":1400,\"allmulti\":false,\"sysctl\":{\"net.core.somaxconn\":\"1024\"}");
        target.put(LinkAttribute.PROMISC, true); // not configured: must not count
        List<String> drift = session.drift(c, keys(c));
        assertEquals(List.of("sysctl net.core.somaxconn is \"4096\", configured \"1024\"", "MTU of eth0 is 1500, configured 1400"), drift);
        target.put(LinkAttribute.ALLMULTI, true);
        assertEquals("all-multicast mode of eth0 is on, configured off", session.drift(c, keys(c)).get(2));
    }

    @Test
    void driftIsSeenInBothDirections() throws Exception {
        TuningConfig c = config(",\"mtu\":1400,\"txQLen\":500,\"promisc\":true");
        for (int mtu : new int[] {1300, 1500}) {
            target.put(LinkAttribute.MTU, mtu);
            target.put(LinkAttribute.TX_QUEUE_LENGTH, mtu == 1300 ? 499 : 501);
            target.put(LinkAttribute.PROMISC, true);
            assertEquals(List.of("MTU of eth0 is " + mtu + ", configured 1400",
                    "transmit queue length of eth0 is " + (mtu == 1300 ? 499 : 501) + ", configured 500"), session.drift(c, keys(c)));
        }
        target.put(LinkAttribute.MTU, 1400);
        target.put(LinkAttribute.TX_QUEUE_LENGTH, 500);
        target.put(LinkAttribute.PROMISC, false);
        assertEquals(List.of("promiscuous mode of eth0 is off, configured on"), session.drift(c, keys(c)));
    }

    @Test
    void driftComparesMultiValueSysctlsIgnoringWhitespace() throws Exception {
        target.sysctls.put("net/ipv4/ip_local_port_range", "32768\t60999");
        TuningConfig c = config(",\"sysctl\":{\"net.ipv4.ip_local_port_range\":\"32768 60999\"}");
        assertTrue(session.drift(c, keys(c)).isEmpty());
        target.sysctls.put("net/ipv4/ip_local_port_range", "32768\t61000");
        assertEquals(1, session.drift(c, keys(c)).size());
    }

    @Test
    void restoreSkipsLinkAttributesOfAVanishedLinkButRestoresSysctls() throws Exception {
        TuningBackup b = new TuningBackup(link(1450).with(TunableAttribute.MAC, mac("02:00:00:00:00:09")),
                Map.of("net/core/somaxconn", "128"), "n", "ctr1", "eth0");
        target.linkPresent = false;
        assertTrue(session.restore(b).isEmpty());
        assertEquals("128", target.sysctls.get("net/core/somaxconn"));
    }

    @Test
    void sysctlFailuresAreReportedWhateverHappensToTheLink() throws Exception {
        TuningBackup sysctlOnly = new TuningBackup(LinkSettings.NONE, Map.of("net/core/somaxconn", "128"), "n", "ctr1", "eth0");
        target.failOn = "writeSysctl:net/core/somaxconn";
        assertEquals(List.of("failed to restore sysctl net/core/somaxconn: writeSysctl:net/core/somaxconn: Invalid argument (EINVAL)"),
                session.restore(sysctlOnly));
        TuningBackup both = new TuningBackup(link(1450), Map.of("net/core/somaxconn", "128"), "n", "ctr1", "eth0");
        target.linkPresent = false;
        assertEquals(1, session.restore(both).size(), "the sysctl's failure is kept when the link is gone");
    }

    @Test
    void aLinkThatCannotBeReadIsReportedAndItsAttributesLeftAlone() throws Exception {
        FakeTarget broken = new FakeTarget() {
            @Override
            public dev.jcni.core.os.netlink.LinkInfo link(String ifName) throws OsException {
                throw OsException.fromErrno("link " + ifName, dev.jcni.core.os.Errno.EACCES);
            }
        };
        broken.sysctls.put("net/core/somaxconn", "4096");
        TuningBackup b = new TuningBackup(link(1450), Map.of("net/core/somaxconn", "128"), "n", "ctr1", "eth0");
        List<String> problems = new TuningSession(broken, "eth0").restore(b);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("cannot read link eth0: "), problems.get(0));
        assertEquals(List.of("sysctl net/core/somaxconn=128"), broken.calls, "the sysctls are restored, nothing is set on the link");
    }

    @Test
    void aRestoredSysctlThatIsGoneIsNoProblem() throws Exception {
        TuningBackup b = new TuningBackup(LinkSettings.NONE, Map.of("net/ipv4/conf/eth9/rp_filter", "1"), "n", "ctr1", "eth0");
        assertEquals(List.of(), session.restore(b));
    }

    @Test
    void sysctlDriftAloneIsReportedWithoutReadingTheLink() throws Exception {
        TuningConfig c = config(",\"sysctl\":{\"net.core.somaxconn\":\"1024\",\"net.ipv4.conf.IFNAME.forwarding\":\"1\"}");
        target.linkPresent = false;
        assertEquals(List.of("sysctl net.core.somaxconn is \"4096\", configured \"1024\"",
                "sysctl net.ipv4.conf.IFNAME.forwarding does not exist (configured \"1\")"), session.drift(c, keys(c)));
    }

    @Test
    void driftOfAVanishedLinkIsReportedOnceAfterTheSysctls() throws Exception {
        TuningConfig c = config(",\"mtu\":1400,\"promisc\":true,\"sysctl\":{\"net.core.somaxconn\":\"1024\"}");
        target.linkPresent = false;
        assertEquals(List.of("sysctl net.core.somaxconn is \"4096\", configured \"1024\"", "link eth0 does not exist"),
                session.drift(c, keys(c)));
    }

    @Test
    void anUndoThatFailsTooIsLoggedAndTheFirstErrorThrown() throws Exception {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        dev.jcni.core.skel.Log.redirect(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            FakeTarget stubborn = new FakeTarget() {
                private int mtuSets;

                @Override
                public <T> void set(String ifName, LinkAttribute<T> attribute, T value) throws OsException {
                    if (attribute == LinkAttribute.MTU && ++mtuSets == 2) {
                        throw OsException.fromErrno("set mtu back", dev.jcni.core.os.Errno.EBUSY);
                    }
                    super.set(ifName, attribute, value);
                }
            };
            stubborn.failOn = "set allmulticast";
            TuningSession s = new TuningSession(stubborn, "eth0");
            TuningConfig c = config(",\"mtu\":1400,\"allmulti\":true");
            TuningBackup originals = s.captureOriginals(c, keys(c), "n", "ctr1");
            CniException e = assertThrows(CniException.class, () -> s.apply(c, keys(c), originals));
            assertEquals("failed to set all-multicast mode on on eth0", e.msg());
            assertTrue(err.toString(java.nio.charset.StandardCharsets.UTF_8).contains("undo: cannot restore MTU"),
                    err.toString(java.nio.charset.StandardCharsets.UTF_8));
        } finally {
            dev.jcni.core.skel.Log.redirect(System.err);
        }
    }

    @Test
    void restoreReportsFailuresAndStillRestoresTheRest() throws Exception {
        TuningBackup b = new TuningBackup(link(1450).with(TunableAttribute.MAC, mac("02:00:00:00:00:09"))
                .with(TunableAttribute.PROMISC, true).with(TunableAttribute.TX_QUEUE_LENGTH, 10), Map.of(), "n", "ctr1", "eth0");
        target.failOn = "set mac";
        List<String> problems = session.restore(b);
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("failed to restore MAC address: "), problems.get(0));
        assertEquals(1450, target.get(LinkAttribute.MTU));
        assertTrue(target.get(LinkAttribute.PROMISC));
        assertEquals(10, target.get(LinkAttribute.TX_QUEUE_LENGTH));
    }
}
