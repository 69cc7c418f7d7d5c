package dev.jcni.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Edges of the address values: a range's ends and identity, Go's embedded-IPv4 rule, a prefix with nothing before its slash. */
class NetEdgesTest {
    @Test
    void aRangeOfAPrefixRunsFromItsNetworkToItsBroadcastAddress() throws Exception {
        IpRange r = IpRange.of(IpPrefix.parse("10.1.2.0/24"));
        assertEquals(IpAddress.parse("10.1.2.0"), r.first());
        assertEquals(IpAddress.parse("10.1.2.255"), r.last());
        assertEquals(IpAddress.Family.IPV4, r.family());
        assertEquals(IpAddress.Family.IPV6, IpRange.of(IpPrefix.parse("2001:db8::/64")).family());
    }

    @Test
    void rangesAreEqualByTheirEnds() throws Exception {
        IpRange a = IpRange.of(IpAddress.parse("10.0.0.1"), IpAddress.parse("10.0.0.9"));
        IpRange same = IpRange.of(IpAddress.parse("10.0.0.1"), IpAddress.parse("10.0.0.9"));
        IpRange other = IpRange.of(IpAddress.parse("10.0.0.1"), IpAddress.parse("10.0.0.8"));
        assertEquals(same, a);
        assertEquals(same.hashCode(), a.hashCode());
        assertNotEquals(other, a);
        assertNotEquals(other.hashCode(), a.hashCode());
    }

    @Test
    void anEmbeddedIpv4AfterSevenGroupsDoesNotFit() {
        // Go's netip.ParseAddr: the same input, the same reason.
        AddressFormatException e = assertThrows(AddressFormatException.class, () -> IpAddress.parse("::1:2:3:4:5:6:7:1.2.3.4"));
        assertEquals("too many hex fields to fit an embedded IPv4 at the end of the address", e.reason());
    }

    @Test
    void aPrefixWithNothingBeforeTheSlashIsAnAddressError() {
        // Go: ParsePrefix("/24") fails in ParseAddr(""), not for a missing "/n".
        AddressFormatException e = assertThrows(AddressFormatException.class, () -> IpPrefix.parse("/24"));
        assertEquals("empty", e.reason());
    }
}
