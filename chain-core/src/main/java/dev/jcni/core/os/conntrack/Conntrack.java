package dev.jcni.core.os.conntrack;

import dev.jcni.core.os.NotFoundException;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netlink.NetlinkMessage;
import dev.jcni.core.os.netlink.RtNetlink;
import java.util.ArrayList;
import java.util.List;

/**
 * Conntrack entries of the calling thread's network namespace. Deletes what a
 * {@link ConntrackFilter} selects: the table of the filter's family is dumped once, entries are
 * selected in Java, and each is deleted by its original tuple.
 *
 * <pre>
 * int removed = Conntrack.delete(List.of(new ConntrackFilter(IpAddress.Family.IPV4, ConntrackFilter.UDP, 5353, null)));
 * </pre>
 */
public final class Conntrack {
    /** A NETLINK_NETFILTER socket: ctnetlink's requests and dumps are RtNetlink's exchanges. */
    private final RtNetlink socket;

    Conntrack(RtNetlink socket) {
        this.socket = socket;
    }

    /**
     * Deletes every entry any of {@code filters} selects; one dump per family that a filter
     * names. An entry that disappears between the dump and its delete counts as deleted.
     *
     * @return how many entries were deleted
     */
    public static int delete(List<ConntrackFilter> filters) throws OsException {
        if (filters.isEmpty()) {
            return 0;
        }
        try (RtNetlink s = RtNetlink.open(ConntrackMessages.NETLINK_NETFILTER, "NETLINK_NETFILTER")) {
            return new Conntrack(s).deleteMatching(filters);
        }
    }

    int deleteMatching(List<ConntrackFilter> filters) throws OsException {
        int deleted = 0;
        for (dev.jcni.core.net.IpAddress.Family family : dev.jcni.core.net.IpAddress.Family.values()) {
            List<ConntrackFilter> mine = new ArrayList<>();
            for (ConntrackFilter f : filters) {
                if (f.family() == family) {
                    mine.add(f);
                }
            }
            if (mine.isEmpty()) {
                continue;
            }
            for (ConntrackEntry e : entries(family)) {
                if (selected(e, mine)) {
                    try {
                        socket.request(ConntrackMessages.deleteRequest(e), "delete conntrack entry " + e);
                    } catch (NotFoundException gone) {
                        // Expired or deleted by someone else since the dump: the goal is met.
                    }
                    deleted++;
                }
            }
        }
        return deleted;
    }

    /** The entries of one family's table. */
    List<ConntrackEntry> entries(dev.jcni.core.net.IpAddress.Family family) throws OsException {
        List<ConntrackEntry> out = new ArrayList<>();
        for (NetlinkMessage m : socket.dump(ConntrackMessages.dumpRequest(family), "dump conntrack table (" + family + ")")) {
            ConntrackEntry e = ConntrackMessages.parseEntry(m);
            if (e != null && e.family() == family) {
                out.add(e);
            }
        }
        return out;
    }

    private static boolean selected(ConntrackEntry e, List<ConntrackFilter> filters) {
        for (ConntrackFilter f : filters) {
            if (f.matches(e)) {
                return true;
            }
        }
        return false;
    }

    /** All entries of {@code family} in the calling thread's namespace (diagnosis, tests). */
    public static List<ConntrackEntry> list(dev.jcni.core.net.IpAddress.Family family) throws OsException {
        try (RtNetlink s = RtNetlink.open(ConntrackMessages.NETLINK_NETFILTER, "NETLINK_NETFILTER")) {
            return new Conntrack(s).entries(family);
        }
    }
}
