package dev.jcni.core.os.netlink;

import static dev.jcni.core.os.netlink.Golden.assertRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;
import dev.jcni.core.os.OsException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Address and route messages at the edges of their header fields: a field set to 0 on purpose is
 * sent as 0 (not replaced by the default that "unset" gets), a table of 255 still fits the
 * header, flags of 0xff still fit ifa_flags, a /31 has no broadcast, a bare header is a message.
 * Expected bytes written by hand from linux/rtnetlink.h and linux/if_addr.h: nlmsghdr (len u32,
 * type u16, flags u16, seq, pid), struct rtmsg (family, dst_len, src_len, tos, table, protocol,
 * scope, type: u8 each; flags u32), struct ifaddrmsg (family, prefixlen, flags, scope: u8; index
 * u32); RTA_DST 1, RTA_OIF 4; IFA_ADDRESS 1, IFA_LOCAL 2, IFA_BROADCAST 4. Request flags:
 * NLM_F_REQUEST 1, NLM_F_ACK 4, NLM_F_EXCL 0x200, NLM_F_CREATE 0x400.
 */
class HeaderFieldBoundsTest {
    private static IpPrefix p(String s) throws Exception {
        return IpPrefix.parse(s);
    }

    private static NetlinkMessage message(String hex) throws OsException {
        byte[] b = Hex.parse(hex);
        return NetlinkMessage.parseAll(b, b.length).get(0);
    }

    @Test
    void routeFieldsSetToZeroAreSentAsZero() throws Exception {
        // an add with type unspec, protocol unspec and scope universe chosen: not unicast, boot, link
        assertRequest("2c000000" + "1800" + "0506" + "00000000" + "00000000"
                + "02" + "18" + "00" + "00" + "fe" + "00" + "00" + "00" + "00000000"
                + "0800" + "0100" + "0a030000" + "0800" + "0400" + "03000000",
                RouteMessages.add(Route.to(p("10.3.0.0/24")).type(0).protocol(0).scope(0)
                        .set(RouteAttribute.DEVICE, 3).build(), true));
        // a delete of scope universe only, not of any scope (nowhere)
        assertRequest("2c000000" + "1900" + "0500" + "00000000" + "00000000"
                + "02" + "18" + "00" + "00" + "fe" + "00" + "00" + "00" + "00000000"
                + "0800" + "0100" + "0a030000" + "0800" + "0400" + "03000000",
                RouteMessages.delete(Route.to(p("10.3.0.0/24")).scope(0).set(RouteAttribute.DEVICE, 3).build()));
    }

    @Test
    void table255IsInTheHeaderAndTable0Too() throws Exception {
        // ip route del 10.3.0.5/32 dev d1 table local: 255 fits the header's byte
        assertRequest("2c000000" + "1900" + "0500" + "00000000" + "00000000"
                + "02" + "20" + "00" + "00" + "ff" + "00" + "ff" + "00" + "00000000"
                + "0800" + "0100" + "0a030005" + "0800" + "0400" + "03000000",
                RouteMessages.delete(Route.to(p("10.3.0.5/32")).table(255).set(RouteAttribute.DEVICE, 3).build()));
        // a route read back with table 0 (unspec) is deleted with 0 in the header, no RTA_TABLE
        assertRequest("24000000" + "1900" + "0500" + "00000000" + "00000000"
                + "02" + "18" + "00" + "00" + "00" + "00" + "ff" + "00" + "00000000"
                + "0800" + "0100" + "0a030000",
                RouteMessages.delete(Route.to(p("10.3.0.0/24")).tableAsRead(0).build()));
    }

    @Test
    void aBareRtmsgIsADefaultRoute() throws Exception {
        // RTM_NEWROUTE with 12 bytes of rtmsg and no attribute: family inet, table main, proto kernel, type unicast
        Route r = RouteMessages.parse(message("1c000000 1800 0000 01000000 00000000 02 00 00 00 fe 02 00 01 00000000"));
        assertEquals(p("0.0.0.0/0"), r.destination());
        assertEquals(Route.TABLE_MAIN, r.table());
        assertEquals(Route.PROTOCOL_KERNEL, r.protocol());
        assertEquals(Route.TYPE_UNICAST, r.type());
        assertNull(RouteMessages.parse(message("18000000 1800 0000 01000000 00000000 02 00 00 00 fe 02 00 01")),
                "11 bytes are no rtmsg");
    }

    @Test
    void addressScopeZeroIsSentEvenForLoopback() throws Exception {
        // 127.0.0.1/8 would get scope host by default; scope global (0) chosen stays 0
        assertRequest("30000000" + "1400" + "0506" + "00000000" + "00000000"
                + "02" + "08" + "00" + "00" + "03000000"
                + "0800" + "0200" + "7f000001" + "0800" + "0100" + "7f000001" + "0800" + "0400" + "7fffffff",
                AddressMessages.add(Address.on(3, p("127.0.0.1/8")).scope(Scope.UNIVERSE).build()));
    }

    @Test
    void flags0xffFitTheHeader() throws Exception {
        assertRequest("28000000" + "1400" + "0506" + "00000000" + "00000000"
                + "02" + "20" + "ff" + "00" + "03000000"
                + "0800" + "0200" + "0a010005" + "0800" + "0100" + "0a010005",
                AddressMessages.add(Address.on(3, p("10.1.0.5/32")).flags(0xff).build()));
    }

    @Test
    void aSlash31HasNoBroadcast() throws Exception {
        assertRequest("28000000" + "1400" + "0506" + "00000000" + "00000000"
                + "02" + "1f" + "00" + "00" + "03000000"
                + "0800" + "0200" + "0a010005" + "0800" + "0100" + "0a010005",
                AddressMessages.add(Address.on(3, p("10.1.0.5/31")).build()));
        // a /30 has one: 10.1.0.7
        assertRequest("30000000" + "1400" + "0506" + "00000000" + "00000000"
                + "02" + "1e" + "00" + "00" + "03000000"
                + "0800" + "0200" + "0a010005" + "0800" + "0100" + "0a010005" + "0800" + "0400" + "0a010007",
                AddressMessages.add(Address.on(3, p("10.1.0.5/30")).build()));
    }

    @Test
    void aSlash32AddressIsRead() throws Exception {
        Address a = AddressMessages.parse(message("20000000 1400 0000 01000000 00000000 02 20 80 00 05000000 0800 0200 0a000001"));
        assertEquals(p("10.0.0.1/32"), a.prefix());
        assertEquals(5, a.index());
        assertEquals(Address.IFA_F_PERMANENT, a.flags());
        assertNull(AddressMessages.parse(message("20000000 1400 0000 01000000 00000000 02 21 80 00 05000000 0800 0200 0a000001")),
                "a /33 is no IPv4 prefix");
    }

    @Test
    void routeFiltersByFamilyProtocolAndNexthopDevice() throws Exception {
        IpAddress gw = IpAddress.parse("10.1.0.1");
        Route kernel = Route.to(p("10.1.0.0/24")).tableAsRead(Route.TABLE_MAIN).protocol(Route.PROTOCOL_KERNEL)
                .set(RouteAttribute.DEVICE, 3).build();
        Route unspec = Route.to(p("10.2.0.0/24")).tableAsRead(Route.TABLE_MAIN).protocol(0)
                .set(RouteAttribute.DEVICE, 3).build();
        Route v6 = Route.to(p("2001:db8::/64")).tableAsRead(Route.TABLE_MAIN).protocol(Route.PROTOCOL_KERNEL)
                .set(RouteAttribute.DEVICE, 3).build();
        Route ecmp = Route.to(p("10.6.0.0/16")).tableAsRead(Route.TABLE_MAIN).protocol(Route.PROTOCOL_BOOT)
                .set(RouteAttribute.NEXTHOPS, List.of(Nexthop.via(gw, 4), Nexthop.via(IpAddress.parse("10.1.0.2"), 5))).build();

        RouteFilter v4 = RouteFilter.family(IpAddress.Family.IPV4);
        assertTrue(v4.matches(kernel));
        assertFalse(v4.matches(v6));
        assertEquals(IpAddress.Family.IPV4, v4.family());

        RouteFilter kernelOnly = RouteFilter.main().protocol(Route.PROTOCOL_KERNEL);
        assertTrue(kernelOnly.matches(kernel));
        assertFalse(kernelOnly.matches(unspec));
        RouteFilter unspecOnly = RouteFilter.main().protocol(0);
        assertTrue(unspecOnly.matches(unspec));
        assertFalse(unspecOnly.matches(kernel));

        assertTrue(RouteFilter.main().device(4).matches(ecmp), "through its first nexthop");
        assertTrue(RouteFilter.main().device(5).matches(ecmp), "through its last nexthop");
        assertFalse(RouteFilter.main().device(6).matches(ecmp));
        assertFalse(RouteFilter.main().device(4).matches(kernel));
        assertTrue(RouteFilter.main().device(3).matches(kernel));
    }

    @Test
    void theDumpAsksForTheFiltersFamily() throws Exception {
        FakeTransport kernel = new FakeTransport();
        kernel.answer(FakeTransport.done(0)).answer(FakeTransport.done(0));
        Routes routes = new Routes(new RtNetlink(kernel, 1));
        routes.list(RouteFilter.family(IpAddress.Family.IPV6));
        routes.list(RouteFilter.main());
        assertEquals(10, kernel.sent.get(0)[16], "AF_INET6");
        assertEquals(0, kernel.sent.get(1)[16], "AF_UNSPEC: both");
    }

    @Test
    void replaceSendsCreateAndReplace() throws Exception {
        FakeTransport kernel = new FakeTransport();
        kernel.answer(FakeTransport.ack(0));
        new Routes(new RtNetlink(kernel, 1)).replace(Route.to(p("10.3.0.0/24")).set(RouteAttribute.DEVICE, 3).build());
        byte[] sent = kernel.sent.get(0);
        assertEquals(RouteMessages.RTM_NEWROUTE, HostOrder.u16(sent, 4));
        // NLM_F_REQUEST | NLM_F_ACK | NLM_F_REPLACE 0x100 | NLM_F_CREATE 0x400, as ip route replace
        assertEquals(0x0505, HostOrder.u16(sent, 6));
    }
}
