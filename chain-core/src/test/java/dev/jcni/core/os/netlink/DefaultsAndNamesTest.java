package dev.jcni.core.os.netlink;

import static dev.jcni.core.os.netlink.FakeTransport.ack;
import static dev.jcni.core.os.netlink.Golden.assertRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jcni.core.net.IpPrefix;
import org.junit.jupiter.api.Test;

/**
 * iproute2's default route scopes by type (ip/iproute.c: host for local routes; link for
 * broadcast, anycast and multicast ones), tbf's required burst, and a few descriptions. Route
 * bytes by hand from linux/rtnetlink.h (RTN_LOCAL 2, RTN_BROADCAST 3, RTN_ANYCAST 4,
 * RTN_MULTICAST 5; RT_SCOPE_LINK 253, RT_SCOPE_HOST 254; RTPROT_BOOT 3; RT_TABLE_LOCAL 255).
 */
class DefaultsAndNamesTest {
    private static IpPrefix p(String s) throws Exception {
        return IpPrefix.parse(s);
    }

    @Test
    void localRoutesAreHostScoped() throws Exception {
        // ip route add local 10.3.0.5/32 dev d1 table local
        assertRequest("2c000000" + "1800" + "0506" + "00000000" + "00000000"
                + "02" + "20" + "00" + "00" + "ff" + "03" + "fe" + "02" + "00000000"
                + "0800" + "0100" + "0a030005" + "0800" + "0400" + "03000000",
                RouteMessages.add(Route.to(p("10.3.0.5/32")).table(255).type(Route.TYPE_LOCAL)
                        .set(RouteAttribute.DEVICE, 3).build(), true));
    }

    @Test
    void broadcastAnycastAndMulticastRoutesAreLinkScoped() throws Exception {
        // ip route add broadcast 10.3.0.255 dev d1 table local
        assertRequest("2c000000" + "1800" + "0506" + "00000000" + "00000000"
                + "02" + "20" + "00" + "00" + "ff" + "03" + "fd" + "03" + "00000000"
                + "0800" + "0100" + "0a0300ff" + "0800" + "0400" + "03000000",
                RouteMessages.add(Route.to(p("10.3.0.255/32")).table(255).type(Route.TYPE_BROADCAST)
                        .set(RouteAttribute.DEVICE, 3).build(), true));
        for (int type : new int[] {Route.TYPE_ANYCAST, Route.TYPE_MULTICAST}) {
            byte[] b = RouteMessages.add(Route.to(p("10.3.0.0/24")).type(type).set(RouteAttribute.DEVICE, 3).build(), true)
                    .build(0, 0);
            assertEquals(Scope.LINK, b[16 + 6] & 0xff, "type " + type);
        }
        byte[] unreachable = RouteMessages.add(Route.to(p("10.3.0.0/24")).type(Route.TYPE_UNREACHABLE).build(), true).build(0, 0);
        assertEquals(Scope.UNIVERSE, unreachable[16 + 6] & 0xff);
    }

    @Test
    void aRouteOfTable0SaysSo() throws Exception {
        assertEquals("10.3.0.0/24 table 0", Route.to(p("10.3.0.0/24")).tableAsRead(0).build().toString());
        assertEquals("10.3.0.0/24", Route.to(p("10.3.0.0/24")).tableAsRead(Route.TABLE_MAIN).build().toString());
    }

    @Test
    void tbfNeedsABurst() {
        TcOptions noBurst = TcOptions.of(QdiscTbf.KIND).with(QdiscTbf.RATE, 1000L).with(QdiscTbf.LIMIT, 2000L);
        assertEquals("tbf needs burst", assertThrows(IllegalArgumentException.class,
                () -> QdiscTbf.KIND.encode(noBurst, Psched.standard())).getMessage());
    }

    @Test
    void handlesHashByValue() {
        assertEquals(TcHandle.of(1, 0x30).hashCode(), TcHandle.parse("1:30").hashCode());
        assertNotEquals(TcHandle.of(1, 0x30).hashCode(), TcHandle.of(1, 0x31).hashCode());
    }

    @Test
    void aVethPairDescribesBothEnds() throws Exception {
        FakeTransport kernel = new FakeTransport();
        NetlinkMessageBuilder created = LinkMessages.ifinfo(new NetlinkMessageBuilder(LinkMessages.RTM_NEWLINK, 0), 0, 7, 0, 0)
                .attrString(LinkMessages.IFLA_IFNAME, "eth0").attrU32(LinkMessages.IFLA_LINK, 12);
        kernel.answer(ack(0)).answer(created.build(FakeTransport.SEQ, 0), ack(0));
        VethPair pair = new Links(new RtNetlink(kernel, 1), new FakePacing())
                .createVethPair(NewLink.veth("eth0"), NewLink.vethPeer("vethfixed0"), null);
        assertEquals("eth0 <-> vethfixed0 (index 12)", pair.toString());
    }

    @Test
    void anotherNumberOfActionsIsADifference() {
        TcOptions one = FilterU32.options(FilterU32Selector.matchAll(), null, java.util.List.of(ActionMirred.redirect(4)));
        TcOptions two = FilterU32.options(FilterU32Selector.matchAll(), null,
                java.util.List.of(ActionMirred.redirect(4), ActionMirred.mirror(5)));
        assertEquals(1, one.differences(two, Psched.standard()).size());
        assertEquals(1, two.differences(one, Psched.standard()).size());
        assertEquals(0, two.differences(two, Psched.standard()).size());
    }

    @Test
    void flagRowsAreCarriedByNoAttribute() {
        // IFLA_UNSPEC (0) carries no row; the flags (up, promisc...) travel in ifi_flags
        org.junit.jupiter.api.Assertions.assertNull(LinkAttribute.forAttributeType(0));
        assertEquals(LinkAttribute.MTU, LinkAttribute.forAttributeType(LinkMessages.IFLA_MTU));
    }
}
