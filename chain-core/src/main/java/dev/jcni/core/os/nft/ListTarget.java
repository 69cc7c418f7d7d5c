package dev.jcni.core.os.nft;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What one {@link NftRunner#list} reads: the whole ruleset, a table (with its sets and their
 * elements, chains and rules), a chain (with its rules), or a set or map (with its elements).
 *
 * <p>One target per call: nft 1.0.6 fails a JSON batch holding several list commands with a
 * misleading ENOENT ("did you mean map ..."). A single {@code list table} gives everything a
 * DEL, CHECK or GC needs.
 */
public final class ListTarget {
    private final String kind;
    private final NftObject object;

    private ListTarget(String kind, NftObject object) {
        this.kind = kind;
        this.object = object;
    }

    public static ListTarget ruleset() {
        return new ListTarget("ruleset", null);
    }

    public static ListTarget table(Table table) {
        return new ListTarget("table", table);
    }

    public static ListTarget chain(Chain chain) {
        return new ListTarget("chain", chain);
    }

    /** A set or a map (nft lists them with their elements). */
    public static ListTarget set(NftSet set) {
        return new ListTarget(set.kind(), set);
    }

    /** {@code "ruleset"}, {@code "table"}, {@code "chain"}, {@code "set"} or {@code "map"}. */
    public String kind() {
        return kind;
    }

    /** The object listed; null for the ruleset. */
    public NftObject object() {
        return object;
    }

    /** {@code {"nftables":[{"list":{...}}]}}. */
    public String toJson() {
        ObjectNode body = NftJson.wrap(kind, object == null ? NftJson.NODES.nullNode() : object.toJson(Verb.DELETE));
        return NftJson.write(NftJson.wrap("nftables", NftJson.array().add(NftJson.wrap("list", body))));
    }

    /** For messages, e.g. {@code "nft list table inet cni_hostport"}. */
    public String describe() {
        if (object == null) {
            return "nft list ruleset";
        }
        ObjectNode id = object.toJson(Verb.DELETE);
        StringBuilder sb = new StringBuilder("nft list ").append(kind).append(' ').append(id.path("family").asText());
        if (id.has("table")) {
            sb.append(' ').append(id.path("table").asText());
        }
        return sb.append(' ').append(id.path("name").asText()).toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
