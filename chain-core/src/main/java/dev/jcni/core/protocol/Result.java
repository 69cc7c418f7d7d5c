package dev.jcni.core.protocol;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;
import java.util.ArrayList;
import java.util.List;

/**
 * A CNI ADD result in the internal (1.1.0) model. {@link ResultCodec} reads it from any version
 * and prints it in any version.
 *
 * <p>Optional numbers are boxed so that "absent" and "zero" stay different: route {@code table}
 * 0 is a real table, and a plugin must print back exactly what it was given.
 *
 * @param cniVersion the version it was parsed from (informational; output uses the request's)
 */
public record Result(String cniVersion, List<Interface> interfaces, List<IpConfig> ips, List<Route> routes, Dns dns) {

    public Result {
        interfaces = List.copyOf(interfaces);
        ips = List.copyOf(ips);
        routes = List.copyOf(routes);
    }

    public static Result empty(String cniVersion) {
        return new Result(cniVersion, List.of(), List.of(), List.of(), null);
    }

    /** This result with interface {@code index} replaced. */
    public Result withInterface(int index, Interface replacement) {
        List<Interface> copy = new ArrayList<>(interfaces);
        copy.set(index, replacement);
        return new Result(cniVersion, copy, ips, routes, dns);
    }

    /** This result with {@code extra} appended to the interfaces (e.g. an ifb device). */
    public Result withAddedInterface(Interface extra) {
        List<Interface> copy = new ArrayList<>(interfaces);
        copy.add(extra);
        return new Result(cniVersion, copy, ips, routes, dns);
    }

    /** Index of the interface named {@code name} in a sandbox (a container-side interface), or -1. */
    public int sandboxInterfaceIndex(String name) {
        for (int i = 0; i < interfaces.size(); i++) {
            Interface itf = interfaces.get(i);
            if (itf.name().equals(name) && itf.sandbox() != null && !itf.sandbox().isEmpty()) {
                return i;
            }
        }
        return -1;
    }

    /**
     * An entry of {@code interfaces}; mtu, socketPath and pciID exist from 1.1.0.
     * {@code mtu} is a u32 like the route numbers below.
     *
     * <p>{@code mac} stays text, as Go's {@code Interface.Mac} is a string: it is printed back as
     * received, and not every interface has an Ethernet address (an InfiniBand address has 20
     * bytes, a tunnel none). Plugins that set a MAC write the text of a
     * {@link dev.jcni.core.net.MacAddress}.
     */
    public record Interface(String name, String mac, Integer mtu, String sandbox, String socketPath, String pciID) {
        public Interface withMac(String newMac) {
            return new Interface(name, newMac, mtu, sandbox, socketPath, pciID);
        }
    }

    /**
     * An entry of {@code ips}.
     *
     * @param address        interface address with the prefix length of its network, host bits
     *                       kept: 10.1.0.5/16
     * @param gateway        may be null
     * @param interfaceIndex index into {@code interfaces}, or null
     * @param declaredVersion the {@code version} field as a 0.3.x/0.4.0 source wrote it ("4", "6",
     *                       or "" as loopback writes it); null when parsed from another family.
     *                       Down-conversion to 0.2.0 selects by it, as the Go library does.
     */
    public record IpConfig(IpPrefix address, IpAddress gateway, Integer interfaceIndex, String declaredVersion) {
        public IpConfig {
            java.util.Objects.requireNonNull(address, "address");
        }

        /** The family of the address (an IPv4-mapped IPv6 address is IPv4, as in Go). */
        public IpAddress.Family family() {
            return address.family();
        }
    }

    /**
     * An entry of {@code routes}; mtu, advmss, priority, table and scope exist from 1.1.0.
     *
     * <p>The numbers are the spec's {@code uint}, u32 in the kernel. A value above 2^31-1 (a
     * table id such as 4294967295) is held in the Integer's bits: read it with
     * {@link Integer#toUnsignedLong(int)}; {@link ResultCodec} prints it unsigned.
     */
    public record Route(IpPrefix dst, IpAddress gw, Integer mtu, Integer advmss, Integer priority, Integer table,
                        Integer scope) {
        public Route {
            java.util.Objects.requireNonNull(dst, "dst");
        }

        public static Route of(IpPrefix dst, IpAddress gw) {
            return new Route(dst, gw, null, null, null, null, null);
        }
    }

    /** The {@code dns} object; any part may be null. */
    public record Dns(List<String> nameservers, String domain, List<String> search, List<String> options) {
        public boolean isEmpty() {
            return (nameservers == null || nameservers.isEmpty()) && (domain == null || domain.isEmpty())
                    && (search == null || search.isEmpty()) && (options == null || options.isEmpty());
        }
    }
}
