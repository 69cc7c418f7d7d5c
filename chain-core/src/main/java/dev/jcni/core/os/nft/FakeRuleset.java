package dev.jcni.core.os.nft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.jcni.core.os.Errno;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state behind {@link FakeNftRunner}: tables with their chains, rules, sets and elements,
 * changed by one JSON command at a time with the kernel's answers, as observed on Debian 12
 * (nftables 1.0.6, kernel 6.x). Each method returns 0 or the errno the kernel would give.
 *
 * <p>Copied before each batch so a failed batch leaves the original untouched. Handle counters
 * are shared between copies, as the kernel does not roll its counters back on abort.
 */
final class FakeRuleset {
    /** A handle generator: one per namespace for tables, one per table for everything in it. */
    static final class Counter {
        private long next = 1;

        long next() {
            return next++;
        }
    }

    static final class FTable {
        final String family;
        final String name;
        final long handle;
        final Counter handles;
        final LinkedHashMap<String, FSet> sets = new LinkedHashMap<>();
        final LinkedHashMap<String, FChain> chains = new LinkedHashMap<>();

        FTable(String family, String name, long handle, Counter handles) {
            this.family = family;
            this.name = name;
            this.handle = handle;
            this.handles = handles;
        }

        FTable copy() {
            FTable t = new FTable(family, name, handle, handles);
            for (FSet s : sets.values()) {
                t.sets.put(s.name, s.copy());
            }
            for (FChain c : chains.values()) {
                t.chains.put(c.name, c.copy());
            }
            return t;
        }
    }

    static final class FChain {
        final String name;
        final long handle;
        /** Base chains: type, hook, prio, policy; null for a regular chain. */
        String type;
        String hook;
        int prio;
        String policy;
        final List<FRule> rules = new ArrayList<>();

        FChain(String name, long handle) {
            this.name = name;
            this.handle = handle;
        }

        boolean isBase() {
            return hook != null;
        }

        FChain copy() {
            FChain c = new FChain(name, handle);
            c.type = type;
            c.hook = hook;
            c.prio = prio;
            c.policy = policy;
            c.rules.addAll(rules);
            return c;
        }
    }

    /** Rules are never changed in place (replace swaps the object), so copies share them. */
    static final class FRule {
        final long handle;
        final String comment;
        final JsonNode expr;

        FRule(long handle, String comment, JsonNode expr) {
            this.handle = handle;
            this.comment = comment;
            this.expr = expr;
        }
    }

    static final class FSet {
        final String name;
        final long handle;
        final boolean map;
        final JsonNode type;
        final JsonNode mapType;
        final List<String> flags;
        /** Key (unwrapped) to element; insertion order, sorted only when listed. */
        final LinkedHashMap<JsonNode, FElem> elems = new LinkedHashMap<>();

        FSet(String name, long handle, boolean map, JsonNode type, JsonNode mapType, List<String> flags) {
            this.name = name;
            this.handle = handle;
            this.map = map;
            this.type = type;
            this.mapType = mapType;
            this.flags = flags;
        }

        int arity() {
            return type.isArray() ? type.size() : 1;
        }

        FSet copy() {
            FSet s = new FSet(name, handle, map, type, mapType, flags);
            s.elems.putAll(elems);
            return s;
        }
    }

    static final class FElem {
        final JsonNode key;
        final String comment;
        final JsonNode data;

        FElem(JsonNode key, String comment, JsonNode data) {
            this.key = key;
            this.comment = comment;
            this.data = data;
        }
    }

    final Counter tableHandles;
    final LinkedHashMap<String, FTable> tables = new LinkedHashMap<>();

    FakeRuleset() {
        this(new Counter());
    }

    private FakeRuleset(Counter tableHandles) {
        this.tableHandles = tableHandles;
    }

    FakeRuleset copy() {
        FakeRuleset r = new FakeRuleset(tableHandles);
        for (Map.Entry<String, FTable> e : tables.entrySet()) {
            r.tables.put(e.getKey(), e.getValue().copy());
        }
        return r;
    }

    static String key(String family, String name) {
        return family + " " + name;
    }

    FTable table(JsonNode body, String tableField) {
        return tables.get(key(body.path("family").asText(), body.path(tableField).asText()));
    }

    // ---- tables

    int table(Verb verb, JsonNode body) {
        String k = key(body.path("family").asText(), body.path("name").asText());
        FTable t = tables.get(k);
        switch (verb) {
            case ADD:
            case CREATE:
                if (t != null) {
                    return verb == Verb.CREATE ? Errno.EEXIST : 0;
                }
                tables.put(k, new FTable(body.path("family").asText(), body.path("name").asText(), tableHandles.next(), new Counter()));
                return 0;
            case DELETE:
                return t == null ? Errno.ENOENT : remove(k);
            case FLUSH:
                if (t == null) {
                    return Errno.ENOENT;
                }
                for (FChain c : t.chains.values()) {
                    c.rules.clear();
                }
                return 0;
            default:
                return Errno.EINVAL;
        }
    }

    private int remove(String tableKey) {
        tables.remove(tableKey);
        return 0;
    }

    // ---- chains

    int chain(Verb verb, JsonNode body) {
        FTable t = table(body, "table");
        if (t == null) {
            return Errno.ENOENT;
        }
        String name = body.path("name").asText();
        FChain c = t.chains.get(name);
        // nft 1.0.6's JSON parser makes a base chain only when type, hook and an integer prio are
        // all there; anything less silently becomes a regular chain. The fake does the same.
        boolean base = body.path("type").isTextual() && body.path("hook").isTextual() && body.path("prio").isInt();
        switch (verb) {
            case ADD:
            case CREATE:
                if (c == null) {
                    c = new FChain(name, t.handles.next());
                    if (base) {
                        c.type = body.get("type").asText();
                        c.hook = body.get("hook").asText();
                        c.prio = body.get("prio").intValue();
                        c.policy = body.path("policy").asText("accept");
                    }
                    t.chains.put(name, c);
                    return 0;
                }
                if (verb == Verb.CREATE) {
                    return Errno.EEXIST;
                }
                if (!base) {
                    return 0;
                }
                if (!c.isBase() || !c.type.equals(body.get("type").asText())) {
                    return Errno.EEXIST;
                }
                if (!c.hook.equals(body.get("hook").asText()) || c.prio != body.get("prio").intValue()) {
                    return Errno.EOPNOTSUPP;
                }
                if (body.has("policy")) {
                    c.policy = body.get("policy").asText();
                }
                return 0;
            case DELETE:
                if (c == null) {
                    return Errno.ENOENT;
                }
                if (isReferenced(t, name)) {
                    return Errno.EBUSY;
                }
                t.chains.remove(name);
                return 0;
            case FLUSH:
                if (c == null) {
                    return Errno.ENOENT;
                }
                c.rules.clear();
                return 0;
            default:
                return Errno.EINVAL;
        }
    }

    /** True if a rule of another chain or a map element jumps or goes to {@code chain}. */
    private static boolean isReferenced(FTable t, String chain) {
        for (FChain c : t.chains.values()) {
            if (c.name.equals(chain)) {
                continue;
            }
            for (FRule r : c.rules) {
                if (targets(r.expr).contains(chain)) {
                    return true;
                }
            }
        }
        for (FSet s : t.sets.values()) {
            for (FElem e : s.elems.values()) {
                if (e.data != null && targets(e.data).contains(chain)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Chains named by jump/goto anywhere in {@code n}. */
    static List<String> targets(JsonNode n) {
        List<String> out = new ArrayList<>();
        collect(n, out, false);
        return out;
    }

    /** Sets named by {@code "@name"} anywhere in {@code n}. */
    static List<String> setRefs(JsonNode n) {
        List<String> out = new ArrayList<>();
        collect(n, out, true);
        return out;
    }

    private static void collect(JsonNode n, List<String> out, boolean sets) {
        if (n.isTextual() && sets && n.asText().startsWith("@")) {
            out.add(n.asText().substring(1));
        } else if (n.isObject()) {
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                if (!sets && ("jump".equals(e.getKey()) || "goto".equals(e.getKey())) && e.getValue().has("target")) {
                    out.add(e.getValue().get("target").asText());
                } else {
                    collect(e.getValue(), out, sets);
                }
            }
        } else if (n.isArray()) {
            for (JsonNode e : n) {
                collect(e, out, sets);
            }
        }
    }

    /** 0, or the errno for a jump/goto to a missing chain (ENOENT) or a base chain (EOPNOTSUPP). */
    static int checkTargets(FTable t, JsonNode n) {
        for (String target : targets(n)) {
            FChain c = t.chains.get(target);
            if (c == null) {
                return Errno.ENOENT;
            }
            if (c.isBase()) {
                return Errno.EOPNOTSUPP;
            }
        }
        return 0;
    }

    /** The anonymous sets in a rule ({@code {"set":[...]}}): each takes a handle before the rule. */
    static int anonymousSets(JsonNode n) {
        int count = 0;
        if (n.isObject()) {
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                // nft compares directly against a one-element set, which then takes no handle.
                count += "set".equals(e.getKey()) && e.getValue().isArray() && e.getValue().size() > 1 ? 1 : anonymousSets(e.getValue());
            }
        } else if (n.isArray()) {
            for (JsonNode e : n) {
                count += anonymousSets(e);
            }
        }
        return count;
    }

    static ArrayNode asArray(JsonNode n) {
        if (n.isArray()) {
            return (ArrayNode) n;
        }
        ArrayNode a = NftJson.array();
        if (!n.isMissingNode() && !n.isNull()) {
            a.add(n);
        }
        return a;
    }
}
