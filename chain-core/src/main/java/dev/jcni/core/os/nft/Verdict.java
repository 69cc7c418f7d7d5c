package dev.jcni.core.os.nft;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A verdict: ends a rule ({@link #ACCEPT}, {@link #DROP}, {@link #RETURN}), carries on
 * ({@link #CONTINUE}), or moves to another chain ({@link #jump}, {@link #goTo}). Also the data
 * of a verdict map element: {@code tcp . 8080 : goto cnihp-3f9a1c2b7d4e6a80}.
 */
public final class Verdict extends Statement {
    public static final Verdict ACCEPT = simple("accept");
    public static final Verdict DROP = simple("drop");
    /** Back to the chain that jumped here. */
    public static final Verdict RETURN = simple("return");
    /** Go on with the next rule (the default; useful as explicit map data). */
    public static final Verdict CONTINUE = simple("continue");

    private final String kind;
    private final String target;

    private Verdict(String kind, String target) {
        super(NftJson.wrap(kind, target == null ? NftJson.NODES.nullNode() : NftJson.object().put("target", target)), null);
        this.kind = kind;
        this.target = target;
    }

    private static Verdict simple(String kind) {
        return new Verdict(kind, null);
    }

    /** Run {@code chain}, then come back to the next rule here. */
    public static Verdict jump(String chain) {
        return new Verdict("jump", NftNames.name("jump target", chain));
    }

    public static Verdict jump(Chain chain) {
        return jump(chain.name());
    }

    /** Continue in {@code chain} and do not come back (a return there returns from this chain's caller). */
    public static Verdict goTo(String chain) {
        return new Verdict("goto", NftNames.name("goto target", chain));
    }

    public static Verdict goTo(Chain chain) {
        return goTo(chain.name());
    }

    /** {@code "accept"}, {@code "drop"}, {@code "return"}, {@code "continue"}, {@code "jump"} or {@code "goto"}. */
    public String kind() {
        return kind;
    }

    /** The chain of a jump or goto; null for the others. */
    public String target() {
        return target;
    }

    /** The verdict in {@code json}, or null if it is not one. Names are trusted: they come from nft. */
    static Verdict fromJson(JsonNode json) {
        if (json == null || !json.isObject() || json.size() != 1) {
            return null;
        }
        String k = json.fieldNames().next();
        JsonNode body = json.get(k);
        switch (k) {
            case "accept":
                return ACCEPT;
            case "drop":
                return DROP;
            case "return":
                return RETURN;
            case "continue":
                return CONTINUE;
            case "jump":
            case "goto":
                return body.path("target").isTextual() ? new Verdict(k, body.path("target").asText()) : null;
            default:
                return null;
        }
    }
}
