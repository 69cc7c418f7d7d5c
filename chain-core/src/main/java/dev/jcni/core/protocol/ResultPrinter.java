package dev.jcni.core.protocol;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.net.IpAddress;
import java.util.List;

/**
 * The printing half of {@link ResultCodec}: the Go library's converters (cni-protocol.md §2.4)
 * applied to the internal model.
 *
 * <p>Optional strings are omitted when null or empty, as Go's {@code omitempty} does. Optional
 * numbers are omitted only when null: unlike Go (which drops route mtu 0), a zero we were given
 * is printed back, so absent and zero never merge.
 */
final class ResultPrinter {
    private ResultPrinter() {}

    static ObjectNode toJson(Result result, String targetVersion) throws CniException {
        String target = CniVersion.orDefault(targetVersion);
        if (!CniVersion.isKnown(target)) {
            String from = result.cniVersion() == null ? "" : result.cniVersion();
            throw new CniException(CniException.INCOMPATIBLE_VERSION,
                    "no converter for CNI result version " + from + " to " + target);
        }
        switch (CniVersion.family(target)) {
            case LEGACY_020:
                return printLegacy(result, target);
            case V040:
                return printCurrent(result, target, false);
            default:
                return printCurrent(result, target, true);
        }
    }

    private static ObjectNode printCurrent(Result result, String target, boolean v1) throws CniException {
        boolean v11 = CniVersion.V1_1_0.equals(target);
        ObjectNode out = Json.NODES.objectNode();
        out.put("cniVersion", target);
        if (!result.interfaces().isEmpty()) {
            ArrayNode arr = out.putArray("interfaces");
            for (Result.Interface itf : result.interfaces()) {
                ObjectNode o = arr.addObject();
                o.put("name", itf.name() == null ? "" : itf.name());
                putString(o, "mac", itf.mac());
                // mtu, socketPath and pciID are 1.1.0 fields; older consumers get the schema they know.
                if (v11) {
                    putU32(o, "mtu", itf.mtu());
                }
                putString(o, "sandbox", itf.sandbox());
                if (v11) {
                    putString(o, "socketPath", itf.socketPath());
                    putString(o, "pciID", itf.pciID());
                }
            }
        }
        if (!result.ips().isEmpty()) {
            ArrayNode arr = out.putArray("ips");
            for (Result.IpConfig ip : result.ips()) {
                ObjectNode o = arr.addObject();
                if (!v1) {
                    // A declared version is printed back as given ("" from loopback included).
                    o.put("version", ip.declaredVersion() != null ? ip.declaredVersion() : ip.family().version());
                }
                o.put("address", ip.address().toString());
                putAddress(o, "gateway", ip.gateway());
                if (ip.interfaceIndex() != null) {
                    o.put("interface", ip.interfaceIndex().intValue());
                }
            }
        }
        if (!result.routes().isEmpty()) {
            ArrayNode arr = out.putArray("routes");
            for (Result.Route route : result.routes()) {
                // Go shares one route type across 0.3.0..1.1.0, so the 1.1.0 extras survive in all.
                ObjectNode o = arr.addObject();
                o.put("dst", route.dst().toString());
                putAddress(o, "gw", route.gw());
                putU32(o, "mtu", route.mtu());
                putU32(o, "advmss", route.advmss());
                putU32(o, "priority", route.priority());
                putU32(o, "table", route.table());
                putU32(o, "scope", route.scope());
            }
        }
        Result.Dns dns = result.dns();
        boolean emptyDns = dns == null || dns.isEmpty();
        if (!v1) {
            // Go's 0.4.0 type has a non-pointer DNS struct, so its output always carries "dns".
            out.set("dns", emptyDns ? Json.NODES.objectNode() : dnsNode(dns));
        } else if (!emptyDns) {
            out.set("dns", dnsNode(dns));
        }
        return out;
    }

    /**
     * 0.1.0/0.2.0 hold one address per family. Selection goes by the version field when the
     * source declared one, so a 0.4.0 loopback result ({@code version: ""}) has nothing to
     * select and fails exactly as it does with Go (plugins#381).
     */
    private static ObjectNode printLegacy(Result result, String target) throws CniException {
        Result.IpConfig ip4 = null;
        Result.IpConfig ip6 = null;
        for (Result.IpConfig ip : result.ips()) {
            String version = ip.declaredVersion() != null ? ip.declaredVersion() : ip.family().version();
            if (ip4 == null && "4".equals(version)) {
                ip4 = ip;
            } else if (ip6 == null && "6".equals(version)) {
                ip6 = ip;
            }
            if (ip4 != null && ip6 != null) {
                break;
            }
        }
        if (ip4 == null && ip6 == null) {
            throw new CniException(CniException.INCOMPATIBLE_VERSION, "cannot convert: no valid IP addresses");
        }
        ObjectNode out = Json.NODES.objectNode();
        out.put("cniVersion", target);
        if (ip4 != null) {
            out.set("ip4", legacyIp(ip4, result.routes(), false));
        }
        if (ip6 != null) {
            out.set("ip6", legacyIp(ip6, result.routes(), true));
        }
        if (result.dns() != null && !result.dns().isEmpty()) {
            out.set("dns", dnsNode(result.dns()));
        }
        return out;
    }

    private static ObjectNode legacyIp(Result.IpConfig ip, List<Result.Route> routes, boolean v6) {
        ObjectNode o = Json.NODES.objectNode();
        o.put("ip", ip.address().toString());
        putAddress(o, "gateway", ip.gateway());
        ArrayNode arr = null;
        for (Result.Route route : routes) {
            if ((route.dst().family() == IpAddress.Family.IPV6) != v6) {
                continue;
            }
            if (arr == null) {
                arr = o.putArray("routes");
            }
            // The Go down-converter copies only dst and gw.
            ObjectNode r = arr.addObject();
            r.put("dst", route.dst().toString());
            putAddress(r, "gw", route.gw());
        }
        return o;
    }

    private static ObjectNode dnsNode(Result.Dns dns) {
        ObjectNode o = Json.NODES.objectNode();
        putStrings(o, "nameservers", dns.nameservers());
        putString(o, "domain", dns.domain());
        putStrings(o, "search", dns.search());
        putStrings(o, "options", dns.options());
        return o;
    }

    private static void putString(ObjectNode o, String key, String value) {
        if (value != null && !value.isEmpty()) {
            o.put(key, value);
        }
    }

    private static void putAddress(ObjectNode o, String key, IpAddress value) {
        if (value != null) {
            o.put(key, value.toString());
        }
    }

    private static void putStrings(ObjectNode o, String key, List<String> values) {
        if (values == null || values.isEmpty()) {
            return;
        }
        ArrayNode arr = o.putArray(key);
        for (String v : values) {
            arr.add(v);
        }
    }

    /** See {@code ResultParser.u32}: values above 2^31-1 are held in the sign bit. */
    private static void putU32(ObjectNode o, String key, Integer value) {
        if (value == null) {
            return;
        }
        if (value >= 0) {
            o.put(key, value.intValue());
        } else {
            o.put(key, Integer.toUnsignedLong(value));
        }
    }
}
