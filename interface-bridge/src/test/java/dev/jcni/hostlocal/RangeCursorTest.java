package dev.jcni.hostlocal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The round-robin walk, step by step (the reference's RangeIter cases, and its corners). */
class RangeCursorTest {

    private static RangeSet set(String... ranges) throws Exception {
        List<SubnetRange.Spec> specs = new ArrayList<>();
        for (String r : ranges) {
            String[] p = r.split(" ");
            specs.add(new SubnetRange.Spec(IpPrefix.parse(p[0]), false, p.length > 1 ? IpAddress.parse(p[1]) : null,
                    p.length > 2 ? IpAddress.parse(p[2]) : null, p.length > 3 ? IpAddress.parse(p[3]) : null));
        }
        return RangeSet.canonicalize(specs);
    }

    private static List<String> walk(RangeSet set, String last) throws Exception {
        RangeCursor c = new RangeCursor(set, last == null ? null : IpAddress.parse(last));
        List<String> out = new ArrayList<>();
        for (IpAddress ip = c.next(); ip != null; ip = c.next()) {
            out.add(ip.toString());
            if (out.size() > 1000) {
                throw new AssertionError("no end: " + out.subList(0, 20));
            }
        }
        return out;
    }

    @Test
    void fromTheBeginningTheGatewayIsSkipped() throws Exception {
        assertEquals(List.of("192.168.1.2", "192.168.1.3", "192.168.1.4", "192.168.1.5", "192.168.1.6"),
                walk(set("192.168.1.0/29"), null));
    }

    @Test
    void fromTheEndItWrapsToTheStart() throws Exception {
        assertEquals(List.of("192.168.1.2", "192.168.1.3", "192.168.1.4", "192.168.1.5", "192.168.1.6"),
                walk(set("192.168.1.0/29"), "192.168.1.6"));
    }

    @Test
    void fromTheMiddleItEndsWithTheLastReserved() throws Exception {
        assertEquals(List.of("192.168.1.4", "192.168.1.5", "192.168.1.6", "192.168.1.2", "192.168.1.3"),
                walk(set("192.168.1.0/29"), "192.168.1.3"));
    }

    @Test
    void aLastReservedOutsideTheSetStartsAtTheFirstRange() throws Exception {
        assertEquals(List.of("10.0.0.2", "10.0.1.2"), walk(set("10.0.0.0/30", "10.0.1.0/30"), "10.0.5.2"));
        assertEquals(List.of("10.0.0.2", "10.0.1.2"), walk(set("10.0.0.0/30", "10.0.1.0/30"), "10.0.0.3"),
                "the broadcast address is outside the pool");
    }

    @Test
    void theEndOfOneRangeLeadsToTheNext() throws Exception {
        assertEquals(List.of("10.0.1.2", "10.0.2.2", "10.0.0.2"), walk(set("10.0.0.0/30", "10.0.1.0/30", "10.0.2.0/30"), "10.0.0.2"));
        assertEquals(List.of("10.0.0.2", "10.0.1.2", "10.0.2.2"), walk(set("10.0.0.0/30", "10.0.1.0/30", "10.0.2.0/30"), "10.0.2.2"));
    }

    @Test
    void aGatewayInsideAnExplicitPoolIsSkippedWhereverTheWalkStarts() throws Exception {
        RangeSet s = set("10.0.0.0/24 10.0.0.10 10.0.0.14 10.0.0.12");
        assertEquals(List.of("10.0.0.10", "10.0.0.11", "10.0.0.13", "10.0.0.14"), walk(s, null));
        assertEquals(List.of("10.0.0.13", "10.0.0.14", "10.0.0.10", "10.0.0.11"), walk(s, "10.0.0.11"));
        assertEquals(List.of("10.0.0.13", "10.0.0.14", "10.0.0.10", "10.0.0.11"), walk(s, "10.0.0.12"));
        assertEquals(List.of(), walk(set("10.0.0.0/24 10.0.0.7 10.0.0.7 10.0.0.7"), null), "a pool of only its gateway");
    }

    @Test
    void ipv6EndsAtTheLastAddress() throws Exception {
        assertEquals(List.of("2001:db8::2", "2001:db8::3"), walk(set("2001:db8::/126"), null));
        assertEquals(List.of("2001:db8::2", "2001:db8::3"), walk(set("2001:db8::/126"), "2001:db8::3"));
        RangeSet wide = set("2001:db8::/64 2001:db8::ffff:ffff:ffff:fffe");
        assertEquals(List.of("2001:db8::ffff:ffff:ffff:ffff", "2001:db8::ffff:ffff:ffff:fffe"),
                walk(wide, "2001:db8::ffff:ffff:ffff:fffe"));
    }

    @Test
    void theTopOfTheAddressSpaceDoesNotOverflow() throws Exception {
        assertEquals(List.of("255.255.255.254", "255.255.255.255"),
                walk(set("255.255.255.252/30 255.255.255.254 255.255.255.255 255.255.255.253"), "255.255.255.255"));
    }
}
