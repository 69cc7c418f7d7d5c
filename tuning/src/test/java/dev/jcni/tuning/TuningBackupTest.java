package dev.jcni.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.net.MacAddress;
import dev.jcni.core.protocol.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TuningBackupTest {
    private static MacAddress mac(String text) throws Exception {
        return MacAddress.parse(text);
    }

    private static TuningBackup read(String json, List<String> dropped) throws Exception {
        return TuningBackup.fromJson(Json.parseObject(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)), dropped);
    }

    @Test
    void aMacThatIsNotAnAssignableAddressIsNotRestored() throws Exception {
        for (String bad : new String[] {"\"zz:00:00:00:00:01\"", "\"\"", "7", "\"02:00:5e:10:00:00:00:01\"", "\"01:00:5e:00:00:01\"",
                "\"00:00:00:00:00:00\""}) {
            List<String> dropped = new ArrayList<>();
            TuningBackup b = read("{\"mac\":" + bad + ",\"mtu\":1500}", dropped);
            assertNull(b.link().get(TunableAttribute.MAC), bad);
            assertEquals(1500, b.link().get(TunableAttribute.MTU));
            assertEquals(1, dropped.size(), bad + ": " + dropped);
            assertTrue(dropped.get(0).startsWith("mac: "), dropped.get(0));
        }
    }

    @Test
    void readsTheReferencePluginsFormat() throws Exception {
        // As the Go plugin writes it: MarshalIndent with one space, omitempty fields.
        List<String> dropped = new ArrayList<>();
        TuningBackup b = read("{\n \"mac\": \"02:00:00:00:00:01\",\n \"promisc\": false,\n \"mtu\": 1500\n}", dropped);
        assertEquals(mac("02:00:00:00:00:01"), b.link().get(TunableAttribute.MAC));
        assertEquals(false, b.link().get(TunableAttribute.PROMISC));
        assertEquals(1500, b.link().get(TunableAttribute.MTU));
        assertNull(b.link().get(TunableAttribute.ALLMULTI));
        assertNull(b.link().get(TunableAttribute.TX_QUEUE_LENGTH));
        assertNull(b.network());
        assertEquals(Map.of(), b.sysctls());
        assertEquals(List.of(), dropped);
    }

    @Test
    void anMtuOfZeroIsTheReferencesAbsenceNotABadValue() throws Exception {
        List<String> dropped = new ArrayList<>();
        assertTrue(read("{\"mtu\":0}", dropped).isEmpty());
        assertEquals(List.of(), dropped);
    }

    @Test
    void roundTripsEveryField() throws Exception {
        LinkSettings link = LinkSettings.NONE.with(TunableAttribute.MAC, mac("02:00:00:00:00:01")).with(TunableAttribute.PROMISC, true)
                .with(TunableAttribute.MTU, 1500).with(TunableAttribute.ALLMULTI, false).with(TunableAttribute.TX_QUEUE_LENGTH, 1000);
        TuningBackup b = new TuningBackup(link, Map.of("net/core/somaxconn", "4096"), "net1", "ctr_1", "eth_0");
        List<String> dropped = new ArrayList<>();
        assertEquals(b, TuningBackup.fromJson(b.toJson(), dropped));
        assertEquals(List.of(), dropped);
        assertEquals("{\"mac\":\"02:00:00:00:00:01\",\"promisc\":true,\"mtu\":1500,\"allmulti\":false,\"txQLen\":1000,"
                + "\"sysctl\":{\"net/core/somaxconn\":\"4096\"},\"network\":\"net1\",\"containerID\":\"ctr_1\",\"ifName\":\"eth_0\"}",
                Json.toString(b.toJson()));
    }

    @Test
    void aSecondAddKeepsTheTrueOriginals() throws Exception {
        TuningBackup first = new TuningBackup(LinkSettings.NONE.with(TunableAttribute.MTU, 1500), Map.of("net/core/somaxconn", "4096"),
                "n", "c", "eth0");
        // The second ADD sees the values the first one set, and one more attribute.
        TuningBackup second = new TuningBackup(LinkSettings.NONE.with(TunableAttribute.MTU, 1400)
                .with(TunableAttribute.MAC, mac("02:00:00:00:00:01")),
                Map.of("net/core/somaxconn", "1024", "net/ipv4/conf/eth0/rp_filter", "0"), "n", "c", "eth0");
        TuningBackup merged = first.mergedWith(second);
        assertEquals(1500, merged.link().get(TunableAttribute.MTU));
        assertEquals(mac("02:00:00:00:00:01"), merged.link().get(TunableAttribute.MAC));
        assertEquals("4096", merged.sysctls().get("net/core/somaxconn"));
        assertEquals("0", merged.sysctls().get("net/ipv4/conf/eth0/rp_filter"));
    }

    /** Issue 6 hole 3: a planted backup is validated with the config's rules, entry by entry. */
    @Test
    void everyValueBreakingTheConfigsRulesIsDroppedAndNamed() throws Exception {
        List<String> dropped = new ArrayList<>();
        TuningBackup b = read("{\"sysctl\":{\"net/../kernel/domainname\":\"x\",\"kernel/hostname\":\"x\",\"/net/core/somaxconn\":\"1\","
                + "\"net/./core/somaxconn\":\"1\",\"net\":\"1\",\"net/core/rmem_max\":7,\"net/ipv4/ip_forward\":\"1\\n0\","
                + "\"net/ipv4/conf/eth0/rp_filter\":\"2\"},"
                + "\"txQLen\":-5,\"mtu\":70000,\"promisc\":\"yes\",\"allmulti\":1,\"network\":\"n\"}", dropped);
        assertEquals(Map.of("net/ipv4/conf/eth0/rp_filter", "2"), b.sysctls(), "only the valid entry is kept");
        assertTrue(b.link().isEmpty(), b.link().toString());
        assertEquals("n", b.network());
        assertEquals(11, dropped.size(), dropped.toString());
        assertTrue(dropped.contains("sysctl net/../kernel/domainname: not a path below /proc/sys/net"), dropped.toString());
        assertTrue(dropped.contains("sysctl net/core/rmem_max: the value is not a string"), dropped.toString());
        assertTrue(dropped.contains("txQLen: invalid value -5 for \"txQLen\": must not be negative"), dropped.toString());
        assertTrue(dropped.contains("mtu: invalid value 70000 for \"mtu\": expected 68 to 65535"), dropped.toString());
        assertTrue(dropped.contains("promisc: invalid value \"yes\" for \"promisc\": expected true or false"), dropped.toString());
    }

    @Test
    void aSysctlMapThatIsNotAnObjectIsDropped() throws Exception {
        List<String> dropped = new ArrayList<>();
        assertTrue(read("{\"sysctl\":[\"net/core/somaxconn\"]}", dropped).isEmpty());
        assertEquals(List.of("sysctl: not an object"), dropped);
    }
}
