package dev.jcni.core.os.nft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.os.nft.FakeRuleset.FChain;
import dev.jcni.core.os.nft.FakeRuleset.FElem;
import dev.jcni.core.os.nft.FakeRuleset.FRule;
import dev.jcni.core.os.nft.FakeRuleset.FSet;
import dev.jcni.core.os.nft.FakeRuleset.FTable;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders {@link FakeRuleset} the way {@code nft -j list} 1.0.6 prints it: metainfo first, then
 * per table the table, its sets and maps (elements sorted as nft sorts them, see
 * {@link KeyOrder}), its chains, then the rules of each chain in order; keys in nft's order; an
 * anonymous counter listed with zero packets and bytes.
 */
final class FakeListing {
    private FakeListing() {}

    static ObjectNode metainfo() {
        ObjectNode m = NftJson.object();
        m.put("version", "1.0.6");
        m.put("release_name", "Lester Gooch #5");
        m.put("json_schema_version", 1);
        return NftJson.wrap("metainfo", m);
    }

    /** Everything of {@code t}, appended to {@code out}. */
    static void table(FTable t, ArrayNode out) {
        ObjectNode o = NftJson.object();
        o.put("family", t.family);
        o.put("name", t.name);
        o.set("handle", NftJson.number(t.handle));
        out.add(NftJson.wrap("table", o));
        for (FSet s : t.sets.values()) {
            out.add(set(t, s));
        }
        for (FChain c : t.chains.values()) {
            out.add(chain(t, c));
        }
        for (FChain c : t.chains.values()) {
            rules(t, c, out);
        }
    }

    static ObjectNode chain(FTable t, FChain c) {
        ObjectNode o = NftJson.object();
        o.put("family", t.family);
        o.put("table", t.name);
        o.put("name", c.name);
        o.set("handle", NftJson.number(c.handle));
        if (c.isBase()) {
            o.put("type", c.type);
            o.put("hook", c.hook);
            o.put("prio", c.prio);
            o.put("policy", c.policy);
        }
        return NftJson.wrap("chain", o);
    }

    static void rules(FTable t, FChain c, ArrayNode out) {
        for (FRule r : c.rules) {
            ObjectNode o = NftJson.object();
            o.put("family", t.family);
            o.put("table", t.name);
            o.put("chain", c.name);
            o.set("handle", NftJson.number(r.handle));
            if (r.comment != null) {
                o.put("comment", r.comment);
            }
            ArrayNode expr = NftJson.array();
            for (JsonNode s : r.expr) {
                expr.add(listedStatement(s));
            }
            o.set("expr", expr);
            out.add(NftJson.wrap("rule", o));
        }
    }

    /** nft lists an anonymous {@code counter} with its (here always zero) packets and bytes. */
    private static JsonNode listedStatement(JsonNode s) {
        if (s.has("counter") && s.get("counter").isNull()) {
            ObjectNode c = NftJson.object();
            c.put("packets", 0);
            c.put("bytes", 0);
            return NftJson.wrap("counter", c);
        }
        return s;
    }

    static ObjectNode set(FTable t, FSet s) {
        ObjectNode o = NftJson.object();
        o.put("family", t.family);
        o.put("name", s.name);
        o.put("table", t.name);
        o.set("type", s.type);
        o.set("handle", NftJson.number(s.handle));
        if (s.map) {
            o.set("map", s.mapType);
        }
        if (!s.flags.isEmpty()) {
            ArrayNode f = NftJson.array();
            for (String flag : s.flags) {
                f.add(flag);
            }
            o.set("flags", f);
        }
        if (!s.elems.isEmpty()) {
            ArrayNode elem = NftJson.array();
            for (JsonNode e : sortedElements(s)) {
                elem.add(e);
            }
            o.set("elem", elem);
        }
        return NftJson.wrap(s.map ? "map" : "set", o);
    }

    private static List<JsonNode> sortedElements(FSet s) {
        List<JsonNode> printed = new ArrayList<>();
        for (FElem e : s.elems.values()) {
            JsonNode key = e.key;
            if (e.comment != null) {
                ObjectNode inner = NftJson.object();
                inner.set("val", e.key);
                inner.put("comment", e.comment);
                key = NftJson.wrap("elem", inner);
            }
            printed.add(s.map ? NftJson.array().add(key).add(e.data) : key);
        }
        List<DataType> types = new ArrayList<>();
        for (JsonNode n : FakeRuleset.asArray(s.type)) {
            DataType d = DataType.fromNftName(n.asText());
            if (d == null) {
                return printed;
            }
            types.add(d);
        }
        return new KeyOrder(types).sorted(printed);
    }
}
