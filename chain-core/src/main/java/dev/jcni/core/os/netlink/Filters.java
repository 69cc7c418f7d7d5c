package dev.jcni.core.os.netlink;

import dev.jcni.core.os.OsException;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds, reads and deletes filters (classifiers) through rtnetlink.
 *
 * <p>{@link #add} (NLM_F_CREATE | NLM_F_EXCL) creates a filter; with handle 0 the classifier
 * picks one (u32: the next node of the priority's table), so adding the same rule twice makes two
 * rules. {@link #replace} (NLM_F_CREATE alone, as {@code tc filter replace}) changes the filter
 * with the given handle in place, or creates it: the idempotent way to (re)install a rule is
 * replace with a fixed handle ({@code FilterU32.handle(0x800, 0, 0x800)} for the first rule of
 * the first u32 priority). A priority holds one classifier kind and protocol: a second protocol at
 * the same priority is an EINVAL.
 */
public final class Filters {
    private final TcExchange tc;

    public Filters(RtNetlink nl) {
        this(nl, null);
    }

    public Filters(RtNetlink nl, Psched clock) {
        this.tc = new TcExchange(nl, clock);
    }

    public Psched clock() throws OsException {
        return tc.clock();
    }

    public void add(Filter f) throws OsException {
        write(f, NetlinkConstants.NLM_F_CREATE | NetlinkConstants.NLM_F_EXCL, "add");
    }

    public void replace(Filter f) throws OsException {
        write(f, NetlinkConstants.NLM_F_CREATE, "replace");
    }

    private void write(Filter f, int flags, String verb) throws OsException {
        tc.request(TcMessages.newFilter(f, flags, tc.clock()), "RTM_NEWTFILTER " + verb + " " + f.describe(), f.ifindex());
    }

    /**
     * Deletes the one filter {@code f} names by its handle (as a dump gave it); NotFoundException
     * when gone. Deleting the last rule of a priority removes the priority too (kernel 6.18).
     */
    public void delete(Filter f) throws OsException {
        if (f.handle() == 0) {
            throw new IllegalArgumentException("a filter without a handle names no single filter: " + f.describe());
        }
        tc.request(TcMessages.deleteFilter(f), "RTM_DELTFILTER " + f.describe(), f.ifindex());
    }

    /** Deletes every filter of {@code priority} and {@code protocol} at {@code parent}; NotFoundException when there are none. */
    public void deletePriority(int ifindex, TcHandle parent, int priority, int protocol) throws OsException {
        tc.request(TcMessages.deletePriority(ifindex, parent, priority, protocol),
                "RTM_DELTFILTER parent " + parent + " protocol " + Filter.protocolName(protocol) + " prio " + priority, ifindex);
    }

    /**
     * The filters at {@code parent} of device {@code ifindex} (an ingress qdisc's are at
     * {@code ffff:}, a clsact's at {@link TcHandle#CLSACT_INGRESS} / {@link TcHandle#CLSACT_EGRESS}),
     * by priority; u32's hash-table entries are left out, only rules are listed. NotFoundException
     * or EINVAL when there is no such parent.
     */
    public List<Filter> list(int ifindex, TcHandle parent) throws OsException {
        List<NetlinkMessage> parts = tc.dump(TcMessages.dumpFilters(ifindex, parent), "RTM_GETTFILTER dump parent " + parent,
                ifindex);
        List<Filter> out = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            Filter f = TcMessages.filter(parts.get(i), tc.clock());
            if (f != null) {
                out.add(f);
            }
        }
        return out;
    }
}
