package dev.jcni.core.os.nft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An nftables expression: what a rule reads from a packet ({@link #IP_DADDR},
 * {@link #META_L4PROTO}, {@link #FIB_DADDR_TYPE}, a {@link #concat} of those) or a value it
 * compares with ({@link #value}, {@link #set}, {@link #prefix}, {@link #range}, {@link #setRef}).
 *
 * <p>Every packet field has a {@link DataType}. Values are written untyped and get checked and
 * put in nft's canonical form when they meet a field: in {@link Statement#match}, as a set
 * element, as map data. So {@code match(IP_DADDR, "2001:db8::1")} fails (an IPv6 literal for
 * an IPv4 field) and {@code match(META_L4PROTO, "TCP")} becomes {@code "tcp"}. An untyped value
 * has no JSON of its own.
 *
 * <p>Immutable; equal when their JSON is equal.
 */
public final class Expr {
    enum Kind { FIELD, VALUE, CONCAT, SET, PREFIX, RANGE, FLAGS, SET_REF }

    public static final Expr IP_SADDR = payload("ip", "saddr", DataType.IPV4_ADDR);
    public static final Expr IP_DADDR = payload("ip", "daddr", DataType.IPV4_ADDR);
    public static final Expr IP_PROTOCOL = payload("ip", "protocol", DataType.INET_PROTO);
    public static final Expr IP6_SADDR = payload("ip6", "saddr", DataType.IPV6_ADDR);
    public static final Expr IP6_DADDR = payload("ip6", "daddr", DataType.IPV6_ADDR);
    public static final Expr IP6_NEXTHDR = payload("ip6", "nexthdr", DataType.INET_PROTO);
    /** Transport destination port of any protocol ({@code th dport}); pair it with {@link #META_L4PROTO}. */
    public static final Expr TH_DPORT = payload("th", "dport", DataType.INET_SERVICE);
    public static final Expr TH_SPORT = payload("th", "sport", DataType.INET_SERVICE);
    public static final Expr TCP_DPORT = payload("tcp", "dport", DataType.INET_SERVICE);
    public static final Expr TCP_SPORT = payload("tcp", "sport", DataType.INET_SERVICE);
    public static final Expr UDP_DPORT = payload("udp", "dport", DataType.INET_SERVICE);
    public static final Expr UDP_SPORT = payload("udp", "sport", DataType.INET_SERVICE);
    public static final Expr SCTP_DPORT = payload("sctp", "dport", DataType.INET_SERVICE);
    public static final Expr SCTP_SPORT = payload("sctp", "sport", DataType.INET_SERVICE);
    public static final Expr ETHER_SADDR = payload("ether", "saddr", DataType.ETHER_ADDR);
    public static final Expr ETHER_DADDR = payload("ether", "daddr", DataType.ETHER_ADDR);
    public static final Expr META_L4PROTO = meta("l4proto", DataType.INET_PROTO);
    public static final Expr META_NFPROTO = meta("nfproto", DataType.NF_PROTO);
    public static final Expr META_MARK = meta("mark", DataType.MARK);
    public static final Expr META_IIFNAME = meta("iifname", DataType.IFNAME);
    public static final Expr META_OIFNAME = meta("oifname", DataType.IFNAME);
    public static final Expr CT_STATE = ct("state", DataType.CT_STATE);
    public static final Expr CT_STATUS = ct("status", DataType.CT_STATUS);
    public static final Expr CT_MARK = ct("mark", DataType.MARK);
    /** {@code fib daddr type}: the route type of the destination; compare with {@code "local"}. */
    public static final Expr FIB_DADDR_TYPE = fib(DataType.FIB_ADDRTYPE, "type", "daddr");

    private final Kind kind;
    /** The JSON, or null for a value that has not met its type yet. */
    private final JsonNode json;
    /** A field's type (several for a concatenation); empty for values. */
    private final List<DataType> type;
    /** VALUE: the raw input; SET_REF: the set name. */
    private final Object raw;
    /** CONCAT, SET, RANGE, FLAGS: the parts; PREFIX: the address. */
    private final List<Object> parts;
    private final int prefixLength;
    /** SET_REF: the set's key type when built from an {@link NftSet}, else null (not checked). */
    private final List<DataType> refType;

    private Expr(Kind kind, JsonNode json, List<DataType> type, Object raw, List<Object> parts, int prefixLength,
            List<DataType> refType) {
        this.kind = kind;
        this.json = json;
        this.type = type;
        this.raw = raw;
        this.parts = parts;
        this.prefixLength = prefixLength;
        this.refType = refType;
    }

    private static Expr field(JsonNode json, List<DataType> type) {
        return new Expr(Kind.FIELD, json, type, null, Collections.emptyList(), 0, null);
    }

    private static Expr payload(String protocol, String field, DataType type) {
        ObjectNode p = NftJson.object();
        p.put("protocol", protocol);
        p.put("field", field);
        return field(NftJson.wrap("payload", p), List.of(type));
    }

    private static Expr meta(String key, DataType type) {
        return field(NftJson.wrap("meta", NftJson.object().put("key", key)), List.of(type));
    }

    private static Expr ct(String key, DataType type) {
        return field(NftJson.wrap("ct", NftJson.object().put("key", key)), List.of(type));
    }

    private static Expr fib(DataType type, String result, String flag) {
        ObjectNode f = NftJson.object();
        f.put("result", result);
        f.set("flags", NftJson.array().add(flag));
        return field(NftJson.wrap("fib", f), List.of(type));
    }

    /**
     * Fields read together ({@code ip daddr . meta l4proto . th dport}), the key of a
     * concatenated set or map; or, given values, a concatenated value ({@code "tcp" . 8080}).
     */
    public static Expr concat(Object... parts) {
        requireNonNull(parts, "concatenation");
        if (parts.length < 2) {
            throw new NftModelException("a concatenation needs at least two parts");
        }
        boolean allFields = true;
        for (Object p : parts) {
            allFields &= p instanceof Expr && ((Expr) p).kind == Kind.FIELD;
        }
        if (!allFields) {
            for (Object p : parts) {
                if (p instanceof Expr && ((Expr) p).kind == Kind.FIELD) {
                    throw new NftModelException("a concatenation holds either packet fields or values, not both");
                }
            }
            return new Expr(Kind.CONCAT, null, List.of(), null, List.of(parts), 0, null);
        }
        ArrayNode a = NftJson.array();
        List<DataType> types = new ArrayList<>();
        for (Object p : parts) {
            a.add(((Expr) p).json);
            types.addAll(((Expr) p).type);
        }
        return field(NftJson.wrap("concat", a), Collections.unmodifiableList(types));
    }

    /** {@code field & mask}, e.g. {@code and(META_MARK, 0x2000)}. */
    public static Expr and(Expr field, Object mask) {
        return binary("&", field, mask);
    }

    /** {@code field | bits}, e.g. the value of {@code meta mark set meta mark | 0x2000}. */
    public static Expr or(Expr field, Object bits) {
        return binary("|", field, bits);
    }

    /** {@code field ^ bits}. */
    public static Expr xor(Expr field, Object bits) {
        return binary("^", field, bits);
    }

    private static Expr binary(String op, Expr field, Object operand) {
        if (field.kind != Kind.FIELD || field.type.size() != 1) {
            throw new NftModelException("'" + op + "' applies to a single packet field, not " + field);
        }
        Expr right = of(operand).typedAs(field.type, "operand of '" + op + "'");
        return field(NftJson.wrap(op, NftJson.array().add(field.json).add(right.json)), field.type);
    }

    /** One value: a String, an integral Number, or an {@code InetAddress}; checked when it meets a field. */
    public static Expr value(Object raw) {
        if (raw == null) {
            throw new NftModelException("a value must not be null");
        }
        if (raw instanceof Expr) {
            return (Expr) raw;
        }
        return new Expr(Kind.VALUE, null, List.of(), raw, List.of(), 0, null);
    }

    /** An anonymous set {@code { a, b, c }}; nft lists it sorted, and a one-element set as the element alone. */
    public static Expr set(Object... elements) {
        requireNonNull(elements, "anonymous set");
        if (elements.length == 0) {
            throw new NftModelException("an anonymous set needs at least one element");
        }
        return new Expr(Kind.SET, null, List.of(), null, List.of(elements), 0, null);
    }

    /** A network {@code addr/len}; host bits are cleared, as nft does. */
    public static Expr prefix(Object addr, int length) {
        requireNonNull(new Object[] {addr}, "prefix");
        return new Expr(Kind.PREFIX, null, List.of(), null, List.of(addr), length, null);
    }

    /** An inclusive range {@code low-high}, e.g. ports {@code 30000-30010}. */
    public static Expr range(Object low, Object high) {
        requireNonNull(new Object[] {low, high}, "range");
        return new Expr(Kind.RANGE, null, List.of(), null, List.of(low, high), 0, null);
    }

    /** Several flags at once, as in {@code ct state established,related} (match with {@link Statement.Op#IN}). */
    public static Expr flags(String... names) {
        requireNonNull(names, "flag list");
        if (names.length == 0) {
            throw new NftModelException("a flag list needs at least one flag");
        }
        return new Expr(Kind.FLAGS, null, List.of(), null, List.of((Object[]) names), 0, null);
    }

    /** A lookup in a named set or map, {@code @name}; its key type is checked against the field. */
    public static Expr setRef(NftSet set) {
        return new Expr(Kind.SET_REF, NftJson.NODES.textNode("@" + set.name()), List.of(), set.name(), List.of(), 0,
                set.keyTypes());
    }

    /** A lookup in the named set {@code name} whose type the model cannot check. */
    public static Expr setRef(String name) {
        NftNames.name("set name", name);
        return new Expr(Kind.SET_REF, NftJson.NODES.textNode("@" + name), List.of(), name, List.of(), 0, null);
    }

    private static void requireNonNull(Object[] parts, String what) {
        if (parts == null) {
            throw new NftModelException(what + " must not be null");
        }
        for (Object p : parts) {
            if (p == null) {
                throw new NftModelException(what + " must not hold null");
            }
        }
    }

    static Expr of(Object o) {
        return o instanceof Expr ? (Expr) o : value(o);
    }

    Kind kind() {
        return kind;
    }

    /** The type of a packet field (several entries for a concatenation); empty for values. */
    public List<DataType> type() {
        return type;
    }

    /** True for packet fields and their concatenations and bit operations. */
    public boolean isField() {
        return kind == Kind.FIELD;
    }

    /**
     * This expression checked against {@code expected} and in canonical form.
     *
     * @param context what the value is for, for the error message
     */
    Expr typedAs(List<DataType> expected, String context) {
        switch (kind) {
            case FIELD:
                if (!type.equals(expected)) {
                    throw new NftModelException(context + ": " + this + " is " + names(type) + ", expected " + names(expected));
                }
                return this;
            case SET_REF:
                if (refType != null && !refType.equals(expected)) {
                    throw new NftModelException(context + ": set @" + raw + " holds " + names(refType)
                            + ", compared with " + names(expected));
                }
                return this;
            case VALUE:
                if (expected.size() != 1) {
                    throw new NftModelException(context + ": " + names(expected) + " needs a concatenation of "
                            + expected.size() + " values, got " + shownRaw(raw));
                }
                return typed(expected.get(0).canonical(raw), expected);
            case CONCAT: {
                if (parts.size() != expected.size()) {
                    throw new NftModelException(context + ": " + names(expected) + " needs " + expected.size()
                            + " values, got " + parts.size());
                }
                ArrayNode a = NftJson.array();
                for (int i = 0; i < parts.size(); i++) {
                    a.add(of(parts.get(i)).typedAs(List.of(expected.get(i)), context).json);
                }
                return typed(NftJson.wrap("concat", a), expected);
            }
            case SET:
                return typedSet(expected, context);
            case PREFIX:
                return typedPrefix(expected, context);
            case RANGE: {
                Expr low = of(parts.get(0)).typedAs(expected, context);
                Expr high = of(parts.get(1)).typedAs(expected, context);
                if (low.kind != Kind.VALUE && low.kind != Kind.CONCAT || high.kind != Kind.VALUE && high.kind != Kind.CONCAT) {
                    throw new NftModelException(context + ": a range needs two values");
                }
                if (new KeyOrder(expected).compare(low.json, high.json) >= 0) {
                    throw new NftModelException(context + ": range " + low.json + "-" + high.json + " is empty or reversed");
                }
                return typed(NftJson.wrap("range", NftJson.array().add(low.json).add(high.json)), expected);
            }
            case FLAGS: {
                DataType t = expected.size() == 1 ? expected.get(0) : null;
                if (t != DataType.CT_STATE && t != DataType.CT_STATUS) {
                    throw new NftModelException(context + ": a flag list applies to ct state or ct status, not " + names(expected));
                }
                List<JsonNode> flags = new ArrayList<>();
                for (Object p : parts) {
                    JsonNode v = t.canonical(p);
                    if (flags.contains(v)) {
                        throw new NftModelException(context + ": flag " + v + " given twice");
                    }
                    flags.add(v);
                }
                // nft lists flags in bit order.
                ArrayNode a = NftJson.array();
                for (JsonNode v : new KeyOrder(expected).sorted(flags)) {
                    a.add(v);
                }
                return typed(a.size() == 1 ? a.get(0) : a, expected);
            }
            default:
                throw new IllegalStateException(kind.name());
        }
    }

    private Expr typedSet(List<DataType> expected, String context) {
        List<JsonNode> elements = new ArrayList<>();
        for (Object p : parts) {
            Expr e = of(p);
            if (e.kind == Kind.FIELD || e.kind == Kind.SET || e.kind == Kind.SET_REF || e.kind == Kind.FLAGS) {
                throw new NftModelException(context + ": an anonymous set holds values, not " + e.kind.name().toLowerCase());
            }
            JsonNode v = e.typedAs(expected, context).json;
            if (elements.contains(v)) {
                throw new NftModelException(context + ": element " + v + " given twice");
            }
            elements.add(v);
        }
        if (elements.size() == 1) {
            // nft turns a one-element anonymous set into a plain comparison and lists it so.
            return typed(elements.get(0), expected);
        }
        ArrayNode a = NftJson.array();
        for (JsonNode v : new KeyOrder(expected).sorted(elements)) {
            a.add(v);
        }
        return typed(NftJson.wrap("set", a), expected);
    }

    private Expr typedPrefix(List<DataType> expected, String context) {
        DataType t = expected.size() == 1 ? expected.get(0) : null;
        if (t == null || !t.isIpAddress()) {
            throw new NftModelException(context + ": a prefix applies to an IP address, not " + names(expected));
        }
        int bits = t == DataType.IPV4_ADDR ? 32 : 128;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new NftModelException(context + ": prefix length " + prefixLength + " is outside 0.." + bits);
        }
        byte[] a = t.keyBytes(t.canonical(parts.get(0)));
        for (int i = 0; i < a.length; i++) {
            int keep = Math.max(0, Math.min(8, prefixLength - 8 * i));
            a[i] &= (byte) (0xff << (8 - keep));
        }
        String addr = t == DataType.IPV4_ADDR ? IpLiterals.formatIpv4(a) : IpLiterals.formatIpv6(a);
        ObjectNode p = NftJson.object();
        p.put("addr", addr);
        p.put("len", prefixLength);
        return typed(NftJson.wrap("prefix", p), expected);
    }

    private Expr typed(JsonNode canonical, List<DataType> expected) {
        return new Expr(kind, canonical, List.of(), raw, parts, prefixLength, expected);
    }

    /** The JSON nft reads; a value must have met its field first (see the class comment). */
    public JsonNode toJson() {
        return json().deepCopy();
    }

    JsonNode json() {
        if (json == null) {
            throw new NftModelException("value " + this + " has no type yet: use it in a match, a set element or map data");
        }
        return json;
    }

    static String names(List<DataType> types) {
        StringBuilder sb = new StringBuilder();
        for (DataType t : types) {
            sb.append(sb.length() == 0 ? "" : " . ").append(t.nftName());
        }
        return sb.length() == 0 ? "untyped" : sb.toString();
    }

    private static String shownRaw(Object o) {
        return o instanceof String ? NftNames.shown((String) o) : String.valueOf(o);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Expr && json != null && json.equals(((Expr) o).json);
    }

    @Override
    public int hashCode() {
        return json == null ? System.identityHashCode(this) : json.hashCode();
    }

    @Override
    public String toString() {
        if (json != null) {
            return NftJson.write(json);
        }
        return kind == Kind.VALUE ? shownRaw(raw) : kind.name().toLowerCase() + parts;
    }
}
