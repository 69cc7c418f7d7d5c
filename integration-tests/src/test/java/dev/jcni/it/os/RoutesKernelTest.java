package dev.jcni.it.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;
import dev.jcni.core.os.Errno;
import dev.jcni.core.os.ExistsException;
import dev.jcni.core.os.NotFoundException;
import dev.jcni.core.os.netlink.Address;
import dev.jcni.core.os.netlink.LinkAttribute;
import dev.jcni.core.os.netlink.NewLink;
import dev.jcni.core.os.netlink.Nexthop;
import dev.jcni.core.os.netlink.Route;
import dev.jcni.core.os.netlink.RouteAttribute;
import dev.jcni.core.os.netlink.RouteFilter;
import dev.jcni.core.os.netlink.Scope;
import dev.jcni.it.support.RequiresRoot;
import dev.jcni.it.support.TestNetns;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Routes against the real kernel, through a veth r0 (198.51.100.5/24, 2001:db8::5/64) inside a
 * namespace of the test's own, checked with {@code ip -j route show}. Documentation prefixes
 * only, inside the private namespace.
 */
@RequiresRoot
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RoutesKernelTest {
    private TestNetns ns;
    private Rtnl k;
    private int r0;

    @BeforeEach
    void setUp() throws Exception {
        ns = TestNetns.create();
        k = Rtnl.of(ns);
        dev.jcni.core.os.netlink.VethPair pair = k.links().createVethPair(NewLink.veth("r0").set(LinkAttribute.UP, true),
                NewLink.vethPeer("r1"), null);
        r0 = pair.end().index();
        k.links().set(pair.peerIndex(), LinkAttribute.UP, true);
        k.addresses().add(r0, p("198.51.100.5/24"));
        k.addresses().add(Address.on(r0, p("2001:db8::5/64")).flags(Address.IFA_F_NODAD).build());
    }

    @AfterEach
    void tearDown() {
        Rtnl.closeAll(k, ns);
    }

    private static IpPrefix p(String s) throws Exception {
        return IpPrefix.parse(s);
    }

    private static IpAddress a(String s) throws Exception {
        return IpAddress.parse(s);
    }

    /** The one route {@code ip -j route show ARGS} lists. */
    private JsonNode ipRoute(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "route";
        all[1] = "show";
        System.arraycopy(args, 0, all, 2, args.length);
        JsonNode routes = k.json(all);
        assertEquals(1, routes.size(), routes.toString());
        return routes.get(0);
    }

    private Route ours(RouteFilter filter) throws Exception {
        List<Route> routes = k.routes().list(filter);
        assertEquals(1, routes.size(), routes.toString());
        return routes.get(0);
    }

    @Test
    void gatewayDeviceAndMetric() throws Exception {
        k.routes().add(Route.to(p("203.0.113.0/24")).set(RouteAttribute.GATEWAY, a("198.51.100.1"))
                .set(RouteAttribute.DEVICE, r0).set(RouteAttribute.METRIC, 100).build());
        JsonNode ip = ipRoute("203.0.113.0/24");
        assertEquals("198.51.100.1", ip.get("gateway").asText());
        assertEquals("r0", ip.get("dev").asText());
        assertEquals(100, ip.get("metric").asInt());
        Route read = ours(RouteFilter.family(IpAddress.Family.IPV4).destination(p("203.0.113.0/24")));
        assertEquals(a("198.51.100.1"), read.get(RouteAttribute.GATEWAY));
        assertEquals(r0, read.get(RouteAttribute.DEVICE));
        assertEquals(100, read.get(RouteAttribute.METRIC));
        assertEquals(Route.PROTOCOL_BOOT, read.protocol());
        assertEquals(Scope.UNIVERSE, read.scope());
        assertEquals(Route.TABLE_MAIN, read.table());
    }

    @Test
    void aTableAbove255() throws Exception {
        k.routes().add(Route.to(p("203.0.113.0/24")).table(1000).set(RouteAttribute.GATEWAY, a("198.51.100.1")).build());
        assertEquals("198.51.100.1", ipRoute("table", "1000").get("gateway").asText());
        assertEquals(0, k.json("route", "show", "203.0.113.0/24").size(), "not in the main table");
        assertEquals(1000, ours(RouteFilter.main().table(1000)).table());
        assertTrue(k.routes().list(RouteFilter.main().destination(p("203.0.113.0/24"))).isEmpty());
    }

    @Test
    void ecmpIpv4() throws Exception {
        List<Nexthop> hops = List.of(Nexthop.via(a("198.51.100.1"), r0), Nexthop.via(a("198.51.100.2"), r0).weight(2));
        k.routes().add(Route.to(p("203.0.113.0/24")).set(RouteAttribute.NEXTHOPS, hops).build());
        JsonNode ip = ipRoute("203.0.113.0/24").get("nexthops");
        assertEquals(2, ip.size());
        assertEquals("198.51.100.1", ip.get(0).get("gateway").asText());
        assertEquals(1, ip.get(0).get("weight").asInt());
        assertEquals("198.51.100.2", ip.get(1).get("gateway").asText());
        assertEquals(2, ip.get(1).get("weight").asInt());
        assertEquals("r0", ip.get(1).get("dev").asText());
        assertEquals(hops, ours(RouteFilter.main().destination(p("203.0.113.0/24"))).get(RouteAttribute.NEXTHOPS));
    }

    @Test
    void ecmpIpv6() throws Exception {
        List<Nexthop> hops = List.of(Nexthop.via(a("2001:db8::1"), r0), Nexthop.via(a("2001:db8::2"), r0));
        k.routes().add(Route.to(p("2001:db8:9::/48")).set(RouteAttribute.NEXTHOPS, hops).build());
        JsonNode ip = k.json("-6", "route", "show", "2001:db8:9::/48").get(0).get("nexthops");
        assertEquals(2, ip.size());
        assertEquals("2001:db8::2", ip.get(1).get("gateway").asText());
        Route read = ours(RouteFilter.family(IpAddress.Family.IPV6).destination(p("2001:db8:9::/48")));
        assertEquals(hops, read.get(RouteAttribute.NEXTHOPS));
    }

    @Test
    void defaultRoutesOfBothFamilies() throws Exception {
        k.routes().add(Route.to(p("0.0.0.0/0")).set(RouteAttribute.GATEWAY, a("198.51.100.1")).build());
        k.routes().add(Route.to(p("::/0")).set(RouteAttribute.GATEWAY, a("2001:db8::1")).set(RouteAttribute.DEVICE, r0).build());
        assertEquals("198.51.100.1", ipRoute("default").get("gateway").asText());
        assertEquals("2001:db8::1", k.json("-6", "route", "show", "default").get(0).get("gateway").asText());
        Route v6 = ours(RouteFilter.family(IpAddress.Family.IPV6).destination(p("::/0")));
        assertEquals(1024, v6.get(RouteAttribute.METRIC), "the kernel's IPv6 default metric");
        assertEquals(r0, ours(RouteFilter.family(IpAddress.Family.IPV4).destination(p("0.0.0.0/0"))).get(RouteAttribute.DEVICE),
                "the kernel found the device from the gateway");
    }

    @Test
    void scopeProtocolAndSource() throws Exception {
        k.routes().add(Route.to(p("192.0.2.0/24")).protocol(Route.PROTOCOL_STATIC)
                .set(RouteAttribute.PREFERRED_SOURCE, a("198.51.100.5")).set(RouteAttribute.DEVICE, r0).build());
        JsonNode ip = ipRoute("192.0.2.0/24");
        assertEquals("link", ip.get("scope").asText(), "no gateway: a subnet on the link");
        assertEquals("static", ip.get("protocol").asText());
        assertEquals("198.51.100.5", ip.get("prefsrc").asText());
        Route read = ours(RouteFilter.main().protocol(Route.PROTOCOL_STATIC));
        assertEquals(Scope.LINK, read.scope());
        assertEquals(a("198.51.100.5"), read.get(RouteAttribute.PREFERRED_SOURCE));
        assertNull(read.get(RouteAttribute.GATEWAY));
    }

    @Test
    void blackhole() throws Exception {
        k.routes().add(Route.to(p("192.0.2.0/24")).type(Route.TYPE_BLACKHOLE).build());
        assertEquals("blackhole", ipRoute("192.0.2.0/24").get("type").asText());
        assertEquals(Route.TYPE_BLACKHOLE, ours(RouteFilter.main().destination(p("192.0.2.0/24"))).type());
    }

    @Test
    void theKernelsConnectedRoutesAreListedByDevice() throws Exception {
        Route connected = ours(RouteFilter.family(IpAddress.Family.IPV4).device(r0).protocol(Route.PROTOCOL_KERNEL));
        assertEquals(p("198.51.100.0/24"), connected.destination());
        assertEquals(a("198.51.100.5"), connected.get(RouteAttribute.PREFERRED_SOURCE));
    }

    @Test
    void replaceChangesTheGateway() throws Exception {
        Route.Builder base = Route.to(p("203.0.113.0/24")).set(RouteAttribute.DEVICE, r0);
        k.routes().add(base.set(RouteAttribute.GATEWAY, a("198.51.100.1")).build());
        k.routes().replace(Route.to(p("203.0.113.0/24")).set(RouteAttribute.DEVICE, r0).set(RouteAttribute.GATEWAY, a("198.51.100.2")).build());
        assertEquals("198.51.100.2", ipRoute("203.0.113.0/24").get("gateway").asText());
    }

    @Test
    void addingTwiceIsExistsAndDeletingTwiceIsNotFound() throws Exception {
        Route route = Route.to(p("203.0.113.0/24")).set(RouteAttribute.GATEWAY, a("198.51.100.1")).set(RouteAttribute.DEVICE, r0).build();
        k.routes().add(route);
        assertThrows(ExistsException.class, () -> k.routes().add(route));
        k.routes().delete(route);
        assertEquals(0, k.json("route", "show", "203.0.113.0/24").size());
        NotFoundException e = assertThrows(NotFoundException.class, () -> k.routes().delete(route));
        assertEquals(Errno.ESRCH, e.errno());
        assertTrue(e.getMessage().startsWith("RTM_DELROUTE 203.0.113.0/24 via 198.51.100.1 dev " + r0 + " (dev " + r0 + " is r0): "),
                e.getMessage());
    }

    @Test
    void deleteMatchesByDestinationAndTable() throws Exception {
        k.routes().add(Route.to(p("203.0.113.0/24")).table(1000).set(RouteAttribute.GATEWAY, a("198.51.100.1")).build());
        k.routes().delete(Route.to(p("203.0.113.0/24")).table(1000).build());
        assertEquals(0, k.json("route", "show", "table", "1000").size());
    }

    @Test
    void anUnreachableGatewayIsRefused() throws Exception {
        dev.jcni.core.os.OsException e = assertThrows(dev.jcni.core.os.OsException.class,
                () -> k.routes().add(Route.to(p("203.0.113.0/24")).set(RouteAttribute.GATEWAY, a("192.0.2.1")).build()));
        assertTrue(e.errno() == Errno.ENETUNREACH || e.errno() == Errno.EINVAL, e.getMessage());
    }
}
