package dev.jcni.core.os.nft;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.os.Errno;
import dev.jcni.core.os.nft.FakeRuleset.FChain;
import dev.jcni.core.os.nft.FakeRuleset.FElem;
import dev.jcni.core.os.nft.FakeRuleset.FRule;
import dev.jcni.core.os.nft.FakeRuleset.FSet;
import dev.jcni.core.os.nft.FakeRuleset.FTable;
import java.util.ArrayList;
import java.util.List;

/**
 * Rule, set and element commands of {@link FakeNftRunner}, with the kernel's answers as
 * observed on nftables 1.0.6 (see {@link FakeRuleset} for tables and chains). Each method
 * returns 0 or the errno the kernel would give.
 */
final class FakeSetsAndRules {
    private FakeSetsAndRules() {}

    // ---- rules

    static int rule(FakeRuleset state, Verb verb, JsonNode body) {
        FTable t = state.table(body, "table");
        FChain c = t == null ? null : t.chains.get(body.path("chain").asText());
        if (c == null) {
            return Errno.ENOENT;
        }
        JsonNode handleNode = body.get("handle");
        int at = handleNode == null ? -1 : indexOf(c, handleNode.asLong());
        if (handleNode != null && at < 0) {
            return Errno.ENOENT;
        }
        if (verb == Verb.DELETE) {
            if (handleNode == null) {
                return Errno.EINVAL;
            }
            c.rules.remove(at);
            return 0;
        }
        if (verb != Verb.ADD && verb != Verb.INSERT && verb != Verb.REPLACE) {
            return Errno.EINVAL;
        }
        JsonNode expr = body.path("expr");
        if (!expr.isArray() || expr.isEmpty()) {
            return Errno.EINVAL;
        }
        int problem = FakeRuleset.checkTargets(t, expr);
        if (problem != 0) {
            return problem;
        }
        for (String set : FakeRuleset.setRefs(expr)) {
            if (!t.sets.containsKey(set)) {
                return Errno.ENOENT;
            }
        }
        String comment = body.path("comment").asText(null);
        if (verb == Verb.REPLACE) {
            if (handleNode == null) {
                return Errno.EINVAL;
            }
            c.rules.set(at, new FRule(c.rules.get(at).handle, comment, expr));
            return 0;
        }
        JsonNode index = body.get("index");
        if (index != null && handleNode == null) {
            at = index.asInt();
            if (at < 0 || at >= c.rules.size()) {
                return Errno.ENOENT;
            }
        }
        for (int i = FakeRuleset.anonymousSets(expr); i > 0; i--) {
            t.handles.next();
        }
        FRule rule = new FRule(t.handles.next(), comment, expr);
        if (verb == Verb.ADD) {
            c.rules.add(at < 0 ? c.rules.size() : at + 1, rule);
        } else {
            c.rules.add(at < 0 ? 0 : at, rule);
        }
        return 0;
    }

    private static int indexOf(FChain c, long handle) {
        for (int i = 0; i < c.rules.size(); i++) {
            if (c.rules.get(i).handle == handle) {
                return i;
            }
        }
        return -1;
    }

    // ---- sets and maps

    static int set(FakeRuleset state, Verb verb, JsonNode body, boolean map) {
        FTable t = state.table(body, "table");
        if (t == null) {
            return Errno.ENOENT;
        }
        String name = body.path("name").asText();
        FSet s = t.sets.get(name);
        switch (verb) {
            case ADD:
            case CREATE: {
                List<String> flags = new ArrayList<>();
                for (JsonNode f : FakeRuleset.asArray(body.path("flags"))) {
                    flags.add(f.asText());
                }
                JsonNode mapType = map ? body.path("map") : null;
                if (s == null) {
                    if (!body.path("type").isTextual() && !body.path("type").isArray()) {
                        return Errno.EINVAL;
                    }
                    // nft 1.0.6 makes a plain set of a map whose value type is an array (a
                    // concatenation), silently; the model never asks for one.
                    boolean reallyMap = map && mapType.isTextual();
                    s = new FSet(name, t.handles.next(), reallyMap, body.get("type"), reallyMap ? mapType : null, flags);
                    t.sets.put(name, s);
                } else if (verb == Verb.CREATE) {
                    return Errno.EEXIST;
                } else if (s.map != map || !s.type.equals(body.path("type")) || !s.flags.equals(flags)
                        || map && !mapType.equals(s.mapType)) {
                    return Errno.EEXIST;
                }
                return body.has("elem") ? addElements(t, s, body.get("elem"), false) : 0;
            }
            case DELETE:
                if (s == null) {
                    return Errno.ENOENT;
                }
                for (FChain c : t.chains.values()) {
                    for (FRule r : c.rules) {
                        if (FakeRuleset.setRefs(r.expr).contains(name)) {
                            return Errno.EBUSY;
                        }
                    }
                }
                t.sets.remove(name);
                return 0;
            case FLUSH:
                if (s == null) {
                    return Errno.ENOENT;
                }
                s.elems.clear();
                return 0;
            default:
                return Errno.EINVAL;
        }
    }

    // ---- elements

    static int element(FakeRuleset state, Verb verb, JsonNode body) {
        FTable t = state.table(body, "table");
        FSet s = t == null ? null : t.sets.get(body.path("name").asText());
        if (s == null) {
            return Errno.ENOENT;
        }
        JsonNode elem = FakeRuleset.asArray(body.path("elem"));
        switch (verb) {
            case ADD:
                return addElements(t, s, elem, false);
            case CREATE:
                return addElements(t, s, elem, true);
            case DELETE:
                for (JsonNode e : elem) {
                    JsonNode key = KeyOrder.keyOf(e);
                    if (s.elems.remove(key) == null) {
                        return Errno.ENOENT;
                    }
                }
                return 0;
            default:
                return Errno.EINVAL;
        }
    }

    private static int addElements(FTable t, FSet s, JsonNode elem, boolean exclusive) {
        for (JsonNode e : FakeRuleset.asArray(elem)) {
            JsonNode keyForm = e;
            JsonNode data = null;
            if (s.map) {
                if (!e.isArray() || e.size() != 2) {
                    return Errno.EINVAL;
                }
                keyForm = e.get(0);
                data = e.get(1);
                int problem = FakeRuleset.checkTargets(t, data);
                if (problem != 0) {
                    return problem;
                }
            } else if (e.isArray()) {
                return Errno.EINVAL;
            }
            JsonNode key = KeyOrder.keyOf(keyForm);
            String comment = keyForm.has("elem") ? keyForm.get("elem").path("comment").asText(null) : null;
            int parts = key.has("concat") ? key.get("concat").size() : 1;
            if (parts != s.arity()) {
                return Errno.EINVAL;
            }
            FElem existing = s.elems.get(key);
            if (existing != null) {
                // The kernel keeps an identical element (and its first comment); a different
                // value for the key, or any create, is a conflict.
                if (exclusive || (data != null && !data.equals(existing.data))) {
                    return Errno.EEXIST;
                }
                continue;
            }
            s.elems.put(key, new FElem(key, comment, data));
        }
        return 0;
    }
}
