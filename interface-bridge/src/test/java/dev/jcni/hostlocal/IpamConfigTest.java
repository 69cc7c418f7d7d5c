package dev.jcni.hostlocal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Result;
import dev.jcni.core.skel.Command;
import dev.jcni.core.skel.NodePolicy;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The config: what the reference reads from it, its defaults, and every validation message it
 * gives, word for word (backend/allocator config_test.go, range_test.go, range_set_test.go).
 */
class IpamConfigTest {
    private static final String DIR = "\"dataDir\":\"/tmp/jcni-hl-test\"";

    private static IpamConfig parse(String json, String cniArgs) throws Exception {
        return IpamConfig.parse(Requests.invocation(Command.ADD, json, "ctr1", "eth0", cniArgs));
    }

    private static IpamConfig parse(String json) throws Exception {
        return parse(json, null);
    }

    private static IpAddress ip(String text) throws Exception {
        return IpAddress.parse(text);
    }

    @Test
    void oldStyleSingleRange() throws Exception {
        IpamConfig c = parse(Requests.conf("{\"type\":\"host-local\"," + DIR + ",\"subnet\":\"10.1.2.0/24\","
                + "\"rangeStart\":\"10.1.2.9\",\"rangeEnd\":\"10.1.2.20\",\"gateway\":\"10.1.2.30\"}"));
        assertEquals(1, c.rangeSets().size());
        SubnetRange r = c.rangeSets().get(0).ranges().get(0);
        assertEquals("10.1.2.0/24", r.subnet().toString());
        assertEquals("10.1.2.9-10.1.2.20", r.toString());
        assertEquals(ip("10.1.2.30"), r.gateway());
        assertEquals("/tmp/jcni-hl-test/net", c.location().dir().toString());
    }

    @Test
    void defaultsAreTheReferencesNotItsDocs() throws Exception {
        IpamConfig c = parse(Requests.conf("{\"type\":\"host-local\",\"ranges\":[[{\"subnet\":\"192.0.2.0/25\"}],"
                + "[{\"subnet\":\"2001:db8:1::/64\"}]]}"));
        SubnetRange v4 = c.rangeSets().get(0).ranges().get(0);
        assertEquals("192.0.2.1-192.0.2.126", v4.toString(), "from .1 (the gateway, skipped) to broadcast - 1");
        assertEquals(ip("192.0.2.1"), v4.gateway());
        SubnetRange v6 = c.rangeSets().get(1).ranges().get(0);
        assertEquals("2001:db8:1::1-2001:db8:1:0:ffff:ffff:ffff:ffff", v6.toString(), "IPv6 ends at the last address");
        assertEquals("/var/lib/cni/networks/net", c.location().dir().toString());
        assertNull(c.resolvConf());
        assertTrue(c.routes().isEmpty());
    }

    /** runtimeConfig.ipRanges first, then the legacy range, then ranges: the reference's order, which indexes last_reserved_ip. */
    @Test
    void ipRangesCapabilityIsPrependedThenLegacyThenRanges() throws Exception {
        String ipam = "{\"type\":\"host-local\"," + DIR + ",\"subnet\":\"10.1.2.0/24\",\"rangeStart\":\"10.1.2.9\","
                + "\"rangeEnd\":\"10.1.2.20\",\"gateway\":\"10.1.2.30\","
                + "\"ranges\":[[{\"subnet\":\"11.1.2.0/24\",\"rangeStart\":\"11.1.2.9\",\"rangeEnd\":\"11.1.2.20\",\"gateway\":\"11.1.2.30\"}]]}";
        IpamConfig c = parse(Requests.conf("0.3.1", ipam,
                ",\"runtimeConfig\":{\"irrelevant\":\"a\",\"ipRanges\":[[{\"subnet\":\"12.1.3.0/24\"}]]}"));
        assertEquals(3, c.rangeSets().size());
        assertEquals("12.1.3.1-12.1.3.254", c.rangeSets().get(0).toString());
        assertEquals("10.1.2.9-10.1.2.20", c.rangeSets().get(1).toString());
        assertEquals("11.1.2.9-11.1.2.20", c.rangeSets().get(2).toString());
    }

    @Test
    void requestedIpsFromArgsConfigArgsAndCapabilityInThatOrderWithoutRepeats() throws Exception {
        String ipam = Requests.ipam(java.nio.file.Path.of("/tmp/x"),
                "[[{\"subnet\":\"10.1.2.0/24\"}],[{\"subnet\":\"10.1.3.0/24\"}],[{\"subnet\":\"10.1.4.0/24\"}],[{\"subnet\":\"2001:db8::/64\"}]]");
        IpamConfig c = parse(Requests.conf("1.0.0", ipam, ",\"args\":{\"cni\":{\"ips\":[\"10.1.3.7/24\",\"2001:db8::9\"]}},"
                + "\"runtimeConfig\":{\"ips\":[\"10.1.4.8\",\"10.1.3.7\"]}"), "IgnoreUnknown=1;IP=10.1.2.6/24;K8S_POD_NAME=x");
        assertEquals(List.of(ip("10.1.2.6"), ip("10.1.3.7"), ip("2001:db8::9"), ip("10.1.4.8")), c.requestedIps());
        assertEquals(java.util.Arrays.asList(ip("10.1.2.6"), ip("10.1.3.7"), ip("10.1.4.8"), ip("2001:db8::9")), c.requestedBySet());
        IpamConfig none = parse(Requests.conf(ipam), "IP=");
        assertTrue(none.requestedIps().isEmpty(), "IP= asks for nothing");
        assertNull(none.requestedFor(0));
    }

    @Test
    void routesArePassedThroughWithEveryField() throws Exception {
        String ipam = "{\"type\":\"host-local\"," + DIR + ",\"subnet\":\"10.1.2.0/24\",\"routes\":["
                + "{\"dst\":\"0.0.0.0/0\"},{\"dst\":\"192.168.0.5/16\",\"gw\":\"10.1.2.1\",\"mtu\":1400,\"priority\":7,\"table\":4294967295}]}";
        List<Result.Route> routes = parse(Requests.conf(ipam)).routes();
        assertEquals(2, routes.size());
        assertEquals("0.0.0.0/0", routes.get(0).dst().toString());
        assertNull(routes.get(0).gw());
        assertEquals("192.168.0.5/16", routes.get(1).dst().toString(), "as written, host bits kept");
        assertEquals(ip("10.1.2.1"), routes.get(1).gw());
        assertEquals(1400, routes.get(1).mtu());
        assertEquals(7, routes.get(1).priority());
        assertEquals(4294967295L, Integer.toUnsignedLong(routes.get(1).table()));
    }

    @Test
    void twoRangeSetsOfOneFamilyAreFineFrom030() throws Exception {
        String ipam = "{\"type\":\"host-local\"," + DIR + ",\"ranges\":[[{\"subnet\":\"10.1.2.0/24\"}],[{\"subnet\":\"10.2.2.0/24\"}]]}";
        assertEquals(2, parse(Requests.conf("0.3.0", ipam, "")).rangeSets().size());
        String dual = "{\"type\":\"host-local\"," + DIR + ",\"ranges\":[[{\"subnet\":\"10.1.2.0/24\"}],[{\"subnet\":\"2001:db8::/64\"}]]}";
        assertEquals(2, parse(Requests.conf("0.2.0", dual, "")).rangeSets().size(), "one per family is fine for 0.2.0");
    }

    static Stream<Arguments> refused() {
        String ranges = "{\"type\":\"host-local\"," + DIR + ",\"ranges\":";
        return Stream.of(
            Arguments.of("{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"type\":\"bridge\"}", null, 7,
                    "IPAM config missing 'ipam' key"),
            Arguments.of(Requests.conf("{\"type\":\"host-local\"," + DIR + "}"), null, 7, "no IP ranges specified"),
            Arguments.of(Requests.conf(ranges + "[]}"), null, 7, "no IP ranges specified"),
            Arguments.of(Requests.conf(ranges + "[[]]}"), null, 7, "invalid range set 0: empty range set"),
            Arguments.of(Requests.conf(ranges + "[null]}"), null, 7, "invalid range set 0: empty range set"),
            Arguments.of(Requests.conf(ranges + "[[{\"subnet\":\"10.1.2.0/24\"},{\"subnet\":\"2001:db8::/64\"}]]}"), null, 7,
                    "invalid range set 0: mixed address families"),
            Arguments.of(Requests.conf(ranges + "[[{\"subnet\":\"10.1.0.0/22\"},{\"subnet\":\"10.1.2.0/24\"}]]}"), null, 7,
                    "invalid range set 0: subnets 10.1.0.1-10.1.3.254 and 10.1.2.1-10.1.2.254 overlap"),
            Arguments.of(Requests.conf(ranges + "[[{\"subnet\":\"192.0.2.0/31\"}]]}"), null, 7,
                    "invalid range set 0: Network 192.0.2.0/31 too small to allocate from"),
            Arguments.of(Requests.conf(ranges + "[[{\"subnet\":\"192.0.2.1/32\"}]]}"), null, 7,
                    "invalid range set 0: Network 192.0.2.1/32 too small to allocate from"),
            Arguments.of(Requests.conf(ranges + "[[{\"subnet\":\"2001:db8::/127\"}]]}"), null, 7,
                    "invalid range set 0: Network 2001:db8::/127 too small to allocate from"),
            Arguments.of(Requests.conf(ranges + "[[{\"subnet\":\"::ffff:10.0.0.0/120\"}]]}"), null, 7,
                    "invalid range set 0: IPNet IP and Mask version mismatch"),
            // /127 written as IPv6 is 2 bits of host: too small, as Go prints it (the IPv4 form, /31) before the mismatch.
            Arguments.of(Requests.conf(ranges + "[[{\"subnet\":\"::ffff:10.0.0.0/127\"}]]}"), null, 7,
                    "invalid range set 0: Network 10.0.0.0/31 too small to allocate from"),
            Arguments.of(Requests.conf(ranges + "[[{\"subnet\":\"192.0.2.12/24\"}]]}"), null, 7,
                    "invalid range set 0: Network has host bits set. For a subnet mask of length 24 the network address is 192.0.2.0"),
            Arguments.of(Requests.conf(ranges + "[[{\"subnet\":\"2001:db8:24:19ff::/63\"}]]}"), null, 7,
                    "invalid range set 0: Network has host bits set. For a subnet mask of length 63 the network address is 2001:db8:24:19fe::"),
            Arguments.of(Requests.conf(ranges + "[[{\"subnet\":\"192.0.2.0/24\",\"rangeStart\":\"192.0.3.0\"}]]}"), null, 7,
                    "invalid range set 0: RangeStart 192.0.3.0 not in network 192.0.2.0/24"),
            Arguments.of(Requests.conf(ranges + "[[{\"subnet\":\"192.0.2.0/24\",\"rangeEnd\":\"192.0.4.0\"}]]}"), null, 7,
                    "invalid range set 0: RangeEnd 192.0.4.0 not in network 192.0.2.0/24"),
            Arguments.of(Requests.conf(ranges + "[[{\"subnet\":\"192.0.2.0/24\",\"rangeStart\":\"192.0.2.50\",\"rangeEnd\":\"192.0.2.40\"}]]}"),
                    null, 7, "invalid range set 0: RangeStart 192.0.2.50 not in network 192.0.2.0/24"),
            Arguments.of(Requests.conf(ranges + "[[{\"subnet\":\"192.0.2.0/24\",\"rangeEnd\":\"192.0.2.0\"}]]}"), null, 7,
                    "invalid range set 0: RangeEnd 192.0.2.0 not in network 192.0.2.0/24"),
            Arguments.of(Requests.conf(ranges + "[[{\"subnet\":\"192.0.2.0/24\",\"rangeStart\":\"2001:db8::1\"}]]}"), null, 7,
                    "invalid range set 0: RangeStart 2001:db8::1 not in network 192.0.2.0/24"),
            Arguments.of(Requests.conf(ranges + "[[{\"rangeStart\":\"192.0.2.5\"}]]}"), null, 7,
                    "invalid range set 0: IP <nil> not v4 nor v6"),
            Arguments.of(Requests.conf(ranges + "[[{\"subnet\":\"10.1.2.0/24\"}],[{\"subnet\":\"10.2.0.0/16\"}],[null]]}"), null, 7,
                    "invalid range set 2: IP <nil> not v4 nor v6"),
            Arguments.of(Requests.conf("0.2.0", ranges + "[[{\"subnet\":\"10.1.2.0/24\"}],[{\"subnet\":\"10.2.2.0/24\"}]]}", ""), null, 7,
                    "CNI version 0.2.0 does not support more than 1 address per family"),
            Arguments.of(Requests.conf("0.2.0", ranges + "[[{\"subnet\":\"2001:db8:1::/64\"}],[{\"subnet\":\"2001:db8:2::/64\"}]]}", ""), null, 7,
                    "CNI version 0.2.0 does not support more than 1 address per family"),
            Arguments.of(Requests.conf(ranges + "[[{\"subnet\":\"10.1.2.0/24\"}],[{\"subnet\":\"10.1.2.0/24\"}]]}"), null, 7,
                    "range set 0 overlaps with 1"),
            Arguments.of(Requests.conf(ranges + "[[{\"subnet\":\"10.1.2.0/24\"}],[{\"subnet\":\"10.3.0.0/16\"}],[{\"subnet\":\"10.3.4.0/24\"}]]}"),
                    null, 7, "range set 1 overlaps with 2"),
            Arguments.of(Requests.conf(ranges + "[[{\"subnet\":\"10.1.2.0/33\"}]]}"), null, 7, "invalid CIDR address: 10.1.2.0/33"),
            Arguments.of(Requests.conf(ranges + "[[{\"subnet\":\"\"}]]}"), null, 7, "invalid CIDR address: "),
            Arguments.of(Requests.conf(ranges + "[[{\"subnet\":\"10.1.2.0/24\",\"gateway\":\"10.1.2.x\"}]]}"), null, 7,
                    "invalid IP address: 10.1.2.x"),
            Arguments.of(Requests.conf("{\"type\":\"host-local\"," + DIR + ",\"subnet\":\"10.1.2.0/24\",\"rangeEnd\":\"nope\"}"),
                    null, 7, "invalid IP address: nope"),
            Arguments.of(Requests.conf("1.0.0", ranges + "[[{\"subnet\":\"10.1.2.0/24\"}]]}", ",\"args\":{\"cni\":{\"ips\":[\"10.1.2.x\"]}}"),
                    null, 7, "invalid IP address 10.1.2.x"),
            Arguments.of(Requests.conf("1.0.0", ranges + "[[{\"subnet\":\"10.1.2.0/24\"}]]}", ",\"runtimeConfig\":{\"ips\":[\"\"]}"),
                    null, 7, "cannot understand ip: IP <nil> not v4 nor v6"),
            Arguments.of(Requests.conf(ranges + "[[{\"subnet\":\"10.1.2.0/24\"}]]}"), "IP=10.1.3.4", 7,
                    "failed to allocate all requested IPs: 10.1.3.4"),
            Arguments.of(Requests.conf("1.0.0", ranges + "[[{\"subnet\":\"10.1.2.0/24\"}],[{\"subnet\":\"10.1.3.0/24\",\"gateway\":\"10.1.3.9\"}]]}",
                    ",\"runtimeConfig\":{\"ips\":[\"10.1.3.9\"]}"), null, 7, "failed to allocate for range 1: requested ip 10.1.3.9 is subnet's gateway"),
            Arguments.of(Requests.conf(ranges + "[[{\"subnet\":\"10.1.2.0/24\"}]]}"), "IP=10.1.2.300", 4,
                    "ARGS: error parsing value of pair \"IP=10.1.2.300\": invalid IP address 10.1.2.300"),
            Arguments.of(Requests.conf("{\"type\":\"host-local\",\"dataDir\":\"var/lib/cni\",\"subnet\":\"10.1.2.0/24\"}"), null, 7,
                    "\"ipam.dataDir\" must be an absolute path: \"var/lib/cni\""),
            Arguments.of(Requests.conf("{\"type\":\"host-local\"," + DIR + ",\"subnet\":\"10.1.2.0/24\",\"routes\":[{\"gw\":\"10.1.2.1\"}]}"),
                    null, 7, "missing \"ipam.routes[0].dst\": expected a destination such as 0.0.0.0/0"));
    }

    @ParameterizedTest(name = "{3}")
    @MethodSource("refused")
    void everyMessageIsTheReferences(String json, String cniArgs, int code, String message) {
        CniException e = assertThrows(CniException.class, () -> parse(json, cniArgs));
        assertEquals(message, e.msg());
        assertEquals(code, e.code());
    }

    @Test
    void formatErrorsNameTheFieldInTheDetails() {
        CniException e = assertThrows(CniException.class, () -> parse(Requests.conf(
                "{\"type\":\"host-local\"," + DIR + ",\"ranges\":[[{\"subnet\":\"10.1.2.0/24\"},{\"subnet\":\"10.9.0.0/16\",\"rangeStart\":\"x\"}]]}")));
        assertTrue(e.details().startsWith("\"ipam.ranges[0][1].rangeStart\""), e.details());
        CniException type = assertThrows(CniException.class, () -> parse(Requests.conf(
                "{\"type\":\"host-local\"," + DIR + ",\"ranges\":[{\"subnet\":\"10.1.2.0/24\"}]}")));
        assertTrue(type.msg().contains("\"ipam.ranges[0]\""), type.msg());
        assertEquals(7, type.code());
    }

    /** DEL and GC need only the location: a config whose ranges are broken still finds its leases. */
    @Test
    void locationAloneIgnoresTheRanges() throws Exception {
        LeaseStore.Location l = IpamConfig.location(Requests.invocation(Command.DEL,
                Requests.conf("{\"type\":\"host-local\",\"dataDir\":\"/var/lib/cni/other\",\"ranges\":[[{\"subnet\":\"10.1.2.0/33\"}]]}")));
        assertEquals("/var/lib/cni/other/net", l.dir().toString());
        CniException e = assertThrows(CniException.class, () -> IpamConfig.location(Requests.invocation(Command.DEL,
                "{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"type\":\"bridge\"}")));
        assertEquals("IPAM config missing 'ipam' key", e.msg());
    }

    @Test
    void aDataDirOutsideTheNodesStateDirectoriesIsRefusedOnEveryVerb() throws Exception {
        for (Command verb : List.of(Command.ADD, Command.DEL, Command.CHECK, Command.GC)) {
            for (String dir : List.of("/etc", "/run/nologin", "/var/lib/cni/../../../etc", "/run/cni-other")) {
                CniException e = assertThrows(CniException.class, () -> IpamConfig.location(Requests.invocation(verb,
                        Requests.conf("{\"type\":\"host-local\",\"dataDir\":\"" + dir + "\"}")).withNode(NodePolicy.DEFAULTS)),
                        verb + " " + dir);
                assertEquals(CniException.INVALID_CONFIG, e.code());
                assertEquals("invalid value \"" + dir + "\" for \"ipam.dataDir\": outside the node's state directories", e.msg());
            }
        }
        // Within a default root, whatever the config: allowed.
        assertEquals("/run/cni/ipam/net", IpamConfig.location(Requests.invocation(Command.ADD,
                Requests.conf("{\"type\":\"host-local\",\"dataDir\":\"/run/cni/ipam\"}")).withNode(NodePolicy.DEFAULTS))
                .dir().toString());
    }
}
