package dev.jcni.core.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

    private static IpAddress ip(String text) throws AddressFormatException {
        return IpAddress.parse(text);
    }

    /** Input, then what Go's net.IP.String() prints for net.ParseIP(input). */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "1.2.3.4|1.2.3.4",
        "0.0.0.0|0.0.0.0",
        "255.255.255.255|255.255.255.255",
        "10.0.0.0|10.0.0.0",
        "::ffff:1.2.3.4|1.2.3.4",
        "::FFFF:1.2.3.4|1.2.3.4",
        "0:0:0:0:0:ffff:102:304|1.2.3.4",
        "::ffff:ffff:ffff|255.255.255.255",
        "fe80::1|fe80::1",
        "FE80:0000:0000:0000:0000:0000:0000:0001|fe80::1",
        "2001:db8:0:0:1:0:0:1|2001:db8::1:0:0:1",
        "2001:db8::0:1|2001:db8::1",
        "2001:0:0:1:0:0:0:1|2001:0:0:1::1",
        "2001:db8:0:1:1:1:1:1|2001:db8:0:1:1:1:1:1",
        "0:0:0:1:0:0:0:0|0:0:0:1::",
        "::|::",
        "0:0:0:0:0:0:0:0|::",
        "::1|::1",
        "1::|1::",
        "1:0:0:0:0:0:0:0|1::",
        "::1.2.3.4|::102:304",
        "1:2:3:4:5:6:1.2.3.4|1:2:3:4:5:6:102:304",
        "::ffff:0:1.2.3.4|::ffff:0:102:304",
        "abcd:EF01:2345:6789:abcd:ef01:2345:6789|abcd:ef01:2345:6789:abcd:ef01:2345:6789",
        "0001:0002::0010|1:2::10",
    })
    void printsAsGo(String input, String canonical) throws Exception {
        IpAddress a = ip(input);
        assertEquals(canonical, a.toString());
        assertEquals(a, ip(canonical));
    }

    @Test
    void familyFollowsGo() throws Exception {
        assertEquals(IpAddress.Family.IPV4, ip("1.2.3.4").family());
        assertEquals(IpAddress.Family.IPV4, ip("::ffff:1.2.3.4").family());
        assertEquals(IpAddress.Family.IPV6, ip("::1.2.3.4").family());
        assertEquals(IpAddress.Family.IPV6, ip("::").family());
        assertEquals("4", IpAddress.Family.IPV4.version());
        assertEquals(128, IpAddress.Family.IPV6.bits());
        assertTrue(ip("0.0.0.0").isUnspecified());
        assertTrue(ip("::").isUnspecified());
        assertFalse(ip("::1").isUnspecified());
    }

    /** Each of these is refused by Go's net.ParseIP (Go 1.17 and later). */
    @ParameterizedTest
    @ValueSource(strings = {"", " ", "1.2.3", "1.2.3.4.5", "1.2.3.256", "256.0.0.0", "01.2.3.4", "1.2.3.04", "1.2.3.00",
        "00.0.0.0", "1..2.3", ".1.2.3", "1.2.3.", "1.2.3.4 ", " 1.2.3.4", "1.2.3.-4", "1.2.3.4/24", "1.2.3.4:80",
        "localhost", "example.com", "1", "fe80::1%eth0", "fe80::1%", "%eth0", ":::", "1:::2", "1::2::3", "12345::",
        "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", ":1", "1:", "1:2:3:4:5:6:7::8", "::1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7:1.2.3.4", "1:2:3:4:5:1.2.3.4", "::1.2.3.4:5", "[::1]", "::ffff:1.2.3.04", "::ffff:1.2.3",
        "g::1", "::ffff:1.2.3.4.5", "1.2.3.4::", "\uff11.2.3.4", "1.2.3.\u0664", "::\u0661", "0x1.2.3.4", "::1/128"})
    void refusesWhatGoRefuses(String input) {
        AddressFormatException e = assertThrows(AddressFormatException.class, () -> ip(input));
        assertEquals(input, e.input());
        assertTrue(e.getMessage().startsWith("invalid IP address \"" + input + "\": "), e.getMessage());
        assertFalse(e.reason().isEmpty());
    }

    @Test
    void reasonsSayWhatIsWrong() {
        assertEquals("IPv4 field has octet with leading zero", reason("010.0.0.1"));
        assertEquals("IPv4 field has value >255", reason("1.2.3.256"));
        assertEquals("IPv6 zones are not allowed", reason("fe80::1%eth0"));
        assertEquals("multiple :: in address", reason("1::2::3"));
        assertEquals("the :: must expand to at least one field of zeros", reason("1:2:3:4:5:6:7::8"));
        assertEquals("not an IPv4 or IPv6 address", reason("localhost"));
        assertEquals("empty", reason(""));
    }

    private static String reason(String input) {
        return assertThrows(AddressFormatException.class, () -> ip(input)).reason();
    }

    @Test
    void bytesRoundTrip() throws Exception {
        assertArrayEquals(new byte[] {10, 1, 0, (byte) 255}, ip("10.1.0.255").toBytes());
        byte[] v6 = ip("2001:db8::ff00:42:8329").toBytes();
        assertArrayEquals(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, (byte) 0xff, 0, 0, 0x42,
            (byte) 0x83, 0x29}, v6);
        assertEquals(ip("2001:db8::ff00:42:8329"), IpAddress.fromBytes(v6));
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 0, 0, 1};
        assertEquals(ip("10.0.0.1"), IpAddress.fromBytes(mapped));
        assertEquals(4, IpAddress.fromBytes(mapped).toBytes().length);
        assertThrows(IllegalArgumentException.class, () -> IpAddress.fromBytes(new byte[5]));
        assertThrows(IllegalArgumentException.class, () -> IpAddress.fromBytes(new byte[0]));
    }

    // ---- arithmetic at the boundaries

    @Test
    void nextAndPreviousCarryAcrossBytesAndHalves() throws Exception {
        assertEquals(ip("10.0.1.0"), ip("10.0.0.255").next());
        assertEquals(ip("10.0.0.255"), ip("10.0.1.0").previous());
        assertEquals(ip("1.0.0.0"), ip("0.255.255.255").next());
        assertEquals(ip("0:0:0:1::"), ip("::ffff:ffff:ffff:ffff").next());
        assertEquals(ip("::ffff:ffff:ffff:ffff"), ip("0:0:0:1::").previous());
        assertEquals(ip("::1:0"), ip("::ffff").next());
        assertEquals(ip("::1"), ip("::").next());
    }

    @Test
    void leavingTheAddressSpaceIsAnOverflowNotAWrap() throws Exception {
        assertThrows(AddressOverflowException.class, () -> ip("255.255.255.255").next());
        assertThrows(AddressOverflowException.class, () -> ip("0.0.0.0").previous());
        assertThrows(AddressOverflowException.class, () -> ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").next());
        assertThrows(AddressOverflowException.class, () -> ip("::").previous());
        // An IPv4-mapped address is IPv4, so its end is 255.255.255.255, not ::1:0:0:0.
        assertThrows(AddressOverflowException.class, () -> ip("::ffff:ffff:ffff").next());
        AddressOverflowException e = assertThrows(AddressOverflowException.class, () -> ip("255.255.255.250").plus(6));
        assertEquals("255.255.255.250 + 6 is outside the IPv4 address space", e.getMessage());
    }

    @Test
    void plusMovesByLargeOffsetsInBothDirections() throws Exception {
        assertEquals(ip("10.0.1.4"), ip("10.0.0.0").plus(260));
        assertEquals(ip("0.0.0.0"), ip("0.0.0.1").plus(-1));
        assertEquals(ip("255.255.255.255"), ip("0.0.0.0").plus(0xFFFF_FFFFL));
        assertThrows(AddressOverflowException.class, () -> ip("0.0.0.0").plus(0x1_0000_0000L));
        assertThrows(AddressOverflowException.class, () -> ip("255.255.255.255").plus(-0x1_0000_0000L));
        assertThrows(AddressOverflowException.class, () -> ip("1.2.3.4").plus(Long.MAX_VALUE));
        assertThrows(AddressOverflowException.class, () -> ip("1.2.3.4").plus(Long.MIN_VALUE));
        assertEquals(ip("::7fff:ffff:ffff:ffff"), ip("::").plus(Long.MAX_VALUE));
        assertEquals(ip("::8000:0:0:0"), ip("0:0:0:1::").plus(Long.MIN_VALUE));
        assertEquals("::1:7fff:ffff:ffff:fffe", ip("::ffff:ffff:ffff:ffff").plus(Long.MAX_VALUE).toString());
        assertThrows(AddressOverflowException.class, () -> ip("::7fff:ffff:ffff:ffff").plus(Long.MIN_VALUE));
        assertThrows(AddressOverflowException.class, () -> ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fff0").plus(16));
        assertEquals(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fff0").plus(15));
        assertEquals(ip("1.2.3.4"), ip("1.2.3.4").plus(0));
    }

    @Test
    void maskedClearsHostBits() throws Exception {
        assertEquals(ip("10.1.0.0"), ip("10.1.2.3").masked(16));
        assertEquals(ip("0.0.0.0"), ip("10.1.2.3").masked(0));
        assertEquals(ip("10.1.2.3"), ip("10.1.2.3").masked(32));
        assertEquals(ip("2001:db8::"), ip("2001:db8::1").masked(64));
        assertEquals(ip("2001:db8:0:0:8000::"), ip("2001:db8::ffff:0:0:1").masked(65));
        assertEquals(ip("fc00::"), ip("fd12:3456::1").masked(7));
        assertThrows(IllegalArgumentException.class, () -> ip("10.0.0.1").masked(33));
        assertThrows(IllegalArgumentException.class, () -> ip("::1").masked(-1));
    }

    @Test
    void orderIsIpv4FirstThenNumeric() throws Exception {
        List<IpAddress> sorted = new ArrayList<>(List.of(ip("::"), ip("10.0.0.2"), ip("255.255.255.255"), ip("8000::"),
                ip("10.0.0.10"), ip("0.0.0.0"), ip("7fff::")));
        java.util.Collections.sort(sorted);
        assertEquals(List.of(ip("0.0.0.0"), ip("10.0.0.2"), ip("10.0.0.10"), ip("255.255.255.255"), ip("::"),
                ip("7fff::"), ip("8000::")), sorted);
        assertEquals(0, ip("::ffff:10.0.0.2").compareTo(ip("10.0.0.2")));
    }

    @Test
    void equalityIsByValue() throws Exception {
        assertEquals(ip("2001:db8::1"), ip("2001:0DB8:0:0::0001"));
        assertEquals(ip("2001:db8::1").hashCode(), ip("2001:0DB8:0:0::0001").hashCode());
        assertFalse(ip("0.0.0.0").equals(ip("::")));
        assertFalse(ip("0.0.0.1").equals(ip("::1")));
    }
}
