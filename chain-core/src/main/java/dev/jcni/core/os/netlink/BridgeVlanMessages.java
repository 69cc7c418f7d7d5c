package dev.jcni.core.os.netlink;

import java.util.ArrayList;
import java.util.List;

/**
 * Encodes bridge VLAN requests and decodes the VLAN lists of an AF_BRIDGE dump. A request is an
 * RTM_SETLINK (add) or RTM_DELLINK (delete) whose ifinfomsg family is AF_BRIDGE, carrying
 * IFLA_AF_SPEC with IFLA_BRIDGE_FLAGS = BRIDGE_FLAGS_MASTER and struct bridge_vlan_info
 * {u16 flags; u16 vid} entries; a range is two entries flagged RANGE_BEGIN and RANGE_END. This
 * is what {@code bridge vlan add dev X vid V ... master} sends (and the reference's netlink
 * library); the unit tests hold iproute2's bytes.
 */
final class BridgeVlanMessages {
    static final int IFLA_BRIDGE_FLAGS = 0;
    static final int IFLA_BRIDGE_VLAN_INFO = 2;
    /** BRIDGE_FLAGS_MASTER: the entry is the bridge's, for this port (not the port device's own "self"). */
    static final int BRIDGE_FLAGS_MASTER = 1;
    /** RTEXT_FILTER_BRVLAN_COMPRESSED: VLAN lists in dumps, consecutive VIDs as ranges (a trunk of 4094 VIDs is two entries). */
    static final int RTEXT_FILTER_BRVLAN_COMPRESSED = 1 << 2;

    private BridgeVlanMessages() {}

    static NetlinkMessageBuilder add(int portIndex, BridgeVlan vlan) {
        return request(LinkMessages.RTM_SETLINK, portIndex, vlan);
    }

    static NetlinkMessageBuilder delete(int portIndex, BridgeVlan vlan) {
        return request(LinkMessages.RTM_DELLINK, portIndex, vlan);
    }

    private static NetlinkMessageBuilder request(int type, int portIndex, BridgeVlan vlan) {
        NetlinkMessageBuilder m = LinkMessages.ifinfo(new NetlinkMessageBuilder(type, 0), LinkMessages.AF_BRIDGE, portIndex, 0, 0);
        int spec = m.beginNested(LinkMessages.IFLA_AF_SPEC);
        m.attrU16(IFLA_BRIDGE_FLAGS, BRIDGE_FLAGS_MASTER);
        if (vlan.isRange()) {
            vlanInfo(m, vlan.flags() | BridgeVlan.FLAG_RANGE_BEGIN, vlan.first());
            vlanInfo(m, vlan.flags() | BridgeVlan.FLAG_RANGE_END, vlan.last());
        } else {
            vlanInfo(m, vlan.flags(), vlan.first());
        }
        return m.endNested(spec);
    }

    /** struct bridge_vlan_info {u16 flags; u16 vid}, each field in host order. */
    private static void vlanInfo(NetlinkMessageBuilder m, int flags, int vid) {
        byte[] info = new byte[4];
        HostOrder.putU16(info, 0, flags);
        HostOrder.putU16(info, 2, vid);
        m.attrBytes(IFLA_BRIDGE_VLAN_INFO, info);
    }

    /** RTM_GETLINK dump of family AF_BRIDGE asking for the ports' VLAN lists. */
    static NetlinkMessageBuilder dump() {
        return LinkMessages.ifinfo(new NetlinkMessageBuilder(LinkMessages.RTM_GETLINK, 0), LinkMessages.AF_BRIDGE, 0, 0, 0)
                .attrU32(LinkMessages.IFLA_EXT_MASK, RTEXT_FILTER_BRVLAN_COMPRESSED);
    }

    /** The VLAN entries in one AF_BRIDGE RTM_NEWLINK's IFLA_AF_SPEC; ranges joined. */
    static List<BridgeVlan> parse(NetlinkMessage m) {
        List<BridgeVlan> out = new ArrayList<>();
        AttributeReader a = m.attributes(LinkMessages.IFINFOMSG_LENGTH);
        while (a.next()) {
            if (a.type() != LinkMessages.IFLA_AF_SPEC) {
                continue;
            }
            AttributeReader spec = a.nested();
            int rangeStart = -1;
            while (spec.next()) {
                if (spec.type() != IFLA_BRIDGE_VLAN_INFO || spec.length() < 4) {
                    continue;
                }
                byte[] info = spec.bytes();
                int flags = HostOrder.u16(info, 0);
                int vid = HostOrder.u16(info, 2);
                if ((flags & BridgeVlan.FLAG_RANGE_BEGIN) != 0) {
                    rangeStart = vid;
                } else if ((flags & BridgeVlan.FLAG_RANGE_END) != 0 && rangeStart > 0) {
                    out.add(BridgeVlan.read(rangeStart, vid, flags));
                    rangeStart = -1;
                } else {
                    out.add(BridgeVlan.read(vid, vid, flags));
                }
            }
        }
        return out;
    }
}
