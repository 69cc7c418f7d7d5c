package dev.jcni.core.os.netlink;

/**
 * Encodes link requests (struct ifinfomsg + IFLA_* attributes) and decodes RTM_NEWLINK replies.
 * Pure Java: {@link Links} does the talking. Where a request has an iproute2 equivalent, it is
 * laid out as iproute2 6.1 lays it out (attribute order, nesting flags, unterminated kind), and
 * the unit tests hold the bytes captured from it.
 */
final class LinkMessages {
    static final int RTM_NEWLINK = 16;
    static final int RTM_DELLINK = 17;
    static final int RTM_GETLINK = 18;
    static final int RTM_SETLINK = 19;
    static final int RTM_NEWNSID = 88;
    static final int RTM_GETNSID = 90;

    static final int IFLA_ADDRESS = 1;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_MTU = 4;
    static final int IFLA_LINK = 5;
    static final int IFLA_MASTER = 10;
    static final int IFLA_PROTINFO = 12;
    static final int IFLA_TXQLEN = 13;
    static final int IFLA_OPERSTATE = 16;
    static final int IFLA_IFALIAS = 20;
    static final int IFLA_LINKINFO = 18;
    static final int IFLA_AF_SPEC = 26;
    static final int IFLA_NET_NS_FD = 28;
    static final int IFLA_EXT_MASK = 29;
    static final int IFLA_LINK_NETNSID = 37;
    static final int IFLA_INFO_KIND = 1;
    static final int IFLA_INFO_DATA = 2;
    static final int IFLA_INFO_SLAVE_KIND = 4;
    static final int IFLA_INFO_SLAVE_DATA = 5;
    static final int VETH_INFO_PEER = 1;
    static final int NETNSA_NSID = 1;
    static final int NETNSA_FD = 3;
    /** NETNSA_NSID of a namespace this one has given no id. */
    static final int NSID_NOT_ASSIGNED = -1;

    /** Leaves IFLA_STATS/IFLA_STATS64 out of replies: they are large and never needed here. */
    static final int RTEXT_FILTER_SKIP_STATS = 1 << 3;

    /** struct ifinfomsg: family u8, pad u8, type u16, index s32, flags u32, change u32. */
    static final int IFINFOMSG_LENGTH = 16;
    static final int AF_UNSPEC = 0;
    static final int AF_BRIDGE = 7;
    private static final String BRIDGE = "bridge";

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

    /**
     * RTM_NEWLINK with NLM_F_CREATE | NLM_F_EXCL creating {@code link}, as {@code ip link add NAME
     * [mtu N] [address MAC] type KIND [options]} does: the link's rows in the order they were set,
     * IFLA_IFNAME, then IFLA_LINKINFO with the kind (unterminated, as iproute2 sends it) and the
     * kind's IFLA_INFO_DATA, if any.
     *
     * @param peer a veth's peer, or null; carried in IFLA_INFO_DATA / VETH_INFO_PEER as its own
     *        ifinfomsg and attributes
     * @param peerNamespaceFd the descriptor of the namespace the peer is created in
     *        (IFLA_NET_NS_FD in the peer's attributes), or -1 for this one
     */
    static NetlinkMessageBuilder create(NewLink link, NewLink peer, int peerNamespaceFd) {
        NetlinkMessageBuilder m = ifinfo(new NetlinkMessageBuilder(RTM_NEWLINK,
                NetlinkConstants.NLM_F_CREATE | NetlinkConstants.NLM_F_EXCL), AF_UNSPEC, 0, link.ifiFlags(), link.ifiChange());
        link.encodeRows(m);
        m.attrString(IFLA_IFNAME, link.name());
        int info = m.beginNested(IFLA_LINKINFO);
        m.attrChars(IFLA_INFO_KIND, link.kind());
        if (peer != null || link.hasInfoData()) {
            int data = m.beginNested(IFLA_INFO_DATA);
            if (peer != null) {
                int p = m.beginNested(VETH_INFO_PEER);
                ifinfo(m, AF_UNSPEC, 0, peer.ifiFlags(), peer.ifiChange());
                peer.encodeRows(m);
                if (peerNamespaceFd >= 0) {
                    m.attrU32(IFLA_NET_NS_FD, peerNamespaceFd);
                }
                m.attrString(IFLA_IFNAME, peer.name());
                m.endNested(p);
            }
            link.encodeInfoData(m);
            m.endNested(data);
        }
        m.endNested(info);
        return m;
    }

    /** RTM_DELLINK of the link with ifindex {@code index}, as {@code ip link del dev X} sends it. */
    static NetlinkMessageBuilder delete(int index) {
        return ifinfo(RTM_DELLINK, index, 0, 0);
    }

    /** RTM_DELLINK naming the link (ifindex 0, IFLA_IFNAME): one round trip, no lookup race. */
    static NetlinkMessageBuilder deleteByName(String name) {
        return ifinfo(RTM_DELLINK, 0, 0, 0).attrString(IFLA_IFNAME, name);
    }

    /** RTM_NEWLINK moving a link to the namespace open as {@code namespaceFd}, as {@code ip link set dev X netns NS}. */
    static NetlinkMessageBuilder moveTo(int index, int namespaceFd) {
        return ifinfo(RTM_NEWLINK, index, 0, 0).attrU32(IFLA_NET_NS_FD, namespaceFd);
    }

    /**
     * RTM_SETLINK, family AF_BRIDGE, one bridge-port row nested in IFLA_PROTINFO | NLA_F_NESTED,
     * as {@code bridge link set dev X hairpin on} sends it.
     */
    static <T> NetlinkMessageBuilder setPort(int index, BridgePortAttribute<T> row, T value) {
        NetlinkMessageBuilder m = ifinfo(new NetlinkMessageBuilder(RTM_SETLINK, 0), AF_BRIDGE, index, 0, 0);
        int nest = m.beginNested(IFLA_PROTINFO | NetlinkConstants.NLA_F_NESTED);
        row.encode(m, value);
        return m.endNested(nest);
    }

    /**
     * RTM_GETNSID for the namespace open as {@code namespaceFd}: the id this namespace gives it,
     * as {@code ip netns list} asks (struct rtgenmsg, padded to 4, then NETNSA_FD).
     */
    static NetlinkMessageBuilder getNamespaceId(int namespaceFd) {
        return new NetlinkMessageBuilder(RTM_GETNSID, 0).u8(AF_UNSPEC).attrU32(NETNSA_FD, namespaceFd);
    }

    /** NETNSA_NSID of an RTM_NEWNSID reply; null for any other message. */
    static Integer parseNamespaceId(NetlinkMessage m) {
        if (m.type() != RTM_NEWNSID) {
            return null;
        }
        AttributeReader a = m.attributes(1);
        while (a.next()) {
            if (a.type() == NETNSA_NSID) {
                return a.u32();
            }
        }
        return null;
    }

    private static NetlinkMessageBuilder ifinfo(int type, int index, int flags, int change) {
        return ifinfo(new NetlinkMessageBuilder(type, 0), AF_UNSPEC, index, flags, change);
    }

    /** Appends a struct ifinfomsg: family, pad, type 0, index, flags, change. */
    static NetlinkMessageBuilder ifinfo(NetlinkMessageBuilder m, int family, int index, int flags, int change) {
        return m.u8(family).u8(0).u16(0).u32(index).u32(flags).u32(change);
    }

    /**
     * Decodes an RTM_NEWLINK message into every row the tables know; null for any other type.
     * Bridge options come from IFLA_INFO_DATA of a bridge, port flags from IFLA_INFO_SLAVE_DATA
     * of a bridge port or, in an AF_BRIDGE dump, from IFLA_PROTINFO (which in other families
     * carries other things: IPv6's per-link data).
     */
    static LinkInfo parse(NetlinkMessage m) {
        if (m.type() != RTM_NEWLINK || m.payload().length < IFINFOMSG_LENGTH) {
            return null;
        }
        boolean bridgeFamily = m.u8At(0) == AF_BRIDGE;
        LinkInfo.Builder link = new LinkInfo.Builder(m.u32At(4)).flags(m.u32At(8));
        AttributeReader a = m.attributes(IFINFOMSG_LENGTH);
        while (a.next()) {
            if (a.type() == IFLA_LINKINFO) {
                readLinkInfo(a, link);
                continue;
            }
            if (a.type() == IFLA_PROTINFO && bridgeFamily) {
                link.portKind(BRIDGE);
                link.portValues().readAll(a.nested(), BridgePortAttribute.ALL);
                continue;
            }
            LinkAttribute<?> row = LinkAttribute.forAttributeType(a.type());
            if (row != null) {
                row.decode(a, link);
            }
        }
        return link.build();
    }

    /** IFLA_LINKINFO: the kinds first, then the data the kinds say how to read. */
    private static void readLinkInfo(AttributeReader linkInfo, LinkInfo.Builder link) {
        String kind = null;
        String portKind = null;
        AttributeReader kinds = linkInfo.nested();
        while (kinds.next()) {
            if (kinds.type() == IFLA_INFO_KIND) {
                kind = kinds.string();
            } else if (kinds.type() == IFLA_INFO_SLAVE_KIND) {
                portKind = kinds.string();
            }
        }
        link.kind(kind).portKind(portKind);
        AttributeReader data = linkInfo.nested();
        while (data.next()) {
            if (data.type() == IFLA_INFO_DATA && BRIDGE.equals(kind)) {
                link.bridgeValues().readAll(data.nested(), BridgeAttribute.ALL);
            } else if (data.type() == IFLA_INFO_SLAVE_DATA && BRIDGE.equals(portKind)) {
                link.portValues().readAll(data.nested(), BridgePortAttribute.ALL);
            }
        }
    }
}
