package dev.jcni.core.os.routing;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netlink.AttributeReader;
import dev.jcni.core.os.netlink.Links;
import dev.jcni.core.os.netlink.NetlinkMessage;
import dev.jcni.core.os.netlink.NetlinkMessageBuilder;
import dev.jcni.core.os.netlink.RtNetlink;
import java.util.List;

/** The output interface of the route to an address, as the kernel decides it now (RTM_GETROUTE). */
public final class RouteLookup {
    static final int RTM_NEWROUTE = 24;
    static final int RTM_GETROUTE = 26;
    static final int RTA_DST = 1;
    static final int RTA_OIF = 4;
    /** struct rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type (u8 each), flags (u32). */
    static final int RTMSG_LENGTH = 12;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;

    private RouteLookup() {}

    /** The RTM_GETROUTE request for {@code destination} (a host route query, as {@code ip route get}). */
    static NetlinkMessageBuilder request(IpAddress destination) {
        byte[] addr = destination.toBytes();
        return new NetlinkMessageBuilder(RTM_GETROUTE, 0)
                .u8(destination.isIpv4() ? AF_INET : AF_INET6).u8(addr.length * 8).u8(0).u8(0)
                .u8(0).u8(0).u8(0).u8(0).u32(0)
                .attrBytes(RTA_DST, addr);
    }

    /** The RTA_OIF of an RTM_NEWROUTE answer, or 0 when it has none. */
    static int outputIndex(NetlinkMessage reply) {
        if (reply.type() != RTM_NEWROUTE) {
            return 0;
        }
        AttributeReader a = reply.attributes(RTMSG_LENGTH);
        while (a.next()) {
            if (a.type() == RTA_OIF && a.length() >= 4) {
                return a.u32();
            }
        }
        return 0;
    }

    /**
     * The name of the interface a packet to {@code destination} leaves by, in the calling
     * thread's namespace.
     *
     * @throws OsException no route (ENETUNREACH and the like), or an answer without an interface
     */
    public static String outputInterface(IpAddress destination) throws OsException {
        try (RtNetlink nl = RtNetlink.open()) {
            String operation = "route get " + destination;
            List<NetlinkMessage> replies = nl.request(request(destination), operation);
            for (NetlinkMessage m : replies) {
                int index = outputIndex(m);
                if (index > 0) {
                    return new Links(nl).byIndex(index).name();
                }
            }
            throw OsException.fromErrno(operation, Errno.ENODEV, "the kernel's answer names no output interface");
        }
    }
}
