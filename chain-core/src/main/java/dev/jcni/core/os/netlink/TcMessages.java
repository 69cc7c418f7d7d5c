package dev.jcni.core.os.netlink;

import java.nio.ByteOrder;

/**
 * Encodes traffic-control requests (struct tcmsg, TCA_KIND, TCA_OPTIONS) and decodes the
 * kernel's RTM_NEWQDISC / RTM_NEWTCLASS / RTM_NEWTFILTER messages into {@link Qdisc},
 * {@link TcClass} and {@link Filter}. Pure Java: {@link Qdiscs}, {@link TcClasses} and
 * {@link Filters} do the talking.
 *
 * <p>struct tcmsg: family u8, two pad bytes, ifindex s32, handle u32, parent u32, info u32. For
 * filters, info is the priority in the upper 16 bits and the protocol in network order in the
 * lower ones; in a qdisc dump it is the qdisc's reference count, in a class dump the handle of
 * the class's leaf qdisc.
 */
final class TcMessages {
    static final int RTM_NEWQDISC = 36;
    static final int RTM_DELQDISC = 37;
    static final int RTM_GETQDISC = 38;
    static final int RTM_NEWTCLASS = 40;
    static final int RTM_DELTCLASS = 41;
    static final int RTM_GETTCLASS = 42;
    static final int RTM_NEWTFILTER = 44;
    static final int RTM_DELTFILTER = 45;
    static final int RTM_GETTFILTER = 46;

    static final int TCA_KIND = 1;
    static final int TCA_OPTIONS = 2;
    static final int TCA_CHAIN = 11;

    static final int TCMSG_LENGTH = 20;
    private static final int AF_UNSPEC = 0;

    private TcMessages() {}

    /** A request with just the tcmsg header. */
    static NetlinkMessageBuilder header(int type, int flags, int ifindex, int handle, int parent, int info) {
        return new NetlinkMessageBuilder(type, flags)
                .u8(AF_UNSPEC).u8(0).u16(0)
                .u32(ifindex).u32(handle).u32(parent).u32(info);
    }

    /** TCA_KIND and TCA_OPTIONS of {@code options} (TCA_OPTIONS left out when the kind sends none). */
    static NetlinkMessageBuilder withOptions(NetlinkMessageBuilder m, TcOptions options, Psched clock) {
        m.attrString(TCA_KIND, options.kind().name());
        options.kind().encode(options, clock).writeAs(m, TCA_OPTIONS, false);
        return m;
    }

    static NetlinkMessageBuilder newQdisc(Qdisc q, int flags, Psched clock) {
        return withOptions(header(RTM_NEWQDISC, flags, q.ifindex(), q.handle().value(), q.parent().value(), 0),
                q.options(), clock);
    }

    static NetlinkMessageBuilder deleteQdisc(int ifindex, TcHandle parent, TcHandle handle) {
        return header(RTM_DELQDISC, 0, ifindex, handle.value(), parent.value(), 0);
    }

    /**
     * Asks for the qdisc at {@code parent}. The kernel answers a qdisc GET as it announces a
     * change (qdisc_notify): to the RTNLGRP_TC listeners, and to the asker only with NLM_F_ECHO.
     */
    static NetlinkMessageBuilder getQdisc(int ifindex, TcHandle parent) {
        return header(RTM_GETQDISC, NetlinkConstants.NLM_F_ECHO, ifindex, 0, parent.value(), 0);
    }

    /** A dump of every qdisc of the namespace (the kernel ignores an ifindex here; callers filter). */
    static NetlinkMessageBuilder dumpQdiscs() {
        return header(RTM_GETQDISC, 0, 0, 0, 0, 0);
    }

    static NetlinkMessageBuilder newClass(TcClass c, int flags, Psched clock) {
        return withOptions(header(RTM_NEWTCLASS, flags, c.ifindex(), c.classId().value(), c.parent().value(), 0),
                c.options(), clock);
    }

    static NetlinkMessageBuilder deleteClass(int ifindex, TcHandle classId) {
        return header(RTM_DELTCLASS, 0, ifindex, classId.value(), 0, 0);
    }

    static NetlinkMessageBuilder dumpClasses(int ifindex) {
        return header(RTM_GETTCLASS, 0, ifindex, 0, 0, 0);
    }

    static NetlinkMessageBuilder newFilter(Filter f, int flags, Psched clock) {
        return withOptions(header(RTM_NEWTFILTER, flags, f.ifindex(), f.handle(), f.parent().value(),
                info(f.priority(), f.protocol())), f.options(), clock);
    }

    /** Deletes one filter of a classifier by its handle (tc sends the kind along). */
    static NetlinkMessageBuilder deleteFilter(Filter f) {
        return header(RTM_DELTFILTER, 0, f.ifindex(), f.handle(), f.parent().value(), info(f.priority(), f.protocol()))
                .attrString(TCA_KIND, f.kind());
    }

    /** Deletes every filter of one priority and protocol (the whole classifier instance). */
    static NetlinkMessageBuilder deletePriority(int ifindex, TcHandle parent, int priority, int protocol) {
        return header(RTM_DELTFILTER, 0, ifindex, 0, parent.value(), info(priority, protocol));
    }

    static NetlinkMessageBuilder dumpFilters(int ifindex, TcHandle parent) {
        return header(RTM_GETTFILTER, 0, ifindex, 0, parent.value(), 0);
    }

    /** tcm_info of a filter: TC_H_MAKE(prio << 16, htons(protocol)). */
    static int info(int priority, int protocol) {
        return priority << 16 | htons(protocol);
    }

    /** The 16-bit protocol as it sits in the low half of a host-order u32 written in network order. */
    private static int htons(int v) {
        if (HostOrder.ORDER == ByteOrder.BIG_ENDIAN) {
            return v & 0xffff;
        }
        return (v & 0xff) << 8 | (v >>> 8) & 0xff;
    }

    /** The fields of a received tc message; null for other types or a short payload. */
    static final class Parsed {
        final int ifindex;
        final int handle;
        final int parent;
        final int info;
        final String kind;
        final byte[] options;

        private Parsed(int ifindex, int handle, int parent, int info, String kind, byte[] options) {
            this.ifindex = ifindex;
            this.handle = handle;
            this.parent = parent;
            this.info = info;
            this.kind = kind;
            this.options = options;
        }
    }

    static Parsed parse(NetlinkMessage m, int type) {
        if (m.type() != type || m.payload().length < TCMSG_LENGTH) {
            return null;
        }
        String kind = null;
        byte[] options = null;
        AttributeReader a = m.attributes(TCMSG_LENGTH);
        while (a.next()) {
            if (a.type() == TCA_KIND) {
                kind = a.string();
            } else if (a.type() == TCA_OPTIONS) {
                options = a.bytes();
            }
        }
        return new Parsed(m.u32At(4), m.u32At(8), m.u32At(12), m.u32At(16), kind, options);
    }

    /** The qdisc in an RTM_NEWQDISC, or null for another message. */
    static Qdisc qdisc(NetlinkMessage m, Psched clock) {
        Parsed p = parse(m, RTM_NEWQDISC);
        if (p == null || p.kind == null) {
            return null;
        }
        TcOptions options = TcKind.named(TcKind.Family.QDISC, p.kind).decode(p.options, clock);
        return new Qdisc(p.ifindex, TcHandle.fromValue(p.handle), TcHandle.fromValue(p.parent), options);
    }

    /** The class in an RTM_NEWTCLASS, or null for another message. */
    static TcClass tcClass(NetlinkMessage m, Psched clock) {
        Parsed p = parse(m, RTM_NEWTCLASS);
        if (p == null || p.kind == null) {
            return null;
        }
        TcOptions options = TcKind.named(TcKind.Family.CLASS, p.kind).decode(p.options, clock);
        return new TcClass(p.ifindex, TcHandle.fromValue(p.handle), TcHandle.fromValue(p.parent), options,
                TcHandle.fromValue(p.info));
    }

    /**
     * The filter in an RTM_NEWTFILTER, or null for another message and for the entries that are
     * no filter: the classifier instance itself (handle 0) and u32's hash tables.
     */
    static Filter filter(NetlinkMessage m, Psched clock) {
        Parsed p = parse(m, RTM_NEWTFILTER);
        if (p == null || p.kind == null || p.handle == 0) {
            return null;
        }
        if (FilterU32.KIND.name().equals(p.kind) && !FilterU32.isRule(p.handle)) {
            return null;
        }
        TcOptions options = TcKind.named(TcKind.Family.FILTER, p.kind).decode(p.options, clock);
        return new Filter(p.ifindex, TcHandle.fromValue(p.parent), p.info >>> 16, htons(p.info & 0xffff),
                p.handle, options);
    }
}
