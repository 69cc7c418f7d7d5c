package dev.jcni.portmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.os.conntrack.ConntrackFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The ownership record's key text: written by the plan, read back by DEL and takeovers. */
class MapKeyTest {
    static final HostportTable T = new HostportTable();

    @ParameterizedTest
    @CsvSource({
        "IPV4, , tcp, 8080, tcp/8080/v4",
        "IPV6, , udp, 53, udp/53/v6",
        "IPV4, 198.51.100.1, sctp, 9, sctp/9/198.51.100.1",
        "IPV6, 2001:db8::1, tcp, 65535, tcp/65535/2001:db8::1",
        "IPV4, , tcp, 1, tcp/1/v4",
    })
    void recordTextRoundTrips(String family, String hostIp, String protocol, int port, String text) {
        MapKey k = new MapKey(IpAddress.Family.valueOf(family), hostIp, protocol, port);
        assertEquals(text, k.recordText());
        assertEquals(k, MapKey.fromRecord(text, T));
    }

    @ParameterizedTest
    @CsvSource({
        "tcp/443/2001:DB8:0:0::1, 2001:db8::1",
        "tcp/443/::ffff:198.51.100.7, 198.51.100.7",
    })
    void addressesAreReadInTheFormNftLists(String text, String listed) {
        assertEquals(listed, MapKey.fromRecord(text, T).hostIp());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "tcp/8080", "tcp/8080/v4/x", "icmp/8080/v4", "TCP/8080/v4", "tcp/0/v4", "tcp/65536/v4",
        "tcp/+80/v4", "tcp/080080/v4", "tcp/8080/v5", "tcp/8080/0.0.0.0", "tcp/8080/::", "tcp/8080/198.51.100.300", "c1/eth0"})
    void anythingElseIsNoRecord(String text) {
        assertNull(MapKey.fromRecord(text, T), text);
    }

    @Test
    void aBoundKeyNarrowsOnlyTheAnyAddressKeyOfItsFamilyProtocolAndPort() {
        MapKey bound = new MapKey(IpAddress.Family.IPV4, "198.51.100.1", "tcp", 8080);
        assertTrue(bound.narrows(new MapKey(IpAddress.Family.IPV4, null, "tcp", 8080)));
        assertFalse(bound.narrows(new MapKey(IpAddress.Family.IPV6, null, "tcp", 8080)));
        assertFalse(bound.narrows(new MapKey(IpAddress.Family.IPV4, null, "udp", 8080)));
        assertFalse(bound.narrows(new MapKey(IpAddress.Family.IPV4, null, "tcp", 8081)));
        assertFalse(bound.narrows(new MapKey(IpAddress.Family.IPV4, "198.51.100.2", "tcp", 8080)));
        assertFalse(new MapKey(IpAddress.Family.IPV4, null, "tcp", 8080).narrows(new MapKey(IpAddress.Family.IPV4, null, "tcp", 8080)));
    }

    @Test
    void anIpv6HostAddressIsBracketedBeforeItsPort() {
        assertEquals("tcp/[2001:db8::1]:8080", new MapKey(IpAddress.Family.IPV6, "2001:db8::1", "tcp", 8080).toString());
        assertEquals("udp/198.51.100.1:53", new MapKey(IpAddress.Family.IPV4, "198.51.100.1", "udp", 53).toString());
    }

    @Test
    void udpAndSctpKeysAreFlushedByTheirOwnProtocolTcpNot() throws Exception {
        assertEquals(new ConntrackFilter(IpAddress.Family.IPV6, 132, 9, IpAddress.parse("2001:db8::1")),
                new MapKey(IpAddress.Family.IPV6, "2001:db8::1", "sctp", 9).conntrackFilter());
        assertEquals(new ConntrackFilter(IpAddress.Family.IPV4, 17, 53, null), new MapKey(IpAddress.Family.IPV4, null, "udp", 53).conntrackFilter());
        assertNull(new MapKey(IpAddress.Family.IPV4, null, "tcp", 80).conntrackFilter());
    }
}
