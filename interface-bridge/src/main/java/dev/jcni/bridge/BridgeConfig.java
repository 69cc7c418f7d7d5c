package dev.jcni.bridge;

import dev.jcni.core.net.AddressFormatException;
import dev.jcni.core.net.MacAddress;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.JsonFields;
import dev.jcni.core.protocol.Result;
import dev.jcni.core.skel.Invocation;
import dev.jcni.core.skel.Log;
import java.nio.charset.StandardCharsets;

/**
 * The bridge plugin's settings, read from one request and validated whole before anything is
 * changed. Keys, defaults and messages are the reference's (reference-plugins.md §4.1, §4.2):
 * where the reference fails later, at the kernel (a MAC it cannot parse, a backend it does not
 * know), the same message comes here, before the first change.
 *
 * @param bridge         the bridge's name ({@code cni0})
 * @param isGateway      the gateway addresses go on the bridge, forwarding is turned on
 *                       ({@code isDefaultGateway} implies it)
 * @param isDefaultGateway a default route through the gateway, per family, unless IPAM gave one
 * @param forceAddress   a conflicting address on the bridge is replaced instead of refused
 * @param ipMasq         masquerade the container's traffic leaving its subnet (nftables)
 * @param mtu            MTU of a new bridge and of both veth ends; 0 for the kernel's
 * @param hairpinMode    the port sends frames back out where they came in
 * @param promiscMode    the bridge is put in promiscuous mode
 * @param vlans          {@code vlan}, {@code vlanTrunk}, {@code preserveDefaultVlan}
 * @param macSpoofCheck  frames from the container must carry its MAC (nftables, bridge family)
 * @param enableDad      IPv6 duplicate address detection in the container (off by default: faster)
 * @param disableContainerInterface leave the container's interface down (L2 only)
 * @param portIsolation  the port is isolated: it talks to non-isolated ports only
 * @param mac            the container interface's MAC (CNI_ARGS MAC, args.cni.mac, runtimeConfig.mac,
 *                       the last one given winning), or null for the kernel's
 * @param ipamType       {@code ipam.type}; null for an L2 bridge
 * @param dns            {@code dns} when it sets anything: it replaces the IPAM result's
 */
record BridgeConfig(String bridge, boolean isGateway, boolean isDefaultGateway, boolean forceAddress, boolean ipMasq,
                    int mtu, boolean hairpinMode, boolean promiscMode, VlanSettings vlans, boolean macSpoofCheck,
                    boolean enableDad, boolean disableContainerInterface, boolean portIsolation, MacAddress mac,
                    String ipamType, Result.Dns dns) {
    static final String DEFAULT_BRIDGE = "cni0";
    /** The reference's prefix for a config it cannot decode. */
    private static final String LOAD_FAILED = "failed to load netconf: ";

    /** True when IPAM gives the container addresses (an {@code ipam} with a type). */
    boolean isLayer3() {
        return ipamType != null;
    }

    static BridgeConfig parse(Invocation inv) throws CniException {
        try {
            return read(inv);
        } catch (CniException e) {
            // A value of the wrong type: the reference reports its JSON decoder's error this way.
            if (e.msg().startsWith("invalid value ")) {
                throw new CniException(e.code(), LOAD_FAILED + e.msg(), e.details(), e);
            }
            throw e;
        }
    }

    private static BridgeConfig read(Invocation inv) throws CniException {
        JsonFields conf = inv.config();
        String bridge = conf.string("bridge");
        bridge = bridge == null ? DEFAULT_BRIDGE : bridge;
        checkLinkName(bridge);
        VlanSettings vlans = VlanSettings.parse(conf);
        MacAddress mac = mac(inv);
        boolean isDefaultGateway = flag(conf, "isDefaultGateway");
        boolean isGateway = flag(conf, "isGateway") || isDefaultGateway;
        boolean ipMasq = flag(conf, "ipMasq");
        if (ipMasq) {
            checkMasqueradeBackend(conf.string("ipMasqBackend"));
        } else {
            conf.string("ipMasqBackend");
        }
        Integer mtu = conf.integer("mtu");
        int m = mtu == null ? 0 : mtu;
        if (m != 0 && (m < 68 || m > 65535)) {
            throw new CniException(CniException.INVALID_CONFIG, "invalid MTU " + m,
                    "\"mtu\" is 0 (the kernel's default) or 68..65535");
        }
        JsonFields ipam = conf.object("ipam");
        String ipamType = ipam.string("type");
        ipamType = ipamType == null || ipamType.isEmpty() ? null : ipamType;
        boolean disableContainerInterface = flag(conf, "disableContainerInterface");
        if (ipamType != null && disableContainerInterface) {
            throw new CniException(CniException.INVALID_CONFIG, "cannot use IPAM when DisableContainerInterface flag is set");
        }
        boolean hairpin = flag(conf, "hairpinMode");
        boolean promisc = flag(conf, "promiscMode");
        if (hairpin && promisc) {
            throw new CniException(CniException.INVALID_CONFIG, "cannot set hairpin mode and promiscuous mode at the same time");
        }
        return new BridgeConfig(bridge, isGateway, isDefaultGateway, flag(conf, "forceAddress"), ipMasq, m, hairpin, promisc,
                vlans, flag(conf, "macspoofchk"), flag(conf, "enabledad"), disableContainerInterface,
                flag(conf, "portIsolation"), mac, ipamType, dns(conf.object("dns")));
    }

    /**
     * What DEL and GC need, read leniently: they must clean up even after the config was edited
     * into one ADD would refuse. A flag that is not a boolean counts as on (cleaning up what is
     * not there costs a lookup); only an {@code ipam.type} that is no string fails, since the
     * IPAM plugin could not be found.
     *
     * @param ipamType      {@code ipam.type}, null for L2
     * @param masquerade    {@code ipMasq}
     * @param spoofCheck    {@code macspoofchk}
     */
    record Cleanup(String ipamType, boolean masquerade, boolean spoofCheck) {}

    static Cleanup cleanup(Invocation inv) throws CniException {
        JsonFields conf = inv.config();
        JsonFields ipam = conf.get("ipam") != null && conf.get("ipam").isObject() ? conf.object("ipam") : JsonFields.at(null, "ipam", JsonFields.Source.NETWORK_CONFIG);
        String type;
        try {
            type = ipam.string("type");
        } catch (CniException e) {
            throw new CniException(e.code(), LOAD_FAILED + e.msg(), e.details(), e);
        }
        return new Cleanup(type == null || type.isEmpty() ? null : type, lenientFlag(conf, "ipMasq"), lenientFlag(conf, "macspoofchk"));
    }

    private static boolean lenientFlag(JsonFields conf, String key) {
        com.fasterxml.jackson.databind.JsonNode v = conf.get(key);
        return v != null && (!v.isBoolean() || v.booleanValue());
    }

    private static boolean flag(JsonFields conf, String key) throws CniException {
        Boolean b = conf.bool(key);
        return b != null && b;
    }

    /** The kernel's rules for a link name; the reference leaves them to the kernel, which then fails later. */
    static void checkLinkName(String name) throws CniException {
        String why = null;
        if (name.isEmpty()) {
            why = "it is empty";
        } else if (name.getBytes(StandardCharsets.UTF_8).length > 15) {
            why = "it is longer than 15 bytes";
        } else if (name.equals(".") || name.equals("..")) {
            why = "it is not a valid name";
        } else {
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c == '/' || c == ':' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                    why = "it contains the invalid character " + (int) c;
                    break;
                }
            }
        }
        if (why != null) {
            throw new CniException(CniException.INVALID_CONFIG, "invalid bridge name \"" + name + "\"",
                    "\"bridge\" names a link: " + why);
        }
    }

    /**
     * The container's MAC, the reference's precedence: CNI_ARGS {@code MAC}, then
     * {@code args.cni.mac}, then {@code runtimeConfig.mac}; an empty value is no value. The
     * reference finds a bad one when it creates the veth ("failed to make veth pair: ...").
     */
    private static MacAddress mac(Invocation inv) throws CniException {
        String text = inv.args().get("MAC");
        String from = "CNI_ARGS MAC";
        JsonFields conf = inv.config();
        String args = conf.object("args").object("cni").string("mac");
        if (args != null && !args.isEmpty()) {
            text = args;
            from = "args.cni.mac";
        }
        String runtime = conf.object("runtimeConfig").string("mac");
        if (runtime != null && !runtime.isEmpty()) {
            text = runtime;
            from = "runtimeConfig.mac";
        }
        if (text == null || text.isEmpty()) {
            return null;
        }
        MacAddress mac;
        try {
            mac = MacAddress.parse(text);
        } catch (AddressFormatException e) {
            throw new CniException(CniException.INVALID_CONFIG, "failed to make veth pair: address " + text + ": invalid MAC address",
                    from + ": " + e.reason());
        }
        if (mac.isMulticast() || mac.isZero()) {
            throw new CniException(CniException.INVALID_CONFIG, "failed to make veth pair: address " + text + ": invalid MAC address",
                    from + ": " + (mac.isZero() ? "all zeros" : "a multicast address") + " cannot be an interface's address");
        }
        return mac;
    }

    /** {@code ipMasqBackend}: the reference's values; masquerading is always nftables here. */
    private static void checkMasqueradeBackend(String backend) throws CniException {
        if (backend == null || backend.equals("nftables")) {
            return;
        }
        if (backend.equals("iptables")) {
            Log.warn("ipMasqBackend \"iptables\": jcni masquerades through nftables, in the reference's nftables layout");
            return;
        }
        throw new CniException(CniException.INVALID_CONFIG, "unknown ipmasq backend \"" + backend + "\"",
                "\"ipMasqBackend\" is \"nftables\" or \"iptables\" (both served by nftables here)");
    }

    /** {@code dns} when it sets anything (the reference's dnsConfSet), else null. */
    private static Result.Dns dns(JsonFields dns) throws CniException {
        if (!dns.isPresent()) {
            return null;
        }
        java.util.List<String> nameservers = dns.strings("nameservers");
        String domain = dns.string("domain");
        java.util.List<String> search = dns.strings("search");
        java.util.List<String> options = dns.strings("options");
        if (nameservers == null && search == null && options == null && (domain == null || domain.isEmpty())) {
            return null;
        }
        return new Result.Dns(nameservers, domain, search, options);
    }
}
