package dev.jcni.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.net.MacAddress;
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

    private static final String EVERYTHING = ",\"mtu\":1400,\"mac\":\"c2:11:22:33:44:55\",\"promisc\":true,\"allmulti\":true,"
            + "\"txQLen\":500,\"sysctl\":{\"net.core.somaxconn\":\"1024\",\"net.ipv4.conf.IFNAME.rp_filter\":\"2\"}";

    @Test
    void applyThenRestoreReturnsEveryValue() throws Exception {
        TuningConfig c = config(EVERYTHING);
        TuningBackup originals = session.captureOriginals(c, keys(c), "n", "ctr1");
        session.apply(c, keys(c), originals);
        assertEquals("1024", target.sysctls.get("net/core/somaxconn"));
        assertEquals("2", target.sysctls.get("net/ipv4/conf/eth0/rp_filter"));
        assertEquals(1400, target.mtu);
        assertEquals("c2:11:22:33:44:55", target.mac.toString());
        assertTrue(target.promisc && target.allMulti);
        assertEquals(500, target.txQueueLen);
        assertTrue(session.drift(c, keys(c)).isEmpty());

        assertTrue(session.restore(originals).isEmpty());
        assertEquals("4096", target.sysctls.get("net/core/somaxconn"));
        assertEquals("0", target.sysctls.get("net/ipv4/conf/eth0/rp_filter"));
        assertEquals(1500, target.mtu);
        assertEquals("02:00:00:00:00:01", target.mac.toString());
        assertFalse(target.promisc || target.allMulti);
        assertEquals(1000, target.txQueueLen);
    }

    @Test
    void aMacForALinkWithoutEthernetAddressIsRefusedBeforeAnyChange() throws Exception {
        target.mac = null; // InfiniBand or a tunnel: LinkInfo has no 6-byte address
        TuningConfig c = config(",\"mac\":\"c2:11:22:33:44:55\",\"mtu\":1400");
        CniException e = assertThrows(CniException.class, () -> session.captureOriginals(c, keys(c), "n", "ctr1"));
        assertEquals(CniException.INVALID_CONFIG, e.code());
        assertTrue(e.details().contains("no Ethernet"), e.details());
        assertTrue(target.calls.isEmpty(), target.calls.toString());
        assertEquals(1500, target.mtu);
    }

    @Test
    void macDriftComparesAddressesNotTheirSpelling() throws Exception {
        TuningConfig c = config(",\"mac\":\"C2-11-22-33-44-55\"");
        target.mac = MacAddress.parse("c2:11:22:33:44:55");
        assertTrue(session.drift(c, keys(c)).isEmpty());
        target.mac = MacAddress.parse("c2:11:22:33:44:56");
        assertEquals(List.of("MAC address of eth0 is c2:11:22:33:44:56, configured c2:11:22:33:44:55"), session.drift(c, keys(c)));
    }

    @Test
    void onlyConfiguredAttributesAreBackedUp() throws Exception {
        TuningConfig c = config(",\"mtu\":1400");
        TuningBackup b = session.captureOriginals(c, keys(c), "n", "ctr1");
        assertEquals(1500, b.mtu());
        assertEquals(null, b.mac());
        assertEquals(null, b.promisc());
        assertTrue(b.sysctls().isEmpty());
    }

    @Test
    void aFailedStepUndoesTheStepsBeforeIt() throws Exception {
        TuningConfig c = config(EVERYTHING);
        TuningBackup originals = session.captureOriginals(c, keys(c), "n", "ctr1");
        target.failOn = "setMtu";
        CniException e = assertThrows(CniException.class, () -> session.apply(c, keys(c), originals));
        assertTrue(e.msg().contains("MTU"), e.msg());
        assertEquals("4096", target.sysctls.get("net/core/somaxconn"));
        assertEquals("0", target.sysctls.get("net/ipv4/conf/eth0/rp_filter"));
        assertEquals("02:00:00:00:00:01", target.mac.toString());
        assertFalse(target.promisc);
        assertEquals(1500, target.mtu);
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
        target.promisc = true; // not configured: must not count
        List<String> drift = session.drift(c, keys(c));
        assertEquals(2, drift.size(), drift.toString());
        assertTrue(drift.get(0).contains("net.core.somaxconn") && drift.get(0).contains("4096"), drift.get(0));
        assertTrue(drift.get(1).contains("MTU") && drift.get(1).contains("1500"), drift.get(1));
        target.allMulti = true;
        assertEquals(3, session.drift(c, keys(c)).size());
    }

    @Test
    void driftComparesMultiValueSysctlsIgnoringWhitespace() throws Exception {
        target.sysctls.put("net/ipv4/ip_local_port_range", "32768\t60999");
        TuningConfig c = config(",\"sysctl\":{\"net.ipv4.ip_local_port_range\":\"32768 60999\"}");
        assertTrue(session.drift(c, keys(c)).isEmpty());
    }

    @Test
    void restoreSkipsLinkAttributesOfAVanishedLinkButRestoresSysctls() {
        TuningBackup b = new TuningBackup(MacAddress.fromBytes(new byte[] {2, 0, 0, 0, 0, 9}), null, 1450, null, null,
                Map.of("net/core/somaxconn", "128"), "n", "ctr1", "eth0");
        target.linkPresent = false;
        assertTrue(session.restore(b).isEmpty());
        assertEquals("128", target.sysctls.get("net/core/somaxconn"));
    }

    @Test
    void restoreReportsFailuresAndStillRestoresTheRest() {
        TuningBackup b = new TuningBackup(MacAddress.fromBytes(new byte[] {2, 0, 0, 0, 0, 9}), true, 1450, null, 10, Map.of(), "n", "ctr1", "eth0");
        target.failOn = "setMac";
        List<String> problems = session.restore(b);
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains("MAC"), problems.get(0));
        assertEquals(1450, target.mtu);
        assertTrue(target.promisc);
        assertEquals(10, target.txQueueLen);
    }
}
