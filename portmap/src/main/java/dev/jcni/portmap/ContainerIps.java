package dev.jcni.portmap;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;
import dev.jcni.core.protocol.Result;

/**
 * The container's addresses a mapping forwards to, chosen from the previous result as the
 * reference chooses them: the first IPv4 and the first IPv6 address of the interface named
 * CNI_IFNAME in a sandbox, or with no interface index (IPAM results carry none), or with an index
 * that is out of range.
 *
 * @param v4 with the prefix length of its network (hairpin traffic from that network is
 *           masqueraded), or null
 * @param v6 likewise, or null
 */
record ContainerIps(IpPrefix v4, IpPrefix v6) {
    static ContainerIps from(Result prev, String ifName) {
        IpPrefix v4 = null;
        IpPrefix v6 = null;
        for (Result.IpConfig ip : prev.ips()) {
            if (!belongsTo(prev, ip, ifName)) {
                continue;
            }
            if (ip.family() == IpAddress.Family.IPV4 && v4 == null) {
                v4 = ip.address();
            } else if (ip.family() == IpAddress.Family.IPV6 && v6 == null) {
                v6 = ip.address();
            }
        }
        return new ContainerIps(v4, v6);
    }

    private static boolean belongsTo(Result prev, Result.IpConfig ip, String ifName) {
        Integer index = ip.interfaceIndex();
        if (index == null || index < 0 || index >= prev.interfaces().size()) {
            return true;
        }
        Result.Interface itf = prev.interfaces().get(index);
        return itf.name().equals(ifName) && itf.sandbox() != null && !itf.sandbox().isEmpty();
    }

    IpPrefix of(IpAddress.Family family) {
        return family == IpAddress.Family.IPV4 ? v4 : v6;
    }
}
