package dev.jcni.core.os.netlink;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds, changes, reads and deletes qdiscs through rtnetlink, in the namespace of the socket.
 *
 * <p>The three ways to write, as tc's verbs: {@link #add} (NLM_F_CREATE | NLM_F_EXCL: an
 * {@link dev.jcni.core.os.ExistsException} if a qdisc with a handle is already there),
 * {@link #replace} (NLM_F_CREATE | NLM_F_REPLACE: create, or put this one in the place of what is
 * there) and {@link #change} (no flags: new parameters for the qdisc with this handle, a
 * {@link dev.jcni.core.os.NotFoundException} if there is none). Kernel 6.18 refuses to replace a
 * qdisc by one of another kind under the same handle ("Invalid qdisc name: must match existing
 * qdisc", EINVAL): delete it first, or replace with another handle.
 *
 * <p>Invalid parameters (a missing rate, a burst beyond 32 bits) are an IllegalArgumentException
 * before anything is sent; the kernel's refusals are typed OsExceptions naming the device.
 */
public final class Qdiscs {
    private final TcExchange tc;

    /** Qdiscs over {@code nl}, with the running kernel's scheduler clock. */
    public Qdiscs(RtNetlink nl) {
        this(nl, null);
    }

    /** Qdiscs over {@code nl} with a given clock (tests; null: the running kernel's). */
    public Qdiscs(RtNetlink nl, Psched clock) {
        this.tc = new TcExchange(nl, clock);
    }

    /** The scheduler clock requests are encoded with and CHECK compares with. */
    public Psched clock() throws OsException {
        return tc.clock();
    }

    public void add(Qdisc q) throws OsException {
        write(q, NetlinkConstants.NLM_F_CREATE | NetlinkConstants.NLM_F_EXCL, "add");
    }

    public void replace(Qdisc q) throws OsException {
        write(q, NetlinkConstants.NLM_F_CREATE | NetlinkConstants.NLM_F_REPLACE, "replace");
    }

    public void change(Qdisc q) throws OsException {
        write(q, 0, "change");
    }

    private void write(Qdisc q, int flags, String verb) throws OsException {
        NetlinkMessageBuilder m = TcMessages.newQdisc(q, flags, tc.clock());
        tc.request(m, "RTM_NEWQDISC " + verb + " " + q.describe(), q.ifindex());
    }

    /** Deletes {@code q} (by its parent and handle); NotFoundException when it is not there. */
    public void delete(Qdisc q) throws OsException {
        delete(q.ifindex(), q.parent(), q.handle());
    }

    /**
     * Deletes the qdisc at {@code parent} of device {@code ifindex}. With {@link TcHandle#UNSPEC}
     * whatever is there goes, and "nothing there" (only the default qdisc, handle 0, or no ingress
     * qdisc) is a NotFoundException: the form for an idempotent teardown. With a handle, only a
     * qdisc with that handle goes; another one, or none at {@link TcHandle#INGRESS}, is an
     * InvalidArgumentException ("Invalid handle"), as kernel 6.18 answers.
     */
    public void delete(int ifindex, TcHandle parent, TcHandle handle) throws OsException {
        tc.request(TcMessages.deleteQdisc(ifindex, parent, handle),
                "RTM_DELQDISC " + handle + (parent.equals(TcHandle.ROOT) ? " root" : " parent " + parent), ifindex);
    }

    /**
     * The qdisc at {@code parent} of device {@code ifindex}, asked for directly (no dump):
     * {@link TcHandle#ROOT} gives the root qdisc (the default noqueue or pfifo_fast if none was
     * added), {@link TcHandle#INGRESS} the ingress or clsact qdisc. NotFoundException when there
     * is none.
     */
    public Qdisc get(int ifindex, TcHandle parent) throws OsException {
        String what = "RTM_GETQDISC " + (parent.equals(TcHandle.ROOT) ? "root" : "parent " + parent);
        List<NetlinkMessage> replies = tc.request(TcMessages.getQdisc(ifindex, parent), what, ifindex);
        for (int i = 0; i < replies.size(); i++) {
            Qdisc q = TcMessages.qdisc(replies.get(i), tc.clock());
            if (q != null) {
                return q;
            }
        }
        throw OsException.fromErrno(what + " on index " + ifindex, Errno.EPROTO, "no RTM_NEWQDISC in the reply");
    }

    /** The qdiscs of device {@code ifindex}, in the kernel's order (root first, then its children, then ingress). */
    public List<Qdisc> list(int ifindex) throws OsException {
        return collect(ifindex);
    }

    /** Every qdisc of the namespace. */
    public List<Qdisc> list() throws OsException {
        return collect(0);
    }

    private List<Qdisc> collect(int ifindex) throws OsException {
        List<NetlinkMessage> parts = tc.dump(TcMessages.dumpQdiscs(), "RTM_GETQDISC dump", ifindex);
        List<Qdisc> out = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            Qdisc q = TcMessages.qdisc(parts.get(i), tc.clock());
            if (q != null && (ifindex == 0 || q.ifindex() == ifindex)) {
                out.add(q);
            }
        }
        return out;
    }
}
