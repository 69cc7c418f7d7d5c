package dev.jcni.core.os.nft;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One element of a set or map: a key (one value, or one per part of a concatenated type), an
 * optional comment, and for a map the data it maps to.
 *
 * <pre>
 * SetElement.of("tcp", 8080).withComment("a1b2c3d4e5f6/eth0").mapsTo(Verdict.goTo(chain))
 * </pre>
 *
 * The key is checked against the set's type when the element joins a set through
 * {@link NftSet#elements}. Elements read from a listing carry the key exactly as nft printed it.
 */
public final class SetElement {
    private final Expr key;
    private final String comment;
    /** Map data: a Verdict, an Expr, or a raw value; null for a set element. */
    private final Object data;
    /** Non-null once typed for a set, or when listed. */
    private final JsonNode keyJson;
    private final JsonNode dataJson;

    private SetElement(Expr key, String comment, Object data, JsonNode keyJson, JsonNode dataJson) {
        this.key = key;
        this.comment = comment;
        this.data = data;
        this.keyJson = keyJson;
        this.dataJson = dataJson;
    }

    /**
     * An element with this key: one part for a single-typed set (a value, or an {@link Expr#prefix}
     * or {@link Expr#range} in an interval set), several for a concatenated type.
     */
    public static SetElement of(Object... keyParts) {
        if (keyParts == null || keyParts.length == 0) {
            throw new NftModelException("a set element needs a key");
        }
        Expr k = keyParts.length == 1 ? Expr.of(keyParts[0]) : Expr.concat(keyParts);
        if (k.isField()) {
            throw new NftModelException("a set element key holds values, not packet fields: " + k);
        }
        return new SetElement(k, null, null, null, null);
    }

    /** An element as nft listed it. */
    static SetElement listed(JsonNode keyJson, String comment, JsonNode dataJson) {
        return new SetElement(null, comment, null, keyJson, dataJson);
    }

    /** This element with a comment (at most 128 bytes; see {@link NftNames#comment}). */
    public SetElement withComment(String newComment) {
        return new SetElement(key, NftNames.comment(newComment), data, keyJson, dataJson);
    }

    /** This element mapping to {@code value}: a {@link Verdict} in a verdict map, else a value of the map's type. */
    public SetElement mapsTo(Object value) {
        return new SetElement(key, comment, Objects.requireNonNull(value, "value"), keyJson, dataJson);
    }

    /** This element checked against {@code set}'s key (and value) type. */
    SetElement typedFor(NftSet set) {
        if (key == null) {
            return this;
        }
        List<DataType> types = set.keyTypes();
        if (types == null) {
            throw new NftModelException(set.kind() + " " + set.name() + " has a type the model does not know: " + set.keyTypeNames());
        }
        String context = "element of " + set.kind() + " " + set.name();
        if ((key.kind() == Expr.Kind.PREFIX || key.kind() == Expr.Kind.RANGE) && !set.hasFlag(NftSet.Flag.INTERVAL)) {
            throw new NftModelException(context + ": a prefix or range needs a set with the interval flag");
        }
        if (key.kind() == Expr.Kind.SET || key.kind() == Expr.Kind.FLAGS || key.kind() == Expr.Kind.SET_REF) {
            throw new NftModelException(context + ": a key is a value or a concatenation of values");
        }
        JsonNode k = key.typedAs(types, context).json();
        JsonNode d = null;
        if (data != null) {
            if (!set.isMap()) {
                throw new NftModelException(context + ": a set element maps to nothing, got " + data);
            }
            if (set.isVerdictMap()) {
                if (!(data instanceof Verdict)) {
                    throw new NftModelException(context + ": a verdict map maps to a Verdict, got " + data);
                }
                d = ((Verdict) data).json;
            } else {
                DataType vt = DataType.fromNftName(set.valueType());
                if (vt == null || data instanceof Verdict) {
                    throw new NftModelException(context + ": cannot map to " + data + " in a map of " + set.valueType());
                }
                d = Expr.of(data).typedAs(List.of(vt), context).json();
            }
        }
        return new SetElement(key, comment, data, k, d);
    }

    /** The key's JSON: a value, or {@code {"concat":[...]}}. */
    public JsonNode key() {
        if (keyJson == null) {
            throw new NftModelException("element " + key + " has no type yet: add it to a set first");
        }
        return keyJson.deepCopy();
    }

    /** The key's values: one, or one per part of a concatenation. */
    public List<JsonNode> keyParts() {
        JsonNode k = key();
        List<JsonNode> parts = new ArrayList<>();
        if (k.has("concat")) {
            for (JsonNode p : k.get("concat")) {
                parts.add(p);
            }
        } else {
            parts.add(k);
        }
        return Collections.unmodifiableList(parts);
    }

    /** Null when the element has none. */
    public String comment() {
        return comment;
    }

    /** The map data's JSON; null for a set element (or a map element given only as a key, to delete it). */
    public JsonNode data() {
        return dataJson == null ? null : dataJson.deepCopy();
    }

    /** The data as a verdict (a verdict map's {@code goto <chain>}); null otherwise. */
    public Verdict verdict() {
        return Verdict.fromJson(dataJson);
    }

    JsonNode keyJson() {
        return keyJson;
    }

    JsonNode dataJson() {
        return dataJson;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SetElement)) {
            return false;
        }
        SetElement e = (SetElement) o;
        return keyJson != null && keyJson.equals(e.keyJson) && Objects.equals(comment, e.comment) && Objects.equals(dataJson, e.dataJson);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keyJson, comment, dataJson);
    }

    @Override
    public String toString() {
        String k = keyJson != null ? NftJson.write(keyJson) : String.valueOf(key);
        return k + (dataJson != null ? " : " + NftJson.write(dataJson) : "") + (comment != null ? " comment \"" + comment + "\"" : "");
    }
}
