package dev.jcni.core.os.nft;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Objects;

/**
 * A chain: regular (entered by jump or goto) or base (hooked into the stack with a type, hook,
 * priority and policy).
 *
 * <p>The priority is always sent as a number. nft 1.0.6 accepts {@code "prio":"dstnat"} in JSON
 * without complaint but then creates a <em>regular</em> chain, silently: its JSON parser only
 * reads a base chain when type, hook and an integer prio are all present. {@link Priority}
 * holds the numbers behind nft's names.
 */
public final class Chain extends NftObject {
    /** The chain types. */
    public enum Type { FILTER, NAT, ROUTE }

    /** The netfilter hooks of the ip, ip6, inet, arp and bridge families. */
    public enum Hook { PREROUTING, INPUT, FORWARD, OUTPUT, POSTROUTING }

    public enum Policy { ACCEPT, DROP }

    /** nft's standard priority names as numbers. */
    public static final class Priority {
        /** ip, ip6, inet: before conntrack. */
        public static final int RAW = -300;
        public static final int MANGLE = -150;
        /** ip, ip6, inet: destination NAT (prerouting, output). */
        public static final int DSTNAT = -100;
        public static final int FILTER = 0;
        public static final int SECURITY = 50;
        /** ip, ip6, inet: source NAT (postrouting, input). */
        public static final int SRCNAT = 100;
        /** bridge: the priorities differ in the bridge family. */
        public static final int BRIDGE_DSTNAT = -300;
        public static final int BRIDGE_FILTER = -200;
        public static final int BRIDGE_OUT = 100;
        public static final int BRIDGE_SRCNAT = 300;

        private Priority() {}
    }

    private final Table table;
    private final String name;
    /** Base chains only (all four set), else all null. Strings, as a listing may show others. */
    private final String type;
    private final String hook;
    private final Integer priority;
    private final String policy;
    private final Long handle;

    Chain(Table table, String name, String type, String hook, Integer priority, String policy, Long handle) {
        this.table = Objects.requireNonNull(table, "table");
        this.name = name;
        this.type = type;
        this.hook = hook;
        this.priority = priority;
        this.policy = policy;
        this.handle = handle;
    }

    public static Chain regular(Table table, String name) {
        return new Chain(table, NftNames.name("chain name", name), null, null, null, null, null);
    }

    /**
     * A base chain. Checks what nft would refuse: NAT chains outside ip/ip6/inet or on the
     * forward hook, route chains other than output, bridge or arp chains of other types, netdev
     * chains (they need a device, which this model does not carry).
     */
    public static Chain base(Table table, String name, Type type, Hook hook, int priority, Policy policy) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(hook, "hook");
        Objects.requireNonNull(policy, "policy");
        Family f = table.family();
        boolean ipFamily = f == Family.IP || f == Family.IP6 || f == Family.INET;
        String problem = null;
        if (f == Family.NETDEV) {
            problem = "netdev base chains need a device, which this model does not support";
        } else if (type != Type.FILTER && !ipFamily) {
            problem = "a " + f.jsonName() + " table only has filter chains";
        } else if (type == Type.NAT && hook == Hook.FORWARD) {
            problem = "nat chains cannot hook forward";
        } else if (type == Type.ROUTE && hook != Hook.OUTPUT) {
            problem = "route chains hook output only";
        } else if (f == Family.ARP && hook != Hook.INPUT && hook != Hook.OUTPUT) {
            problem = "arp chains hook input or output only";
        }
        if (problem != null) {
            throw new NftModelException("chain " + name + ": " + problem);
        }
        return new Chain(table, NftNames.name("chain name", name), lower(type), lower(hook), priority, lower(policy), null);
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    public Table table() {
        return table;
    }

    public String name() {
        return name;
    }

    public boolean isBase() {
        return hook != null;
    }

    /** {@code "filter"}, {@code "nat"}, {@code "route"}; null for a regular chain. */
    public String type() {
        return type;
    }

    /** {@code "prerouting"} ...; null for a regular chain. */
    public String hook() {
        return hook;
    }

    /** Null for a regular chain. */
    public Integer priority() {
        return priority;
    }

    /** {@code "accept"} or {@code "drop"}; null for a regular chain. */
    public String policy() {
        return policy;
    }

    /** The kernel's handle, from a listing; null otherwise. */
    public Long handle() {
        return handle;
    }

    @Override
    public String kind() {
        return "chain";
    }

    @Override
    ObjectNode toJson(Verb verb) {
        ObjectNode o = NftJson.object();
        o.put("family", table.family().jsonName());
        o.put("table", table.name());
        o.put("name", name);
        if (isBase() && (verb == Verb.ADD || verb == Verb.CREATE)) {
            o.put("type", type);
            o.put("hook", hook);
            o.put("prio", priority);
            o.put("policy", policy);
        }
        return o;
    }

    @Override
    void checkVerb(Verb verb) {
        if (verb == Verb.INSERT || verb == Verb.REPLACE) {
            throw new NftModelException(verb.jsonName() + " applies to rules, not chains");
        }
    }

    /** Same table and name (the handle and the hook are not part of a chain's identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Chain && ((Chain) o).table.equals(table) && ((Chain) o).name.equals(name);
    }

    @Override
    public int hashCode() {
        return table.hashCode() * 31 + name.hashCode();
    }
}
