package dev.jcni.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpRangeTest {

    private static IpAddress ip(String text) throws AddressFormatException {
        return IpAddress.parse(text);
    }

    private static IpRange range(String first, String last) throws AddressFormatException {
        return IpRange.of(ip(first), ip(last));
    }

    @Test
    void printsAsHostLocalPrintsARange() throws Exception {
        assertEquals("10.1.2.9-10.1.2.20", range("10.1.2.9", "10.1.2.20").toString());
        assertEquals("2001:db8::1-2001:db8::ffff", range("2001:DB8::1", "2001:db8:0::ffff").toString());
        assertEquals("10.0.0.7-10.0.0.7", range("10.0.0.7", "10.0.0.7").toString());
    }

    @Test
    void endsAreIncluded() throws Exception {
        IpRange r = range("10.1.2.9", "10.1.2.20");
        assertTrue(r.contains(ip("10.1.2.9")));
        assertTrue(r.contains(ip("10.1.2.20")));
        assertTrue(r.contains(ip("10.1.2.15")));
        assertFalse(r.contains(ip("10.1.2.8")));
        assertFalse(r.contains(ip("10.1.2.21")));
        assertFalse(r.contains(ip("::ffff:10.1.2.8")), "the IPv4-mapped form is the IPv4 address");
        assertTrue(r.contains(ip("::ffff:10.1.2.10")));
        assertFalse(r.contains(ip("::a01:20a")), "same low bits, other family");
    }

    @Test
    void emptyOrMixedRangesDoNotExist() {
        IllegalArgumentException backwards = assertThrows(IllegalArgumentException.class, () -> range("10.0.0.9", "10.0.0.8"));
        assertTrue(backwards.getMessage().contains("10.0.0.9 comes after 10.0.0.8"), backwards.getMessage());
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class, () -> range("10.0.0.1", "::1"));
        assertTrue(mixed.getMessage().contains("one address family"), mixed.getMessage());
        assertThrows(NullPointerException.class, () -> IpRange.of(null, ip("10.0.0.1")));
    }

    @Test
    void aWholeNetworkIncludesNetworkAndBroadcast() throws Exception {
        IpRange r = IpRange.of(IpPrefix.parse("10.1.2.77/24"));
        assertEquals(range("10.1.2.0", "10.1.2.255"), r);
        assertEquals(BigInteger.valueOf(256), r.size());
        assertEquals(BigInteger.ONE.shiftLeft(64), IpRange.of(IpPrefix.parse("2001:db8::/64")).size());
        assertEquals(BigInteger.ONE.shiftLeft(128), IpRange.of(IpPrefix.parse("::/0")).size());
        assertEquals(BigInteger.ONE.shiftLeft(32), IpRange.of(IpPrefix.parse("0.0.0.0/0")).size());
    }

    /** Two ranges, then whether they share an address: every relative position, both ways round. */
    @ParameterizedTest(name = "{0} / {1} -> {2}")
    @CsvSource({
        "10.0.0.1-10.0.0.9, 10.0.0.10-10.0.0.20, false",
        "10.0.0.1-10.0.0.10, 10.0.0.10-10.0.0.20, true",
        "10.0.0.1-10.0.0.30, 10.0.0.10-10.0.0.20, true",
        "10.0.0.12-10.0.0.13, 10.0.0.10-10.0.0.20, true",
        "10.0.0.15-10.0.0.30, 10.0.0.10-10.0.0.20, true",
        "10.0.0.21-10.0.0.30, 10.0.0.10-10.0.0.20, false",
        "10.0.0.5-10.0.0.5, 10.0.0.5-10.0.0.5, true",
        "::a00:1-::a00:ff, 10.0.0.1-10.0.0.255, false",
        "2001:db8::1-2001:db8::ff, 2001:db8::ff-2001:db8::1:0, true",
    })
    void overlapIsSharingAnAddress(String a, String b, boolean expected) throws Exception {
        IpRange ra = parse(a);
        IpRange rb = parse(b);
        assertEquals(expected, ra.overlaps(rb));
        assertEquals(expected, rb.overlaps(ra));
    }

    /** Overlap and size against a brute-force oracle over small random IPv4 ranges. */
    @Test
    void overlapAndSizeAgreeWithCounting() throws Exception {
        Random random = new Random(0x72616e67L);
        IpAddress base = ip("192.168.0.0");
        for (int i = 0; i < 2_000; i++) {
            int a1 = random.nextInt(64);
            int a2 = a1 + random.nextInt(64 - a1);
            int b1 = random.nextInt(64);
            int b2 = b1 + random.nextInt(64 - b1);
            IpRange ra = IpRange.of(base.plus(a1), base.plus(a2));
            IpRange rb = IpRange.of(base.plus(b1), base.plus(b2));
            boolean shared = false;
            int count = 0;
            for (int x = 0; x < 64; x++) {
                boolean inA = ra.contains(base.plus(x));
                boolean inB = rb.contains(base.plus(x));
                shared |= inA && inB;
                count += inA ? 1 : 0;
                assertEquals(x >= a1 && x <= a2, inA, ra + " contains +" + x);
            }
            assertEquals(shared, ra.overlaps(rb), ra + " / " + rb);
            assertEquals(BigInteger.valueOf(count), ra.size(), ra.toString());
        }
    }

    @Test
    void equalityIsByEnds() throws Exception {
        assertEquals(range("10.0.0.1", "10.0.0.9"), range("10.0.0.1", "10.0.0.9"));
        assertEquals(range("10.0.0.1", "10.0.0.9").hashCode(), range("10.0.0.1", "10.0.0.9").hashCode());
        assertNotEquals(range("10.0.0.1", "10.0.0.9"), range("10.0.0.1", "10.0.0.8"));
        assertNotEquals(range("10.0.0.1", "10.0.0.9"), range("10.0.0.2", "10.0.0.9"));
    }

    private static IpRange parse(String text) throws AddressFormatException {
        int dash = text.indexOf('-');
        return range(text.substring(0, dash).trim(), text.substring(dash + 1).trim());
    }
}
