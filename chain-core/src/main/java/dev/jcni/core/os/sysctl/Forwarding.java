package dev.jcni.core.os.sysctl;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.os.OsException;

/**
 * IP forwarding of the calling thread's network namespace: {@code net.ipv4.ip_forward} and
 * {@code net.ipv6.conf.all.forwarding}, which a gateway (the bridge plugin's {@code isGateway})
 * turns on, as the reference's {@code ip.EnableForward} does.
 */
public final class Forwarding {
    static final String IPV4 = "net/ipv4/ip_forward";
    static final String IPV6 = "net/ipv6/conf/all/forwarding";

    private Forwarding() {}

    /** The sysctl that switches forwarding of {@code family}. */
    public static String key(IpAddress.Family family) {
        return family == IpAddress.Family.IPV4 ? IPV4 : IPV6;
    }

    /** True if the namespace forwards packets of {@code family}. */
    public static boolean isEnabled(IpAddress.Family family) throws OsException {
        return "1".equals(Sysctl.read(key(family)));
    }

    /**
     * Turns forwarding of {@code family} on. Reads first and writes only when it is off, as the
     * reference does: the switch also sets every interface's own forwarding value, so it is not
     * thrown again while on.
     *
     * @return true if it was off and is now on
     */
    public static boolean enable(IpAddress.Family family) throws OsException {
        if (isEnabled(family)) {
            return false;
        }
        Sysctl.write(key(family), "1");
        return true;
    }
}
