package dev.jcni.core.os.nft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralsTest {
    @ParameterizedTest
    @CsvSource({
        "::, ::",
        "::1, ::1",
        "1::, 1::",
        "2001:DB8::2, 2001:db8::2",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "fe80::1:2, fe80::1:2",
        "0:0:0:0:0:ffff:102:304, ::ffff:1.2.3.4",
        "::ffff:1.2.3.4, ::ffff:1.2.3.4",
        "64:ff9b::192.0.2.1, 64:ff9b::c000:201",
        "1:0:0:2:0:0:0:3, 1:0:0:2::3",
        "1:2:3:4:5:6:1.2.3.4, 1:2:3:4:5:6:102:304",
        "1::3:4:5:6:7:8, 1:0:3:4:5:6:7:8",
    })
    void ipv6Canonical(String in, String out) {
        assertEquals(out, IpLiterals.formatIpv6(IpLiterals.parseIpv6(in)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":", ":::", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "g::", "1:2:3:4:5:6:7", ":1::",
        "1:", "::1.2.3", "fe80::1%eth0", "1.2.3.4", "::\u0661", "1::2:3:4:5:6:7:8",
        "::1::2", "::1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:1.2.3.4", "1/0.0.0", "1:0.0.0"})
    void ipv6Invalid(String in) {
        assertNull(IpLiterals.parseIpv6(in));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.1.1.1", "1..2.3", "1.2.3.4 ", " 1.2.3.4", "a.b.c.d", "1.2.3.-4",
        "1234.1.1.1", "1/0.0.0", "1:0.0.0", "1.2.3.:", "::ffff:1.2.3.4", "::1.2.3.4"})
    void ipv4Invalid(String in) {
        assertNull(IpLiterals.parseIpv4(in));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "255.255.255.255", "10.0.0.1", "192.168.100.200", "9.90.199.209"})
    void ipv4RoundTrip(String in) {
        assertEquals(in, IpLiterals.formatIpv4(IpLiterals.parseIpv4(in)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0a:58:0a:f4:00", "0a:58:0a:f4:00:05:06", "0a:58:0a:f4:00:5g", "0a:58:0a:f4:00:005", "0a-58-0a-f4-00-05",
        "0a:58::f4:00:05"})
    void macInvalid(String in) {
        assertNull(IpLiterals.parseMac(in));
    }
}
