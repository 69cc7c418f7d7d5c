package dev.jcni.portmap;

import dev.jcni.core.net.IpAddress;

/**
 * One entry of {@code runtimeConfig.portMappings}, validated: traffic for {@code hostPort} (on
 * {@code hostIp}, or on every local address) goes to {@code containerPort} of the container.
 *
 * @param protocol     {@code tcp}, {@code udp} or {@code sctp}, lower case
 * @param hostPort     1..65535
 * @param containerPort 1..65535
 * @param hostIp       the one host address it answers on, or null for any
 * @param family       the only family it applies to ({@code 0.0.0.0} is any IPv4 address,
 *                     {@code ::} any IPv6 address, a hostIP its own family), or null for both
 * @param entry        where it came from, e.g. {@code runtimeConfig.portMappings[2]}, for messages
 */
record PortMapping(String protocol, int hostPort, int containerPort, IpAddress hostIp, IpAddress.Family family, String entry) {
    boolean appliesTo(IpAddress.Family f) {
        return family == null || family == f;
    }

    /** True when a connection from the host to {@code 127.0.0.1:hostPort} is this mapping's (IPv4 only). */
    boolean answersOnLoopback() {
        return appliesTo(IpAddress.Family.IPV4) && (hostIp == null || hostIp.toString().startsWith("127."));
    }

    /** Flows of this protocol survive a rule change in conntrack: their entries must be flushed. */
    boolean connectionless() {
        return "udp".equals(protocol) || "sctp".equals(protocol);
    }

    /** E.g. {@code tcp/8080}, {@code udp/198.51.100.1:53}. */
    String hostSide() {
        return protocol + "/" + (hostIp == null ? "" : (hostIp.isIpv6() ? "[" + hostIp + "]:" : hostIp + ":")) + hostPort;
    }
}
