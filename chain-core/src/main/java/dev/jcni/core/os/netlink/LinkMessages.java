package dev.jcni.core.os.netlink;

/**
 * Encodes link requests (struct ifinfomsg + IFLA_* attributes) and decodes RTM_NEWLINK replies.
 * Pure Java: {@link Links} does the talking.
 */
final class LinkMessages {
    static final int RTM_NEWLINK = 16;
    static final int RTM_DELLINK = 17;
    static final int RTM_GETLINK = 18;

    static final int IFLA_ADDRESS = 1;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_MTU = 4;
    static final int IFLA_LINK = 5;
    static final int IFLA_MASTER = 10;
    static final int IFLA_TXQLEN = 13;
    static final int IFLA_LINKINFO = 18;
    static final int IFLA_EXT_MASK = 29;
    static final int IFLA_INFO_KIND = 1;

    /** Leaves IFLA_STATS/IFLA_STATS64 out of replies: they are large and never needed here. */
    static final int RTEXT_FILTER_SKIP_STATS = 1 << 3;

    /** struct ifinfomsg: family u8, pad u8, type u16, index s32, flags u32, change u32. */
    static final int IFINFOMSG_LENGTH = 16;
    private static final int AF_UNSPEC = 0;

    private LinkMessages() {}

    static NetlinkMessageBuilder getByName(String name) {
        return ifinfo(RTM_GETLINK, 0, 0, 0)
                .attrU32(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS)
                .attrString(IFLA_IFNAME, name);
    }

    static NetlinkMessageBuilder getByIndex(int index) {
        return ifinfo(RTM_GETLINK, index, 0, 0).attrU32(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
    }

    static NetlinkMessageBuilder dumpAll() {
        return ifinfo(RTM_GETLINK, 0, 0, 0).attrU32(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
    }

    /**
     * RTM_NEWLINK setting one row of {@link LinkAttribute} on the link with ifindex {@code index}.
     * Without NLM_F_CREATE on an existing index it modifies that link, as {@code ip link set}
     * does. An attribute row travels as its IFLA_* attribute with ifi_flags and ifi_change 0 (no
     * flag changes); a flag row travels in the header, its bit in ifi_change, so every other flag
     * stays as it is (an ifi_change of 0 with flags set would replace the whole flag set).
     */
    static <T> NetlinkMessageBuilder set(int index, LinkAttribute<T> row, T value) {
        NetlinkMessageBuilder m = ifinfo(RTM_NEWLINK, index, row.flags(value), row.flagMask());
        row.encode(m, value);
        return m;
    }

    private static NetlinkMessageBuilder ifinfo(int type, int index, int flags, int change) {
        return new NetlinkMessageBuilder(type, 0)
                .u8(AF_UNSPEC).u8(0).u16(0)
                .u32(index).u32(flags).u32(change);
    }

    /** Decodes an RTM_NEWLINK message into every row the table knows; null for any other type. */
    static LinkInfo parse(NetlinkMessage m) {
        if (m.type() != RTM_NEWLINK || m.payload().length < IFINFOMSG_LENGTH) {
            return null;
        }
        LinkInfo.Builder link = new LinkInfo.Builder(m.u32At(4)).flags(m.u32At(8));
        AttributeReader a = m.attributes(IFINFOMSG_LENGTH);
        while (a.next()) {
            if (a.type() == IFLA_LINKINFO) {
                link.kind(kind(a.nested()));
                continue;
            }
            LinkAttribute<?> row = LinkAttribute.forAttributeType(a.type());
            if (row != null) {
                row.decode(a, link);
            }
        }
        return link.build();
    }

    private static String kind(AttributeReader linkInfo) {
        while (linkInfo.next()) {
            if (linkInfo.type() == IFLA_INFO_KIND) {
                return linkInfo.string();
            }
        }
        return null;
    }
}
