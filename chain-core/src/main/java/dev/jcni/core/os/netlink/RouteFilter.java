package dev.jcni.core.os.netlink;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;
import java.util.List;

/**
 * Which routes {@link Routes#list} returns, as {@code ip route show [table T] [dev D] [proto P]
 * [exact PREFIX]} chooses them: by default the main table's routes of both families; cached
 * clones never. Filled in by chained calls: {@code RouteFilter.family(IPV4).device(index)}.
 */
public final class RouteFilter {
    /** {@link #table(int)} for routes of every table. */
    public static final int ANY_TABLE = 0;

    private final IpAddress.Family family;
    private int table = Route.TABLE_MAIN;
    private int device;
    private int protocol = -1;
    private IpPrefix destination;

    private RouteFilter(IpAddress.Family family) {
        this.family = family;
    }

    /** Routes of {@code family} (null: both) in the main table. */
    public static RouteFilter family(IpAddress.Family family) {
        return new RouteFilter(family);
    }

    /** Routes of both families in the main table. */
    public static RouteFilter main() {
        return new RouteFilter(null);
    }

    /** Only routes of this table ({@link #ANY_TABLE}: of all). */
    public RouteFilter table(int newTable) {
        this.table = newTable;
        return this;
    }

    /** Only routes through this link: its RTA_OIF, or one of its nexthops'. */
    public RouteFilter device(int index) {
        this.device = index;
        return this;
    }

    /** Only routes added by this protocol ({@link Route#PROTOCOL_KERNEL}...). */
    public RouteFilter protocol(int newProtocol) {
        this.protocol = newProtocol;
        return this;
    }

    /** Only routes to exactly this prefix. */
    public RouteFilter destination(IpPrefix prefix) {
        this.destination = prefix;
        return this;
    }

    IpAddress.Family family() {
        return family;
    }

    boolean matches(Route r) {
        if (!RouteMessages.isTableRoute(r)) {
            return false;
        }
        if (family != null && r.family() != family) {
            return false;
        }
        if (table != ANY_TABLE && r.table() != table) {
            return false;
        }
        if (protocol >= 0 && r.protocol() != protocol) {
            return false;
        }
        if (destination != null && !destination.equals(r.destination())) {
            return false;
        }
        return device == 0 || through(r, device);
    }

    private static boolean through(Route r, int device) {
        Integer oif = r.get(RouteAttribute.DEVICE);
        if (oif != null && oif == device) {
            return true;
        }
        List<Nexthop> hops = r.get(RouteAttribute.NEXTHOPS);
        if (hops != null) {
            for (int i = 0; i < hops.size(); i++) {
                if (hops.get(i).device() == device) {
                    return true;
                }
            }
        }
        return false;
    }
}
