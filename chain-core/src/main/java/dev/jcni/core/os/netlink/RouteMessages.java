package dev.jcni.core.os.netlink;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;

/**
 * Encodes route requests (struct rtmsg + RTA_* attributes) and decodes RTM_NEWROUTE replies.
 * Requests are laid out as {@code ip route add|del} (iproute2 6.1) lays them out: RTA_TABLE
 * (tables above 255 only; smaller ones travel in the header), RTA_DST (none for a default
 * route), then the {@link RouteAttribute} rows in table order.
 */
final class RouteMessages {
    static final int RTM_NEWROUTE = 24;
    static final int RTM_DELROUTE = 25;
    static final int RTM_GETROUTE = 26;
    /** struct rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type (u8 each), flags u32. */
    static final int RTMSG_LENGTH = 12;

    private RouteMessages() {}

    /** RTM_NEWROUTE with NLM_F_CREATE and {@code exclusive ? NLM_F_EXCL : NLM_F_REPLACE}; unset header fields as {@code ip route add}. */
    static NetlinkMessageBuilder add(Route r, boolean exclusive) {
        int nlFlags = NetlinkConstants.NLM_F_CREATE | (exclusive ? NetlinkConstants.NLM_F_EXCL : NetlinkConstants.NLM_F_REPLACE);
        int type = r.type() >= 0 ? r.type() : Route.TYPE_UNICAST;
        int protocol = r.protocol() >= 0 ? r.protocol() : Route.PROTOCOL_BOOT;
        int scope = r.scope() >= 0 ? r.scope() : defaultScope(r, type);
        return encode(new NetlinkMessageBuilder(RTM_NEWROUTE, nlFlags), r, protocol, scope, type);
    }

    /** RTM_DELROUTE; unset header fields match any route (protocol 0, scope nowhere, type 0), as {@code ip route del}. */
    static NetlinkMessageBuilder delete(Route r) {
        int type = r.type() >= 0 ? r.type() : Route.TYPE_UNSPEC;
        int protocol = r.protocol() >= 0 ? r.protocol() : Route.PROTOCOL_UNSPEC;
        int scope = r.scope() >= 0 ? r.scope() : Scope.NOWHERE;
        return encode(new NetlinkMessageBuilder(RTM_DELROUTE, 0), r, protocol, scope, type);
    }

    /** RTM_GETROUTE dump of one family (null: both), as {@code ip -4 route show table all} asks. */
    static NetlinkMessageBuilder dump(IpAddress.Family family) {
        return new NetlinkMessageBuilder(RTM_GETROUTE, 0).u8(AddressFamilies.of(family))
                .u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u32(0);
    }

    /**
     * iproute2's choice: host for local routes, link for broadcast, multicast and anycast ones and
     * for a unicast route with neither gateway nor nexthops (a subnet on the link); global otherwise.
     */
    private static int defaultScope(Route r, int type) {
        if (type == Route.TYPE_LOCAL) {
            return Scope.HOST;
        }
        if (type == Route.TYPE_BROADCAST || type == Route.TYPE_MULTICAST || type == Route.TYPE_ANYCAST) {
            return Scope.LINK;
        }
        if ((type == Route.TYPE_UNICAST || type == Route.TYPE_UNSPEC)
                && r.get(RouteAttribute.GATEWAY) == null && r.get(RouteAttribute.NEXTHOPS) == null) {
            return Scope.LINK;
        }
        return Scope.UNIVERSE;
    }

    private static NetlinkMessageBuilder encode(NetlinkMessageBuilder m, Route r, int protocol, int scope, int type) {
        int table = r.table() != -1 ? r.table() : Route.TABLE_MAIN;
        boolean tableAttribute = table < 0 || table > 255;
        IpPrefix dst = r.destination();
        m.u8(AddressFamilies.of(dst.family())).u8(dst.length()).u8(0).u8(0)
                .u8(tableAttribute ? Route.TABLE_UNSPEC : table).u8(protocol).u8(scope).u8(type).u32(0);
        if (tableAttribute) {
            m.attrU32(RouteAttribute.RTA_TABLE, table);
        }
        if (dst.length() > 0) {
            AttributeCodec.IP_ADDRESS.put(m, RouteAttribute.RTA_DST, dst.address());
        }
        for (int i = 0; i < RouteAttribute.ALL.size(); i++) {
            encodeRow(m, r, RouteAttribute.ALL.get(i));
        }
        return m;
    }

    private static <T> void encodeRow(NetlinkMessageBuilder m, Route r, RouteAttribute<T> row) {
        T v = r.get(row);
        if (v != null) {
            row.encode(m, v);
        }
    }

    /**
     * Decodes an RTM_NEWROUTE message; null for any other type or a family other than IPv4 and
     * IPv6. A route without RTA_DST is a default route (0.0.0.0/0, ::/0); the table is RTA_TABLE's
     * (all 32 bits) when present, else the header's.
     */
    static Route parse(NetlinkMessage m) {
        if (m.type() != RTM_NEWROUTE || m.payload().length < RTMSG_LENGTH) {
            return null;
        }
        IpAddress.Family family = AddressFamilies.family(m.u8At(0));
        if (family == null) {
            return null;
        }
        int dstLength = m.u8At(1);
        int table = m.u8At(4);
        IpAddress dst = null;
        AttributeValues values = new AttributeValues(RouteAttribute.ALL.size());
        AttributeReader a = m.attributes(RTMSG_LENGTH);
        while (a.next()) {
            if (a.type() == RouteAttribute.RTA_DST) {
                dst = AttributeCodec.IP_ADDRESS.get(a);
            } else if (a.type() == RouteAttribute.RTA_TABLE) {
                table = a.u32();
            } else {
                AttributeRow<?> row = AttributeRow.byType(RouteAttribute.ALL, a.type());
                if (row != null) {
                    row.decodeInto(a, values);
                }
            }
        }
        if (dst == null) {
            dst = IpAddress.fromBytes(new byte[family == IpAddress.Family.IPV4 ? 4 : 16]);
        }
        if (dst.family() != family || dstLength > family.bits()) {
            return null;
        }
        Route.Builder b = Route.to(IpPrefix.of(dst, dstLength)).tableAsRead(table)
                .protocol(m.u8At(5)).scope(m.u8At(6)).type(m.u8At(7)).flags(m.u32At(8));
        for (int i = 0; i < RouteAttribute.ALL.size(); i++) {
            copy(values, b, RouteAttribute.ALL.get(i));
        }
        return b.build();
    }

    private static <T> void copy(AttributeValues from, Route.Builder to, RouteAttribute<T> row) {
        T v = from.get(row);
        if (v != null) {
            to.values().put(row, v);
        }
    }

    /** Whether {@code r} is one the route lists show: not a cached clone. */
    static boolean isTableRoute(Route r) {
        return (r.flags() & Route.RTM_F_CLONED) == 0;
    }
}
