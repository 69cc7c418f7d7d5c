package dev.jcni.portmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jcni.core.net.IpAddress;
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
}
