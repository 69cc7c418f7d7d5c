package dev.jcni.core.os.netlink;

import java.util.ArrayList;
import java.util.List;

/**
 * A link to create: its kind, its name and any rows of the link tables, filled in by chained
 * calls and handed to {@link Links#create} (or, for a veth and its peer, to
 * {@link Links#createVethPair}):
 *
 * <pre>
 * links.create(NewLink.of("ifb", "ifb0"));
 * links.create(NewLink.bridge("cni0").set(LinkAttribute.MTU, 1400).set(BridgeAttribute.VLAN_FILTERING, true));
 * links.createVethPair(NewLink.veth("eth0").set(LinkAttribute.MAC, mac), NewLink.vethPeer(null), hostNs);
 * </pre>
 *
 * Any {@link LinkAttribute} row but the name may be set: attribute rows travel as their IFLA_*
 * attribute, in the order they were set; flag rows ({@link LinkAttribute#UP}...) in the
 * ifinfomsg's flags and change mask. {@link BridgeAttribute} rows go into IFLA_INFO_DATA and need
 * the kind {@code bridge}. A request is not thread-safe; build it where it is used.
 */
public final class NewLink {
    private final String kind;
    private final String name;
    private final List<LinkAttribute<?>> rows = new ArrayList<>();
    private final List<Object> values = new ArrayList<>();
    private AttributeValues bridge;

    private NewLink(String kind, String name) {
        this.kind = kind;
        this.name = name;
    }

    /** A link of {@code kind} ("ifb", "dummy", "bridge", ...) called {@code name}. */
    public static NewLink of(String kind, String name) {
        if (kind == null || kind.isEmpty()) {
            throw new IllegalArgumentException("a new link needs a kind");
        }
        return new NewLink(kind, requireName(name));
    }

    public static NewLink bridge(String name) {
        return of("bridge", name);
    }

    /** The end of a veth pair that is created here; its peer is a {@link #vethPeer}. */
    public static NewLink veth(String name) {
        return of("veth", name);
    }

    /**
     * The peer of a veth pair. With a null name, {@link Links#createVethPair} names it as the
     * reference plugins do: {@code veth} and 8 random hex digits, another one on a clash.
     */
    public static NewLink vethPeer(String nameOrNull) {
        return new NewLink(null, nameOrNull == null ? null : requireName(nameOrNull));
    }

    /** Sets a row of the link table; the name is the request's own and cannot be set here. */
    public <T> NewLink set(LinkAttribute<T> row, T value) {
        if (row == LinkAttribute.NAME) {
            throw new IllegalArgumentException("the name of a new link is given when the request is made");
        }
        if (value == null) {
            throw new NullPointerException(row.name());
        }
        int at = rows.indexOf(row);
        if (at >= 0) {
            values.set(at, value);
        } else {
            rows.add(row);
            values.add(value);
        }
        return this;
    }

    /** Sets a bridge option; the link must be of kind bridge. */
    public <T> NewLink set(BridgeAttribute<T> row, T value) {
        if (!"bridge".equals(kind)) {
            throw new IllegalArgumentException(row.name() + " is an option of a bridge, not of a " + kind);
        }
        if (value == null) {
            throw new NullPointerException(row.name());
        }
        if (bridge == null) {
            bridge = new AttributeValues(BridgeAttribute.ALL.size());
        }
        bridge.put(row, value);
        return this;
    }

    /** The kind; null for a veth peer, whose kind is its pair's. */
    public String kind() {
        return kind;
    }

    /** The name; null for a veth peer still to be named at random. */
    public String name() {
        return name;
    }

    /** The value set for {@code row}, or null. */
    @SuppressWarnings("unchecked")
    public <T> T get(LinkAttribute<T> row) {
        int at = rows.indexOf(row);
        return at < 0 ? null : (T) values.get(at);
    }

    /** The bridge option set for {@code row}, or null. */
    public <T> T get(BridgeAttribute<T> row) {
        return bridge == null ? null : bridge.get(row);
    }

    /** The same request under another name (a veth peer named at random, once per attempt). */
    NewLink named(String newName) {
        NewLink copy = new NewLink(kind, requireName(newName));
        copy.rows.addAll(rows);
        copy.values.addAll(values);
        copy.bridge = bridge == null ? null : bridge.copy();
        return copy;
    }

    int ifiFlags() {
        int flags = 0;
        for (int i = 0; i < rows.size(); i++) {
            flags |= flagsOf(rows.get(i), values.get(i));
        }
        return flags;
    }

    int ifiChange() {
        int change = 0;
        for (int i = 0; i < rows.size(); i++) {
            change |= rows.get(i).flagMask();
        }
        return change;
    }

    void encodeRows(NetlinkMessageBuilder m) {
        for (int i = 0; i < rows.size(); i++) {
            encode(m, rows.get(i), values.get(i));
        }
    }

    boolean hasInfoData() {
        return bridge != null;
    }

    /** The bridge rows, in table order (vlan_filtering before vlan_default_pvid, as iproute2 sends them). */
    void encodeInfoData(NetlinkMessageBuilder m) {
        if (bridge == null) {
            return;
        }
        for (int i = 0; i < BridgeAttribute.ALL.size(); i++) {
            encodeBridge(m, BridgeAttribute.ALL.get(i));
        }
    }

    private <T> void encodeBridge(NetlinkMessageBuilder m, BridgeAttribute<T> row) {
        T value = bridge.get(row);
        if (value != null) {
            row.encode(m, value);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> int flagsOf(LinkAttribute<T> row, Object value) {
        return row.flags((T) value);
    }

    @SuppressWarnings("unchecked")
    private static <T> void encode(NetlinkMessageBuilder m, LinkAttribute<T> row, Object value) {
        row.encode(m, (T) value);
    }

    private static String requireName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a new link needs a name");
        }
        return name;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(kind == null ? "peer" : kind).append(' ').append(name == null ? "(random name)" : name);
        for (int i = 0; i < rows.size(); i++) {
            sb.append(' ').append(describe(rows.get(i), values.get(i)));
        }
        if (bridge != null) {
            for (int i = 0; i < BridgeAttribute.ALL.size(); i++) {
                describeBridge(sb, BridgeAttribute.ALL.get(i));
            }
        }
        return sb.toString();
    }

    private <T> void describeBridge(StringBuilder sb, BridgeAttribute<T> row) {
        T value = bridge.get(row);
        if (value != null) {
            sb.append(' ').append(row.describe(value));
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> String describe(LinkAttribute<T> row, Object value) {
        return row.describe((T) value);
    }
}
