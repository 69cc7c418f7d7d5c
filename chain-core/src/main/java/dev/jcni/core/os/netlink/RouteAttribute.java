package dev.jcni.core.os.netlink;

import dev.jcni.core.net.IpAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The table of route attributes ({@code RTA_*}) that follow the struct rtmsg of RTM_NEWROUTE /
 * RTM_DELROUTE, named in the words of {@code ip route}. A {@link Route}'s destination, table,
 * protocol, scope and type are header fields (the destination's address travels as RTA_DST, a
 * table above 255 as RTA_TABLE); these are its attributes.
 *
 * <p>Rows are declared, and encoded, in the order iproute2 6.1 sends them for
 * {@code ip route add DST src S via G metric M nexthop ... dev D}.
 */
public final class RouteAttribute<T> extends AttributeRow<T> {
    private static final List<RouteAttribute<?>> ROWS = new ArrayList<>();

    static final int RTA_DST = 1;
    static final int RTA_OIF = 4;
    static final int RTA_GATEWAY = 5;
    static final int RTA_PRIORITY = 6;
    static final int RTA_PREFSRC = 7;
    static final int RTA_MULTIPATH = 9;
    static final int RTA_TABLE = 15;

    /** The source address preferred for traffic this route sends ({@code src}, RTA_PREFSRC). */
    public static final RouteAttribute<IpAddress> PREFERRED_SOURCE = row("src", RTA_PREFSRC, AttributeCodec.IP_ADDRESS);
    /** The gateway ({@code via}, RTA_GATEWAY), of the destination's family. */
    public static final RouteAttribute<IpAddress> GATEWAY = row("via", RTA_GATEWAY, AttributeCodec.IP_ADDRESS);
    /** The metric ({@code metric}, RTA_PRIORITY): lower wins; IPv6 routes get 1024 when none is given. */
    public static final RouteAttribute<Integer> METRIC = row("metric", RTA_PRIORITY, AttributeCodec.U32);
    /** ECMP paths ({@code nexthop ...}, RTA_MULTIPATH), instead of a single gateway and device. */
    public static final RouteAttribute<List<Nexthop>> NEXTHOPS = row("nexthops", RTA_MULTIPATH, Nexthop.LIST);
    /** The output link's ifindex ({@code dev}, RTA_OIF). */
    public static final RouteAttribute<Integer> DEVICE = row("dev", RTA_OIF, AttributeCodec.U32);

    /** Every row, in declaration order. */
    public static final List<RouteAttribute<?>> ALL = Collections.unmodifiableList(ROWS);

    private RouteAttribute(String name, int type, AttributeCodec<T> codec) {
        super(name, type, codec, ROWS.size());
        ROWS.add(this);
    }

    private static <T> RouteAttribute<T> row(String name, int type, AttributeCodec<T> codec) {
        return new RouteAttribute<>(name, type, codec);
    }
}
