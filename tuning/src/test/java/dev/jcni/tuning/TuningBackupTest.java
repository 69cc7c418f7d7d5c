package dev.jcni.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jcni.core.net.MacAddress;
import dev.jcni.core.protocol.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TuningBackupTest {
    private static MacAddress mac(String text) throws Exception {
        return MacAddress.parse(text);
    }

    @Test
    void aMacThatDoesNotParseIsNotRestored() throws Exception {
        for (String bad : new String[] {"\"zz:00:00:00:00:01\"", "\"\"", "7", "\"02:00:5e:10:00:00:00:01\""}) {
            TuningBackup b = TuningBackup.fromJson(Json.parse("{\"mac\":" + bad + ",\"mtu\":1500}"));
            assertNull(b.mac(), bad);
            assertEquals(1500, b.mtu());
        }
    }
    @Test
    void readsTheReferencePluginsFormat() throws Exception {
        // As the Go plugin writes it: MarshalIndent with one space, omitempty fields.
        TuningBackup b = TuningBackup.fromJson(Json.parse("{\n \"mac\": \"02:00:00:00:00:01\",\n \"promisc\": false,\n \"mtu\": 1500\n}"));
        assertEquals("02:00:00:00:00:01", b.mac().toString());
        assertEquals(false, b.promisc());
        assertEquals(1500, b.mtu());
        assertNull(b.allmulti());
        assertNull(b.txQueueLen());
        assertNull(b.network());
        assertEquals(Map.of(), b.sysctls());
    }

    @Test
    void roundTripsEveryField() throws Exception {
        TuningBackup b = new TuningBackup(mac("02:00:00:00:00:01"), true, 1500, false, 1000,
                Map.of("net/core/somaxconn", "4096"), "net1", "ctr_1", "eth_0");
        assertEquals(b, TuningBackup.fromJson(Json.parse(Json.write(b.toJson()))));
        assertEquals("{\"mac\":\"02:00:00:00:00:01\",\"promisc\":true,\"mtu\":1500,\"allmulti\":false,\"txQLen\":1000,"
                + "\"sysctl\":{\"net/core/somaxconn\":\"4096\"},\"network\":\"net1\",\"containerID\":\"ctr_1\",\"ifName\":\"eth_0\"}",
                Json.toString(b.toJson()));
    }

    @Test
    void aSecondAddKeepsTheTrueOriginals() throws Exception {
        TuningBackup first = new TuningBackup(null, null, 1500, null, null, Map.of("net/core/somaxconn", "4096"), "n", "c", "eth0");
        // The second ADD sees the values the first one set, and one more attribute.
        TuningBackup second = new TuningBackup(mac("02:00:00:00:00:01"), null, 1400, null, null,
                Map.of("net/core/somaxconn", "1024", "net/ipv4/conf/eth0/rp_filter", "0"), "n", "c", "eth0");
        TuningBackup merged = first.mergedWith(second);
        assertEquals(1500, merged.mtu());
        assertEquals(mac("02:00:00:00:00:01"), merged.mac());
        assertEquals("4096", merged.sysctls().get("net/core/somaxconn"));
        assertEquals("0", merged.sysctls().get("net/ipv4/conf/eth0/rp_filter"));
    }
}
