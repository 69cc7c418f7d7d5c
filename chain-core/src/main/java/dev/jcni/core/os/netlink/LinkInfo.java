package dev.jcni.core.os.netlink;

import dev.jcni.core.net.MacAddress;

/**
 * A network interface as RTM_NEWLINK describes it.
 *
 * @param mac IFLA_ADDRESS when it is a 6-byte Ethernet address; null when the link has none or
 *            another kind (InfiniBand's 20 bytes, a tunnel's IP address)
 * @param flags the IFF_* flags (ifinfomsg.ifi_flags)
 * @param kind IFLA_INFO_KIND ("veth", "bridge", …), or null for links without one (lo, physical NICs)
 * @param masterIndex IFLA_MASTER (e.g. the bridge a port belongs to), 0 if none
 * @param linkIndex IFLA_LINK (for a veth, the peer's index, possibly in another namespace), 0 if none
 */
public record LinkInfo(int index, String name, int mtu, MacAddress mac, int flags, int txQueueLen, String kind,
                       int masterIndex, int linkIndex) {
    public static final int IFF_UP = 0x1;
    public static final int IFF_BROADCAST = 0x2;
    public static final int IFF_LOOPBACK = 0x8;
    public static final int IFF_RUNNING = 0x40;
    public static final int IFF_NOARP = 0x80;
    public static final int IFF_PROMISC = 0x100;
    public static final int IFF_ALLMULTI = 0x200;
    public static final int IFF_MULTICAST = 0x1000;
    public static final int IFF_LOWER_UP = 0x10000;

    /** Administratively up (IFF_UP), whether or not the carrier is. */
    public boolean isUp() {
        return (flags & IFF_UP) != 0;
    }

    public boolean promisc() {
        return (flags & IFF_PROMISC) != 0;
    }

    public boolean allMulti() {
        return (flags & IFF_ALLMULTI) != 0;
    }
}
