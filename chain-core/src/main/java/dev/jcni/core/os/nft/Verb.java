package dev.jcni.core.os.nft;

/**
 * The commands a batch can hold. nftables 1.0.6 has no {@code destroy} (delete-if-present; JSON
 * form from 1.0.7): a delete of a missing object fails the whole batch with ENOENT, so callers
 * list first and delete what they found.
 */
public enum Verb {
    /** Create, or do nothing if an identical object exists (elements: if the key maps to the same data). */
    ADD("add"),
    /** Like add, but an existing object is an error (EEXIST). */
    CREATE("create"),
    /** A rule at the head of its chain, or before the rule with the given handle. */
    INSERT("insert"),
    /** A rule in place of the rule with the given handle (which it keeps). */
    REPLACE("replace"),
    DELETE("delete"),
    /** Empty a table's chains, a chain, or a set's elements; the object itself stays. */
    FLUSH("flush");

    private final String jsonName;

    Verb(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }
}
