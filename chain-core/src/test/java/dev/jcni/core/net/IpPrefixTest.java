package dev.jcni.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpPrefixTest {

    private static IpPrefix prefix(String text) throws AddressFormatException {
        return IpPrefix.parse(text);
    }

    private static IpAddress ip(String text) throws AddressFormatException {
        return IpAddress.parse(text);
    }

    @Test
    void hostBitsAreKeptAsInCniResults() throws Exception {
        IpPrefix p = prefix("10.1.0.5/16");
        assertEquals(ip("10.1.0.5"), p.address());
        assertEquals(16, p.length());
        assertEquals("10.1.0.5/16", p.toString());
        assertFalse(p.isNetwork());
        assertEquals(prefix("10.1.0.0/16"), p.network());
        assertTrue(p.network().isNetwork());
        assertNotEquals(prefix("10.1.0.0/16"), p);
        assertEquals(ip("10.1.0.0"), p.first());
        assertEquals(ip("10.1.255.255"), p.last());
    }

    /** Input, then Go's types.IPNet text for net.ParseCIDR(input) with the address kept. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "10.1.0.5/16|10.1.0.5/16",
        "10.0.0.0/08|10.0.0.0/8",
        "0.0.0.0/0|0.0.0.0/0",
        "10.0.0.1/32|10.0.0.1/32",
        "2001:DB8:0:0:1:0:0:1/64|2001:db8::1:0:0:1/64",
        "::/0|::/0",
        "::1/128|::1/128",
        "::ffff:10.1.0.5/120|10.1.0.5/24",
        "::ffff:10.1.0.5/128|10.1.0.5/32",
        "::ffff:0.0.0.0/96|0.0.0.0/0",
        "fe80::1/0064|fe80::1/64",
    })
    void printsAsGo(String input, String canonical) throws Exception {
        IpPrefix p = prefix(input);
        assertEquals(canonical, p.toString());
        assertEquals(p, prefix(canonical));
    }

    /** Refused by Go's net.ParseCIDR, and the short IPv4-mapped prefix that Go would widen to /0. */
    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0.0", "10.0.0.0/", "10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/+8",
        "10.0.0.0/8 ", " 10.0.0.0/8", "10.0.0.0/8/8", "/8", "fe80::1%eth0/64", "010.0.0.0/8", "10.0.0.0/0x8",
        "10.0.0/8", "10.0.0.0/\u0668", "::ffff:10.1.0.5/95", "::ffff:10.1.0.5/0", "::ffff:10.1.0.5/129",
        "10.0.0.0/99999999999999999999"})
    void refusesMalformed(String input) {
        AddressFormatException e = assertThrows(AddressFormatException.class, () -> prefix(input));
        assertTrue(e.getMessage().startsWith("invalid CIDR address \"" + input + "\": "), e.getMessage());
    }

    @Test
    void reasons() {
        assertEquals("prefix length is more than 32", reason("10.0.0.0/33"));
        assertEquals("IPv4 field has octet with leading zero", reason("010.0.0.0/8"));
        assertEquals("an IPv4-mapped address needs a prefix length of 96 or more", reason("::ffff:10.1.0.5/95"));
        assertEquals("no prefix length (\"/n\")", reason("10.0.0.0"));
    }

    private static String reason(String input) {
        return assertThrows(AddressFormatException.class, () -> prefix(input)).reason();
    }

    @Test
    void wholeAddressSpaces() throws Exception {
        IpPrefix all4 = prefix("0.0.0.0/0");
        assertEquals(ip("0.0.0.0"), all4.first());
        assertEquals(ip("255.255.255.255"), all4.last());
        assertTrue(all4.contains(ip("255.255.255.255")));
        assertTrue(all4.contains(ip("0.0.0.0")));
        assertFalse(all4.contains(ip("::")));
        IpPrefix all6 = prefix("::/0");
        assertEquals(ip("::"), all6.first());
        assertEquals(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), all6.last());
        assertTrue(all6.contains(ip("8000::1")));
        assertFalse(all6.contains(ip("1.2.3.4")));
    }

    @Test
    void singleAddressPrefixes() throws Exception {
        IpPrefix host4 = prefix("10.0.0.1/32");
        assertEquals(ip("10.0.0.1"), host4.first());
        assertEquals(ip("10.0.0.1"), host4.last());
        assertTrue(host4.contains(ip("10.0.0.1")));
        assertFalse(host4.contains(ip("10.0.0.2")));
        assertTrue(host4.isNetwork());
        IpPrefix host6 = prefix("2001:db8::1/128");
        assertEquals(ip("2001:db8::1"), host6.first());
        assertEquals(ip("2001:db8::1"), host6.last());
        assertFalse(host6.contains(ip("2001:db8::")));
    }

    @Test
    void lengthsInsideEitherHalfOfAnIpv6Address() throws Exception {
        assertEquals(ip("2001:db8::ffff:ffff:ffff:ffff"), prefix("2001:db8::5/64").last());
        assertEquals(ip("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), prefix("fd00::/7").last());
        assertTrue(prefix("fd00::/7").contains(ip("fc00::1")));
        assertFalse(prefix("fd00::/7").contains(ip("fe00::1")));
        assertEquals("2001:db8:0:0:8000::/65", prefix("2001:db8::8000:0:0:1/65").network().toString());
        assertEquals(ip("2001:db8::ffff:ffff:ffff:ffff"), prefix("2001:db8::8000:0:0:1/65").last());
        assertEquals(ip("2001:db8::7fff:ffff:ffff:ffff"), prefix("2001:db8::1/65").last());
    }

    @Test
    void ipv4Boundaries() throws Exception {
        assertEquals(ip("10.0.0.255"), prefix("10.0.0.7/24").last());
        assertEquals(ip("10.0.0.6"), prefix("10.0.0.7/31").first());
        assertEquals(ip("10.0.0.7"), prefix("10.0.0.7/31").last());
        assertEquals(ip("127.255.255.255"), prefix("0.0.0.0/1").last());
        assertEquals(ip("128.0.0.0"), prefix("255.0.0.0/1").first());
    }

    @Test
    void overlaps() throws Exception {
        assertTrue(prefix("10.0.0.0/8").overlaps(prefix("10.1.0.0/16")));
        assertTrue(prefix("10.1.0.0/16").overlaps(prefix("10.0.0.0/8")));
        assertTrue(prefix("10.1.2.3/16").overlaps(prefix("10.1.200.0/24")));
        assertFalse(prefix("10.0.0.0/16").overlaps(prefix("10.1.0.0/16")));
        assertFalse(prefix("0.0.0.0/0").overlaps(prefix("::/0")));
    }

    @Test
    void ofChecksTheLengthAgainstTheFamily() throws Exception {
        assertEquals(prefix("10.0.0.1/24"), IpPrefix.of(ip("10.0.0.1"), 24));
        assertEquals(prefix("::1/128"), IpPrefix.of(ip("::1"), 128));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.of(ip("10.0.0.1"), 33));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.of(ip("::1"), 129));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.of(ip("::1"), -1));
    }
}
