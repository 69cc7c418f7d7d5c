package dev.jcni.core.os.nft;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a command acts on: {@link Table}, {@link Chain}, {@link Rule}, {@link NftSet} (sets and
 * maps) or {@link Elements}. Only this package defines kinds, so every object that reaches a
 * batch went through the model's validation.
 */
public abstract class NftObject {
    NftObject() {}

    /** The JSON key of this kind of object: {@code "table"}, {@code "chain"}, {@code "rule"}, {@code "set"}, {@code "map"}, {@code "element"}. */
    public abstract String kind();

    /**
     * The object's JSON body as {@code verb} needs it (a delete names the object; an add
     * describes it). May share nodes of immutable statements and elements: never changed.
     */
    abstract ObjectNode toJson(Verb verb);

    /** Throws if nft has no such command for this kind of object (e.g. {@code insert table}). */
    abstract void checkVerb(Verb verb);

    @Override
    public String toString() {
        return kind() + " " + NftJson.write(toJson(Verb.ADD));
    }
}
