package dev.jcni.core.os.netlink;

import java.util.Arrays;
import java.util.Objects;

/**
 * A network interface as an RTM_NEWLINK reply describes it: its index, flags and kind, and the
 * value of every {@link LinkAttribute} row the reply carried, read with {@link #get}.
 *
 * <pre>
 * LinkInfo eth0 = links.byName("eth0");
 * int mtu = eth0.get(LinkAttribute.MTU);
 * boolean promisc = eth0.get(LinkAttribute.PROMISC);
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
    /** By row ordinal; null where the reply had no such attribute. */
    private final Object[] values;

    private LinkInfo(Builder b) {
        this.index = b.index;
        this.flags = b.flags;
        this.kind = b.kind;
        this.values = b.values.clone();
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
     * The row's value: null when the reply did not carry the attribute (a link without a master
     * has no {@link LinkAttribute#MASTER}, one without an Ethernet address no
     * {@link LinkAttribute#MAC}); flag rows are never null.
     */
    public <T> T get(LinkAttribute<T> row) {
        return row.valueIn(this);
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
                && Arrays.equals(values, other.values);
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
        return sb.append('}').toString();
    }

    /** Builds a link: the parser does, and so do fakes of the kernel in tests. */
    public static final class Builder {
        private final int index;
        private int flags;
        private String kind;
        private final Object[] values = new Object[LinkAttribute.ALL.size()];

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
