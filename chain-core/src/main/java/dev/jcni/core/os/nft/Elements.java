package dev.jcni.core.os.nft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The {@code element} object of a command: elements of one set or map, made by
 * {@link NftSet#elements}, which has checked them against the set's types.
 *
 * <p>Added, an element with a comment is sent as {@code {"elem":{"val":KEY,"comment":"..."}}}
 * and a map entry as {@code [KEY, DATA]}; deleted, only the keys are sent.
 */
public final class Elements extends NftObject {
    private final NftSet set;
    private final List<SetElement> elements;

    Elements(NftSet set, List<SetElement> elements) {
        this.set = set;
        this.elements = List.copyOf(elements);
    }

    public NftSet set() {
        return set;
    }

    public List<SetElement> elements() {
        return elements;
    }

    @Override
    public String kind() {
        return "element";
    }

    @Override
    ObjectNode toJson(Verb verb) {
        ObjectNode o = NftJson.object();
        o.put("family", set.table().family().jsonName());
        o.put("table", set.table().name());
        o.put("name", set.name());
        ArrayNode elem = NftJson.array();
        for (SetElement e : elements) {
            if (verb == Verb.DELETE) {
                elem.add(e.keyJson());
                continue;
            }
            JsonNode key = e.keyJson();
            if (e.comment() != null) {
                ObjectNode inner = NftJson.object();
                inner.set("val", key);
                inner.put("comment", e.comment());
                key = NftJson.wrap("elem", inner);
            }
            elem.add(set.isMap() ? NftJson.array().add(key).add(e.dataJson()) : key);
        }
        o.set("elem", elem);
        return o;
    }

    @Override
    void checkVerb(Verb verb) {
        if (verb == Verb.INSERT || verb == Verb.REPLACE || verb == Verb.FLUSH) {
            throw new NftModelException(verb.jsonName() + " does not apply to elements (flush the set instead)");
        }
        if ((verb == Verb.ADD || verb == Verb.CREATE) && set.isMap()) {
            for (SetElement e : elements) {
                if (e.dataJson() == null) {
                    throw new NftModelException("element " + e + " of map " + set.name() + " needs data to be added (mapsTo)");
                }
            }
        }
    }
}
