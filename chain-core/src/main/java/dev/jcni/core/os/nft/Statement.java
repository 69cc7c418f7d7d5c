package dev.jcni.core.os.nft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One statement of a rule: a {@link #match}, a verdict map lookup ({@link #vmap}), NAT
 * ({@link #dnat}, {@link #snat}, {@link #masquerade}, {@link #redirect}), a mark
 * ({@link #setMark}), a {@link #counter}, a {@link #log}; or a {@link Verdict}.
 *
 * <pre>
 * Rule.in(chain,
 *     match(Expr.IP_DADDR, "192.168.0.2"),
 *     match(Expr.TCP_DPORT, 8083),
 *     dnat("10.0.0.2", 83));
 * </pre>
 *
 * A NAT statement carries the family of its address ({@code "family":"ip"}), which nft requires
 * in an {@code inet} table; {@link Rule#in} drops it in {@code ip}/{@code ip6} tables, where nft
 * lists it without one. Immutable; equal when their JSON is equal.
 */
public class Statement {
    /** Comparison operators of {@link #match}; {@link #IN} tests flags, as in {@code ct state established,related}. */
    public enum Op {
        EQ("=="), NE("!="), LT("<"), GT(">"), LE("<="), GE(">="), IN("in");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    private static final List<String> TRANSPORT_PROTOCOLS = List.of("tcp", "udp", "sctp", "udplite", "dccp");

    final JsonNode json;
    /** NAT statements: IP or IP6 when an address gave the family, NETDEV as "no address"; else null. */
    private final Family natFamily;

    Statement(JsonNode json, Family natFamily) {
        this.json = json;
        this.natFamily = natFamily;
    }

    /** {@code field == value}. */
    public static Statement match(Expr field, Object value) {
        return match(field, Op.EQ, value);
    }

    /** {@code field <op> value}; the value is checked against the field's type and put in canonical form. */
    public static Statement match(Expr field, Op op, Object value) {
        if (field == null || !field.isField()) {
            throw new NftModelException("the left side of a match must be a packet field, not " + field);
        }
        Expr right = Expr.of(value);
        boolean flagType = field.type().equals(List.of(DataType.CT_STATE)) || field.type().equals(List.of(DataType.CT_STATUS));
        if (op == Op.IN && !flagType) {
            throw new NftModelException("'in' tests flags (ct state, ct status), not " + field);
        }
        if (right.kind() == Expr.Kind.FLAGS && op != Op.IN) {
            throw new NftModelException("a flag list is matched with Op.IN");
        }
        if (op.ordinal() >= Op.LT.ordinal() && op != Op.IN && right.kind() != Expr.Kind.VALUE) {
            throw new NftModelException("'" + op.symbol + "' compares with a single value");
        }
        Expr typed = right.typedAs(field.type(), "match " + field);
        ObjectNode m = NftJson.object();
        m.put("op", op.symbol);
        m.set("left", field.json());
        m.set("right", typed.json());
        return new Statement(NftJson.wrap("match", m), null);
    }

    /** {@code key vmap @map}: jump to where the verdict map sends this key. */
    public static Statement vmap(Expr key, NftSet map) {
        if (!map.isVerdictMap()) {
            throw new NftModelException("vmap needs a verdict map; " + map.name() + " is not one");
        }
        if (key == null || !key.isField()) {
            throw new NftModelException("the key of a vmap must be packet fields, not " + key);
        }
        Expr.setRef(map).typedAs(key.type(), "vmap " + key);
        return vmapJson(key, "@" + map.name());
    }

    /** {@code key vmap @mapName} for a map whose type the model cannot check. */
    public static Statement vmap(Expr key, String mapName) {
        if (key == null || !key.isField()) {
            throw new NftModelException("the key of a vmap must be packet fields, not " + key);
        }
        return vmapJson(key, "@" + NftNames.name("map name", mapName));
    }

    private static Statement vmapJson(Expr key, String data) {
        ObjectNode v = NftJson.object();
        v.set("key", key.json());
        v.put("data", data);
        return new Statement(NftJson.wrap("vmap", v), null);
    }

    /** An anonymous counter (nft lists it as {@code {"counter":{"packets":0,"bytes":0}}}). */
    public static Statement counter() {
        return new Statement(NftJson.wrap("counter", NftJson.NODES.nullNode()), null);
    }

    /** Source NAT to the outgoing interface's address. */
    public static Statement masquerade() {
        return new Statement(NftJson.wrap("masquerade", NftJson.NODES.nullNode()), Family.NETDEV);
    }

    /** Destination NAT to an address (String literal or InetAddress), keeping the port. */
    public static Statement dnat(Object address) {
        return nat("dnat", address, 0);
    }

    /** Destination NAT to {@code address:port}; the rule must match a transport protocol first. */
    public static Statement dnat(Object address, int port) {
        return nat("dnat", address, checkPort(port));
    }

    public static Statement snat(Object address) {
        return nat("snat", address, 0);
    }

    public static Statement snat(Object address, int port) {
        return nat("snat", address, checkPort(port));
    }

    /** Redirect to a local port; the rule must match a transport protocol first. */
    public static Statement redirect(int port) {
        ObjectNode r = NftJson.object();
        r.put("port", checkPort(port));
        return new Statement(NftJson.wrap("redirect", r), Family.NETDEV);
    }

    private static Statement nat(String kind, Object address, int port) {
        Family family;
        JsonNode addr;
        try {
            addr = DataType.IPV4_ADDR.canonical(address);
            family = Family.IP;
        } catch (NftModelException notV4) {
            try {
                addr = DataType.IPV6_ADDR.canonical(address);
                family = Family.IP6;
            } catch (NftModelException notV6) {
                throw new NftModelException(kind + " needs an IPv4 or IPv6 address, got " + address);
            }
        }
        ObjectNode n = NftJson.object();
        n.put("family", family.jsonName());
        n.set("addr", addr);
        if (port != 0) {
            n.put("port", port);
        }
        return new Statement(NftJson.wrap(kind, n), family);
    }

    private static int checkPort(int port) {
        if (port < 1 || port > 65535) {
            throw new NftModelException("port " + port + " is outside 1..65535");
        }
        return port;
    }

    /** {@code meta mark set <value>}; the value is a number or a mark expression such as {@code Expr.or(META_MARK, 0x2000)}. */
    public static Statement setMark(Object value) {
        return mangle(Expr.META_MARK, value);
    }

    /** {@code ct mark set <value>}. */
    public static Statement setCtMark(Object value) {
        return mangle(Expr.CT_MARK, value);
    }

    private static Statement mangle(Expr key, Object value) {
        Expr v = Expr.of(value).typedAs(key.type(), "set " + key);
        ObjectNode m = NftJson.object();
        m.set("key", key.json());
        m.set("value", v.json());
        return new Statement(NftJson.wrap("mangle", m), null);
    }

    /** Log the packet with {@code prefix} (at most 127 bytes, the kernel's limit). */
    public static Statement log(String prefix) {
        ObjectNode l = NftJson.object();
        l.put("prefix", NftNames.text("log prefix", prefix, 127));
        return new Statement(NftJson.wrap("log", l), null);
    }

    /** A statement read from nft's output, trusted as it is. */
    static Statement fromJson(JsonNode json) {
        Verdict v = Verdict.fromJson(json);
        return v != null ? v : new Statement(json, null);
    }

    /** The statement as it belongs in a table of {@code family}: NAT loses its family outside inet. */
    Statement inTable(Family family) {
        if (natFamily == null || family == Family.INET) {
            return this;
        }
        String kind = json.fieldNames().next();
        if (family != Family.IP && family != Family.IP6) {
            throw new NftModelException(kind + " needs an ip, ip6 or inet table, not " + family.jsonName());
        }
        if (natFamily == Family.NETDEV) {
            return this;
        }
        if (natFamily != family) {
            throw new NftModelException(kind + " to an " + (natFamily == Family.IP ? "IPv4" : "IPv6")
                    + " address in an " + family.jsonName() + " table");
        }
        ObjectNode copy = (ObjectNode) json.deepCopy();
        ((ObjectNode) copy.get(kind)).remove("family");
        return new Statement(copy, natFamily);
    }

    /** True for dnat, snat and redirect with a port: nft then needs a transport protocol matched before. */
    boolean needsTransportMatch() {
        JsonNode body = json.elements().next();
        return natFamily != null && body.has("port");
    }

    /** True for a match that establishes the transport protocol ({@code meta l4proto}, {@code tcp dport}...). */
    boolean matchesTransport() {
        JsonNode left = json.path("match").path("left");
        if (left.path("meta").path("key").asText("").equals("l4proto")) {
            return true;
        }
        String proto = left.path("payload").path("protocol").asText("");
        String field = left.path("payload").path("field").asText("");
        return TRANSPORT_PROTOCOLS.contains(proto)
                || ("ip".equals(proto) && "protocol".equals(field)) || ("ip6".equals(proto) && "nexthdr".equals(field));
    }

    /** The JSON nft reads, e.g. {@code {"counter":null}}. */
    public JsonNode toJson() {
        return json.deepCopy();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Statement && json.equals(((Statement) o).json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return NftJson.write(json);
    }
}
