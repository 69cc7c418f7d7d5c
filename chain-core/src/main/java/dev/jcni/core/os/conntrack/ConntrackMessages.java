package dev.jcni.core.os.conntrack;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.os.netlink.AttributeReader;
import dev.jcni.core.os.netlink.NetlinkConstants;
import dev.jcni.core.os.netlink.NetlinkMessage;
import dev.jcni.core.os.netlink.NetlinkMessageBuilder;

/**
 * ctnetlink's messages, built and read in pure Java (linux/netfilter/nfnetlink.h,
 * nfnetlink_conntrack.h): a 4-byte {@code struct nfgenmsg} (family, version, resource id in
 * network order) after the netlink header, then {@code CTA_*} attributes. Addresses and ports
 * are in network byte order inside their attributes, whatever the host's order.
 */
final class ConntrackMessages {
    static final int NETLINK_NETFILTER = 12;
    static final int NFNL_SUBSYS_CTNETLINK = 1;
    static final int IPCTNL_MSG_CT_NEW = 0;
    static final int IPCTNL_MSG_CT_GET = 1;
    static final int IPCTNL_MSG_CT_DELETE = 2;
    static final int NFNETLINK_V0 = 0;
    static final int NFGENMSG_LENGTH = 4;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;

    static final int CTA_TUPLE_ORIG = 1;
    static final int CTA_ZONE = 18;
    static final int CTA_TUPLE_IP = 1;
    static final int CTA_TUPLE_PROTO = 2;
    static final int CTA_IP_V4_SRC = 1;
    static final int CTA_IP_V4_DST = 2;
    static final int CTA_IP_V6_SRC = 3;
    static final int CTA_IP_V6_DST = 4;
    static final int CTA_PROTO_NUM = 1;
    static final int CTA_PROTO_SRC_PORT = 2;
    static final int CTA_PROTO_DST_PORT = 3;

    /** Protocols whose tuple carries ports (tcp, udp, dccp, sctp, udplite). */
    private static final int[] PORTED = {6, 17, 33, 132, 136};

    private ConntrackMessages() {}

    static int type(int message) {
        return (NFNL_SUBSYS_CTNETLINK << 8) | message;
    }

    static int addressFamily(IpAddress.Family family) {
        return family == IpAddress.Family.IPV4 ? AF_INET : AF_INET6;
    }

    /** IPCTNL_MSG_CT_GET as a dump of one family's table (the caller adds NLM_F_DUMP). */
    static NetlinkMessageBuilder dumpRequest(IpAddress.Family family) {
        return nfgenmsg(new NetlinkMessageBuilder(type(IPCTNL_MSG_CT_GET), 0), addressFamily(family));
    }

    /** IPCTNL_MSG_CT_DELETE of the entry with {@code e}'s original tuple and zone. */
    static NetlinkMessageBuilder deleteRequest(ConntrackEntry e) {
        NetlinkMessageBuilder m = nfgenmsg(new NetlinkMessageBuilder(type(IPCTNL_MSG_CT_DELETE), 0), addressFamily(e.family()));
        int tuple = m.beginNested(CTA_TUPLE_ORIG | NetlinkConstants.NLA_F_NESTED);
        int ip = m.beginNested(CTA_TUPLE_IP | NetlinkConstants.NLA_F_NESTED);
        boolean v4 = e.family() == IpAddress.Family.IPV4;
        m.attrBytes(v4 ? CTA_IP_V4_SRC : CTA_IP_V6_SRC, e.source().toBytes());
        m.attrBytes(v4 ? CTA_IP_V4_DST : CTA_IP_V6_DST, e.destination().toBytes());
        m.endNested(ip);
        int proto = m.beginNested(CTA_TUPLE_PROTO | NetlinkConstants.NLA_F_NESTED);
        m.attrU8(CTA_PROTO_NUM, e.protocol());
        if (hasPorts(e.protocol())) {
            m.attrBytes(CTA_PROTO_SRC_PORT, bigEndian16(e.sourcePort()));
            m.attrBytes(CTA_PROTO_DST_PORT, bigEndian16(e.destinationPort()));
        }
        m.endNested(proto);
        m.endNested(tuple);
        if (e.zone() != 0) {
            m.attrBytes(CTA_ZONE, bigEndian16(e.zone()));
        }
        return m;
    }

    /**
     * The entry in one IPCTNL_MSG_CT_NEW message of a dump, or null when the message is not one
     * or lacks what a delete needs (an address of another family, no protocol).
     */
    static ConntrackEntry parseEntry(NetlinkMessage m) {
        if (m.type() != type(IPCTNL_MSG_CT_NEW) || m.payload().length < NFGENMSG_LENGTH) {
            return null;
        }
        AttributeReader a = m.attributes(NFGENMSG_LENGTH);
        byte[] src = null;
        byte[] dst = null;
        int protocol = -1;
        int sport = 0;
        int dport = 0;
        int zone = 0;
        while (a.next()) {
            if (a.type() == CTA_TUPLE_ORIG) {
                AttributeReader t = a.nested();
                while (t.next()) {
                    if (t.type() == CTA_TUPLE_IP) {
                        AttributeReader ip = t.nested();
                        while (ip.next()) {
                            if (ip.type() == CTA_IP_V4_SRC || ip.type() == CTA_IP_V6_SRC) {
                                src = ip.bytes();
                            } else if (ip.type() == CTA_IP_V4_DST || ip.type() == CTA_IP_V6_DST) {
                                dst = ip.bytes();
                            }
                        }
                    } else if (t.type() == CTA_TUPLE_PROTO) {
                        AttributeReader p = t.nested();
                        while (p.next()) {
                            if (p.type() == CTA_PROTO_NUM && p.length() >= 1) {
                                protocol = p.u8();
                            } else if (p.type() == CTA_PROTO_SRC_PORT && p.length() >= 2) {
                                sport = fromBigEndian16(p.bytes());
                            } else if (p.type() == CTA_PROTO_DST_PORT && p.length() >= 2) {
                                dport = fromBigEndian16(p.bytes());
                            }
                        }
                    }
                }
            } else if (a.type() == CTA_ZONE && a.length() >= 2) {
                zone = fromBigEndian16(a.bytes());
            }
        }
        if (src == null || dst == null || protocol < 0 || src.length != dst.length || (src.length != 4 && src.length != 16)) {
            return null;
        }
        IpAddress s = IpAddress.fromBytes(src);
        IpAddress d = IpAddress.fromBytes(dst);
        if (s.family() != d.family()) {
            return null;
        }
        return new ConntrackEntry(protocol, s, d, sport, dport, zone);
    }

    static boolean hasPorts(int protocol) {
        for (int p : PORTED) {
            if (p == protocol) {
                return true;
            }
        }
        return false;
    }

    private static NetlinkMessageBuilder nfgenmsg(NetlinkMessageBuilder m, int family) {
        // struct nfgenmsg: u8 family, u8 version, __be16 res_id. Written as bytes: res_id is big-endian.
        return m.u8(family).u8(NFNETLINK_V0).u8(0).u8(0);
    }

    static byte[] bigEndian16(int v) {
        return new byte[] {(byte) (v >> 8), (byte) v};
    }

    static int fromBigEndian16(byte[] b) {
        return ((b[0] & 0xff) << 8) | (b[1] & 0xff);
    }
}
