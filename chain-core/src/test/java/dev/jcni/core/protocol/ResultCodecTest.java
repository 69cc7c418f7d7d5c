package dev.jcni.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.net.AddressFormatException;
import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResultCodecTest {

    // ---- fixtures: one realistic result per source family, and what each target family prints.
    // "@V" stands for the version. Expected texts are in the exact output key order.

    private static final String LEGACY = """
            {"cniVersion":"@V",
             "ip4":{"ip":"10.1.0.5/16","gateway":"10.1.0.1",
                    "routes":[{"dst":"0.0.0.0/0","gw":"10.1.0.1"},{"dst":"192.168.0.0/16"}]},
             "ip6":{"ip":"fd00:1::5/64","gateway":"fd00:1::1","routes":[{"dst":"::/0","gw":"fd00:1::1"}]},
             "dns":{"nameservers":["10.1.0.1"],"domain":"cluster.local","search":["svc.cluster.local"]}}""";

    private static final String LEGACY_AS_040 = """
            {"cniVersion":"@V",
             "ips":[{"version":"4","address":"10.1.0.5/16","gateway":"10.1.0.1"},
                    {"version":"6","address":"fd00:1::5/64","gateway":"fd00:1::1"}],
             "routes":[{"dst":"0.0.0.0/0","gw":"10.1.0.1"},{"dst":"192.168.0.0/16"},{"dst":"::/0","gw":"fd00:1::1"}],
             "dns":{"nameservers":["10.1.0.1"],"domain":"cluster.local","search":["svc.cluster.local"]}}""";

    private static final String LEGACY_AS_100 = """
            {"cniVersion":"@V",
             "ips":[{"address":"10.1.0.5/16","gateway":"10.1.0.1"},{"address":"fd00:1::5/64","gateway":"fd00:1::1"}],
             "routes":[{"dst":"0.0.0.0/0","gw":"10.1.0.1"},{"dst":"192.168.0.0/16"},{"dst":"::/0","gw":"fd00:1::1"}],
             "dns":{"nameservers":["10.1.0.1"],"domain":"cluster.local","search":["svc.cluster.local"]}}""";

    /** bridge-like: host bridge, host veth end, container eth0; Go's key order inside ips. */
    private static final String V040 = """
            {"cniVersion":"@V",
             "interfaces":[{"name":"cni0","mac":"0a:58:0a:01:00:01"},
                           {"name":"veth1234","mac":"6e:1f:aa:bb:cc:dd"},
                           {"name":"eth0","mac":"0a:58:0a:01:00:05","sandbox":"/var/run/netns/cni-1"}],
             "ips":[{"version":"4","interface":2,"address":"10.1.0.5/16","gateway":"10.1.0.1"},
                    {"version":"6","interface":2,"address":"fd00:1::5/64","gateway":"fd00:1::1"},
                    {"version":"4","interface":2,"address":"10.2.0.5/16"}],
             "routes":[{"dst":"0.0.0.0/0","gw":"10.1.0.1"},{"dst":"::/0","gw":"fd00:1::1"},{"dst":"10.96.0.0/12"}],
             "dns":{"nameservers":["10.96.0.10"],"search":["default.svc.cluster.local"],"options":["ndots:5"]}}""";

    private static final String V040_AS_LEGACY = """
            {"cniVersion":"@V",
             "ip4":{"ip":"10.1.0.5/16","gateway":"10.1.0.1",
                    "routes":[{"dst":"0.0.0.0/0","gw":"10.1.0.1"},{"dst":"10.96.0.0/12"}]},
             "ip6":{"ip":"fd00:1::5/64","gateway":"fd00:1::1","routes":[{"dst":"::/0","gw":"fd00:1::1"}]},
             "dns":{"nameservers":["10.96.0.10"],"search":["default.svc.cluster.local"],"options":["ndots:5"]}}""";

    private static final String V040_AS_040 = """
            {"cniVersion":"@V",
             "interfaces":[{"name":"cni0","mac":"0a:58:0a:01:00:01"},
                           {"name":"veth1234","mac":"6e:1f:aa:bb:cc:dd"},
                           {"name":"eth0","mac":"0a:58:0a:01:00:05","sandbox":"/var/run/netns/cni-1"}],
             "ips":[{"version":"4","address":"10.1.0.5/16","gateway":"10.1.0.1","interface":2},
                    {"version":"6","address":"fd00:1::5/64","gateway":"fd00:1::1","interface":2},
                    {"version":"4","address":"10.2.0.5/16","interface":2}],
             "routes":[{"dst":"0.0.0.0/0","gw":"10.1.0.1"},{"dst":"::/0","gw":"fd00:1::1"},{"dst":"10.96.0.0/12"}],
             "dns":{"nameservers":["10.96.0.10"],"search":["default.svc.cluster.local"],"options":["ndots:5"]}}""";

    private static final String V040_AS_100 = """
            {"cniVersion":"@V",
             "interfaces":[{"name":"cni0","mac":"0a:58:0a:01:00:01"},
                           {"name":"veth1234","mac":"6e:1f:aa:bb:cc:dd"},
                           {"name":"eth0","mac":"0a:58:0a:01:00:05","sandbox":"/var/run/netns/cni-1"}],
             "ips":[{"address":"10.1.0.5/16","gateway":"10.1.0.1","interface":2},
                    {"address":"fd00:1::5/64","gateway":"fd00:1::1","interface":2},
                    {"address":"10.2.0.5/16","interface":2}],
             "routes":[{"dst":"0.0.0.0/0","gw":"10.1.0.1"},{"dst":"::/0","gw":"fd00:1::1"},{"dst":"10.96.0.0/12"}],
             "dns":{"nameservers":["10.96.0.10"],"search":["default.svc.cluster.local"],"options":["ndots:5"]}}""";

    /** 1.1-style, IPv6 listed first, with every 1.1 extra, table/scope 0 and a u32 table id. */
    private static final String V100 = """
            {"cniVersion":"@V",
             "interfaces":[{"name":"cni0","mac":"0a:58:0a:01:00:01","mtu":1500},
                           {"name":"eth0","mac":"0a:58:0a:01:00:05","mtu":9000,"sandbox":"/var/run/netns/cni-1",
                            "socketPath":"/run/vhost/sock0","pciID":"0000:00:1f.6"}],
             "ips":[{"address":"fd00:1::5/64","gateway":"fd00:1::1","interface":1},
                    {"address":"10.1.0.5/16","gateway":"10.1.0.1","interface":1},
                    {"address":"10.2.0.5/16","interface":1}],
             "routes":[{"dst":"0.0.0.0/0","gw":"10.1.0.1","mtu":1450,"advmss":1400,"priority":100,"table":0,"scope":0},
                       {"dst":"::/0","gw":"fd00:1::1","table":4294967295},
                       {"dst":"10.96.0.0/12","scope":253}],
             "dns":{"nameservers":["10.96.0.10"],"domain":"cluster.local"}}""";

    private static final String V100_AS_LEGACY = """
            {"cniVersion":"@V",
             "ip4":{"ip":"10.1.0.5/16","gateway":"10.1.0.1",
                    "routes":[{"dst":"0.0.0.0/0","gw":"10.1.0.1"},{"dst":"10.96.0.0/12"}]},
             "ip6":{"ip":"fd00:1::5/64","gateway":"fd00:1::1","routes":[{"dst":"::/0","gw":"fd00:1::1"}]},
             "dns":{"nameservers":["10.96.0.10"],"domain":"cluster.local"}}""";

    private static final String V100_AS_040 = """
            {"cniVersion":"@V",
             "interfaces":[{"name":"cni0","mac":"0a:58:0a:01:00:01"},
                           {"name":"eth0","mac":"0a:58:0a:01:00:05","sandbox":"/var/run/netns/cni-1"}],
             "ips":[{"version":"6","address":"fd00:1::5/64","gateway":"fd00:1::1","interface":1},
                    {"version":"4","address":"10.1.0.5/16","gateway":"10.1.0.1","interface":1},
                    {"version":"4","address":"10.2.0.5/16","interface":1}],
             "routes":[{"dst":"0.0.0.0/0","gw":"10.1.0.1","mtu":1450,"advmss":1400,"priority":100,"table":0,"scope":0},
                       {"dst":"::/0","gw":"fd00:1::1","table":4294967295},
                       {"dst":"10.96.0.0/12","scope":253}],
             "dns":{"nameservers":["10.96.0.10"],"domain":"cluster.local"}}""";

    private static final String V100_AS_100 = """
            {"cniVersion":"@V",
             "interfaces":[{"name":"cni0","mac":"0a:58:0a:01:00:01"},
                           {"name":"eth0","mac":"0a:58:0a:01:00:05","sandbox":"/var/run/netns/cni-1"}],
             "ips":[{"address":"fd00:1::5/64","gateway":"fd00:1::1","interface":1},
                    {"address":"10.1.0.5/16","gateway":"10.1.0.1","interface":1},
                    {"address":"10.2.0.5/16","interface":1}],
             "routes":[{"dst":"0.0.0.0/0","gw":"10.1.0.1","mtu":1450,"advmss":1400,"priority":100,"table":0,"scope":0},
                       {"dst":"::/0","gw":"fd00:1::1","table":4294967295},
                       {"dst":"10.96.0.0/12","scope":253}],
             "dns":{"nameservers":["10.96.0.10"],"domain":"cluster.local"}}""";

    static List<Arguments> allPairs() {
        List<Arguments> pairs = new ArrayList<>();
        for (String from : CniVersion.ALL) {
            for (String to : CniVersion.ALL) {
                pairs.add(Arguments.of(from, to));
            }
        }
        return pairs;
    }

    private static String source(String version) throws CniException {
        switch (CniVersion.family(version)) {
            case LEGACY_020: return LEGACY;
            case V040: return V040;
            default: return V100;
        }
    }

    private static String expected(String from, String to) throws CniException {
        CniVersion.Family target = CniVersion.family(to);
        switch (CniVersion.family(from)) {
            case LEGACY_020:
                return target == CniVersion.Family.LEGACY_020 ? LEGACY
                        : target == CniVersion.Family.V040 ? LEGACY_AS_040 : LEGACY_AS_100;
            case V040:
                return target == CniVersion.Family.LEGACY_020 ? V040_AS_LEGACY
                        : target == CniVersion.Family.V040 ? V040_AS_040 : V040_AS_100;
            default:
                if (target == CniVersion.Family.LEGACY_020) {
                    return V100_AS_LEGACY;
                }
                if (target == CniVersion.Family.V040) {
                    return V100_AS_040;
                }
                // 1.0.0 has no interface mtu/socketPath/pciID; 1.1.0 prints its input back.
                return to.equals(CniVersion.V1_1_0) ? V100 : V100_AS_100;
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("allPairs")
    void convertsEveryPair(String from, String to) throws Exception {
        Result result = ResultCodec.parse(json(source(from), from), "1.1.0");
        assertEquals(from, result.cniVersion());
        assertJson(expected(from, to).replace("@V", to), ResultCodec.toJson(result, to));
    }

    @ParameterizedTest(name = "{0} -> {1} -> {0}")
    @MethodSource("allPairs")
    void printedOutputParsesBackToTheSameOutput(String from, String to) throws Exception {
        ObjectNode once = ResultCodec.toJson(ResultCodec.parse(json(source(from), from), null), to);
        ObjectNode twice = ResultCodec.toJson(ResultCodec.parse(once, null), to);
        assertJson(Json.toString(once), twice);
    }

    // ---- §5.5 targeted cases

    @Test
    void v11ExtrasAreDroppedFor040ButRouteExtrasKept() throws Exception {
        Result r = parse("""
                {"cniVersion":"1.1.0",
                 "interfaces":[{"name":"eth0","mac":"aa:bb:cc:dd:ee:ff","mtu":1400,"sandbox":"/ns",
                                "socketPath":"/s","pciID":"0000:01:00.0"}],
                 "ips":[{"address":"10.0.0.2/24","interface":0}],
                 "routes":[{"dst":"0.0.0.0/0","gw":"10.0.0.1","mtu":1400,"priority":5}]}""");
        assertJson("""
                {"cniVersion":"0.4.0",
                 "interfaces":[{"name":"eth0","mac":"aa:bb:cc:dd:ee:ff","sandbox":"/ns"}],
                 "ips":[{"version":"4","address":"10.0.0.2/24","interface":0}],
                 "routes":[{"dst":"0.0.0.0/0","gw":"10.0.0.1","mtu":1400,"priority":5}],
                 "dns":{}}""", ResultCodec.toJson(r, "0.4.0"));
    }

    @Test
    void v11To020PicksFirstAddressOfEachFamilyAndSplitsRoutesByDestination() throws Exception {
        Result r = parse("""
                {"cniVersion":"1.1.0",
                 "ips":[{"address":"10.0.0.2/24","gateway":"10.0.0.1"},{"address":"2001:db8::2/64"},
                        {"address":"10.0.1.2/24","gateway":"10.0.1.1"},{"address":"2001:db8:1::2/64"}],
                 "routes":[{"dst":"::/0","gw":"2001:db8::1","table":7},{"dst":"0.0.0.0/0","gw":"10.0.0.1","mtu":1400},
                           {"dst":"172.16.0.0/12"}]}""");
        assertJson("""
                {"cniVersion":"0.2.0",
                 "ip4":{"ip":"10.0.0.2/24","gateway":"10.0.0.1",
                        "routes":[{"dst":"0.0.0.0/0","gw":"10.0.0.1"},{"dst":"172.16.0.0/12"}]},
                 "ip6":{"ip":"2001:db8::2/64","routes":[{"dst":"::/0","gw":"2001:db8::1"}]}}""",
                ResultCodec.toJson(r, "0.2.0"));
    }

    @Test
    void routesOfAFamilyWithoutAddressAreDroppedFor020() throws Exception {
        Result r = parse("""
                {"cniVersion":"1.0.0","ips":[{"address":"10.0.0.2/24"}],
                 "routes":[{"dst":"::/0"},{"dst":"0.0.0.0/0"}]}""");
        assertJson("""
                {"cniVersion":"0.1.0","ip4":{"ip":"10.0.0.2/24","routes":[{"dst":"0.0.0.0/0"}]}}""",
                ResultCodec.toJson(r, "0.1.0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.1.0", "0.2.0"})
    void resultWithoutAddressesCannotBeDownConvertedToLegacy(String target) throws Exception {
        Result r = parse("""
                {"cniVersion":"1.1.0","interfaces":[{"name":"eth0"}],"routes":[{"dst":"0.0.0.0/0"}],
                 "dns":{"nameservers":["1.1.1.1"]}}""");
        CniException e = assertThrows(CniException.class, () -> ResultCodec.toJson(r, target));
        assertEquals(CniException.INCOMPATIBLE_VERSION, e.code());
        assertEquals("cannot convert: no valid IP addresses", e.msg());
    }

    @Test
    void legacyTo11FlattensRoutesIp4First() throws Exception {
        Result r = parse("""
                {"cniVersion":"0.2.0",
                 "ip6":{"ip":"2001:db8::2/64","routes":[{"dst":"::/0","gw":"2001:db8::1"}]},
                 "ip4":{"ip":"10.0.0.2/24","gateway":"10.0.0.1","routes":[{"dst":"0.0.0.0/0"},{"dst":"10.8.0.0/16","gw":"10.0.0.9"}]}}""");
        assertEquals(List.of(), r.interfaces());
        assertJson("""
                {"cniVersion":"1.1.0",
                 "ips":[{"address":"10.0.0.2/24","gateway":"10.0.0.1"},{"address":"2001:db8::2/64"}],
                 "routes":[{"dst":"0.0.0.0/0"},{"dst":"10.8.0.0/16","gw":"10.0.0.9"},{"dst":"::/0","gw":"2001:db8::1"}]}""",
                ResultCodec.toJson(r, "1.1.0"));
    }

    @Test
    void emptyDeclaredVersionIsNeverSelectedFor020() throws Exception {
        Result r = parse("""
                {"cniVersion":"0.3.1","ips":[{"version":"","address":"10.0.0.2/24"}]}""");
        CniException e = assertThrows(CniException.class, () -> ResultCodec.toJson(r, "0.2.0"));
        assertEquals(CniException.INCOMPATIBLE_VERSION, e.code());
        assertEquals("cannot convert: no valid IP addresses", e.msg());

        Result mixed = parse("""
                {"cniVersion":"0.3.1","ips":[{"version":"","address":"10.0.0.2/24"},{"version":"4","address":"10.0.0.3/24"}]}""");
        assertJson("""
                {"cniVersion":"0.2.0","ip4":{"ip":"10.0.0.3/24"}}""", ResultCodec.toJson(mixed, "0.2.0"));
    }

    @Test
    void declaredVersionWinsOverAddressFamily() throws Exception {
        // As in Go: a 0.4.0 source is converted by what it declared, not by what the address looks like.
        Result r = parse("""
                {"cniVersion":"0.4.0","ips":[{"version":"6","address":"10.0.0.2/24"}]}""");
        assertJson("""
                {"cniVersion":"0.2.0","ip6":{"ip":"10.0.0.2/24"}}""", ResultCodec.toJson(r, "0.2.0"));
        assertJson("""
                {"cniVersion":"0.4.0","ips":[{"version":"6","address":"10.0.0.2/24"}],"dns":{}}""",
                ResultCodec.toJson(r, "0.4.0"));
    }

    @Test
    void tableAndScopeZeroSurviveRoundTripsThroughEveryNonLegacyVersion() throws Exception {
        String text = """
                {"cniVersion":"1.1.0","ips":[{"address":"10.0.0.2/24"}],
                 "routes":[{"dst":"0.0.0.0/0","table":0,"scope":0},{"dst":"10.1.0.0/16","mtu":0,"advmss":0,"priority":0},
                           {"dst":"10.2.0.0/16"}]}""";
        Result r = parse(text);
        assertEquals(0, r.routes().get(0).table());
        assertEquals(0, r.routes().get(0).scope());
        assertNull(r.routes().get(2).table());
        assertNull(r.routes().get(2).scope());
        assertNull(r.routes().get(0).mtu());
        for (String via : List.of("0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0")) {
            Result back = ResultCodec.parse(ResultCodec.toJson(r, via), null);
            assertEquals(r.routes(), back.routes(), via);
            assertJson(text, ResultCodec.toJson(back, "1.1.0"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0.1", "1.2.0", "0.5.0", "2.0.0", "1.0", "bogus"})
    void unknownTargetIsAnError(String target) throws Exception {
        Result r = parse("""
                {"cniVersion":"1.1.0","ips":[{"address":"10.0.0.2/24"}]}""");
        CniException e = assertThrows(CniException.class, () -> ResultCodec.toJson(r, target));
        assertEquals(CniException.INCOMPATIBLE_VERSION, e.code());
        assertEquals("no converter for CNI result version 1.1.0 to " + target, e.msg());
    }

    @Test
    void emptyOrNullTargetMeans010() throws Exception {
        Result r = parse("""
                {"cniVersion":"1.1.0","ips":[{"address":"10.0.0.2/24"}]}""");
        assertJson("""
                {"cniVersion":"0.1.0","ip4":{"ip":"10.0.0.2/24"}}""", ResultCodec.toJson(r, ""));
        assertJson("""
                {"cniVersion":"0.1.0","ip4":{"ip":"10.0.0.2/24"}}""", ResultCodec.toJson(r, null));
    }

    @Test
    void ipv6Only() throws Exception {
        Result r = parse("""
                {"cniVersion":"1.1.0","interfaces":[{"name":"eth0","sandbox":"/ns"}],
                 "ips":[{"address":"2001:db8::2/64","gateway":"2001:db8::1","interface":0}],
                 "routes":[{"dst":"::/0","gw":"2001:db8::1"}]}""");
        assertEquals(IpAddress.Family.IPV6, r.ips().get(0).family());
        assertJson("""
                {"cniVersion":"0.2.0",
                 "ip6":{"ip":"2001:db8::2/64","gateway":"2001:db8::1","routes":[{"dst":"::/0","gw":"2001:db8::1"}]}}""",
                ResultCodec.toJson(r, "0.2.0"));
        assertJson("""
                {"cniVersion":"0.3.0","interfaces":[{"name":"eth0","sandbox":"/ns"}],
                 "ips":[{"version":"6","address":"2001:db8::2/64","gateway":"2001:db8::1","interface":0}],
                 "routes":[{"dst":"::/0","gw":"2001:db8::1"}],"dns":{}}""",
                ResultCodec.toJson(r, "0.3.0"));
        Result legacy = parse("""
                {"cniVersion":"0.2.0","ip6":{"ip":"2001:db8::2/64"}}""");
        assertJson("""
                {"cniVersion":"0.4.0","ips":[{"version":"6","address":"2001:db8::2/64"}],"dns":{}}""",
                ResultCodec.toJson(legacy, "0.4.0"));
    }

    /** What the loopback plugin prints at 0.4.0 (plugins#381). */
    private static final String LOOPBACK = """
            {"cniVersion":"0.4.0",
             "interfaces":[{"name":"lo","mac":"00:00:00:00:00:00","sandbox":"/var/run/netns/cni-1"}],
             "ips":[{"version":"","interface":0,"address":"127.0.0.1/8"},{"version":"","interface":0,"address":"::1/128"}],
             "dns":{}}""";

    @Test
    void loopbackResult() throws Exception {
        Result r = parse(LOOPBACK);
        assertEquals("", r.ips().get(0).declaredVersion());
        assertEquals("00:00:00:00:00:00", r.interfaces().get(0).mac());
        assertJson("""
                {"cniVersion":"0.4.0",
                 "interfaces":[{"name":"lo","mac":"00:00:00:00:00:00","sandbox":"/var/run/netns/cni-1"}],
                 "ips":[{"version":"","address":"127.0.0.1/8","interface":0},{"version":"","address":"::1/128","interface":0}],
                 "dns":{}}""", ResultCodec.toJson(r, "0.4.0"));
        assertJson("""
                {"cniVersion":"1.0.0",
                 "interfaces":[{"name":"lo","mac":"00:00:00:00:00:00","sandbox":"/var/run/netns/cni-1"}],
                 "ips":[{"address":"127.0.0.1/8","interface":0},{"address":"::1/128","interface":0}]}""",
                ResultCodec.toJson(r, "1.0.0"));
        CniException e = assertThrows(CniException.class, () -> ResultCodec.toJson(r, "0.2.0"));
        assertEquals("cannot convert: no valid IP addresses", e.msg());

        // Once it has gone through 1.x the version is computed from the address, as in Go.
        Result viaV1 = ResultCodec.parse(ResultCodec.toJson(r, "1.0.0"), null);
        assertJson("""
                {"cniVersion":"0.2.0","ip4":{"ip":"127.0.0.1/8"},"ip6":{"ip":"::1/128"}}""",
                ResultCodec.toJson(viaV1, "0.2.0"));
    }

    // ---- declaredVersion and family-specific reading

    @Test
    void declaredVersionIsKeptOnlyFrom03And04Sources() throws Exception {
        assertEquals("4", parse("""
                {"cniVersion":"0.3.0","ips":[{"version":"4","address":"10.0.0.2/24"}]}""").ips().get(0).declaredVersion());
        assertNull(parse("""
                {"cniVersion":"0.4.0","ips":[{"address":"10.0.0.2/24"}]}""").ips().get(0).declaredVersion());
        assertNull(parse("""
                {"cniVersion":"1.0.0","ips":[{"version":"6","address":"10.0.0.2/24"}]}""").ips().get(0).declaredVersion());
        assertNull(parse("""
                {"cniVersion":"0.2.0","ip4":{"ip":"10.0.0.2/24"}}""").ips().get(0).declaredVersion());
    }

    @Test
    void missingVersionIsComputedOnOutput() throws Exception {
        Result r = parse("""
                {"cniVersion":"0.4.0","ips":[{"address":"10.0.0.2/24"},{"address":"2001:db8::2/64"}]}""");
        assertJson("""
                {"cniVersion":"0.4.0","ips":[{"version":"4","address":"10.0.0.2/24"},{"version":"6","address":"2001:db8::2/64"}],
                 "dns":{}}""", ResultCodec.toJson(r, "0.4.0"));
        assertJson("""
                {"cniVersion":"0.2.0","ip4":{"ip":"10.0.0.2/24"},"ip6":{"ip":"2001:db8::2/64"}}""",
                ResultCodec.toJson(r, "0.2.0"));
    }

    @Test
    void interfaceExtrasAreReadFrom100ButNotFrom04() throws Exception {
        String body = """
                "interfaces":[{"name":"eth0","mtu":1400,"socketPath":"/s","pciID":"p"}]}""";
        Result v100 = parse("{\"cniVersion\":\"1.0.0\"," + body);
        assertEquals(new Result.Interface("eth0", null, 1400, null, "/s", "p"), v100.interfaces().get(0));
        Result v040 = parse("{\"cniVersion\":\"0.4.0\"," + body);
        assertEquals(new Result.Interface("eth0", null, null, null, null, null), v040.interfaces().get(0));
    }

    @Test
    void legacyRoutesKeepExtrasInTheModelButPrintOnlyDstAndGw() throws Exception {
        Result r = parse("""
                {"cniVersion":"0.2.0","ip4":{"ip":"10.0.0.2/24","routes":[{"dst":"0.0.0.0/0","gw":"10.0.0.1","table":3}]}}""");
        assertEquals(3, r.routes().get(0).table());
        assertJson("""
                {"cniVersion":"0.2.0","ip4":{"ip":"10.0.0.2/24","routes":[{"dst":"0.0.0.0/0","gw":"10.0.0.1"}]}}""",
                ResultCodec.toJson(r, "0.2.0"));
        assertJson("""
                {"cniVersion":"1.1.0","ips":[{"address":"10.0.0.2/24"}],"routes":[{"dst":"0.0.0.0/0","gw":"10.0.0.1","table":3}]}""",
                ResultCodec.toJson(r, "1.1.0"));
    }

    // ---- version selection when parsing

    @Test
    void missingOrEmptyCniVersionUsesFallback() throws Exception {
        String body = "\"ips\":[{\"version\":\"4\",\"address\":\"10.0.0.2/24\"}]}";
        Result missing = ResultCodec.parse(json("{" + body), "0.4.0");
        assertEquals("0.4.0", missing.cniVersion());
        assertEquals("4", missing.ips().get(0).declaredVersion());
        Result empty = ResultCodec.parse(json("{\"cniVersion\":\"\"," + body), "1.0.0");
        assertEquals("1.0.0", empty.cniVersion());
        assertNull(empty.ips().get(0).declaredVersion());
        Result nullVersion = ResultCodec.parse(json("{\"cniVersion\":null," + body), "1.1.0");
        assertEquals("1.1.0", nullVersion.cniVersion());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-"})
    void noVersionAnywhereMeans010(String fallback) throws Exception {
        Result r = ResultCodec.parse(json("""
                {"ip4":{"ip":"10.0.0.2/24"},"ips":[{"address":"10.9.9.9/24"}]}"""), fallback.equals("-") ? null : fallback);
        assertEquals("0.1.0", r.cniVersion());
        assertEquals(List.of(new Result.IpConfig(prefix("10.0.0.2/24"), null, null, null)), r.ips());
    }

    @Test
    void ownVersionWinsOverFallback() throws Exception {
        Result r = ResultCodec.parse(json("""
                {"cniVersion":"0.2.0","ip4":{"ip":"10.0.0.2/24"}}"""), "1.1.0");
        assertEquals("0.2.0", r.cniVersion());
        assertEquals(1, r.ips().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0.1", "1.2.0", "0.5.0", "bogus", "1.0"})
    void unknownSourceVersionIsCode1NamingIt(String version) {
        CniException e = assertThrows(CniException.class,
                () -> ResultCodec.parse(json("{\"cniVersion\":\"" + version + "\",\"ips\":[]}"), "1.1.0"));
        assertEquals(CniException.INCOMPATIBLE_VERSION, e.code());
        assertTrue(e.getMessage().contains("\"" + version + "\""), e.getMessage());
    }

    @Test
    void unknownFallbackIsCode1() {
        CniException e = assertThrows(CniException.class, () -> ResultCodec.parse(json("{\"ips\":[]}"), "9.9.9"));
        assertEquals(CniException.INCOMPATIBLE_VERSION, e.code());
    }

    @Test
    void jsonNullIsAnEmptyResult() throws Exception {
        assertEquals(Result.empty("1.0.0"), ResultCodec.parse(Json.parse("null"), "1.0.0"));
        assertEquals(Result.empty("0.1.0"), ResultCodec.parse((JsonNode) null, null));
    }

    // ---- parsing tolerance (§2.5)

    @Test
    void unknownFieldsAreIgnoredAtEveryLevel() throws Exception {
        Result r = parse("""
                {"cniVersion":"1.1.0","future":{"x":[1,2]},
                 "interfaces":[{"name":"eth0","colour":"blue"}],
                 "ips":[{"address":"10.0.0.2/24","weight":3}],
                 "routes":[{"dst":"0.0.0.0/0","realm":9}],
                 "dns":{"nameservers":["1.1.1.1"],"ttl":30}}""");
        assertJson("""
                {"cniVersion":"1.1.0","interfaces":[{"name":"eth0"}],"ips":[{"address":"10.0.0.2/24"}],
                 "routes":[{"dst":"0.0.0.0/0"}],"dns":{"nameservers":["1.1.1.1"]}}""", ResultCodec.toJson(r, "1.1.0"));
    }

    @Test
    void emptyAndMissingDns() throws Exception {
        for (String dns : List.of("", ",\"dns\":{}", ",\"dns\":null",
                ",\"dns\":{\"nameservers\":[],\"domain\":\"\",\"search\":null}")) {
            Result r = parse("{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.0.0.2/24\"}]" + dns + "}");
            assertTrue(r.dns() == null || r.dns().isEmpty(), dns);
            assertFalse(ResultCodec.toJson(r, "1.1.0").has("dns"), dns);
            assertFalse(ResultCodec.toJson(r, "0.2.0").has("dns"), dns);
            assertEquals(Json.NODES.objectNode(), ResultCodec.toJson(r, "0.4.0").get("dns"), dns);
        }
    }

    @Test
    void absentOptionalFields() throws Exception {
        Result r = parse("""
                {"cniVersion":"0.4.0","ips":[{"version":"4","address":"10.0.0.2/24"}]}""");
        assertEquals(List.of(new Result.IpConfig(prefix("10.0.0.2/24"), null, null, "4")), r.ips());
        assertEquals(List.of(), r.interfaces());
        assertEquals(List.of(), r.routes());
        assertNull(r.dns());
    }

    @Test
    void emptyArraysAndAbsentArraysReadAlikeAndAreOmitted() throws Exception {
        Result empty = parse("""
                {"cniVersion":"1.1.0","interfaces":[],"ips":[],"routes":[],"dns":{"nameservers":[]}}""");
        Result absent = parse("""
                {"cniVersion":"1.1.0"}""");
        assertEquals(absent.interfaces(), empty.interfaces());
        assertEquals(absent.ips(), empty.ips());
        assertEquals(absent.routes(), empty.routes());
        assertJson("{\"cniVersion\":\"1.1.0\"}", ResultCodec.toJson(empty, "1.1.0"));
        assertJson("{\"cniVersion\":\"0.3.1\",\"dns\":{}}", ResultCodec.toJson(empty, "0.3.1"));
    }

    @Test
    void jsonNullFieldsReadAsAbsent() throws Exception {
        Result r = parse("""
                {"cniVersion":"1.1.0","interfaces":null,
                 "ips":[{"address":"10.0.0.2/24","gateway":null,"interface":null}],
                 "routes":[{"dst":"0.0.0.0/0","gw":null,"table":null,"scope":null,"mtu":null}],
                 "dns":{"nameservers":["1.1.1.1",null],"domain":null}}""");
        assertEquals(List.of(new Result.IpConfig(prefix("10.0.0.2/24"), null, null, null)), r.ips());
        assertEquals(List.of(Result.Route.of(prefix("0.0.0.0/0"), null)), r.routes());
        assertEquals(new Result.Dns(List.of("1.1.1.1"), null, null, null), r.dns());
    }

    @Test
    void emptyGatewayIsNoGateway() throws Exception {
        Result r = parse("""
                {"cniVersion":"0.4.0","ips":[{"version":"4","address":"10.0.0.2/24","gateway":""}],
                 "routes":[{"dst":"0.0.0.0/0","gw":""}]}""");
        assertNull(r.ips().get(0).gateway());
        assertNull(r.routes().get(0).gw());
    }

    @Test
    void emptyOptionalStringsAreOmittedAndNameIsAlwaysPrinted() throws Exception {
        Result r = parse("""
                {"cniVersion":"1.1.0","interfaces":[{"mac":"","sandbox":"","socketPath":"","pciID":""}],
                 "dns":{"domain":"","nameservers":["10.0.0.1"]}}""");
        assertEquals("", r.interfaces().get(0).name());
        assertJson("""
                {"cniVersion":"1.1.0","interfaces":[{"name":""}],"dns":{"nameservers":["10.0.0.1"]}}""",
                ResultCodec.toJson(r, "1.1.0"));
    }

    @Test
    void largeUnsignedNumbersRoundTrip() throws Exception {
        String text = """
                {"cniVersion":"1.1.0","interfaces":[{"name":"eth0","mtu":65536}],
                 "routes":[{"dst":"0.0.0.0/0","priority":4294967295,"table":2147483648,"scope":255},
                           {"dst":"::/0","advmss":65535,"priority":2147483647,"table":4294967294}]}""";
        Result r = parse(text);
        assertEquals(4294967295L, Integer.toUnsignedLong(r.routes().get(0).priority()));
        assertEquals(2147483648L, Integer.toUnsignedLong(r.routes().get(0).table()));
        assertEquals(2147483647, r.routes().get(1).priority());
        assertJson(text, ResultCodec.toJson(r, "1.1.0"));
    }

    @Test
    void keysMatchCaseInsensitivelyAsInGo() throws Exception {
        Result r = parse("""
                {"CNIVersion":"1.1.0","IPs":[{"Address":"10.0.0.2/24","Gateway":"10.0.0.1"}],
                 "Routes":[{"Dst":"0.0.0.0/0","GW":"10.0.0.1"}]}""");
        assertEquals("1.1.0", r.cniVersion());
        assertEquals(List.of(new Result.IpConfig(prefix("10.0.0.2/24"), ip("10.0.0.1"), null, null)), r.ips());
        assertEquals(List.of(Result.Route.of(prefix("0.0.0.0/0"), ip("10.0.0.1"))), r.routes());
    }

    @Test
    void resultsBuiltInCodePrint() throws Exception {
        assertJson("{\"cniVersion\":\"1.1.0\"}", ResultCodec.toJson(Result.empty("1.1.0"), "1.1.0"));
        assertJson("{\"cniVersion\":\"0.4.0\",\"dns\":{}}", ResultCodec.toJson(Result.empty("1.1.0"), "0.4.0"));
        Result r = new Result("1.1.0",
                List.of(new Result.Interface("eth0", "aa:bb:cc:dd:ee:ff", null, "/ns", null, null)),
                List.of(new Result.IpConfig(prefix("10.0.0.2/24"), ip("10.0.0.1"), 0, null)),
                List.of(new Result.Route(prefix("0.0.0.0/0"), ip("10.0.0.1"), null, null, null, 0, null)),
                new Result.Dns(List.of("10.0.0.1"), "example.org", List.of(), null));
        assertJson("""
                {"cniVersion":"1.1.0","interfaces":[{"name":"eth0","mac":"aa:bb:cc:dd:ee:ff","sandbox":"/ns"}],
                 "ips":[{"address":"10.0.0.2/24","gateway":"10.0.0.1","interface":0}],
                 "routes":[{"dst":"0.0.0.0/0","gw":"10.0.0.1","table":0}],
                 "dns":{"nameservers":["10.0.0.1"],"domain":"example.org"}}""", ResultCodec.toJson(r, "1.1.0"));
    }

    // ---- structural errors: code 6 naming the field

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedResultsAreCode6NamingTheField(String text, String field) {
        CniException e = assertThrows(CniException.class, () -> ResultCodec.parse(json(text), "1.1.0"));
        assertEquals(CniException.DECODING_FAILURE, e.code(), e.getMessage());
        assertTrue(e.msg().contains("\"" + field + "\""), e.msg());
    }

    static List<Arguments> malformed() {
        return List.of(
                Arguments.of("[1,2]", "result"),
                Arguments.of("\"1.1.0\"", "result"),
                Arguments.of("{\"cniVersion\":1.1}", "cniVersion"),
                Arguments.of("{\"ips\":{\"address\":\"10.0.0.2/24\"}}", "ips"),
                Arguments.of("{\"ips\":[\"10.0.0.2/24\"]}", "ips[0]"),
                Arguments.of("{\"ips\":[null]}", "ips[0]"),
                Arguments.of("{\"ips\":[{\"address\":\"10.0.0.2/24\"},{\"gateway\":\"10.0.0.1\"}]}", "ips[1].address"),
                Arguments.of("{\"ips\":[{\"address\":\"\"}]}", "ips[0].address"),
                Arguments.of("{\"ips\":[{\"address\":167772162}]}", "ips[0].address"),
                Arguments.of("{\"ips\":[{\"address\":\"10.0.0.2/24\",\"gateway\":[]}]}", "ips[0].gateway"),
                Arguments.of("{\"ips\":[{\"address\":\"10.0.0.2/24\",\"interface\":\"0\"}]}", "ips[0].interface"),
                Arguments.of("{\"ips\":[{\"address\":\"10.0.0.2/24\",\"interface\":1.5}]}", "ips[0].interface"),
                Arguments.of("{\"cniVersion\":\"0.4.0\",\"ips\":[{\"address\":\"10.0.0.2/24\",\"version\":4}]}",
                        "ips[0].version"),
                Arguments.of("{\"interfaces\":\"eth0\"}", "interfaces"),
                Arguments.of("{\"interfaces\":[null]}", "interfaces[0]"),
                Arguments.of("{\"interfaces\":[{\"name\":7}]}", "interfaces[0].name"),
                Arguments.of("{\"interfaces\":[{\"name\":\"eth0\",\"mtu\":\"1500\"}]}", "interfaces[0].mtu"),
                Arguments.of("{\"routes\":[{\"gw\":\"10.0.0.1\"}]}", "routes[0].dst"),
                Arguments.of("{\"routes\":[{\"dst\":\"0.0.0.0/0\",\"table\":-1}]}", "routes[0].table"),
                Arguments.of("{\"routes\":[{\"dst\":\"0.0.0.0/0\",\"priority\":4294967296}]}", "routes[0].priority"),
                Arguments.of("{\"routes\":[{\"dst\":\"0.0.0.0/0\",\"scope\":1e2}]}", "routes[0].scope"),
                Arguments.of("{\"routes\":[{\"dst\":\"0.0.0.0/0\",\"mtu\":99999999999999999999999}]}", "routes[0].mtu"),
                Arguments.of("{\"dns\":[]}", "dns"),
                Arguments.of("{\"dns\":{\"nameservers\":\"1.1.1.1\"}}", "dns.nameservers"),
                Arguments.of("{\"dns\":{\"search\":[\"a\",1]}}", "dns.search[1]"),
                Arguments.of("{\"dns\":{\"domain\":true}}", "dns.domain"),
                Arguments.of("{\"cniVersion\":\"0.2.0\",\"ip4\":\"10.0.0.2/24\"}", "ip4"),
                Arguments.of("{\"cniVersion\":\"0.2.0\",\"ip6\":{\"gateway\":\"2001:db8::1\"}}", "ip6.ip"),
                Arguments.of("{\"cniVersion\":\"0.1.0\",\"ip4\":{\"ip\":\"10.0.0.2/24\",\"routes\":[{}]}}",
                        "ip4.routes[0].dst"),
                // addresses that Go's net.ParseCIDR / net.ParseIP refuse
                Arguments.of("{\"ips\":[{\"address\":\"10.0.0.300/24\"}]}", "ips[0].address"),
                Arguments.of("{\"ips\":[{\"address\":\"10.0.0.2\"}]}", "ips[0].address"),
                Arguments.of("{\"ips\":[{\"address\":\"010.0.0.2/24\"}]}", "ips[0].address"),
                Arguments.of("{\"ips\":[{\"address\":\"fe80::1%eth0/64\"}]}", "ips[0].address"),
                Arguments.of("{\"ips\":[{\"address\":\"10.0.0.2/24\",\"gateway\":\"10.0.0.256\"}]}", "ips[0].gateway"),
                Arguments.of("{\"ips\":[{\"address\":\"10.0.0.2/24\",\"gateway\":\"10.0.0.1/24\"}]}", "ips[0].gateway"),
                Arguments.of("{\"routes\":[{\"dst\":\"0.0.0.0/33\"}]}", "routes[0].dst"),
                Arguments.of("{\"routes\":[{\"dst\":\"0.0.0.0/0\",\"gw\":\"gateway.example\"}]}", "routes[0].gw"),
                Arguments.of("{\"cniVersion\":\"0.2.0\",\"ip4\":{\"ip\":\"10.0.0.2/24\",\"gateway\":\"::1::\"}}",
                        "ip4.gateway"));
    }

    @Test
    void errorMessageShowsTheOffendingValue() {
        CniException e = assertThrows(CniException.class,
                () -> parse("{\"cniVersion\":\"1.1.0\",\"routes\":[{\"dst\":\"0.0.0.0/0\",\"table\":-1}]}"));
        assertEquals("invalid value -1 for \"routes[0].table\": expected an unsigned 32-bit integer", e.msg());
    }

    // ---- typed addresses: read as Go reads them, printed as Go prints them

    @Test
    void addressesPrintInGosCanonicalForm() throws Exception {
        Result r = parse("""
                {"cniVersion":"1.1.0",
                 "ips":[{"address":"2001:DB8:0:0:1:0:0:1/64","gateway":"2001:db8:0000::0001"},
                        {"address":"::ffff:10.1.0.5/112","gateway":"::ffff:10.1.0.1"}],
                 "routes":[{"dst":"0:0:0:0:0:0:0:0/0","gw":"FE80::1"},{"dst":"10.96.0.0/012"}]}""");
        assertJson("""
                {"cniVersion":"1.1.0",
                 "ips":[{"address":"2001:db8::1:0:0:1/64","gateway":"2001:db8::1"},
                        {"address":"10.1.0.5/16","gateway":"10.1.0.1"}],
                 "routes":[{"dst":"::/0","gw":"fe80::1"},{"dst":"10.96.0.0/12"}]}""", ResultCodec.toJson(r, "1.1.0"));
    }

    @Test
    void ipv4MappedAddressesAreIpv4AsInGo() throws Exception {
        Result r = parse("""
                {"cniVersion":"1.0.0","ips":[{"address":"::ffff:10.1.0.5/120"}],"routes":[{"dst":"::ffff:0.0.0.0/96"}]}""");
        assertEquals(IpAddress.Family.IPV4, r.ips().get(0).family());
        assertJson("""
                {"cniVersion":"0.4.0","ips":[{"version":"4","address":"10.1.0.5/24"}],"routes":[{"dst":"0.0.0.0/0"}],
                 "dns":{}}""", ResultCodec.toJson(r, "0.4.0"));
        assertJson("""
                {"cniVersion":"0.2.0","ip4":{"ip":"10.1.0.5/24","routes":[{"dst":"0.0.0.0/0"}]}}""",
                ResultCodec.toJson(r, "0.2.0"));
    }

    @Test
    void familyComesFromTheAddressType() throws Exception {
        Result r = parse("""
                {"cniVersion":"1.0.0","ips":[{"address":"10.0.0.2/24"},{"address":"::a00:2/64"},{"address":"::/0"}]}""");
        assertEquals(IpAddress.Family.IPV4, r.ips().get(0).family());
        // IPv4-compatible (not mapped) is IPv6 and prints in hex, as Go prints it.
        assertEquals(IpAddress.Family.IPV6, r.ips().get(1).family());
        assertEquals(IpAddress.Family.IPV6, r.ips().get(2).family());
        assertJson("""
                {"cniVersion":"0.4.0","ips":[{"version":"4","address":"10.0.0.2/24"},{"version":"6","address":"::a00:2/64"},
                 {"version":"6","address":"::/0"}],"dns":{}}""", ResultCodec.toJson(r, "0.4.0"));
    }

    @Test
    void unparsableAddressIsCode6NamingFieldValueAndReason() {
        CniException e = assertThrows(CniException.class, () -> parse("""
                {"cniVersion":"1.1.0","ips":[{"address":"10.0.0.300/24"}]}"""));
        assertEquals(CniException.DECODING_FAILURE, e.code());
        assertEquals("invalid value \"10.0.0.300/24\" for \"ips[0].address\": expected an address with prefix length"
                + " such as 10.1.0.5/16 (IPv4 field has value >255)", e.msg());
    }

    @Test
    void prevResultErrorsNameTheFullPathAndUseTheResultCode() throws Exception {
        ObjectNode conf = (ObjectNode) Json.parse("""
                {"name":"n","prevResult":{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.2/24","gateway":"10.0.0.01"}]}}""");
        JsonFields config = JsonFields.of(conf, JsonFields.Source.NETWORK_CONFIG);
        CniException e = assertThrows(CniException.class, () -> ResultCodec.parse(config.object("prevResult"), "1.0.0"));
        assertEquals(CniException.DECODING_FAILURE, e.code());
        assertTrue(e.msg().startsWith("invalid value \"10.0.0.01\" for \"prevResult.ips[0].gateway\""), e.msg());
        assertTrue(e.msg().contains("leading zero"), e.msg());
        assertEquals(Result.empty("1.0.0"), ResultCodec.parse(config.object("absent"), "1.0.0"));
    }

    // ---- helpers

    private static IpPrefix prefix(String text) throws AddressFormatException {
        return IpPrefix.parse(text);
    }

    private static IpAddress ip(String text) throws AddressFormatException {
        return IpAddress.parse(text);
    }

    private static Result parse(String text) throws Exception {
        return ResultCodec.parse(json(text), null);
    }

    private static JsonNode json(String text) throws Json.JsonSyntaxException {
        return Json.parse(text);
    }

    private static JsonNode json(String text, String version) throws Json.JsonSyntaxException {
        return Json.parse(text.replace("@V", version));
    }

    /** Same tree and same key order (the string comparison is what checks the order). */
    private static void assertJson(String expected, JsonNode actual) throws Exception {
        JsonNode want = Json.parse(expected);
        assertEquals(want, actual);
        assertEquals(Json.toString(want), Json.toString(actual));
    }
}
