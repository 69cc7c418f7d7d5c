package dev.jcni.core.os.nft;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a {@code list} command returned, read into the model: tables, chains, rules (with
 * handles and comments) and sets and maps (with their elements). DEL, CHECK and GC read the
 * state they own from here.
 *
 * <p>The output of nft 1.0.6 is {@code {"nftables":[{"metainfo":{...}}, {"table":{...}},
 * {"set"|"map":{...}}..., {"chain":{...}}..., {"rule":{...}}...]}}. Objects the model does not
 * know (flowtables, named counters, ...) are skipped, as are objects of unknown families.
 * Names are not validated: other tools may have created names the model would refuse.
 */
public final class NftListing {
    private final JsonNode tree;
    private final String version;
    private final List<Table> tables = new ArrayList<>();
    private final List<Chain> chains = new ArrayList<>();
    private final List<Rule> rules = new ArrayList<>();
    private final List<NftSet> sets = new ArrayList<>();

    private NftListing(JsonNode tree) throws NftParseException {
        this.tree = tree;
        JsonNode list = tree.get("nftables");
        if (list == null || !list.isArray()) {
            throw new NftParseException("nft output has no \"nftables\" array");
        }
        String v = null;
        for (JsonNode entry : list) {
            if (!entry.isObject() || entry.size() != 1) {
                throw new NftParseException("not an nft list object: " + NftJson.write(entry));
            }
            String kind = entry.fieldNames().next();
            JsonNode body = entry.get(kind);
            if ("metainfo".equals(kind)) {
                v = body.path("version").asText(null);
                continue;
            }
            Family family = Family.fromJsonName(body.path("family").asText(""));
            if (family == null) {
                continue;
            }
            switch (kind) {
                case "table":
                    tables.add(Table.listed(family, text(body, "name"), handle(body)));
                    break;
                case "chain":
                    chains.add(chain(family, body));
                    break;
                case "rule":
                    rules.add(rule(family, body));
                    break;
                case "set":
                case "map":
                    sets.add(set(family, body, "map".equals(kind)));
                    break;
                default:
                    break;
            }
        }
        this.version = v;
    }

    /** Reads nft's JSON output. */
    public static NftListing parse(String json) throws NftParseException {
        return new NftListing(NftJson.parse(json));
    }

    static NftListing of(JsonNode tree) throws NftParseException {
        return new NftListing(tree);
    }

    private static Chain chain(Family family, JsonNode c) throws NftParseException {
        Table t = Table.listed(family, text(c, "table"), null);
        Integer prio = c.has("prio") && c.get("prio").isInt() ? c.get("prio").intValue() : null;
        return new Chain(t, text(c, "name"), c.path("type").asText(null), c.path("hook").asText(null), prio,
                c.path("policy").asText(null), handle(c));
    }

    private static Rule rule(Family family, JsonNode r) throws NftParseException {
        Table t = Table.listed(family, text(r, "table"), null);
        Chain c = new Chain(t, text(r, "chain"), null, null, null, null, null);
        List<Statement> statements = new ArrayList<>();
        for (JsonNode s : r.path("expr")) {
            statements.add(Statement.fromJson(s));
        }
        return Rule.listed(c, statements, r.path("comment").asText(null), handle(r));
    }

    private static NftSet set(Family family, JsonNode s, boolean map) throws NftParseException {
        Table t = Table.listed(family, text(s, "table"), null);
        List<SetElement> elements = new ArrayList<>();
        for (JsonNode e : s.path("elem")) {
            JsonNode key = e;
            JsonNode data = null;
            if (map) {
                if (!e.isArray() || e.size() != 2) {
                    throw new NftParseException("map element is not [key, data]: " + NftJson.write(e));
                }
                key = e.get(0);
                data = e.get(1);
            }
            String comment = null;
            if (key.isObject() && key.has("elem")) {
                comment = key.get("elem").path("comment").asText(null);
                key = key.get("elem").path("val");
            }
            elements.add(SetElement.listed(key, comment, data));
        }
        String valueType = null;
        if (map) {
            // nft >= 1.1.0 lists a concatenated value type as an array; keep it readable.
            valueType = String.join(" . ", strings(s.path("map")));
        }
        return new NftSet(t, text(s, "name"), map, strings(s.path("type")), valueType, strings(s.path("flags")),
                handle(s), elements);
    }

    /** A string or an array of strings (nft prints a single flag either way, depending on the object). */
    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isTextual()) {
            out.add(n.asText());
        } else {
            for (JsonNode e : n) {
                out.add(e.asText());
            }
        }
        return out;
    }

    private static String text(JsonNode o, String field) throws NftParseException {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw new NftParseException("nft object without \"" + field + "\": " + NftJson.write(o));
        }
        return v.asText();
    }

    private static Long handle(JsonNode o) {
        JsonNode h = o.get("handle");
        return h != null && h.isIntegralNumber() ? h.longValue() : null;
    }

    /** {@code metainfo.version}, e.g. {@code "1.0.6"}; null if the output had none. */
    public String version() {
        return version;
    }

    public List<Table> tables() {
        return Collections.unmodifiableList(tables);
    }

    public List<Chain> chains() {
        return Collections.unmodifiableList(chains);
    }

    /** All rules, grouped by chain in listing order. */
    public List<Rule> rules() {
        return Collections.unmodifiableList(rules);
    }

    /** Sets and maps. */
    public List<NftSet> sets() {
        return Collections.unmodifiableList(sets);
    }

    /** The listed table of that family and name, or null. */
    public Table table(Family family, String name) {
        for (Table t : tables) {
            if (t.family() == family && t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** The listed chain of {@code table} called {@code name} (with its hook and handle), or null. */
    public Chain chain(Table table, String name) {
        for (Chain c : chains) {
            if (c.table().equals(table) && c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    public List<Chain> chains(Table table) {
        List<Chain> out = new ArrayList<>();
        for (Chain c : chains) {
            if (c.table().equals(table)) {
                out.add(c);
            }
        }
        return out;
    }

    /** The rules of {@code chain}, in order. */
    public List<Rule> rules(Chain chain) {
        List<Rule> out = new ArrayList<>();
        for (Rule r : rules) {
            if (r.chain().equals(chain)) {
                out.add(r);
            }
        }
        return out;
    }

    /** The listed set or map of {@code table} called {@code name} (with elements), or null. */
    public NftSet set(Table table, String name) {
        for (NftSet s : sets) {
            if (s.table().equals(table) && s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** The JSON as nft printed it. */
    public JsonNode tree() {
        return tree.deepCopy();
    }

    @Override
    public String toString() {
        return NftJson.write(tree);
    }
}
