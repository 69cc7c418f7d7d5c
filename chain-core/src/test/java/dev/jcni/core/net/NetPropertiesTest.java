package dev.jcni.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Round trips and arithmetic over many random values, each checked against an oracle that shares
 * no code with the class under test: text built here by hand, BigInteger arithmetic, and the
 * RFC 5952 rules stated as properties of the output. Seeded, so a failure reproduces.
 */
class NetPropertiesTest {
    private static final int CASES = 20_000;
    private static final BigInteger TWO = BigInteger.valueOf(2);

    private final Random random = new Random(0x6a636e69L);

    /** 16 bytes whose groups are often zero, so that runs of zeros of every length occur. */
    private byte[] ipv6Bytes() {
        byte[] b = new byte[16];
        for (int g = 0; g < 8; g++) {
            int v = random.nextInt(3) == 0 ? random.nextInt(0x10000) : random.nextInt(4) == 0 ? 1 : 0;
            b[2 * g] = (byte) (v >> 8);
            b[2 * g + 1] = (byte) v;
        }
        return b;
    }

    private static boolean isMapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }

    private static BigInteger value(IpAddress a) {
        return new BigInteger(1, a.toBytes());
    }

    @Test
    void ipv4TextIsDottedDecimalAndRoundTrips() throws Exception {
        for (int i = 0; i < CASES; i++) {
            byte[] b = new byte[4];
            random.nextBytes(b);
            IpAddress a = IpAddress.fromBytes(b);
            String expected = (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
            assertEquals(expected, a.toString());
            assertEquals(a, IpAddress.parse(expected));
            assertEquals(a, IpAddress.parse("::ffff:" + expected));
        }
    }

    @Test
    void ipv6TextFollowsRfc5952AndRoundTrips() throws Exception {
        for (int i = 0; i < CASES; i++) {
            byte[] b = ipv6Bytes();
            IpAddress a = IpAddress.fromBytes(b);
            StringBuilder expanded = new StringBuilder();
            for (int g = 0; g < 8; g++) {
                expanded.append(g == 0 ? "" : ":").append(String.format("%04X", ((b[2 * g] & 0xff) << 8) | (b[2 * g + 1] & 0xff)));
            }
            assertEquals(a, IpAddress.parse(expanded.toString()), expanded.toString());
            assertEquals(a, IpAddress.parse(a.toString()), a.toString());
            if (isMapped(b)) {
                assertTrue(a.isIpv4(), expanded.toString());
                continue;
            }
            assertTrue(a.isIpv6());
            assertRfc5952(a.toString());
        }
    }

    /**
     * RFC 5952 section 4 as checks on the text: lower case, no leading zeros, at most one "::",
     * standing for at least two groups, for the longest run of zero groups, the first of equal ones.
     */
    private static void assertRfc5952(String text) {
        assertEquals(text.toLowerCase(java.util.Locale.ROOT), text, "lower case");
        int ellipsis = text.indexOf("::");
        assertTrue(ellipsis < 0 || text.indexOf("::", ellipsis + 1) < 0, text + ": one :: at most");
        String marked = ellipsis < 0 ? text : text.substring(0, ellipsis) + ":#:" + text.substring(ellipsis + 2);
        int explicitGroups = 0;
        int run = 0;
        int longestRunBefore = 0;
        int longestRunAfter = 0;
        boolean after = false;
        for (String part : marked.split(":")) {
            if (part.isEmpty()) {
                continue;
            }
            if (part.equals("#")) {
                after = true;
                run = 0;
                continue;
            }
            assertTrue(part.length() <= 4 && (part.length() == 1 || part.charAt(0) != '0'), text + ": leading zeros");
            explicitGroups++;
            run = part.equals("0") ? run + 1 : 0;
            if (after) {
                longestRunAfter = Math.max(longestRunAfter, run);
            } else {
                longestRunBefore = Math.max(longestRunBefore, run);
            }
        }
        if (ellipsis < 0) {
            assertEquals(8, explicitGroups, text);
            assertTrue(longestRunBefore < 2, text + ": a run of zeros left uncompressed");
        } else {
            int elided = 8 - explicitGroups;
            assertTrue(elided >= 2, text + ": :: must not stand for a single group");
            assertTrue(elided > longestRunBefore, text + ": an equal or longer run comes first");
            assertTrue(elided >= longestRunAfter, text + ": a longer run is written out");
        }
    }

    @Test
    void arithmeticAgreesWithBigInteger() {
        for (int i = 0; i < CASES; i++) {
            boolean v4 = random.nextBoolean();
            byte[] b = v4 ? new byte[4] : ipv6Bytes();
            if (v4) {
                random.nextBytes(b);
            }
            IpAddress a = IpAddress.fromBytes(b);
            int bits = a.family().bits();
            long delta = switch (random.nextInt(4)) {
                case 0 -> random.nextInt(512) - 256;
                case 1 -> random.nextLong();
                case 2 -> random.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
                default -> (long) random.nextInt() << random.nextInt(32);
            };
            BigInteger expected = value(a).add(BigInteger.valueOf(delta));
            if (expected.signum() < 0 || expected.bitLength() > bits) {
                assertThrows(AddressOverflowException.class, () -> a.plus(delta), a + " + " + delta);
                continue;
            }
            IpAddress moved = a.plus(delta);
            assertEquals(expected, value(moved), a + " + " + delta);
            assertEquals(a.family(), moved.family());
            assertEquals(Long.signum(delta), Integer.signum(moved.compareTo(a)), a + " + " + delta);
        }
    }

    @Test
    void orderAgreesWithNumericValueWithinAFamily() {
        for (int i = 0; i < CASES; i++) {
            IpAddress x = IpAddress.fromBytes(ipv6Bytes());
            IpAddress y = IpAddress.fromBytes(ipv6Bytes());
            if (x.family() != y.family()) {
                assertEquals(x.isIpv4() ? -1 : 1, Integer.signum(x.compareTo(y)));
                continue;
            }
            assertEquals(value(x).compareTo(value(y)), Integer.signum(x.compareTo(y)), x + " vs " + y);
            assertEquals(x.compareTo(y) == 0, x.equals(y));
        }
    }

    @Test
    void prefixesHoldTheirAddressAndSpanTwoToTheHostBits() throws Exception {
        for (int i = 0; i < CASES; i++) {
            boolean v4 = random.nextBoolean();
            byte[] b = v4 ? new byte[4] : ipv6Bytes();
            if (v4) {
                random.nextBytes(b);
            }
            IpAddress a = IpAddress.fromBytes(b);
            int bits = a.family().bits();
            int length = random.nextInt(bits + 1);
            IpPrefix p = IpPrefix.of(a, length);
            assertEquals(p, IpPrefix.parse(p.toString()), p.toString());
            assertEquals(a + "/" + length, p.toString());
            assertTrue(p.contains(a));
            assertTrue(p.contains(p.first()) && p.contains(p.last()));
            BigInteger size = value(p.last()).subtract(value(p.first())).add(BigInteger.ONE);
            assertEquals(TWO.pow(bits - length), size, p.toString());
            BigInteger blockStart = value(a).shiftRight(bits - length).shiftLeft(bits - length);
            assertEquals(blockStart, value(p.first()), p.toString());
            assertTrue(p.network().isNetwork());
            assertEquals(p.first(), p.network().address());
            if (length > 0 && p.first().compareTo(IpAddress.fromBytes(new byte[bits / 8])) > 0) {
                assertFalse(p.contains(p.first().previous()), p.toString());
            }
        }
    }

    @Test
    void macTextFormsRoundTrip() throws Exception {
        for (int i = 0; i < CASES; i++) {
            byte[] b = new byte[6];
            random.nextBytes(b);
            MacAddress mac = MacAddress.fromBytes(b);
            String[] hex = new String[6];
            for (int j = 0; j < 6; j++) {
                hex[j] = String.format("%02x", b[j] & 0xff);
            }
            String colons = String.join(":", hex);
            assertEquals(colons, mac.toString());
            assertEquals(mac, MacAddress.parse(colons.toUpperCase(java.util.Locale.ROOT)));
            assertEquals(mac, MacAddress.parse(String.join("-", hex)));
            assertEquals(mac, MacAddress.parse(hex[0] + hex[1] + "." + hex[2] + hex[3] + "." + hex[4] + hex[5]));
            assertEquals((b[0] & 1) == 0, mac.isUnicast());
        }
    }
}
