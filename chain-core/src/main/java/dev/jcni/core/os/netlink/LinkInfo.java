package dev.jcni.core.os.netlink;

import java.util.Arrays;
import java.util.Objects;

/**
 * A network interface as an RTM_NEWLINK reply describes it: its index, flags and kind, and the
 * value of every {@link LinkAttribute} row the reply carried, read with {@link #get}; for a
 * bridge its {@link BridgeAttribute} options, for a bridge port its {@link BridgePortAttribute}
 * flags, read with the same {@code get}.
 *
 * <pre>
 * LinkInfo eth0 = links.byName("eth0");
 * int mtu = eth0.get(LinkAttribute.MTU);
 * boolean promisc = eth0.get(LinkAttribute.PROMISC);
 * Boolean hairpin = hostVeth.get(BridgePortAttribute.HAIRPIN);   // null: not a bridge port
 * </pre>
 *
 * Tests and fakes build one with {@link Builder}, as the parser does.
 */
public final class LinkInfo {
    public static final int IFF_UP = 0x1;
    public static final int IFF_BROADCAST = 0x2;
    public static final int IFF_LOOPBACK = 0x8;
    public static final int IFF_RUNNING = 0x40;
    public static final int IFF_NOARP = 0x80;
    public static final int IFF_PROMISC = 0x100;
    public static final int IFF_ALLMULTI = 0x200;
    public static final int IFF_MULTICAST = 0x1000;
    public static final int IFF_LOWER_UP = 0x10000;

    private final int index;
    private final int flags;
    private final String kind;
    private final String portKind;
    /** By row ordinal; null where the reply had no such attribute. */
    private final Object[] values;
    /** The bridge's IFLA_INFO_DATA rows; null unless the link is a bridge that reported them. */
    private final AttributeValues bridge;
    /** The port's IFLA_INFO_SLAVE_DATA (or IFLA_PROTINFO) rows; null unless the link is a bridge port. */
    private final AttributeValues port;

    private LinkInfo(Builder b) {
        this.index = b.index;
        this.flags = b.flags;
        this.kind = b.kind;
        this.portKind = b.portKind;
        this.values = b.values.clone();
        this.bridge = b.bridge == null ? null : b.bridge.copy();
        this.port = b.port == null ? null : b.port.copy();
    }

    public int index() {
        return index;
    }

    /** The IFF_* flags (ifinfomsg.ifi_flags); each flag row reads its bit of them. */
    public int flags() {
        return flags;
    }

    /** IFLA_INFO_KIND ("veth", "bridge", ...), or null for links without one (lo, physical NICs). */
    public String kind() {
        return kind;
    }

    /**
     * IFLA_INFO_SLAVE_KIND: the kind of the master this link is a port of ("bridge" for a bridge
     * port, "bond"...), or null for a link without a master.
     */
    public String portKind() {
        return portKind;
    }

    /**
     * True when the link can pass packets: administratively up (IFF_UP) and IFF_RUNNING, which the
     * kernel sets when the operational state is UP, or UNKNOWN for drivers that track none (lo,
     * ifb, dummy). A veth whose peer is down is up but not running ({@link OperState#LOWERLAYERDOWN}).
     */
    public boolean isRunning() {
        return (flags & IFF_UP) != 0 && (flags & IFF_RUNNING) != 0;
    }

    /**
     * The row's value: null when the reply did not carry the attribute (a link without a master
     * has no {@link LinkAttribute#MASTER}, one without an Ethernet address no
     * {@link LinkAttribute#MAC}); flag rows are never null.
     */
    public <T> T get(LinkAttribute<T> row) {
        return row.valueIn(this);
    }

    /**
     * A bridge option: null unless this is a bridge and the kernel reported the option (one
     * built without VLAN filtering reports no VLAN rows).
     */
    public <T> T get(BridgeAttribute<T> row) {
        return bridge == null ? null : bridge.get(row);
    }

    /** A bridge-port flag: null unless this link is a port of a bridge. */
    public <T> T get(BridgePortAttribute<T> row) {
        return port == null ? null : port.get(row);
    }

    /** The interface name, {@code get(LinkAttribute.NAME)}. */
    public String name() {
        return get(LinkAttribute.NAME);
    }

    Object value(int ordinal) {
        return values[ordinal];
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LinkInfo)) {
            return false;
        }
        LinkInfo other = (LinkInfo) o;
        return index == other.index && flags == other.flags && Objects.equals(kind, other.kind)
                && Objects.equals(portKind, other.portKind) && Arrays.equals(values, other.values)
                && Objects.equals(bridge, other.bridge) && Objects.equals(port, other.port);
    }

    @Override
    public int hashCode() {
        return (index * 31 + flags) * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("LinkInfo{index=").append(index).append(", flags=0x")
                .append(Integer.toHexString(flags));
        if (kind != null) {
            sb.append(", kind=").append(kind);
        }
        for (LinkAttribute<?> row : LinkAttribute.ALL) {
            Object v = row.valueIn(this);
            if (v != null) {
                sb.append(", ").append(row.name()).append('=').append(v);
            }
        }
        if (bridge != null) {
            bridge.appendTo(sb, BridgeAttribute.ALL);
        }
        if (portKind != null) {
            sb.append(", port of ").append(portKind);
        }
        if (port != null) {
            port.appendTo(sb, BridgePortAttribute.ALL);
        }
        return sb.append('}').toString();
    }

    /** Builds a link: the parser does, and so do fakes of the kernel in tests. */
    public static final class Builder {
        private final int index;
        private int flags;
        private String kind;
        private String portKind;
        private final Object[] values = new Object[LinkAttribute.ALL.size()];
        private AttributeValues bridge;
        private AttributeValues port;

        public Builder(int index) {
            this.index = index;
        }

        public Builder flags(int newFlags) {
            this.flags = newFlags;
            return this;
        }

        int flags() {
            return flags;
        }

        public Builder kind(String newKind) {
            this.kind = newKind;
            return this;
        }

        public Builder portKind(String newPortKind) {
            this.portKind = newPortKind;
            return this;
        }

        /** Sets a bridge option (of a link of kind bridge). */
        public <T> Builder set(BridgeAttribute<T> row, T value) {
            bridgeValues().put(row, value);
            return this;
        }

        /** Sets a bridge-port flag (of a link that is a port of a bridge). */
        public <T> Builder set(BridgePortAttribute<T> row, T value) {
            portValues().put(row, value);
            return this;
        }

        AttributeValues bridgeValues() {
            if (bridge == null) {
                bridge = new AttributeValues(BridgeAttribute.ALL.size());
            }
            return bridge;
        }

        AttributeValues portValues() {
            if (port == null) {
                port = new AttributeValues(BridgePortAttribute.ALL.size());
            }
            return port;
        }

        /** Sets a row's value; for a flag row, its bit of the flags. */
        public <T> Builder set(LinkAttribute<T> row, T value) {
            row.store(this, value);
            return this;
        }

        void putValue(int ordinal, Object value) {
            values[ordinal] = value;
        }

        public LinkInfo build() {
            return new LinkInfo(this);
        }
    }
}
