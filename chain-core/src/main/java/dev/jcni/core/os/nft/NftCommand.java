package dev.jcni.core.os.nft;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** One command of a batch: a verb and the object it acts on, e.g. {@code {"add":{"table":{...}}}}. */
public final class NftCommand {
    private final Verb verb;
    private final NftObject object;

    NftCommand(Verb verb, NftObject object) {
        this.verb = Objects.requireNonNull(verb, "verb");
        this.object = Objects.requireNonNull(object, "object");
        object.checkVerb(verb);
    }

    public Verb verb() {
        return verb;
    }

    public NftObject object() {
        return object;
    }

    /** {@code {"<verb>":{"<kind>":{...}}}}, a copy the caller may change. */
    public ObjectNode toJson() {
        return tree().deepCopy();
    }

    /** The same, sharing the statements' and elements' immutable nodes: for writing only. */
    ObjectNode tree() {
        return NftJson.wrap(verb.jsonName(), NftJson.wrap(object.kind(), object.toJson(verb)));
    }

    @Override
    public String toString() {
        return NftJson.write(tree());
    }
}
