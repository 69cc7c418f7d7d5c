package dev.jcni.bridge;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;
import dev.jcni.core.protocol.Result;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference's {@code calcGateways}: what the IPAM result becomes in the bridge's result, and
 * which addresses go on the bridge.
 *
 * <ul>
 *   <li>every address belongs to the container interface ({@code interface: 2});</li>
 *   <li>with {@code isGateway}, an address without a gateway gets its network's first address
 *       (10.22.0.0/16 → 10.22.0.1);</li>
 *   <li>with {@code isDefaultGateway}, a family with no default route that has a gateway gets
 *       one through this address's gateway, once per family;</li>
 *   <li>with {@code isGateway}, each gateway with the address's prefix length goes on the bridge.</li>
 * </ul>
 *
 * @param ips     the result's addresses, rewritten
 * @param routes  the result's routes, with the default routes added
 * @param bridgeAddresses gateway/prefix for the bridge, IPv4 first, each family in result order
 */
record Gateways(List<Result.IpConfig> ips, List<Result.Route> routes, List<IpPrefix> bridgeAddresses) {
    /** The container interface's place in the result: after the bridge and the host veth. */
    static final int CONTAINER_INDEX = 2;

    static Gateways of(List<Result.IpConfig> ipamIps, List<Result.Route> ipamRoutes, BridgeConfig config) {
        List<Result.IpConfig> ips = new ArrayList<>();
        List<Result.Route> routes = new ArrayList<>(ipamRoutes);
        List<IpPrefix> v4 = new ArrayList<>();
        List<IpPrefix> v6 = new ArrayList<>();
        boolean defaultV4 = false;
        boolean defaultV6 = false;
        for (Result.IpConfig ip : ipamIps) {
            IpAddress.Family family = ip.family();
            IpAddress gateway = ip.gateway();
            if (gateway == null && config.isGateway()) {
                gateway = ip.address().network().address().next();
            }
            ips.add(new Result.IpConfig(ip.address(), gateway, CONTAINER_INDEX, null));
            boolean v4Family = family == IpAddress.Family.IPV4;
            if (config.isDefaultGateway() && !(v4Family ? defaultV4 : defaultV6)) {
                IpPrefix any = defaultRoute(family);
                if (!hasDefaultWithGateway(routes, any)) {
                    routes.add(Result.Route.of(any, gateway));
                }
                if (v4Family) {
                    defaultV4 = true;
                } else {
                    defaultV6 = true;
                }
            }
            if (config.isGateway()) {
                (v4Family ? v4 : v6).add(IpPrefix.of(gateway, ip.address().length()));
            }
        }
        List<IpPrefix> bridge = new ArrayList<>(v4);
        bridge.addAll(v6);
        return new Gateways(List.copyOf(ips), List.copyOf(routes), List.copyOf(bridge));
    }

    static IpPrefix defaultRoute(IpAddress.Family family) {
        IpAddress zero = IpAddress.fromBytes(new byte[family == IpAddress.Family.IPV4 ? 4 : 16]);
        return IpPrefix.of(zero, 0);
    }

    private static boolean hasDefaultWithGateway(List<Result.Route> routes, IpPrefix any) {
        for (Result.Route r : routes) {
            if (r.gw() != null && r.dst().equals(any)) {
                return true;
            }
        }
        return false;
    }
}
