package dev.jcni.core.os.netlink;

/** Protocol-level netlink constants from linux/netlink.h (message types, header flags, attribute flags). */
public final class NetlinkConstants {
    public static final int NLMSG_NOOP = 1;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int NLMSG_OVERRUN = 4;

    public static final int NLM_F_REQUEST = 0x1;
    public static final int NLM_F_MULTI = 0x2;
    public static final int NLM_F_ACK = 0x4;
    public static final int NLM_F_ECHO = 0x8;
    /** Set on dump parts when the object set changed during the dump: the dump is inconsistent. */
    public static final int NLM_F_DUMP_INTR = 0x10;
    public static final int NLM_F_ROOT = 0x100;
    public static final int NLM_F_MATCH = 0x200;
    public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    public static final int NLM_F_REPLACE = 0x100;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;
    public static final int NLM_F_APPEND = 0x800;
    /** On NLMSG_ERROR: only the header of the failed request is echoed (NETLINK_CAP_ACK). */
    public static final int NLM_F_CAPPED = 0x100;
    /** On NLMSG_ERROR / NLMSG_DONE: extended-ACK attributes follow. */
    public static final int NLM_F_ACK_TLVS = 0x200;

    /** Extended ACK attribute: a human-readable error string from the kernel. */
    public static final int NLMSGERR_ATTR_MSG = 1;

    public static final int NLA_F_NESTED = 0x8000;
    public static final int NLA_F_NET_BYTEORDER = 0x4000;
    public static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

    /** struct nlmsghdr: len u32, type u16, flags u16, seq u32, pid u32. */
    public static final int NLMSG_HDRLEN = 16;
    /** struct nlattr: len u16, type u16. */
    public static final int NLA_HDRLEN = 4;

    private NetlinkConstants() {}

    /** NLMSG_ALIGN / NLA_ALIGN: round up to a multiple of 4. */
    public static int align(int length) {
        return (length + 3) & ~3;
    }
}
