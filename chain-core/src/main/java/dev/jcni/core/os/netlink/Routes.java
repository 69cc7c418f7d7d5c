package dev.jcni.core.os.netlink;

import dev.jcni.core.os.OsException;
import java.util.ArrayList;
import java.util.List;

/**
 * Routes ({@code ip route add|replace|del|show}), IPv4 and IPv6, in the namespace of the given
 * socket. A route already there is an {@link dev.jcni.core.os.ExistsException}; deleting one that
 * is not a {@link dev.jcni.core.os.NotFoundException} (the kernel says ESRCH); a gateway the
 * kernel cannot reach an {@link dev.jcni.core.os.InvalidArgumentException} or ENETUNREACH.
 */
public final class Routes {
    private final RtNetlink nl;

    public Routes(RtNetlink nl) {
        this.nl = nl;
    }

    /** Adds the route (NLM_F_EXCL: an existing one with the same key is an ExistsException). */
    public void add(Route route) throws OsException {
        request(RouteMessages.add(route, true), "RTM_NEWROUTE " + route, route);
    }

    /** Adds the route or replaces the one with the same destination, table, metric and type. */
    public void replace(Route route) throws OsException {
        request(RouteMessages.add(route, false), "RTM_NEWROUTE replace " + route, route);
    }

    /**
     * Deletes the first route matching {@code route}: its destination and table, and every
     * other field and attribute it sets (a gateway, a device, a metric...).
     */
    public void delete(Route route) throws OsException {
        request(RouteMessages.delete(route), "RTM_DELROUTE " + route, route);
    }

    private void request(NetlinkMessageBuilder message, String operation, Route route) throws OsException {
        try {
            nl.request(message, operation);
        } catch (OsException e) {
            // Name the route's link in the error; looked up only now, so success costs one round trip.
            Integer device = route.get(RouteAttribute.DEVICE);
            String name = device == null ? null : new Links(nl).nameOrNull(device);
            throw name == null ? e : e.withOperation(operation + " (dev " + device + " is " + name + ")");
        }
    }

    /** The routes {@code filter} lets through, in the kernel's order. */
    public List<Route> list(RouteFilter filter) throws OsException {
        List<NetlinkMessage> parts = nl.dump(RouteMessages.dump(filter.family()), "RTM_GETROUTE dump");
        List<Route> out = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            Route r = RouteMessages.parse(parts.get(i));
            if (r != null && filter.matches(r)) {
                out.add(r);
            }
        }
        return out;
    }
}
