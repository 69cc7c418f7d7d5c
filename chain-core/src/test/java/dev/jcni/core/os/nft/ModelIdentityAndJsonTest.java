package dev.jcni.core.os.nft;

import static dev.jcni.core.os.nft.Statement.match;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * The model's identities (what equals compares, per each class's documentation), the JSON of the
 * statements and expressions few callers use yet, and the small accessors and messages. Expected
 * JSON is written out as nft 1.0.6 reads and lists it (nft -j).
 */
class ModelIdentityAndJsonTest {
    private final Table t = Table.of(Family.INET, "t");

    private static JsonNode json(String text) throws NftParseException {
        return NftJson.parse(text);
    }

    // ---- identities

    @Test
    void tablesAreEqualByFamilyAndNameOnly() {
        Table same = Table.of(Family.INET, "t");
        assertEquals(same, t);
        assertEquals(same.hashCode(), t.hashCode());
        assertEquals(Table.listed(Family.INET, "t", 7L), t, "the handle is not part of a table's identity");
        assertNotEquals(Table.of(Family.IP, "t"), t);
        assertNotEquals(Table.of(Family.INET, "u"), t);
        assertNotEquals("t", t);
        assertNotEquals(Table.of(Family.INET, "u").hashCode(), t.hashCode(), "different tables spread over hash buckets");
    }

    @Test
    void chainsAreEqualByTableAndNameOnly() {
        Chain c = t.chain("c");
        Chain base = t.baseChain("c", Chain.Type.FILTER, Chain.Hook.INPUT, 0);
        assertEquals(c, base, "the hook is not part of a chain's identity");
        assertEquals(c.hashCode(), base.hashCode());
        assertNotEquals(Table.of(Family.IP, "t").chain("c"), c);
        assertNotEquals(t.chain("d"), c);
        assertNotEquals(t.chain("d").hashCode(), c.hashCode());
        assertNotEquals(c, t);
    }

    @Test
    void setsAreEqualByTableKindAndName() {
        NftSet s = t.set("s", DataType.IPV4_ADDR);
        assertEquals(NftSet.set(t, "s", DataType.IPV6_ADDR).withFlags(NftSet.Flag.INTERVAL), s, "types and flags are not identity");
        assertEquals(NftSet.set(t, "s", DataType.IPV6_ADDR).hashCode(), s.hashCode());
        assertNotEquals(NftSet.verdictMap(t, "s", DataType.IPV4_ADDR), s, "a map is not the set of the same name");
        assertNotEquals(NftSet.set(t, "r", DataType.IPV4_ADDR), s);
        assertNotEquals(NftSet.set(Table.of(Family.IP, "t"), "s", DataType.IPV4_ADDR), s);
        assertNotEquals(s, t);
        assertNotEquals(NftSet.set(t, "r", DataType.IPV4_ADDR).hashCode(), s.hashCode());
        assertNotEquals(NftSet.verdictMap(t, "s", DataType.IPV4_ADDR).hashCode(), s.hashCode());
    }

    @Test
    void rulesAreEqualByContentAndHandle() {
        Chain c = t.chain("c");
        Rule accept = Rule.in(c, Verdict.ACCEPT);
        assertEquals(Rule.in(c, Verdict.ACCEPT), accept);
        assertEquals(Rule.in(c, Verdict.ACCEPT).hashCode(), accept.hashCode());
        assertNotEquals(Rule.in(c, Verdict.DROP), accept);
        assertFalse(Rule.in(c, Verdict.DROP).sameContent(accept));
        assertFalse(Rule.in(t.chain("d"), Verdict.ACCEPT).sameContent(accept));
        assertFalse(accept.withComment("x").sameContent(accept));
        assertTrue(accept.withHandle(4).sameContent(accept), "the handle is not content");
        assertNotEquals(accept.withHandle(4), accept);
        assertNotEquals(accept.withHandle(4), accept.withHandle(5));
        assertEquals(accept.withHandle(4), Rule.in(c, Verdict.ACCEPT).withHandle(4));
        assertNotEquals(accept, Verdict.ACCEPT);
        assertNotEquals(Rule.in(c, Verdict.DROP).hashCode(), accept.hashCode());
    }

    @Test
    void expressionsAreEqualByTheirJsonAndUntypedValuesNever() {
        assertEquals(Expr.concat(Expr.IP_SADDR, Expr.TCP_DPORT), Expr.concat(Expr.IP_SADDR, Expr.TCP_DPORT));
        assertEquals(Expr.concat(Expr.IP_SADDR, Expr.TCP_DPORT).hashCode(), Expr.concat(Expr.IP_SADDR, Expr.TCP_DPORT).hashCode());
        assertNotEquals(Expr.IP_DADDR, Expr.IP_SADDR);
        assertNotEquals(Expr.IP_DADDR.hashCode(), Expr.IP_SADDR.hashCode());
        assertNotEquals("ip saddr", Expr.IP_SADDR);
        Expr untyped = Expr.value("x");
        assertNotEquals(untyped, untyped, "a value has no identity before it meets a field");
        assertNotEquals(untyped, Expr.IP_SADDR);
        assertEquals(System.identityHashCode(untyped), untyped.hashCode());
        assertSame(Expr.IP_SADDR, Expr.value(Expr.IP_SADDR), "an expression is its own value");
    }

    @Test
    void setElementsAreEqualByKeyCommentAndData() {
        NftSet s = t.set("s", DataType.IPV4_ADDR);
        NftSet m = NftSet.verdictMap(t, "m", DataType.IPV4_ADDR);
        SetElement e = s.elements(SetElement.of("10.0.0.1")).elements().get(0);
        assertEquals(s.elements(SetElement.of("10.0.0.1")).elements().get(0), e);
        assertEquals(s.elements(SetElement.of("10.0.0.1")).elements().get(0).hashCode(), e.hashCode());
        assertNotEquals(s.elements(SetElement.of("10.0.0.2")).elements().get(0), e);
        assertNotEquals(s.elements(SetElement.of("10.0.0.1").withComment("c")).elements().get(0), e);
        assertNotEquals(m.elements(SetElement.of("10.0.0.1").mapsTo(Verdict.ACCEPT)).elements().get(0), e);
        assertNotEquals(SetElement.of("10.0.0.1"), SetElement.of("10.0.0.1"), "an untyped element has no identity");
        assertNotEquals(e, "10.0.0.1");
        assertNotEquals(s.elements(SetElement.of("10.0.0.2")).elements().get(0).hashCode(), e.hashCode());
    }

    @Test
    void setElementsShowKeyDataAndComment() throws Exception {
        NftSet m = NftSet.verdictMap(t, "m", DataType.IPV4_ADDR);
        SetElement e = m.elements(SetElement.of("10.0.0.1").mapsTo(Verdict.DROP).withComment("c1")).elements().get(0);
        assertEquals("\"10.0.0.1\" : {\"drop\":null} comment \"c1\"", e.toString());
        assertEquals(json("{\"drop\":null}"), e.data());
        SetElement plain = t.set("s", DataType.IPV4_ADDR).elements(SetElement.of("10.0.0.1")).elements().get(0);
        assertEquals("\"10.0.0.1\"", plain.toString());
        assertNull(plain.data());
        assertEquals("'10.0.0.1'", SetElement.of("10.0.0.1").toString(), "untyped: the key as given, quoted");
    }

    @Test
    void statementsAreEqualByTheirJson() {
        assertEquals(Statement.counter(), Statement.counter());
        assertEquals(Statement.counter().hashCode(), Statement.counter().hashCode());
        assertNotEquals(Statement.masquerade(), Statement.counter());
        assertNotEquals(Statement.masquerade().hashCode(), Statement.counter().hashCode());
        assertNotEquals(Statement.counter(), "counter");
    }

    // ---- expressions

    @Test
    void nullPartsAreModelErrorsNamingWhatHeldThem() {
        assertEquals("concatenation must not hold null",
                assertThrows(NftModelException.class, () -> Expr.concat("tcp", null)).getMessage());
        assertEquals("prefix must not hold null", assertThrows(NftModelException.class, () -> Expr.prefix(null, 8)).getMessage());
        assertEquals("range must not hold null", assertThrows(NftModelException.class, () -> Expr.range(1, null)).getMessage());
        assertEquals("flag list must not hold null",
                assertThrows(NftModelException.class, () -> Expr.flags("new", null)).getMessage());
    }

    @Test
    void aRangeMatchIsTwoValuesInOrder() throws Exception {
        Statement s = match(Expr.TH_DPORT, Expr.range(30000, 30010));
        assertEquals(json("{\"match\":{\"op\":\"==\",\"left\":{\"payload\":{\"protocol\":\"th\",\"field\":\"dport\"}},"
                + "\"right\":{\"range\":[30000,30010]}}}"), s.toJson());
        assertThrows(NftModelException.class, () -> match(Expr.TH_DPORT, Expr.range(Expr.TH_DPORT, 5)));
        assertThrows(NftModelException.class, () -> match(Expr.TH_DPORT, Expr.range(5, Expr.TH_DPORT)));
        assertThrows(NftModelException.class, () -> match(Expr.TH_DPORT, Expr.range(7, 7)), "empty");
    }

    @Test
    void prefixLengthsRunFromZeroToTheAddressWidth() throws Exception {
        assertEquals(json("{\"prefix\":{\"addr\":\"10.1.2.3\",\"len\":32}}"),
                match(Expr.IP_SADDR, Expr.prefix("10.1.2.3", 32)).toJson().get("match").get("right"));
        assertEquals(json("{\"prefix\":{\"addr\":\"0.0.0.0\",\"len\":0}}"),
                match(Expr.IP_SADDR, Expr.prefix("10.1.2.3", 0)).toJson().get("match").get("right"));
        assertEquals(json("{\"prefix\":{\"addr\":\"2001:db8::1\",\"len\":128}}"),
                match(Expr.IP6_SADDR, Expr.prefix("2001:db8::1", 128)).toJson().get("match").get("right"));
        assertThrows(NftModelException.class, () -> match(Expr.IP_SADDR, Expr.prefix("10.1.2.3", 33)));
        assertThrows(NftModelException.class, () -> match(Expr.IP_SADDR, Expr.prefix("10.1.2.3", -1)));
        assertThrows(NftModelException.class, () -> match(Expr.IP6_SADDR, Expr.prefix("2001:db8::1", 129)));
    }

    @Test
    void expressionsShowTheirJsonOrWhatWasGiven() throws Exception {
        assertEquals(json("{\"payload\":{\"protocol\":\"ip\",\"field\":\"saddr\"}}"), Expr.IP_SADDR.toJson());
        assertEquals("{\"payload\":{\"protocol\":\"ip\",\"field\":\"saddr\"}}", Expr.IP_SADDR.toString());
        assertEquals("'x'", Expr.value("x").toString());
        assertEquals("5", Expr.value(5).toString());
        assertEquals("set[1, 2]", Expr.set(1, 2).toString());
    }

    // ---- statements

    @Test
    void vmapByNameNeedsAFieldKey() throws Exception {
        assertEquals(json("{\"vmap\":{\"key\":{\"payload\":{\"protocol\":\"tcp\",\"field\":\"dport\"}},\"data\":\"@m\"}}"),
                Statement.vmap(Expr.TCP_DPORT, "m").toJson());
        assertThrows(NftModelException.class, () -> Statement.vmap(null, "m"));
        assertThrows(NftModelException.class, () -> Statement.vmap(Expr.value(80), "m"));
    }

    @Test
    void snatWithAPortAndNatInFamilyTables() throws Exception {
        Chain c = Table.of(Family.IP, "n").chain("post");
        Rule r = Rule.in(c, match(Expr.IP_PROTOCOL, "tcp"), Statement.snat("10.0.0.1", 8080));
        assertEquals(json("{\"snat\":{\"addr\":\"10.0.0.1\",\"port\":8080}}"), r.statements().get(1).toJson(),
                "an ip table's NAT names no family");
        assertEquals(json("{\"snat\":{\"family\":\"ip\",\"addr\":\"10.0.0.1\",\"port\":8080}}"),
                Statement.snat("10.0.0.1", 8080).toJson());
        assertEquals(json("{\"masquerade\":null}"), Rule.in(c, Statement.masquerade()).statements().get(0).toJson());
        Chain c6 = Table.of(Family.IP6, "n").chain("pre");
        Rule r6 = Rule.in(c6, match(Expr.IP6_NEXTHDR, "udp"), Statement.dnat("2001:db8::2", 53));
        assertEquals(json("{\"dnat\":{\"addr\":\"2001:db8::2\",\"port\":53}}"), r6.statements().get(1).toJson());
        assertThrows(NftModelException.class, () -> Rule.in(c, match(Expr.IP_SADDR, "10.0.0.9"), Statement.dnat("10.0.0.1", 80)),
                "ip saddr is no transport match");
        assertThrows(NftModelException.class, () -> Rule.in(c6, match(Expr.IP6_SADDR, "2001:db8::9"), Statement.dnat("2001:db8::2", 80)),
                "ip6 saddr is no transport match");
    }

    @Test
    void portsRunFromOneTo65535() throws Exception {
        assertEquals(json("{\"redirect\":{\"port\":1}}"), Statement.redirect(1).toJson());
        assertEquals(json("{\"redirect\":{\"port\":65535}}"), Statement.redirect(65535).toJson());
        assertThrows(NftModelException.class, () -> Statement.redirect(0));
        assertThrows(NftModelException.class, () -> Statement.redirect(65536));
    }

    @Test
    void operatorsHaveNftsSymbols() {
        assertEquals("<=", Statement.Op.LE.symbol());
        assertEquals("!=", Statement.Op.NE.symbol());
    }

    // ---- verdicts and JSON

    @Test
    void verdictsReadFromJson() throws Exception {
        assertSame(Verdict.ACCEPT, Verdict.fromJson(json("{\"accept\":null}")));
        assertSame(Verdict.DROP, Verdict.fromJson(json("{\"drop\":null}")));
        assertSame(Verdict.RETURN, Verdict.fromJson(json("{\"return\":null}")));
        assertSame(Verdict.CONTINUE, Verdict.fromJson(json("{\"continue\":null}")));
        assertEquals("c", Verdict.fromJson(json("{\"goto\":{\"target\":\"c\"}}")).target());
        assertNull(Verdict.fromJson(json("{\"counter\":null}")));
        assertNull(Verdict.fromJson(json("{\"jump\":{}}")));
    }

    @Test
    void jsonNumbersAndLiteralsRoundTrip() throws Exception {
        String doc = "{\"i\":1,\"l\":5000000000,\"b\":123456789012345678901234567890,\"d\":1.5,\"t\":true,\"f\":false,\"n\":null}";
        JsonNode n = NftJson.parse(doc);
        assertEquals(5000000000L, n.get("l").longValue());
        assertTrue(n.get("l").isLong());
        assertEquals(new BigInteger("123456789012345678901234567890"), n.get("b").bigIntegerValue());
        assertEquals(new BigDecimal("1.5"), n.get("d").decimalValue());
        assertTrue(n.get("t").booleanValue());
        assertTrue(n.get("f").isBoolean());
        assertFalse(n.get("f").booleanValue());
        assertTrue(n.get("n").isNull());
        assertEquals(doc, NftJson.write(n));
    }

    // ---- set and batch odds and ends

    @Test
    void setModelErrorsSayMapOrSet() {
        assertTrue(assertThrows(NftModelException.class, () -> NftSet.verdictMap(t, "9m", DataType.IPV4_ADDR))
                .getMessage().startsWith("map name"));
        assertTrue(assertThrows(NftModelException.class, () -> NftSet.set(t, "9s", DataType.IPV4_ADDR))
                .getMessage().startsWith("set name"));
        assertEquals("map m needs a key type", assertThrows(NftModelException.class, () -> NftSet.verdictMap(t, "m")).getMessage());
        assertEquals("set s needs a key type", assertThrows(NftModelException.class, () -> NftSet.set(t, "s")).getMessage());
        assertEquals("map m: VERDICT is not a key type",
                assertThrows(NftModelException.class, () -> NftSet.verdictMap(t, "m", DataType.VERDICT)).getMessage());
        assertEquals("set s: VERDICT is not a key type",
                assertThrows(NftModelException.class, () -> NftSet.set(t, "s", DataType.VERDICT)).getMessage());
    }

    @Test
    void createOfASetDescribesItAndDeleteNamesIt() throws Exception {
        NftSet s = t.set("s", DataType.IPV4_ADDR);
        assertEquals(json("{\"nftables\":[{\"create\":{\"set\":{\"family\":\"inet\",\"table\":\"t\",\"name\":\"s\",\"type\":\"ipv4_addr\"}}},"
                + "{\"delete\":{\"set\":{\"family\":\"inet\",\"table\":\"t\",\"name\":\"s\"}}}]}"),
                json(Nft.batch().create(s).delete(s).build().toJson()));
        assertNull(s.handle());
    }

    @Test
    void batchesAndCommandsShowTheirJson() {
        NftBatch.Builder b = Nft.batch();
        assertTrue(b.build().isEmpty());
        b.add(t);
        assertEquals(1, b.size());
        NftBatch batch = b.build();
        assertFalse(batch.isEmpty());
        assertEquals("{\"nftables\":[{\"add\":{\"table\":{\"family\":\"inet\",\"name\":\"t\"}}}]}", batch.toString());
        NftCommand c = batch.commands().get(0);
        assertSame(Verb.ADD, c.verb());
        assertEquals("{\"add\":{\"table\":{\"family\":\"inet\",\"name\":\"t\"}}}", c.toString());
        assertEquals("table {\"family\":\"inet\",\"name\":\"t\"}", t.toString());
        assertEquals(Table.of(Family.IP6, "x"), Nft.table(Family.IP6, "x"));
    }

    @Test
    void listTargetsDescribeThemselvesAsNftCommands() {
        assertEquals("nft list ruleset", ListTarget.ruleset().toString());
        assertEquals("nft list table inet t", ListTarget.table(t).describe());
        assertEquals("nft list chain inet t c", ListTarget.chain(t.chain("c")).toString());
        assertEquals("nft list map inet t m", ListTarget.set(NftSet.verdictMap(t, "m", DataType.IPV4_ADDR)).describe());
    }

    @Test
    void elementsKnowTheirSet() {
        NftSet s = t.set("s", DataType.IPV4_ADDR);
        assertSame(s, s.elements(SetElement.of("10.0.0.1")).set());
    }

    @Test
    void listingsKeepNftsJson() throws Exception {
        String text = "{\"nftables\":[{\"metainfo\":{\"version\":\"1.0.6\",\"json_schema_version\":1}},"
                + "{\"chain\":{\"family\":\"inet\",\"table\":\"t\",\"name\":\"c\",\"handle\":1}},"
                + "{\"chain\":{\"family\":\"ip\",\"table\":\"t\",\"name\":\"d\",\"handle\":2}}]}";
        NftListing l = NftListing.of(json(text));
        assertEquals(json(text), l.tree());
        assertEquals(text, l.toString());
        assertEquals(java.util.List.of(t.chain("c")), l.chains(t));
        assertTrue(l.chains(Table.of(Family.IP6, "t")).isEmpty());
    }

    // ---- data types

    @Test
    void keyBytesAreTheKernelsBytes() throws Exception {
        assertArrayEquals(new byte[] {2}, DataType.NF_PROTO.keyBytes(json("\"ipv4\"")), "NFPROTO_IPV4");
        assertArrayEquals(new byte[] {10}, DataType.NF_PROTO.keyBytes(json("\"ipv6\"")), "NFPROTO_IPV6");
        assertArrayEquals(new byte[] {2, 0, 0, 0}, DataType.FIB_ADDRTYPE.keyBytes(json("\"local\"")), "RTN_LOCAL");
        assertArrayEquals(new byte[] {8, 0, 0, 0}, DataType.CT_STATE.keyBytes(json("\"new\"")), "IP_CT_NEW's bit");
        assertArrayEquals(new byte[] {0, 2, 0, 0}, DataType.CT_STATUS.keyBytes(json("\"dying\"")), "IPS_DYING");
        assertArrayEquals(new byte[] {4, 3, 2, 1}, DataType.MARK.keyBytes(json("16909060")), "0x01020304, host order");
        assertArrayEquals(new byte[0], DataType.VERDICT.keyBytes(json("\"accept\"")));
        assertEquals(16, DataType.IFNAME.size());
        assertEquals(2, DataType.INET_SERVICE.size());
    }

    @Test
    void valueBoundaries() throws Exception {
        assertEquals(json("\"icmp\""), DataType.INET_PROTO.canonical("icmp"), "the first protocol name");
        assertEquals(json("0"), DataType.INET_SERVICE.canonical(0));
        assertEquals(json("65535"), DataType.INET_SERVICE.canonical(65535));
        assertThrows(NftModelException.class, () -> DataType.INET_SERVICE.canonical(-1));
        assertThrows(NftModelException.class, () -> DataType.INET_SERVICE.canonical(65536));
        assertEquals(json("\"abcdefghijklmno\""), DataType.IFNAME.canonical("abcdefghijklmno"), "15 characters");
        assertThrows(NftModelException.class, () -> DataType.IFNAME.canonical("abcdefghijklmnop"), "16 characters");
        assertEquals(json("\"a!~\""), DataType.IFNAME.canonical("a!~"));
        assertThrows(NftModelException.class, () -> DataType.IFNAME.canonical("a b"));
        assertThrows(NftModelException.class, () -> DataType.IFNAME.canonical("a\u007f"));
    }

    @Test
    void namesStartWithAnAsciiLetter() {
        for (String ok : new String[] {"a", "z", "A", "Z"}) {
            assertEquals(ok, NftNames.name("set name", ok));
        }
        for (String bad : new String[] {"`a", "{a", "@a", "[a"}) {
            assertThrows(NftModelException.class, () -> NftNames.name("set name", bad), bad);
        }
        assertEquals("'a\\u001f '", NftNames.shown("a\u001f "));
    }

    @Test
    void errorTextMayStartWithItsMark() {
        // nft run as a process prints some errors with no location before "Error: ".
        assertEquals(java.util.List.of("syntax error, options must be specified before commands"),
                NftErrors.messages("Error: syntax error, options must be specified before commands\n"));
    }

    @Test
    void malformedJsonSaysWhereAndNullIsAValue() throws Exception {
        NftParseException e = assertThrows(NftParseException.class, () -> NftJson.parse("{\"a\":1,}"));
        assertTrue(e.getMessage().contains(" at line 1, column "), e.getMessage());
        assertTrue(NftJson.parse("null").isNull());
        assertThrows(NftParseException.class, () -> NftJson.parse("{} {}"));
    }
}
