package dev.jcni.core.os.netlink;

import dev.jcni.core.os.OsException;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds, changes, reads and deletes classes of classful qdiscs (HTB's) through rtnetlink.
 * {@link #add} fails with an ExistsException when the class is there; {@link #replace} creates or
 * changes it (NLM_F_CREATE alone: that is what {@code tc class replace} sends, and what the
 * kernel treats as "change if present"); {@link #change} only changes. A class that filters
 * still point at cannot be deleted (EBUSY, "HTB class in use").
 */
public final class TcClasses {
    private final TcExchange tc;

    public TcClasses(RtNetlink nl) {
        this(nl, null);
    }

    public TcClasses(RtNetlink nl, Psched clock) {
        this.tc = new TcExchange(nl, clock);
    }

    public Psched clock() throws OsException {
        return tc.clock();
    }

    public void add(TcClass c) throws OsException {
        write(c, NetlinkConstants.NLM_F_CREATE | NetlinkConstants.NLM_F_EXCL, "add");
    }

    public void replace(TcClass c) throws OsException {
        write(c, NetlinkConstants.NLM_F_CREATE, "replace");
    }

    public void change(TcClass c) throws OsException {
        write(c, 0, "change");
    }

    private void write(TcClass c, int flags, String verb) throws OsException {
        tc.request(TcMessages.newClass(c, flags, tc.clock()), "RTM_NEWTCLASS " + verb + " " + c.describe(), c.ifindex());
    }

    /** Deletes class {@code classId} of device {@code ifindex}; NotFoundException when it is not there. */
    public void delete(int ifindex, TcHandle classId) throws OsException {
        tc.request(TcMessages.deleteClass(ifindex, classId), "RTM_DELTCLASS " + classId, ifindex);
    }

    /** The classes of device {@code ifindex}, of every qdisc on it. */
    public List<TcClass> list(int ifindex) throws OsException {
        List<NetlinkMessage> parts = tc.dump(TcMessages.dumpClasses(ifindex), "RTM_GETTCLASS dump", ifindex);
        List<TcClass> out = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            TcClass c = TcMessages.tcClass(parts.get(i), tc.clock());
            if (c != null && c.ifindex() == ifindex) {
                out.add(c);
            }
        }
        return out;
    }
}
