package dev.jcni.core.os.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The value classes' equality (every field takes part: a fake kernel and the plugins' drift checks
 * compare what they wanted with what was read back), their hashes (values that differ in one
 * field do not all collide) and their descriptions in the words of {@code ip} and {@code tc}
 * (error messages and logs name routes, addresses and filters by them).
 */
class ValueObjectsTest {
    private static IpAddress a(String s) throws Exception {
        return IpAddress.parse(s);
    }

    private static IpPrefix p(String s) throws Exception {
        return IpPrefix.parse(s);
    }

    /** Each of {@code others} differs from {@code base} in one field: none is equal to it, and not every hash collides. */
    private static void eachDiffers(Object base, Object equalCopy, Object... others) {
        assertEquals(base, equalCopy);
        assertEquals(equalCopy, base);
        assertEquals(base.hashCode(), equalCopy.hashCode());
        assertNotEquals(base, "not a value of this class");
        assertFalse(base.equals(null));
        Set<Integer> hashes = new HashSet<>();
        hashes.add(base.hashCode());
        for (Object o : others) {
            assertNotEquals(base, o, "differs from " + o);
            assertNotEquals(o, base, "differs from " + o);
            hashes.add(o.hashCode());
        }
        assertTrue(hashes.size() > 1, "all hashes equal: " + hashes);
    }

    @Test
    void addressEqualityTakesEveryField() throws Exception {
        Address base = Address.on(3, p("10.1.0.5/24")).flags(Address.IFA_F_NODAD).scope(Scope.LINK)
                .set(AddressAttribute.LABEL, "eth0").build();
        Address copy = Address.on(3, p("10.1.0.5/24")).flags(Address.IFA_F_NODAD).scope(Scope.LINK)
                .set(AddressAttribute.LABEL, "eth0").build();
        eachDiffers(base, copy,
                Address.on(4, p("10.1.0.5/24")).flags(Address.IFA_F_NODAD).scope(Scope.LINK).set(AddressAttribute.LABEL, "eth0").build(),
                Address.on(3, p("10.1.0.6/24")).flags(Address.IFA_F_NODAD).scope(Scope.LINK).set(AddressAttribute.LABEL, "eth0").build(),
                Address.on(3, p("10.1.0.5/24")).scope(Scope.LINK).set(AddressAttribute.LABEL, "eth0").build(),
                Address.on(3, p("10.1.0.5/24")).flags(Address.IFA_F_NODAD).scope(Scope.HOST).set(AddressAttribute.LABEL, "eth0").build(),
                Address.on(3, p("10.1.0.5/24")).flags(Address.IFA_F_NODAD).scope(Scope.LINK).set(AddressAttribute.LABEL, "eth1").build());
        assertEquals(3, base.index());
        assertEquals(Scope.LINK, base.scope());
        assertEquals("eth0", base.get(AddressAttribute.LABEL));
    }

    @Test
    void addressHashesSpreadOverIndexPrefixAndFlags() throws Exception {
        Set<Integer> hashes = new HashSet<>();
        for (int index = 1; index <= 4; index++) {
            for (int flags = 0; flags < 4; flags++) {
                hashes.add(Address.on(index, p("10.1.0.5/24")).flags(flags).build().hashCode());
            }
        }
        assertEquals(16, hashes.size());
    }

    @Test
    void addressDescriptionNamesScopeAndAttributes() throws Exception {
        assertEquals("Address{10.1.0.5/24 index=3, flags=0x80, scope=link, label=eth0}",
                Address.on(3, p("10.1.0.5/24")).flags(Address.IFA_F_PERMANENT).scope(Scope.LINK)
                        .set(AddressAttribute.LABEL, "eth0").build().toString());
        assertEquals("Address{10.1.0.5/24 index=3, flags=0x0, scope=global}",
                Address.on(3, p("10.1.0.5/24")).scope(Scope.UNIVERSE).build().toString());
        assertEquals("Address{2001:db8::5/64 index=7, flags=0x2}",
                Address.on(7, p("2001:db8::5/64")).flags(Address.IFA_F_NODAD).build().toString(), "no scope set: none printed");
    }

    @Test
    void addressScopeIsOneByte() throws Exception {
        Address.Builder b = Address.on(1, p("10.0.0.1/8"));
        assertEquals(255, b.scope(255).build().scope());
        assertEquals(0, b.scope(0).build().scope());
        assertThrows(IllegalArgumentException.class, () -> b.scope(256));
        assertThrows(IllegalArgumentException.class, () -> b.scope(-1));
    }

    @Test
    void routeEqualityTakesEveryField() throws Exception {
        Route base = Route.to(p("10.2.0.0/16")).table(100).protocol(Route.PROTOCOL_STATIC).scope(Scope.LINK)
                .type(Route.TYPE_UNICAST).set(RouteAttribute.DEVICE, 3).build();
        Route copy = Route.to(p("10.2.0.0/16")).table(100).protocol(Route.PROTOCOL_STATIC).scope(Scope.LINK)
                .type(Route.TYPE_UNICAST).set(RouteAttribute.DEVICE, 3).build();
        eachDiffers(base, copy,
                Route.to(p("10.3.0.0/16")).table(100).protocol(4).scope(Scope.LINK).type(1).set(RouteAttribute.DEVICE, 3).build(),
                Route.to(p("10.2.0.0/16")).table(101).protocol(4).scope(Scope.LINK).type(1).set(RouteAttribute.DEVICE, 3).build(),
                Route.to(p("10.2.0.0/16")).table(100).protocol(3).scope(Scope.LINK).type(1).set(RouteAttribute.DEVICE, 3).build(),
                Route.to(p("10.2.0.0/16")).table(100).protocol(4).scope(Scope.HOST).type(1).set(RouteAttribute.DEVICE, 3).build(),
                Route.to(p("10.2.0.0/16")).table(100).protocol(4).scope(Scope.LINK).type(2).set(RouteAttribute.DEVICE, 3).build(),
                Route.to(p("10.2.0.0/16")).table(100).protocol(4).scope(Scope.LINK).type(1).flags(Route.RTM_F_CLONED)
                        .set(RouteAttribute.DEVICE, 3).build(),
                Route.to(p("10.2.0.0/16")).table(100).protocol(4).scope(Scope.LINK).type(1).set(RouteAttribute.DEVICE, 4).build());
    }

    @Test
    void routeHashesSpreadOverDestinationTableAndAttributes() throws Exception {
        Set<Integer> hashes = new HashSet<>();
        for (int table = 1; table <= 3; table++) {
            for (int dev = 1; dev <= 3; dev++) {
                hashes.add(Route.to(p("10.2.0.0/16")).table(table).set(RouteAttribute.DEVICE, dev).build().hashCode());
                hashes.add(Route.to(p("10.9.0.0/16")).table(table).set(RouteAttribute.DEVICE, dev).build().hashCode());
            }
        }
        assertEquals(18, hashes.size());
    }

    @Test
    void routeDescriptionIsInTheWordsOfIpRoute() throws Exception {
        assertEquals("10.2.0.0/16 via 10.1.0.1 metric 100 dev 3 table 1000",
                Route.to(p("10.2.0.0/16")).table(1000).set(RouteAttribute.GATEWAY, a("10.1.0.1"))
                        .set(RouteAttribute.METRIC, 100).set(RouteAttribute.DEVICE, 3).build().toString());
        assertEquals("default via 10.1.0.1 proto 0 scope global",
                Route.to(p("0.0.0.0/0")).table(Route.TABLE_MAIN).protocol(0).scope(Scope.UNIVERSE)
                        .set(RouteAttribute.GATEWAY, a("10.1.0.1")).build().toString(), "table main is not printed");
        assertEquals("10.6.0.0/16 nexthop via 10.1.0.1 dev 3 weight 1 nexthop via 10.1.0.2 dev 3 weight 2",
                Route.to(p("10.6.0.0/16")).set(RouteAttribute.NEXTHOPS,
                        List.of(Nexthop.via(a("10.1.0.1"), 3), Nexthop.via(a("10.1.0.2"), 3).weight(2))).build().toString());
        assertEquals("10.6.0.0/16 nexthop via 10.1.0.1 dev 3 weight 1",
                Route.to(p("10.6.0.0/16")).set(RouteAttribute.NEXTHOPS, List.of(Nexthop.via(a("10.1.0.1"), 3))).build().toString());
        assertEquals("10.6.0.0/16 table 1", Route.to(p("10.6.0.0/16")).table(1).build().toString());
    }

    @Test
    void routeTypesAreNamedAboveUnicast() throws Exception {
        assertEquals("10.5.0.0/24", Route.to(p("10.5.0.0/24")).type(Route.TYPE_UNICAST).build().toString());
        assertEquals("10.5.0.0/24", Route.to(p("10.5.0.0/24")).type(Route.TYPE_UNSPEC).build().toString());
        assertEquals("local 10.5.0.0/24", Route.to(p("10.5.0.0/24")).type(Route.TYPE_LOCAL).build().toString());
        assertEquals("throw 10.5.0.0/24", Route.to(p("10.5.0.0/24")).type(Route.TYPE_THROW).build().toString());
        assertEquals("type 10 10.5.0.0/24", Route.to(p("10.5.0.0/24")).type(10).build().toString());
        assertEquals("type 255 10.5.0.0/24 scope nowhere",
                Route.to(p("10.5.0.0/24")).type(255).scope(Scope.NOWHERE).build().toString());
    }

    @Test
    void routeHeaderFieldsAreOneByteOrUnset() throws Exception {
        Route.Builder b = Route.to(p("10.5.0.0/24"));
        assertEquals(-1, b.protocol(-1).build().protocol());
        assertEquals(255, b.protocol(255).build().protocol());
        assertEquals(-1, b.scope(-1).build().scope());
        assertEquals(255, b.type(255).build().type());
        assertThrows(IllegalArgumentException.class, () -> b.protocol(256));
        assertThrows(IllegalArgumentException.class, () -> b.scope(-2));
        assertThrows(IllegalArgumentException.class, () -> b.type(256));
        assertThrows(IllegalArgumentException.class, () -> b.table(0));
        assertEquals(1, b.table(1).build().table());
    }

    @Test
    void nexthopEqualityTakesEveryField() throws Exception {
        Nexthop base = Nexthop.via(a("10.1.0.1"), 3).weight(2).flags(4);
        eachDiffers(base, Nexthop.via(a("10.1.0.1"), 3).weight(2).flags(4),
                Nexthop.via(a("10.1.0.2"), 3).weight(2).flags(4),
                Nexthop.via(a("10.1.0.1"), 4).weight(2).flags(4),
                Nexthop.via(a("10.1.0.1"), 3).weight(3).flags(4),
                Nexthop.via(a("10.1.0.1"), 3).weight(2).flags(0),
                Nexthop.via(null, 3).weight(2).flags(4));
        assertEquals(3, base.device());
        assertEquals(2, base.weight());
        assertEquals(4, base.flags());
        assertEquals(a("10.1.0.1"), base.gateway());
        Set<Integer> hashes = new HashSet<>();
        for (int dev = 1; dev <= 4; dev++) {
            for (int w = 1; w <= 4; w++) {
                hashes.add(Nexthop.via(a("10.1.0.1"), dev).weight(w).hashCode());
            }
        }
        assertEquals(16, hashes.size());
    }

    @Test
    void nexthopDescriptionIsInTheWordsOfIpRoute() throws Exception {
        assertEquals("nexthop via 10.1.0.1 dev 3 weight 2 flags 0x4", Nexthop.via(a("10.1.0.1"), 3).weight(2).flags(4).toString());
        assertEquals("nexthop via 10.1.0.1 weight 1", Nexthop.via(a("10.1.0.1"), 0).toString(), "device 0: none");
        assertEquals("nexthop dev 1 weight 256", Nexthop.via(null, 1).weight(256).toString());
    }

    @Test
    void nexthopNeedsAWeightIn1To256AndAGatewayOrADevice() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> Nexthop.via(a("10.1.0.1"), 3).weight(0));
        assertThrows(IllegalArgumentException.class, () -> Nexthop.via(a("10.1.0.1"), 3).weight(257));
        assertEquals(1, Nexthop.via(a("10.1.0.1"), 3).weight(1).weight());
        assertThrows(IllegalArgumentException.class, () -> Nexthop.via(null, 0));
        assertThrows(IllegalArgumentException.class, () -> Nexthop.via(null, -1));
        assertEquals(1, Nexthop.via(null, 1).device());
        assertEquals(0, Nexthop.via(a("10.1.0.1"), 0).device(), "a gateway alone is enough");
    }

    @Test
    void bridgeVlanEqualityAndHashes() {
        eachDiffers(BridgeVlan.of(100, true, true), BridgeVlan.access(100),
                BridgeVlan.of(101, true, true), BridgeVlan.of(100, false, true), BridgeVlan.of(100, true, false),
                BridgeVlan.range(100, 100));
        assertNotEquals(BridgeVlan.range(100, 101), BridgeVlan.range(100, 102));
        Set<Integer> hashes = new HashSet<>();
        for (int first = 1; first <= 5; first++) {
            for (int last = first; last <= 5; last++) {
                hashes.add(BridgeVlan.range(first, last).hashCode());
                hashes.add(BridgeVlan.read(first, last, BridgeVlan.FLAG_UNTAGGED).hashCode());
            }
            hashes.add(BridgeVlan.of(first, true, false).hashCode());
            hashes.add(BridgeVlan.of(first, true, true).hashCode());
        }
        assertEquals(40, hashes.size(), "every (first, last, pvid, untagged) its own hash");
    }

    @Test
    void bridgeVlanEntriesKeepTheirFlags() {
        BridgeVlan access = BridgeVlan.of(7, true, true);
        assertTrue(access.pvid());
        assertTrue(access.untagged());
        BridgeVlan tagged = BridgeVlan.of(7, false, false);
        assertFalse(tagged.pvid());
        assertFalse(tagged.untagged());
        BridgeVlan untaggedOnly = BridgeVlan.of(7, false, true);
        assertFalse(untaggedOnly.pvid());
        assertTrue(untaggedOnly.untagged());
        assertEquals("vid 7 untagged", untaggedOnly.toString());
        assertEquals(BridgeVlan.FLAG_PVID | BridgeVlan.FLAG_UNTAGGED, access.flags());
    }

    @Test
    void bridgeVlanIdsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> BridgeVlan.range(0, 5));
        assertThrows(IllegalArgumentException.class, () -> BridgeVlan.range(5, 4095));
        assertThrows(IllegalArgumentException.class, () -> BridgeVlan.range(4094, 4095));
        assertThrows(IllegalArgumentException.class, () -> BridgeVlan.tagged(4095));
        assertEquals(4094, BridgeVlan.range(1, 4094).last());
    }

    @Test
    void scopeNames() {
        assertEquals("global", Scope.name(Scope.UNIVERSE));
        assertEquals("site", Scope.name(200));
        assertEquals("link", Scope.name(253));
        assertEquals("host", Scope.name(254));
        assertEquals("nowhere", Scope.name(255));
        assertEquals("100", Scope.name(100));
    }

    @Test
    void verdictNamesAreTcs() {
        // include/uapi/linux/pkt_cls.h: TC_ACT_OK 0, RECLASSIFY 1, SHOT 2, PIPE 3, STOLEN 4
        assertEquals("pass", TcActions.verdictName(0));
        assertEquals("reclassify", TcActions.verdictName(1));
        assertEquals("drop", TcActions.verdictName(2));
        assertEquals("pipe", TcActions.verdictName(3));
        assertEquals("stolen", TcActions.verdictName(4));
        assertEquals("7", TcActions.verdictName(7));
    }

    @Test
    void protocolNamesAreTcs() {
        assertEquals("all", Filter.protocolName(0x0003));
        assertEquals("ip", Filter.protocolName(0x0800));
        assertEquals("ipv6", Filter.protocolName(0x86dd));
        assertEquals("0x806", Filter.protocolName(0x0806));
    }

    @Test
    void linkInfoHashesSpreadOverIndexAndFlags() {
        Set<Integer> hashes = new HashSet<>();
        for (int index = 1; index <= 4; index++) {
            for (int flags = 0; flags < 4; flags++) {
                hashes.add(new LinkInfo.Builder(index).flags(flags).build().hashCode());
            }
        }
        assertEquals(16, hashes.size());
        assertEquals(new LinkInfo.Builder(3).flags(1).build(), new LinkInfo.Builder(3).flags(1).build());
    }

    @Test
    void rowsAreNamedAsIpNamesThem() {
        assertEquals("mtu", LinkAttribute.MTU.toString());
        assertEquals("via", RouteAttribute.GATEWAY.toString());
        assertEquals("label", AddressAttribute.LABEL.toString());
    }
}
