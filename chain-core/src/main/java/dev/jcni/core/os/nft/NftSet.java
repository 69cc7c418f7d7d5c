package dev.jcni.core.os.nft;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A named set or map. The key type is one {@link DataType} or a concatenation of several
 * ({@code ipv4_addr . inet_proto . inet_service}); a map adds a value type, and a verdict map
 * ({@link #verdictMap}) maps keys to verdicts such as {@code goto <chain>}.
 *
 * <p>A map's value is a single type: nftables before 1.1.0 cannot create a map with a
 * concatenated value from JSON, and 1.0.6 silently creates a plain <em>set</em> when asked to,
 * so the model cannot express one. Elements are added with their own command:
 * {@code batch.add(map.elements(SetElement.of("tcp", 8080).mapsTo(Verdict.goTo(chain))))}.
 */
public final class NftSet extends NftObject {
    /** Set flags: {@code interval} allows prefixes and ranges as elements. */
    public enum Flag { CONSTANT, INTERVAL, TIMEOUT }

    private final Table table;
    private final String name;
    private final boolean map;
    private final List<String> keyTypeNames;
    /** Null when a listed set has a type the model does not know. */
    private final List<DataType> keyTypes;
    private final String valueTypeName;
    private final List<String> flags;
    private final Long handle;
    private final List<SetElement> elements;

    NftSet(Table table, String name, boolean map, List<String> keyTypeNames, String valueTypeName, List<String> flags,
            Long handle, List<SetElement> elements) {
        this.table = Objects.requireNonNull(table, "table");
        this.name = name;
        this.map = map;
        this.keyTypeNames = Collections.unmodifiableList(new ArrayList<>(keyTypeNames));
        List<DataType> known = new ArrayList<>();
        for (String n : keyTypeNames) {
            DataType t = DataType.fromNftName(n);
            if (t == null) {
                known = null;
                break;
            }
            known.add(t);
        }
        this.keyTypes = known == null ? null : Collections.unmodifiableList(known);
        this.valueTypeName = valueTypeName;
        this.flags = Collections.unmodifiableList(new ArrayList<>(flags));
        this.handle = handle;
        this.elements = Collections.unmodifiableList(new ArrayList<>(elements));
    }

    public static NftSet set(Table table, String name, DataType... keyType) {
        return create(table, name, false, null, keyType);
    }

    public static NftSet verdictMap(Table table, String name, DataType... keyType) {
        return create(table, name, true, DataType.VERDICT, keyType);
    }

    /** A map from {@code keyType} to values of one {@code valueType} (see the class comment on concatenated values). */
    public static NftSet map(Table table, String name, DataType valueType, DataType... keyType) {
        return create(table, name, true, Objects.requireNonNull(valueType, "valueType"), keyType);
    }

    private static NftSet create(Table table, String name, boolean map, DataType valueType, DataType[] keyType) {
        NftNames.name(map ? "map name" : "set name", name);
        if (keyType == null || keyType.length == 0) {
            throw new NftModelException((map ? "map " : "set ") + name + " needs a key type");
        }
        List<String> names = new ArrayList<>();
        for (DataType t : keyType) {
            if (t == null || t == DataType.VERDICT) {
                throw new NftModelException((map ? "map " : "set ") + name + ": " + t + " is not a key type");
            }
            names.add(t.nftName());
        }
        return new NftSet(table, name, map, names, valueType == null ? null : valueType.nftName(), List.of(), null, List.of());
    }

    /** This set with {@code newFlags} (replacing any it had). */
    public NftSet withFlags(Flag... newFlags) {
        List<String> f = new ArrayList<>();
        for (Flag flag : newFlags) {
            String s = flag.name().toLowerCase(Locale.ROOT);
            if (!f.contains(s)) {
                f.add(s);
            }
        }
        return new NftSet(table, name, map, keyTypeNames, valueTypeName, f, handle, elements);
    }

    /** The element object of a batch command: {@code elements} checked against this set's types. */
    public Elements elements(SetElement... toAdd) {
        return elements(List.of(toAdd));
    }

    public Elements elements(List<SetElement> toAdd) {
        if (toAdd.isEmpty()) {
            throw new NftModelException("an element command for " + name + " needs at least one element");
        }
        List<SetElement> typed = new ArrayList<>(toAdd.size());
        for (SetElement e : toAdd) {
            typed.add(Objects.requireNonNull(e, "element").typedFor(this));
        }
        return new Elements(this, typed);
    }

    public Table table() {
        return table;
    }

    public String name() {
        return name;
    }

    public boolean isMap() {
        return map;
    }

    public boolean isVerdictMap() {
        return map && "verdict".equals(valueTypeName);
    }

    /** The key type, one entry per part of a concatenation; null if a listed set has a type the model does not know. */
    public List<DataType> keyTypes() {
        return keyTypes;
    }

    /** The key type as nft names it, e.g. {@code ["inet_proto", "inet_service"]}. */
    public List<String> keyTypeNames() {
        return keyTypeNames;
    }

    /** A map's value type ({@code "verdict"}, {@code "ipv4_addr"}...); null for a set. */
    public String valueType() {
        return valueTypeName;
    }

    /** E.g. {@code ["interval"]}. */
    public List<String> flags() {
        return flags;
    }

    public boolean hasFlag(Flag flag) {
        return flags.contains(flag.name().toLowerCase(Locale.ROOT));
    }

    public Long handle() {
        return handle;
    }

    /** The elements nft listed with the set; always empty for a set built by the model. */
    public List<SetElement> listedElements() {
        return elements;
    }

    @Override
    public String kind() {
        return map ? "map" : "set";
    }

    @Override
    ObjectNode toJson(Verb verb) {
        ObjectNode o = NftJson.object();
        o.put("family", table.family().jsonName());
        o.put("table", table.name());
        o.put("name", name);
        if (verb != Verb.ADD && verb != Verb.CREATE) {
            return o;
        }
        if (keyTypeNames.size() == 1) {
            o.put("type", keyTypeNames.get(0));
        } else {
            ArrayNode t = NftJson.array();
            for (String n : keyTypeNames) {
                t.add(n);
            }
            o.set("type", t);
        }
        if (map) {
            o.put("map", valueTypeName);
        }
        if (!flags.isEmpty()) {
            ArrayNode f = NftJson.array();
            for (String s : flags) {
                f.add(s);
            }
            o.set("flags", f);
        }
        return o;
    }

    @Override
    void checkVerb(Verb verb) {
        if (verb == Verb.INSERT || verb == Verb.REPLACE) {
            throw new NftModelException(verb.jsonName() + " applies to rules, not " + kind() + "s");
        }
    }

    /** Same table, kind and name. */
    @Override
    public boolean equals(Object o) {
        return o instanceof NftSet && ((NftSet) o).table.equals(table) && ((NftSet) o).map == map && ((NftSet) o).name.equals(name);
    }

    @Override
    public int hashCode() {
        return (table.hashCode() * 31 + name.hashCode()) * 2 + (map ? 1 : 0);
    }
}
