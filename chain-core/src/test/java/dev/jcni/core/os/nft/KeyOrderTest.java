package dev.jcni.core.os.nft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The element order of nft 1.0.6's listings (resource real-sorting-list.json, from elements
 * sent in the shuffled order of real-sorting-batch.json) reproduced by {@link KeyOrder}, by the
 * model's anonymous sets, and by the fake's listing.
 */
class KeyOrderTest {
    private final JsonNode listed = Fixtures.tree("real-sorting-list.json").get("nftables");

    private static List<DataType> types(JsonNode type) {
        List<DataType> out = new ArrayList<>();
        for (JsonNode t : FakeRuleset.asArray(type)) {
            out.add(DataType.fromNftName(t.asText()));
        }
        return out;
    }

    @Test
    void namedSetsSortAsNftListsThem() {
        int checked = 0;
        for (JsonNode o : listed) {
            JsonNode set = o.get("set");
            if (set == null) {
                continue;
            }
            List<JsonNode> expected = new ArrayList<>();
            set.get("elem").forEach(expected::add);
            List<JsonNode> shuffled = new ArrayList<>(expected);
            Collections.reverse(shuffled);
            Collections.rotate(shuffled, 2);
            assertEquals(expected, new KeyOrder(types(set.get("type"))).sorted(shuffled), set.get("name").asText());
            checked++;
        }
        assertEquals(7, checked, "sets of ipv4, ipv6, proto.port, ipv4.proto.port, ifname, mac, mark");
    }

    @Test
    void anonymousSetsOfTheModelMatchTheListedRules() {
        List<Statement> listedMatches = new ArrayList<>();
        for (JsonNode o : listed) {
            if (o.has("rule")) {
                for (JsonNode s : o.get("rule").get("expr")) {
                    if (s.has("match")) {
                        listedMatches.add(Statement.fromJson(s));
                    }
                }
            }
        }
        List<Statement> built = List.of(
                Statement.match(Expr.META_L4PROTO, Expr.set("udp", "sctp", "tcp")),
                Statement.match(Expr.TH_DPORT, Expr.set(8080, 80, 443, 1, 256)),
                Statement.match(Expr.IP_SADDR, Expr.set("127.0.0.1", "10.0.0.2", "10.0.0.10")),
                Statement.match(Expr.META_IIFNAME, Expr.set("veth2", "eth0", "veth10")));
        assertEquals(listedMatches, built);
    }

    @Test
    void theFakeListsNamedSetsAndHandlesAsNftDid() throws Exception {
        FakeNftRunner fake = new FakeNftRunner();
        fake.applyJson(Fixtures.text("real-sorting-batch.json"));
        JsonNode mine = Fixtures.parse(fake.listJson(ListTarget.table(Table.of(Family.INET, "x")))).get("nftables");
        assertEquals(listed.size(), mine.size());
        for (int i = 0; i < listed.size(); i++) {
            JsonNode expected = listed.get(i);
            JsonNode actual = mine.get(i);
            if (expected.has("table")) {
                // The capture's namespace had made 14 tables before this one.
                assertEquals(15, expected.get("table").get("handle").asInt());
                assertEquals(1, actual.get("table").get("handle").asInt());
                continue;
            }
            // The fake keeps a raw batch's anonymous sets in the order given (the model sorts them).
            assertEquals(Fixtures.setsUnordered(expected), Fixtures.setsUnordered(actual), "object " + i);
        }
        assertTrue(mine.get(2).get("set").get("elem").toString().startsWith("[\"1.2.3.4\",\"9.9.9.9\""));
    }
}
