package dev.jcni.core.os.netlink;

import dev.jcni.core.net.MacAddress;

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

    /** RTM_NEWLINK without NLM_F_CREATE on an existing index modifies that link, as {@code ip link set} does. */
    static NetlinkMessageBuilder setU32(int index, int attribute, int value) {
        return ifinfo(RTM_NEWLINK, index, 0, 0).attrU32(attribute, value);
    }

    static NetlinkMessageBuilder setAddress(int index, byte[] address) {
        return ifinfo(RTM_NEWLINK, index, 0, 0).attrBytes(IFLA_ADDRESS, address);
    }

    /**
     * Sets the flags in {@code mask} to their values in {@code flags}, leaving the others. The mask
     * must not be 0: the kernel then takes ifi_flags as the complete new flag set.
     */
    static NetlinkMessageBuilder changeFlags(int index, int flags, int mask) {
        if (mask == 0) {
            throw new IllegalArgumentException("empty flag mask");
        }
        return ifinfo(RTM_NEWLINK, index, flags & mask, mask);
    }

    private static NetlinkMessageBuilder ifinfo(int type, int index, int flags, int change) {
        return new NetlinkMessageBuilder(type, 0)
                .u8(AF_UNSPEC).u8(0).u16(0)
                .u32(index).u32(flags).u32(change);
    }

    /** Decodes an RTM_NEWLINK message; null for any other type. */
    static LinkInfo parse(NetlinkMessage m) {
        if (m.type() != RTM_NEWLINK || m.payload().length < IFINFOMSG_LENGTH) {
            return null;
        }
        int index = m.u32At(4);
        int flags = m.u32At(8);
        String name = null;
        MacAddress mac = null;
        String kind = null;
        int mtu = 0;
        int txQueueLen = 0;
        int master = 0;
        int link = 0;
        AttributeReader a = m.attributes(IFINFOMSG_LENGTH);
        while (a.next()) {
            switch (a.type()) {
                case IFLA_IFNAME:
                    name = a.string();
                    break;
                case IFLA_ADDRESS: {
                    // Only Ethernet-style addresses: InfiniBand has 20 bytes, tunnels 4, 16 or none.
                    byte[] address = a.bytes();
                    mac = address.length == 6 ? MacAddress.fromBytes(address) : null;
                    break;
                }
                case IFLA_MTU:
                    mtu = a.u32();
                    break;
                case IFLA_TXQLEN:
                    txQueueLen = a.u32();
                    break;
                case IFLA_MASTER:
                    master = a.u32();
                    break;
                case IFLA_LINK:
                    link = a.u32();
                    break;
                case IFLA_LINKINFO:
                    kind = kind(a.nested());
                    break;
                default:
                    break;
            }
        }
        return new LinkInfo(index, name, mtu, mac, flags, txQueueLen, kind, master, link);
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
