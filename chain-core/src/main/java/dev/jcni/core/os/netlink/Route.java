package dev.jcni.core.os.netlink;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;
import java.util.List;
import java.util.Objects;

/**
 * A route: as {@link Routes#list} reads it back, or as a request for {@link Routes#add} and
 * {@link Routes#delete}. Header fields (destination, table, protocol, scope, type) are methods;
 * the attributes are rows of {@link RouteAttribute}, read with {@link #get}.
 *
 * <pre>
 * routes.add(Route.to(IpPrefix.parse("0.0.0.0/0")).set(RouteAttribute.GATEWAY, gw).set(RouteAttribute.DEVICE, eth0).build());
 * routes.add(Route.to(net).set(RouteAttribute.NEXTHOPS, List.of(Nexthop.via(a, eth0), Nexthop.via(b, eth0).weight(2))).build());
 * </pre>
 *
 * In a request, a header field left unset ({@code -1}) is chosen by the operation as
 * {@code ip route} chooses it: for an add, table main, protocol boot, type unicast, and scope link
 * for a unicast route without gateway (a directly connected subnet), global otherwise; for a
 * delete, table main and any protocol, scope and type.
 */
public final class Route {
    public static final int TABLE_UNSPEC = 0;
    public static final int TABLE_DEFAULT = 253;
    public static final int TABLE_MAIN = 254;
    public static final int TABLE_LOCAL = 255;

    public static final int PROTOCOL_UNSPEC = 0;
    public static final int PROTOCOL_REDIRECT = 1;
    /** Added by the kernel (a connected subnet's route). */
    public static final int PROTOCOL_KERNEL = 2;
    /** {@code ip route add}'s default. */
    public static final int PROTOCOL_BOOT = 3;
    public static final int PROTOCOL_STATIC = 4;

    public static final int TYPE_UNSPEC = 0;
    public static final int TYPE_UNICAST = 1;
    public static final int TYPE_LOCAL = 2;
    public static final int TYPE_BROADCAST = 3;
    public static final int TYPE_ANYCAST = 4;
    public static final int TYPE_MULTICAST = 5;
    public static final int TYPE_BLACKHOLE = 6;
    public static final int TYPE_UNREACHABLE = 7;
    public static final int TYPE_PROHIBIT = 8;
    public static final int TYPE_THROW = 9;

    /** The words of {@code ip route} for the types, by number. */
    private static final String[] TYPE_NAMES = {"unspec", "unicast", "local", "broadcast", "anycast", "multicast",
        "blackhole", "unreachable", "prohibit", "throw"};

    /** rtm_flags: a cached (cloned) route, not one of the table's own; lists leave them out. */
    public static final int RTM_F_CLONED = 0x200;

    private final IpPrefix destination;
    private final int table;
    private final int protocol;
    private final int scope;
    private final int type;
    private final int flags;
    private final AttributeValues values;

    private Route(Builder b) {
        this.destination = b.destination;
        this.table = b.table;
        this.protocol = b.protocol;
        this.scope = b.scope;
        this.type = b.type;
        this.flags = b.flags;
        this.values = b.values.copy();
    }

    /** A route to {@code destination} ({@code 0.0.0.0/0} or {@code ::/0}: a default route). */
    public static Builder to(IpPrefix destination) {
        return new Builder(Objects.requireNonNull(destination, "destination"));
    }

    public IpPrefix destination() {
        return destination;
    }

    public IpAddress.Family family() {
        return destination.family();
    }

    /** The routing table ({@link #TABLE_MAIN} is the one {@code ip route} shows); -1 unset. */
    public int table() {
        return table;
    }

    /** Who added it ({@link #PROTOCOL_BOOT}, {@link #PROTOCOL_KERNEL}...); -1 unset. */
    public int protocol() {
        return protocol;
    }

    /** {@link Scope}; -1 unset. */
    public int scope() {
        return scope;
    }

    /** {@link #TYPE_UNICAST}, {@link #TYPE_BLACKHOLE}...; -1 unset. */
    public int type() {
        return type;
    }

    /** rtm_flags as read back ({@link #RTM_F_CLONED}...). */
    public int flags() {
        return flags;
    }

    /** The attribute's value, or null when the route has none. */
    public <T> T get(RouteAttribute<T> row) {
        return values.get(row);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Route)) {
            return false;
        }
        Route r = (Route) o;
        return destination.equals(r.destination) && table == r.table && protocol == r.protocol && scope == r.scope
                && type == r.type && flags == r.flags && values.equals(r.values);
    }

    @Override
    public int hashCode() {
        return (destination.hashCode() * 31 + table) * 31 + values.hashCode();
    }

    /** In the words of {@code ip route}, devices by index: "10.2.0.0/16 via 10.1.0.1 dev 3 metric 100 table 1000". */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (type > TYPE_UNICAST) {
            sb.append(type < TYPE_NAMES.length ? TYPE_NAMES[type] : "type " + type).append(' ');
        }
        sb.append(destination.length() == 0 ? "default" : destination.toString());
        for (int i = 0; i < RouteAttribute.ALL.size(); i++) {
            describe(sb, RouteAttribute.ALL.get(i));
        }
        if (table >= 0 && table != TABLE_MAIN) {
            sb.append(" table ").append(table);
        }
        if (protocol >= 0) {
            sb.append(" proto ").append(protocol);
        }
        if (scope >= 0) {
            sb.append(" scope ").append(Scope.name(scope));
        }
        return sb.toString();
    }

    private <T> void describe(StringBuilder sb, RouteAttribute<T> row) {
        T v = values.get(row);
        if (v instanceof List) {
            List<?> hops = (List<?>) v;
            for (int i = 0; i < hops.size(); i++) {
                sb.append(' ').append(hops.get(i));
            }
        } else if (v != null) {
            sb.append(' ').append(row.describe(v));
        }
    }

    /** Builds a route: a request, or (in the parser and in fakes) one read back. */
    public static final class Builder {
        private final IpPrefix destination;
        private int table = -1;
        private int protocol = -1;
        private int scope = -1;
        private int type = -1;
        private int flags;
        private final AttributeValues values = new AttributeValues(RouteAttribute.ALL.size());

        private Builder(IpPrefix destination) {
            this.destination = destination;
        }

        /** The routing table: 1..2^31-1 (253 default, 254 main, 255 local). */
        public Builder table(int newTable) {
            if (newTable <= 0) {
                throw new IllegalArgumentException("routing table " + newTable + " is not in 1..2147483647");
            }
            this.table = newTable;
            return this;
        }

        /** The table as the kernel reports it (unsigned, any value). */
        Builder tableAsRead(int newTable) {
            this.table = newTable;
            return this;
        }

        public Builder protocol(int newProtocol) {
            this.protocol = byteOrUnset(newProtocol, "protocol");
            return this;
        }

        public Builder scope(int newScope) {
            this.scope = byteOrUnset(newScope, "scope");
            return this;
        }

        public Builder type(int newType) {
            this.type = byteOrUnset(newType, "type");
            return this;
        }

        Builder flags(int newFlags) {
            this.flags = newFlags;
            return this;
        }

        /** For the parser: values as the kernel reported them, unchecked. */
        AttributeValues values() {
            return values;
        }

        /**
         * Sets an attribute. Addresses (gateway, preferred source, nexthop gateways) must be of
         * the destination's family.
         */
        public <T> Builder set(RouteAttribute<T> row, T value) {
            if (value instanceof IpAddress) {
                requireFamily(row.name(), (IpAddress) value);
            } else if (value instanceof List) {
                List<?> hops = (List<?>) value;
                if (hops.isEmpty()) {
                    throw new IllegalArgumentException("a multipath route needs at least one nexthop");
                }
                for (int i = 0; i < hops.size(); i++) {
                    IpAddress gw = ((Nexthop) hops.get(i)).gateway();
                    if (gw != null) {
                        requireFamily("nexthop via", gw);
                    }
                }
                value = castList(row, List.copyOf(hops));
            }
            values.put(row, value);
            return this;
        }

        public Route build() {
            return new Route(this);
        }

        @SuppressWarnings("unchecked")
        private static <T> T castList(RouteAttribute<T> row, List<?> copy) {
            return (T) copy;
        }

        private void requireFamily(String what, IpAddress address) {
            if (address.family() != destination.family()) {
                throw new IllegalArgumentException(what + " " + address + " is not of the family of " + destination);
            }
        }

        private static int byteOrUnset(int v, String what) {
            if (v < -1 || v > 255) {
                throw new IllegalArgumentException(what + " " + v + " is not in 0..255");
            }
            return v;
        }
    }
}
