package dev.jcni.core.os.netlink;

import static dev.jcni.core.os.netlink.FakeTransport.ack;
import static dev.jcni.core.os.netlink.FakeTransport.done;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;
import dev.jcni.core.os.Errno;
import dev.jcni.core.os.ExistsException;
import dev.jcni.core.os.NotFoundException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Routes' own logic (filters, errors) against a scripted kernel. */
class RoutesTest {
    private final FakeTransport kernel = new FakeTransport();
    private final Routes routes = new Routes(new RtNetlink(kernel, 1));

    private static byte[] route(String dst, int table, int device, int flags) throws Exception {
        Route r = Route.to(IpPrefix.parse(dst)).table(table).set(RouteAttribute.DEVICE, device).build();
        NetlinkMessageBuilder b = RouteMessages.add(r, true);
        byte[] wire = b.build(FakeTransport.SEQ, NetlinkConstants.NLM_F_MULTI);
        HostOrder.putU16(wire, 4, RouteMessages.RTM_NEWROUTE);
        HostOrder.putI32(wire, 16 + 8, flags); // rtm_flags
        return wire;
    }

    private static byte[] link() {
        return LinkMessages.ifinfo(new NetlinkMessageBuilder(LinkMessages.RTM_NEWLINK, 0), 0, 3, 0, 0)
                .attrString(LinkMessages.IFLA_IFNAME, "eth0").build(FakeTransport.SEQ, 0);
    }

    @Test
    void listsTheMainTableByDefaultWithoutClones() throws Exception {
        kernel.answer(route("10.0.0.0/24", Route.TABLE_MAIN, 3, 0), route("10.1.0.0/24", 1000, 3, 0),
                route("10.2.0.5/32", Route.TABLE_MAIN, 3, Route.RTM_F_CLONED), route("10.3.0.0/24", Route.TABLE_MAIN, 4, 0), done(0));
        List<Route> main = routes.list(RouteFilter.family(IpAddress.Family.IPV4).device(3));
        assertEquals(1, main.size());
        assertEquals(IpPrefix.parse("10.0.0.0/24"), main.get(0).destination());
    }

    @Test
    void aTableAbove255IsReadFromRtaTable() throws Exception {
        kernel.answer(route("10.0.0.0/24", Route.TABLE_MAIN, 3, 0), route("10.1.0.0/24", 100000, 3, 0), done(0));
        List<Route> t = routes.list(RouteFilter.main().table(100000));
        assertEquals(1, t.size());
        assertEquals(100000, t.get(0).table());
    }

    @Test
    void deletingAMissingRouteIsNotFoundNamingTheDevice() throws Exception {
        kernel.answer(ack(-Errno.ESRCH)).answer(link(), ack(0));
        NotFoundException e = assertThrows(NotFoundException.class,
                () -> routes.delete(Route.to(IpPrefix.parse("10.9.0.0/16")).set(RouteAttribute.DEVICE, 3).build()));
        assertEquals("RTM_DELROUTE 10.9.0.0/16 dev 3 (dev 3 is eth0): No such process (ESRCH)", e.getMessage());
    }

    @Test
    void addingAnExistingRouteIsExists() throws Exception {
        kernel.answer(ack(-Errno.EEXIST));
        ExistsException e = assertThrows(ExistsException.class,
                () -> routes.add(Route.to(IpPrefix.parse("10.9.0.0/16")).type(Route.TYPE_BLACKHOLE).build()));
        assertEquals("RTM_NEWROUTE blackhole 10.9.0.0/16: File exists (EEXIST)", e.getMessage());
    }
}
