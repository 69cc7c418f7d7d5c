package dev.jcni.core.os.netlink;

import dev.jcni.core.net.IpAddress;

/** The AF_* numbers of the address families in ifaddrmsg and rtmsg headers. */
final class AddressFamilies {
    static final int AF_UNSPEC = 0;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;

    private AddressFamilies() {}

    /** AF_INET or AF_INET6; AF_UNSPEC for null (both families, in a dump). */
    static int of(IpAddress.Family family) {
        if (family == null) {
            return AF_UNSPEC;
        }
        return family == IpAddress.Family.IPV4 ? AF_INET : AF_INET6;
    }

    /** The family numbered {@code af}, or null for one that is neither IPv4 nor IPv6. */
    static IpAddress.Family family(int af) {
        if (af == AF_INET) {
            return IpAddress.Family.IPV4;
        }
        return af == AF_INET6 ? IpAddress.Family.IPV6 : null;
    }
}
