package dev.jcni.core.os.nft;

import static dev.jcni.core.os.nft.Statement.dnat;
import static dev.jcni.core.os.nft.Statement.match;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the model refuses, and the canonical forms it sends. */
class ModelValidationTest {
    private final Table inet = Table.of(Family.INET, "t");
    private final Chain chain = inet.chain("c");

    private static String message(Runnable r) {
        return assertThrows(NftModelException.class, r::run).getMessage();
    }

    private static String right(Statement match) {
        return match.toJson().get("match").get("right").toString();
    }

    // ---- names and comments

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "x;{}\"", "1abc", "-x", "a\u0000b", "tab\tle", "naïve", "a@b", "a:b"})
    void badNames(String name) {
        assertThrows(NftModelException.class, () -> Table.of(Family.INET, name));
        assertThrows(NftModelException.class, () -> inet.chain(name));
        assertThrows(NftModelException.class, () -> inet.set(name, DataType.IPV4_ADDR));
        assertThrows(NftModelException.class, () -> Verdict.jump(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cni_hostport", "cnihp-3f9a1c2b7d4e6a80", "PREROUTING", "_x", ".y", "cni-br-iface-abc-eth0.100-mac", "a/b"})
    void goodNames(String name) {
        assertEquals(name, inet.chain(name).name());
    }

    @Test
    void nameLength() {
        inet.chain("a".repeat(255));
        assertTrue(message(() -> inet.chain("a".repeat(256))).contains("longer than 255"));
        assertThrows(NftModelException.class, () -> Table.of(Family.INET, null));
    }

    @Test
    void commentLimitIs128Bytes() {
        Rule r = Rule.in(chain, Verdict.ACCEPT);
        assertEquals(128, r.withComment("x".repeat(128)).comment().length());
        assertTrue(message(() -> r.withComment("x".repeat(129))).contains("129 bytes"));
        // 64 two-byte characters are 128 bytes; one more ASCII character is one too many.
        r.withComment("é".repeat(64));
        assertThrows(NftModelException.class, () -> r.withComment("é".repeat(64) + "x"));
        assertThrows(NftModelException.class, () -> SetElement.of("tcp", 1).withComment("x".repeat(129)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "nul\u0000here", "new\nline", "quote\"d", "del\u007f"})
    void badComments(String comment) {
        assertThrows(NftModelException.class, () -> Rule.in(chain, Verdict.ACCEPT).withComment(comment));
        assertThrows(NftModelException.class, () -> SetElement.of("tcp", 1).withComment(comment));
    }

    @Test
    void controlCharactersAreShownEscaped() {
        assertTrue(message(() -> inet.chain("a\u0000b")).contains("'a\\u0000b'"));
    }

    // ---- values against fields

    @Test
    void valuesMustFitTheirField() {
        assertTrue(message(() -> match(Expr.IP_DADDR, "2001:db8::1")).contains("invalid ipv4_addr '2001:db8::1'"));
        assertThrows(NftModelException.class, () -> match(Expr.IP6_DADDR, "10.0.0.1"));
        assertThrows(NftModelException.class, () -> match(Expr.IP_DADDR, "010.0.0.1"));
        assertThrows(NftModelException.class, () -> match(Expr.IP_DADDR, "10.0.0.256"));
        assertThrows(NftModelException.class, () -> match(Expr.IP_DADDR, "example.com"));
        assertThrows(NftModelException.class, () -> match(Expr.TCP_DPORT, 65536));
        assertThrows(NftModelException.class, () -> match(Expr.TCP_DPORT, -1));
        assertThrows(NftModelException.class, () -> match(Expr.TCP_DPORT, "http"));
        assertThrows(NftModelException.class, () -> match(Expr.META_L4PROTO, "tcp; drop"));
        assertThrows(NftModelException.class, () -> match(Expr.META_L4PROTO, 256));
        assertThrows(NftModelException.class, () -> match(Expr.META_NFPROTO, "ipv5"));
        assertThrows(NftModelException.class, () -> match(Expr.FIB_DADDR_TYPE, "remote"));
        assertThrows(NftModelException.class, () -> match(Expr.ETHER_SADDR, "0a:58:0a:f4:00"));
        assertThrows(NftModelException.class, () -> match(Expr.META_MARK, 0x1_0000_0000L));
        assertThrows(NftModelException.class, () -> match(Expr.TCP_DPORT, 80.5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"veth*", "eth\\0", "a b", "sixteen-chars-xx", "", "a/b", "a:b", "qu\"ote", ".", ".."})
    void interfaceNamesCannotCarryWildcardsOrJunk(String ifname) {
        assertThrows(NftModelException.class, () -> match(Expr.META_IIFNAME, ifname));
    }

    @Test
    void canonicalForms() {
        assertEquals("\"2001:db8::2\"", right(match(Expr.IP6_SADDR, "2001:DB8:0:0::2")));
        assertEquals("\"::ffff:1.2.3.4\"", right(match(Expr.IP6_SADDR, "::ffff:0102:0304")));
        assertEquals("\"tcp\"", right(match(Expr.META_L4PROTO, "TCP")));
        assertEquals("\"tcp\"", right(match(Expr.META_L4PROTO, 6)));
        assertEquals("\"ipv6-icmp\"", right(match(Expr.META_L4PROTO, 58)));
        assertEquals("200", right(match(Expr.META_L4PROTO, 200)));
        assertEquals("\"0a:58:0a:f4:00:05\"", right(match(Expr.ETHER_SADDR, "0A:58:a:F4:0:5")));
        assertEquals("{\"prefix\":{\"addr\":\"10.0.0.0\",\"len\":24}}", right(match(Expr.IP_SADDR, Expr.prefix("10.0.0.2", 24))));
        assertEquals("{\"prefix\":{\"addr\":\"2001:db8:8000::\",\"len\":33}}",
                right(match(Expr.IP6_SADDR, Expr.prefix("2001:db8:ffff::1", 33))));
        assertEquals("4294967295", right(match(Expr.META_MARK, 0xffffffffL)));
        assertEquals("\"tcp\"", right(match(Expr.META_L4PROTO, Expr.set("tcp"))), "a one-element set is its element");
        assertEquals("[\"established\",\"related\"]", right(match(Expr.CT_STATE, Statement.Op.IN, Expr.flags("related", "established"))),
                "flags in bit order, as nft lists them");
    }

    @Test
    void inetAddressesAreAccepted() throws Exception {
        assertEquals("\"192.0.2.1\"", right(match(Expr.IP_DADDR, InetAddress.getByName("192.0.2.1"))));
        assertEquals("\"2001:db8::1\"", right(match(Expr.IP6_DADDR, InetAddress.getByName("2001:db8:0::1"))));
        assertThrows(NftModelException.class, () -> match(Expr.IP_DADDR, InetAddress.getByName("2001:db8::1")));
    }

    @Test
    void anonymousSetsAreSortedAndDuplicatesRefused() {
        assertEquals("{\"set\":[\"tcp\",\"udp\",\"sctp\"]}", right(match(Expr.META_L4PROTO, Expr.set("sctp", "udp", "tcp"))));
        assertEquals("{\"set\":[1,80,256,443,8080]}", right(match(Expr.TH_DPORT, Expr.set(8080, 80, 443, 1, 256))));
        assertEquals("{\"set\":[\"eth0\",\"veth2\",\"veth10\"]}", right(match(Expr.META_IIFNAME, Expr.set("veth10", "veth2", "eth0"))));
        assertTrue(message(() -> match(Expr.META_L4PROTO, Expr.set("tcp", "TCP"))).contains("given twice"));
        assertThrows(NftModelException.class, () -> match(Expr.META_L4PROTO, Expr.set()));
        assertThrows(NftModelException.class, () -> match(Expr.META_L4PROTO, Expr.set("tcp", null)));
    }

    @Test
    void prefixesAndRanges() {
        assertThrows(NftModelException.class, () -> match(Expr.IP_SADDR, Expr.prefix("10.0.0.0", 33)));
        assertThrows(NftModelException.class, () -> match(Expr.TCP_DPORT, Expr.prefix(80, 8)));
        assertThrows(NftModelException.class, () -> match(Expr.TH_DPORT, Expr.range(30010, 30000)));
        assertThrows(NftModelException.class, () -> match(Expr.TH_DPORT, Expr.range(30000, 30000)));
        assertEquals("{\"range\":[\"10.0.0.1\",\"10.0.0.9\"]}", right(match(Expr.IP_SADDR, Expr.range("10.0.0.1", "10.0.0.9"))));
        assertThrows(NftModelException.class, () -> match(Expr.IP_SADDR, Expr.range("10.0.0.10", "10.0.0.9")),
                "compared as addresses, not as text");
    }

    @Test
    void operatorsFitTheirValues() {
        assertThrows(NftModelException.class, () -> match(Expr.TCP_DPORT, Statement.Op.IN, 80));
        assertThrows(NftModelException.class, () -> match(Expr.CT_STATE, Expr.flags("new", "established")));
        assertThrows(NftModelException.class, () -> match(Expr.TCP_DPORT, Statement.Op.LT, Expr.set(1, 2)));
        assertThrows(NftModelException.class, () -> match(Expr.CT_STATE, Statement.Op.IN, Expr.flags("new", "new")));
        assertThrows(NftModelException.class, () -> match(Expr.META_MARK, Statement.Op.IN, Expr.flags("new")));
        assertThrows(NftModelException.class, () -> match(Expr.value("10.0.0.1"), "10.0.0.1"));
        assertEquals("<", match(Expr.TCP_DPORT, Statement.Op.LT, 1024).toJson().get("match").get("op").asText());
    }

    // ---- concatenations, sets and maps

    @Test
    void concatenationTypesMustMatch() {
        NftSet hostip = inet.verdictMap("hostip", DataType.IPV4_ADDR, DataType.INET_PROTO, DataType.INET_SERVICE);
        Verdict v = Verdict.goTo(chain);
        assertTrue(message(() -> hostip.elements(SetElement.of("tcp", 8080).mapsTo(v))).contains("needs 3 values, got 2"));
        assertTrue(message(() -> hostip.elements(SetElement.of("2001:db8::1", "tcp", 80).mapsTo(v))).contains("ipv4_addr"));
        assertThrows(NftModelException.class, () -> hostip.elements(SetElement.of("10.0.0.1", 80, "tcp").mapsTo(v)));
        assertThrows(NftModelException.class, () -> hostip.elements(SetElement.of("10.0.0.1").mapsTo(v)));
        // vmap keys: an IPv6 lookup in an IPv4-keyed map, or the parts in the wrong order.
        assertTrue(message(() -> Statement.vmap(Expr.concat(Expr.IP6_DADDR, Expr.META_L4PROTO, Expr.TH_DPORT), hostip))
                .contains("ipv4_addr . inet_proto . inet_service"));
        assertThrows(NftModelException.class, () -> Statement.vmap(Expr.concat(Expr.IP_DADDR, Expr.TH_DPORT, Expr.META_L4PROTO), hostip));
        NftSet plain = inet.set("s", DataType.IPV4_ADDR);
        assertThrows(NftModelException.class, () -> Statement.vmap(Expr.IP_DADDR, plain));
        assertThrows(NftModelException.class, () -> match(Expr.IP6_SADDR, Expr.setRef(plain)));
        assertThrows(NftModelException.class, () -> Expr.concat(Expr.IP_DADDR));
        assertThrows(NftModelException.class, () -> Expr.concat(Expr.IP_DADDR, "10.0.0.1"));
        assertThrows(NftModelException.class, () -> match(Expr.concat(Expr.META_L4PROTO, Expr.TH_DPORT), "tcp"));
    }

    @Test
    void elementsMustFitTheirSet() {
        NftSet plain = inet.set("s", DataType.IPV4_ADDR);
        assertThrows(NftModelException.class, () -> plain.elements(SetElement.of("10.0.0.1").mapsTo(Verdict.ACCEPT)));
        assertTrue(message(() -> plain.elements(SetElement.of(Expr.prefix("10.0.0.0", 8)))).contains("interval flag"));
        plain.withFlags(NftSet.Flag.INTERVAL).elements(SetElement.of(Expr.prefix("10.0.0.0", 8)));
        NftSet vm = inet.verdictMap("m", DataType.INET_SERVICE);
        assertThrows(NftModelException.class, () -> vm.elements(SetElement.of(80).mapsTo("10.0.0.1")));
        Elements keysOnly = vm.elements(SetElement.of(80));
        assertTrue(message(() -> Nft.batch().add(keysOnly)).contains("needs data"));
        Nft.batch().delete(keysOnly);
        NftSet addrs = NftSet.map(inet, "a", DataType.IPV4_ADDR, DataType.INET_SERVICE);
        assertEquals("[80,\"10.0.0.2\"]", NftJson.write(Nft.batch().add(addrs.elements(SetElement.of(80).mapsTo("10.0.0.2"))).build()
                .toTree().get("nftables").get(0).get("add").get("element").get("elem").get(0)));
        assertThrows(NftModelException.class, () -> addrs.elements(SetElement.of(80).mapsTo("nope")));
        assertThrows(NftModelException.class, () -> addrs.elements(SetElement.of(80).mapsTo(Verdict.ACCEPT)));
        assertThrows(NftModelException.class, () -> inet.set("bad", DataType.VERDICT));
        assertThrows(NftModelException.class, () -> inet.set("bad"));
        assertThrows(NftModelException.class, () -> SetElement.of(Expr.IP_DADDR));
    }

    // ---- rules, chains, commands

    @Test
    void natFollowsTheTableFamily() {
        Chain ipChain = Table.of(Family.IP, "v4").chain("c");
        Rule r = Rule.in(ipChain, match(Expr.TCP_DPORT, 80), dnat("10.0.0.2", 8080));
        assertEquals("{\"dnat\":{\"addr\":\"10.0.0.2\",\"port\":8080}}", r.statements().get(1).toString(), "no family in an ip table");
        assertTrue(message(() -> Rule.in(ipChain, dnat("2001:db8::2"))).contains("IPv6 address in an ip table"));
        assertThrows(NftModelException.class, () -> Rule.in(Table.of(Family.BRIDGE, "b").chain("c"), Statement.masquerade()));
        assertEquals("{\"dnat\":{\"family\":\"ip6\",\"addr\":\"2001:db8::2\"}}", Rule.in(chain, dnat("2001:db8:0::2")).statements().get(0)
                .toString());
        assertThrows(NftModelException.class, () -> dnat("10.0.0.2", 0));
        assertThrows(NftModelException.class, () -> dnat("10.0.0.2", 65536));
        assertThrows(NftModelException.class, () -> dnat("host.example", 80));
    }

    @Test
    void aNatPortNeedsATransportMatchFirst() {
        assertTrue(message(() -> Rule.in(chain, match(Expr.IP_DADDR, "10.0.0.1"), dnat("10.0.0.2", 80))).contains("transport protocol"));
        assertThrows(NftModelException.class, () -> Rule.in(chain, Statement.redirect(8080)));
        assertThrows(NftModelException.class, () -> Rule.in(chain, dnat("10.0.0.2", 80), match(Expr.TCP_DPORT, 1)));
        Rule.in(chain, match(Expr.META_L4PROTO, "udp"), Statement.redirect(8080));
        Rule.in(chain, match(Expr.TCP_DPORT, 1), dnat("10.0.0.2", 80));
        Rule.in(chain, match(Expr.IP_DADDR, "10.0.0.1"), dnat("10.0.0.2"));
    }

    @Test
    void nothingAfterAVerdict() {
        assertTrue(message(() -> Rule.in(chain, Verdict.ACCEPT, Statement.counter())).contains("never run"));
        assertThrows(NftModelException.class, () -> Rule.in(chain));
    }

    @Test
    void baseChainsAreValidated() {
        assertThrows(NftModelException.class, () -> inet.baseChain("f", Chain.Type.NAT, Chain.Hook.FORWARD, 0));
        assertThrows(NftModelException.class, () -> inet.baseChain("r", Chain.Type.ROUTE, Chain.Hook.PREROUTING, 0));
        assertThrows(NftModelException.class, () -> Table.of(Family.BRIDGE, "b").baseChain("n", Chain.Type.NAT, Chain.Hook.PREROUTING, 0));
        assertThrows(NftModelException.class, () -> Table.of(Family.NETDEV, "n").baseChain("i", Chain.Type.FILTER, Chain.Hook.INPUT, 0));
        assertThrows(NftModelException.class, () -> Table.of(Family.ARP, "a").baseChain("i", Chain.Type.FILTER, Chain.Hook.FORWARD, 0));
        Chain pre = Table.of(Family.BRIDGE, "nat").baseChain("PREROUTING", Chain.Type.FILTER, Chain.Hook.PREROUTING,
                Chain.Priority.BRIDGE_DSTNAT);
        String json = Nft.batch().add(pre).build().toJson();
        assertTrue(json.contains("\"prio\":-300"), "the priority is a number: " + json);
        assertEquals("{\"nftables\":[{\"delete\":{\"chain\":{\"family\":\"bridge\",\"table\":\"nat\",\"name\":\"PREROUTING\"}}}]}",
                Nft.batch().delete(pre).build().toJson(), "a delete names the chain only");
    }

    @Test
    void verbsFitTheirObjects() {
        Rule r = Rule.in(chain, Verdict.ACCEPT);
        assertThrows(NftModelException.class, () -> Nft.batch().delete(r), "delete needs a handle");
        assertThrows(NftModelException.class, () -> Nft.batch().replace(r));
        assertThrows(NftModelException.class, () -> Nft.batch().create(r));
        assertThrows(NftModelException.class, () -> Nft.batch().flush(r));
        assertThrows(NftModelException.class, () -> Nft.batch().command(Verb.INSERT, inet));
        assertThrows(NftModelException.class, () -> Nft.batch().flush(inet.set("s", DataType.MARK).elements(SetElement.of(1))));
        assertThrows(NftModelException.class, () -> r.withHandle(0));
        assertEquals("{\"nftables\":[{\"delete\":{\"rule\":{\"family\":\"inet\",\"table\":\"t\",\"chain\":\"c\",\"handle\":7}}}]}",
                Nft.batch().delete(r.withHandle(7)).build().toJson());
    }

    @Test
    void untypedValuesHaveNoJson() {
        assertThrows(NftModelException.class, () -> Expr.value("10.0.0.1").toJson());
        assertThrows(NftModelException.class, () -> SetElement.of("tcp", 80).key());
        assertThrows(NftModelException.class, () -> Expr.value(null));
    }

    @Test
    void markExpressions() {
        assertThrows(NftModelException.class, () -> Statement.setMark("0x2000"));
        assertThrows(NftModelException.class, () -> Statement.setMark(Expr.IP_DADDR));
        assertThrows(NftModelException.class, () -> Expr.and(Expr.concat(Expr.IP_DADDR, Expr.IP_SADDR), 1));
        assertEquals("{\"mangle\":{\"key\":{\"ct\":{\"key\":\"mark\"}},\"value\":{\"^\":[{\"meta\":{\"key\":\"mark\"}},1]}}}",
                Statement.setCtMark(Expr.xor(Expr.META_MARK, 1)).toString());
        assertThrows(NftModelException.class, () -> Statement.log("x".repeat(128)));
    }
}
