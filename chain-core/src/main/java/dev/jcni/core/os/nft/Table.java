package dev.jcni.core.os.nft;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A table: a family and a name. Tables, chains and sets are identified by name; the handle is
 * only known from a listing. (nft 1.0.6 drops a table comment given in JSON, so there is none.)
 *
 * <pre>
 * Table t = Table.of(Family.INET, "cni_hostport");
 * Chain hostports = t.chain("hostports");
 * Chain prerouting = t.baseChain("prerouting", Chain.Type.NAT, Chain.Hook.PREROUTING, Chain.Priority.DSTNAT);
 * NftSet ports = t.verdictMap("hostports_v4", DataType.INET_PROTO, DataType.INET_SERVICE);
 * </pre>
 */
public final class Table extends NftObject {
    private final Family family;
    private final String name;
    private final Long handle;

    private Table(Family family, String name, Long handle) {
        this.family = Objects.requireNonNull(family, "family");
        this.name = name;
        this.handle = handle;
    }

    public static Table of(Family family, String name) {
        return new Table(family, NftNames.name("table name", name), null);
    }

    /** A table as nft listed it: its name is not checked (other tools may use any name). */
    static Table listed(Family family, String name, Long handle) {
        return new Table(family, name, handle);
    }

    public Family family() {
        return family;
    }

    public String name() {
        return name;
    }

    /** The kernel's handle, from a listing; null otherwise. */
    public Long handle() {
        return handle;
    }

    /** A regular chain of this table (entered only by jump or goto). */
    public Chain chain(String chainName) {
        return Chain.regular(this, chainName);
    }

    /** A base chain with policy accept. */
    public Chain baseChain(String chainName, Chain.Type type, Chain.Hook hook, int priority) {
        return Chain.base(this, chainName, type, hook, priority, Chain.Policy.ACCEPT);
    }

    public NftSet set(String setName, DataType... keyType) {
        return NftSet.set(this, setName, keyType);
    }

    public NftSet verdictMap(String mapName, DataType... keyType) {
        return NftSet.verdictMap(this, mapName, keyType);
    }

    @Override
    public String kind() {
        return "table";
    }

    @Override
    ObjectNode toJson(Verb verb) {
        ObjectNode o = NftJson.object();
        o.put("family", family.jsonName());
        o.put("name", name);
        return o;
    }

    @Override
    void checkVerb(Verb verb) {
        if (verb == Verb.INSERT || verb == Verb.REPLACE) {
            throw new NftModelException(verb.jsonName() + " applies to rules, not tables");
        }
    }

    /** Same family and name (the handle is not part of a table's identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Table && ((Table) o).family == family && ((Table) o).name.equals(name);
    }

    @Override
    public int hashCode() {
        return family.hashCode() * 31 + name.hashCode();
    }
}
