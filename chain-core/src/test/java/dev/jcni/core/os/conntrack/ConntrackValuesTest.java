package dev.jcni.core.os.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jcni.core.net.IpAddress;
import org.junit.jupiter.api.Test;

/** The bounds of a conntrack filter (a protocol number is a byte, a port 1..65535) and how entries and filters read in logs. */
class ConntrackValuesTest {
    private static final IpAddress.Family V4 = IpAddress.Family.IPV4;

    @Test
    void protocolsRunFrom0To255AndPortsFrom1To65535() {
        assertEquals(0, new ConntrackFilter(V4, 0, 1, null).protocol());
        assertEquals(255, new ConntrackFilter(V4, 255, 65535, null).protocol());
        assertThrows(IllegalArgumentException.class, () -> new ConntrackFilter(V4, -1, 80, null));
        assertThrows(IllegalArgumentException.class, () -> new ConntrackFilter(V4, 256, 80, null));
        assertThrows(IllegalArgumentException.class, () -> new ConntrackFilter(V4, 6, 0, null));
        assertThrows(IllegalArgumentException.class, () -> new ConntrackFilter(V4, 6, 65536, null));
    }

    @Test
    void filtersAndEntriesReadAsInALog() throws Exception {
        assertEquals("proto 6 dport 8080 (IPV4)", new ConntrackFilter(V4, 6, 8080, null).toString());
        assertEquals("proto 17 dport 53 dst 10.0.0.2 (IPV4)",
                new ConntrackFilter(V4, 17, 53, IpAddress.parse("10.0.0.2")).toString());
        assertEquals("proto 6 10.0.0.1:40000 -> 10.0.0.2:80",
                new ConntrackEntry(6, IpAddress.parse("10.0.0.1"), IpAddress.parse("10.0.0.2"), 40000, 80, 0).toString());
        assertEquals("proto 6 10.0.0.1:40000 -> 10.0.0.2:80 zone 3",
                new ConntrackEntry(6, IpAddress.parse("10.0.0.1"), IpAddress.parse("10.0.0.2"), 40000, 80, 3).toString());
    }
}
