package dev.jcni.core.os.nft;

import static dev.jcni.core.os.nft.Statement.match;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing what the real nft 1.0.6 printed (resources real-*.json), and reading back what the model built. */
class NftListingTest {
    private final WorkedExample ex = new WorkedExample();

    @Test
    void readsTheWorkedExampleTable() throws Exception {
        NftListing l = NftListing.parse(Fixtures.text("real-list-after-10.json"));
        assertEquals("1.0.6", l.version());
        assertEquals(1, l.tables().size());
        assertEquals(1L, l.tables().get(0).handle());
        assertEquals(ex.table, l.table(Family.INET, "cni_hostport"));

        Chain pre = l.chain(ex.table, "prerouting");
        assertEquals("nat", pre.type());
        assertEquals("prerouting", pre.hook());
        assertEquals(-100, pre.priority());
        assertEquals("accept", pre.policy());
        assertEquals(10L, pre.handle());
        assertTrue(!l.chain(ex.table, "hostports").isBase());
        assertEquals(5, l.chains().size());

        List<Rule> rulesA = l.rules(ex.chainA);
        assertEquals(6, rulesA.size());
        assertEquals(18L, rulesA.get(0).handle());
        for (Rule r : rulesA) {
            assertEquals("a1b2c3d4e5f6/eth0", r.comment());
        }
        assertNull(l.rules(ex.hostports).get(0).comment());

        NftSet v4 = l.set(ex.table, "hostports_v4");
        assertTrue(v4.isVerdictMap());
        assertEquals(List.of(DataType.INET_PROTO, DataType.INET_SERVICE), v4.keyTypes());
        assertEquals(2, v4.listedElements().size());
        SetElement udp = v4.listedElements().get(1);
        assertEquals("[\"udp\",8080]", udp.key().get("concat").toString());
        assertEquals("udp", udp.keyParts().get(0).asText());
        assertEquals(8080, udp.keyParts().get(1).asInt());
        assertEquals("a1b2c3d4e5f6/eth0", udp.comment());
        assertEquals("goto", udp.verdict().kind());
        assertEquals(ex.chainA.name(), udp.verdict().target());
        assertTrue(l.set(ex.table, "hostip_hostports_v6").listedElements().isEmpty());
    }

    @Test
    void listedRulesEqualTheRulesTheModelBuilds() throws Exception {
        // What CHECK relies on: a generated rule and the rule nft lists back compare equal
        // (IPv6 text, sorted anonymous sets, dnat family in an inet table).
        NftListing l = NftListing.parse(Fixtures.text("real-list-after-10.json"));
        List<Rule> expected = new ArrayList<>();
        for (NftCommand c : ex.base().commands()) {
            if (c.object() instanceof Rule) {
                expected.add((Rule) c.object());
            }
        }
        for (NftCommand c : ex.addContainerA().commands()) {
            if (c.object() instanceof Rule) {
                expected.add((Rule) c.object());
            }
        }
        assertEquals(expected.size(), l.rules().size());
        for (int i = 0; i < expected.size(); i++) {
            assertTrue(expected.get(i).sameContent(l.rules().get(i)), "rule " + i + ": " + expected.get(i) + " vs " + l.rules().get(i));
        }
    }

    @Test
    void listedElementsEqualTheElementsTheModelBuilds() throws Exception {
        NftListing l = NftListing.parse(Fixtures.text("real-list-after-10.json"));
        Elements built = ex.portsV4.elements(
                SetElement.of("tcp", 8080).withComment("a1b2c3d4e5f6/eth0").mapsTo(Verdict.goTo(ex.chainA)),
                SetElement.of("udp", 8080).withComment("a1b2c3d4e5f6/eth0").mapsTo(Verdict.goTo(ex.chainA)));
        assertEquals(built.elements(), l.set(ex.table, "hostports_v4").listedElements());
    }

    @Test
    void readsBridgeAndMasqueradeTables() throws Exception {
        NftListing l = NftListing.parse(Fixtures.text("real-list-ruleset-misc.json"));
        Table nat = l.table(Family.BRIDGE, "nat");
        assertEquals(8L, nat.handle());
        Table masq = Table.of(Family.INET, "cni_plugins_masquerade");
        assertEquals(2, l.tables().size());
        assertEquals(-300, l.chain(nat, "PREROUTING").priority());
        assertEquals("filter", l.chain(nat, "PREROUTING").type());

        Chain mac = Chain.regular(nat, "cni-br-iface-abc-eth0-mac");
        Rule spoof = Rule.in(mac, match(Expr.ETHER_SADDR, "0A:58:0a:f4:00:05"), Verdict.RETURN).withComment("macspoofchk-abc-eth0");
        assertTrue(spoof.sameContent(l.rules(mac).get(0)), l.rules(mac).get(0).toString());
        assertEquals("{\"counter\":{\"packets\":0,\"bytes\":0}}", l.rules(mac).get(1).statements().get(0).toString());
        assertEquals(Verdict.DROP, l.rules(mac).get(1).statements().get(1));

        Chain checks = Chain.regular(masq, "masq_checks");
        Rule masqRule = Rule.in(checks,
                match(Expr.IP_SADDR, "10.22.0.5"),
                match(Expr.IP_DADDR, Statement.Op.NE, Expr.prefix("10.22.0.0", 16)),
                Statement.masquerade()).withComment("h1-h2, net: n, if: eth0, id: abc");
        assertTrue(masqRule.sameContent(l.rules(checks).get(0)));
        Rule ct = Rule.in(checks, match(Expr.CT_STATE, Statement.Op.IN, Expr.flags("established", "related")),
                match(Expr.CT_STATUS, Statement.Op.IN, Expr.flags("dnat")), Statement.counter(), Verdict.ACCEPT);
        // A counter lists with its packets and bytes, so compare the other statements.
        assertEquals(ct.statements().subList(0, 2), l.rules(checks).get(1).statements().subList(0, 2));
        Rule log = Rule.in(checks, match(Expr.CT_STATE, "invalid"), Statement.log("jcni: "), Verdict.DROP);
        assertTrue(log.sameContent(l.rules(checks).get(2)));
        Rule snat = Rule.in(checks, match(Expr.TH_DPORT, Expr.range(30000, 30010)), match(Expr.META_L4PROTO, Expr.set("udp", "tcp")),
                Statement.snat("192.0.2.1"));
        assertTrue(snat.sameContent(l.rules(checks).get(3)), l.rules(checks).get(3).toString());
        Rule mark = Rule.in(checks, match(Expr.META_IIFNAME, "lo"), Statement.setMark(8192),
                Statement.setCtMark(Expr.or(Expr.META_MARK, 4096)), Verdict.CONTINUE);
        assertTrue(mark.sameContent(l.rules(checks).get(4)));

        NftSet pairs = l.set(masq, "pairs");
        assertEquals(List.of("interval"), pairs.flags());
        assertEquals(List.of("ipv4_addr", "ipv4_addr"), pairs.keyTypeNames());
        NftSet nets = l.set(masq, "nets");
        assertEquals("{\"prefix\":{\"addr\":\"10.1.0.0\",\"len\":16}}", nets.listedElements().get(0).key().toString());
        assertEquals("{\"range\":[\"10.3.0.1\",\"10.3.0.9\"]}", nets.listedElements().get(1).key().toString());
        Chain dnat = Chain.regular(masq, "dnat_checks");
        Rule v6 = Rule.in(dnat, match(Expr.META_NFPROTO, "ipv6"), Statement.dnat("2001:db8::2"));
        assertTrue(v6.sameContent(l.rules(dnat).get(0)));
        NftSet pairsRef = Table.of(Family.INET, "cni_plugins_masquerade").set("pairs", DataType.IPV4_ADDR, DataType.IPV4_ADDR)
                .withFlags(NftSet.Flag.INTERVAL);
        NftSet netsRef = Table.of(Family.INET, "cni_plugins_masquerade").set("nets", DataType.IPV4_ADDR).withFlags(NftSet.Flag.INTERVAL);
        Rule redirect = Rule.in(dnat, match(Expr.concat(Expr.IP_SADDR, Expr.IP_DADDR), Expr.setRef(pairsRef)),
                match(Expr.IP_DADDR, Statement.Op.NE, Expr.setRef(netsRef)), match(Expr.META_L4PROTO, "udp"), Statement.redirect(8080));
        assertTrue(redirect.sameContent(l.rules(dnat).get(1)));
    }

    @Test
    void unknownObjectsAndFamiliesAreSkipped() throws Exception {
        NftListing l = NftListing.parse("{\"nftables\":[{\"metainfo\":{\"version\":\"1.0.6\"}},"
                + "{\"flowtable\":{\"family\":\"inet\",\"name\":\"f\",\"table\":\"t\"}},"
                + "{\"table\":{\"family\":\"decnet\",\"name\":\"x\"}},"
                + "{\"table\":{\"family\":\"inet\",\"name\":\"a b\",\"handle\":3}}]}");
        assertEquals(1, l.tables().size());
        assertEquals("a b", l.tables().get(0).name(), "names other tools made are read, not validated");
    }

    @Test
    void malformedOutputIsAParseError() {
        assertThrows(NftParseException.class, () -> NftListing.parse("{\"nftables\":"));
        assertThrows(NftParseException.class, () -> NftListing.parse("{\"tables\":[]}"));
        assertThrows(NftParseException.class, () -> NftListing.parse("{\"nftables\":[{\"chain\":{\"family\":\"inet\",\"name\":\"c\"}}]}"));
        assertThrows(NftParseException.class, () -> NftListing.parse("{\"nftables\":[{\"map\":{\"family\":\"inet\",\"table\":\"t\","
                + "\"name\":\"m\",\"type\":\"ipv4_addr\",\"map\":\"verdict\",\"elem\":[\"1.2.3.4\"]}}]}"));
    }
}
