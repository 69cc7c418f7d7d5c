package dev.jcni.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Properties of the values that the other net tests take for granted. */
class NetValuesTest {
    @Test
    void familiesAreExclusive() throws Exception {
        IpAddress v4 = IpAddress.parse("10.0.0.1");
        IpAddress v6 = IpAddress.parse("fd00::1");
        assertTrue(v4.isIpv4());
        assertFalse(v4.isIpv6());
        assertTrue(v6.isIpv6());
        assertFalse(v6.isIpv4());
    }

    @Test
    void aUnicastMacIsNotMulticast() throws Exception {
        assertFalse(MacAddress.parse("02:00:00:00:00:01").isMulticast());
        assertTrue(MacAddress.parse("01:00:5e:00:00:01").isMulticast());
        assertTrue(MacAddress.parse("ff:ff:ff:ff:ff:ff").isMulticast());
    }

    /** Values are map keys (leases, allocations): distinct values must spread, equal ones collide. */
    @Test
    void hashCodesFollowEqualityAndSpread() throws Exception {
        Set<Integer> addressHashes = new HashSet<>();
        Set<Integer> prefixHashes = new HashSet<>();
        Set<Integer> macHashes = new HashSet<>();
        for (int i = 0; i < 256; i++) {
            addressHashes.add(IpAddress.parse("10.0." + i + ".1").hashCode());
            addressHashes.add(IpAddress.parse("fd00::" + Integer.toHexString(i) + ":1").hashCode());
            prefixHashes.add(IpPrefix.parse("10." + i + ".0.0/16").hashCode());
            prefixHashes.add(IpPrefix.parse("10.0.0.0/" + (i % 33)).hashCode());
            macHashes.add(MacAddress.parse(String.format("02:00:00:00:%02x:01", i)).hashCode());
        }
        assertTrue(addressHashes.size() > 500, "addresses: " + addressHashes.size() + " distinct hashes of 512");
        assertTrue(prefixHashes.size() > 280, "prefixes: " + prefixHashes.size() + " distinct hashes of 289");
        assertTrue(macHashes.size() > 250, "MACs: " + macHashes.size() + " distinct hashes of 256");
        assertEquals(IpAddress.parse("10.0.0.1").hashCode(), IpAddress.parse("10.0.0.1").hashCode());
        assertEquals(IpPrefix.parse("10.0.0.5/24").hashCode(), IpPrefix.parse("10.0.0.5/24").hashCode());
        assertEquals(MacAddress.parse("02:00:00:00:00:01").hashCode(), MacAddress.parse("02-00-00-00-00-01").hashCode());
    }

    @Test
    void hostBitsRefuseAPrefixLengthOutsideTheFamily() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> IpAddress.parse("10.0.0.1").hostBitsSet(33));
        assertThrows(IllegalArgumentException.class, () -> IpAddress.parse("fd00::1").hostBitsSet(-1));
        assertEquals(IpAddress.parse("10.0.0.255"), IpAddress.parse("10.0.0.1").hostBitsSet(24));
    }

    @Test
    void anUnderflowSaysByHowMuch() throws Exception {
        AddressOverflowException e = assertThrows(AddressOverflowException.class, () -> IpAddress.parse("0.0.0.1").plus(-2));
        assertEquals("0.0.0.1 - 2 is outside the IPv4 address space", e.getMessage());
        AddressOverflowException up = assertThrows(AddressOverflowException.class, () -> IpAddress.parse("255.255.255.255").plus(1));
        assertEquals("255.255.255.255 + 1 is outside the IPv4 address space", up.getMessage());
    }

    @Test
    void aSingleZeroGroupIsNotCompressed() throws Exception {
        assertEquals("2001:db8:0:1:1:1:1:1", IpAddress.parse("2001:db8:0:1:1:1:1:1").toString());
        assertEquals("2001:db8::1:1:1:1", IpAddress.parse("2001:db8:0:0:1:1:1:1").toString());
    }
}
