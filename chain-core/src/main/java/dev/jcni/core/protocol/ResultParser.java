package dev.jcni.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The reading half of {@link ResultCodec}.
 *
 * <p>Deliberately more tolerant than the Go library (cni-protocol.md §2.5, §7.5): a result is
 * read by its own {@code cniVersion} whatever the request version, keys match case-insensitively
 * as Go's decoder does, a JSON null field means absent, and unknown fields are ignored. What
 * cannot be read is a structural error (code 6) naming the field, never a silently dropped
 * entry: a null inside {@code interfaces} would otherwise shift every {@code ips[].interface}
 * index, and Go itself crashes on a null entry.
 */
final class ResultParser {
    /** The spec declares these numbers {@code uint}, and the kernel reads them as u32. */
    private static final long U32_MAX = 0xFFFF_FFFFL;

    private ResultParser() {}

    static Result parse(JsonNode json, String fallbackVersion) throws CniException {
        String fallback = CniVersion.orDefault(fallbackVersion);
        if (json == null || json.isNull() || json.isMissingNode()) {
            // libcni accepts a literal `null` on stdout as an empty result.
            CniVersion.family(fallback);
            return Result.empty(fallback);
        }
        if (!json.isObject()) {
            throw invalid("result", "a JSON object", json);
        }
        String own = string(json, "cniVersion", "cniVersion");
        // Results without a version come from plugins predating libcni 0.8 (cni#895); libcni
        // then assumes the config's version, which is what the caller passes as fallback.
        String version = own == null || own.isEmpty() ? fallback : own;
        switch (CniVersion.family(version)) {
            case LEGACY_020:
                return parseLegacy(json, version);
            case V040:
                return parseCurrent(json, version, false);
            default:
                return parseCurrent(json, version, true);
        }
    }

    private static Result parseLegacy(JsonNode json, String version) throws CniException {
        List<Result.IpConfig> ips = new ArrayList<>(2);
        List<Result.Route> routes = new ArrayList<>();
        // ip4 before ip6, routes concatenated in the same order: what the Go up-converter does.
        String[] keys = {"ip4", "ip6"};
        for (String key : keys) {
            JsonNode ipc = object(json, key, key);
            if (ipc == null) {
                continue;
            }
            String address = requiredString(ipc, "ip", key + ".ip");
            ips.add(new Result.IpConfig(address, ipString(ipc, "gateway", key + ".gateway"), null, null));
            routes.addAll(parseRoutes(ipc, key + ".routes"));
        }
        return new Result(version, List.of(), ips, routes, parseDns(json));
    }

    private static Result parseCurrent(JsonNode json, String version, boolean v1) throws CniException {
        List<Result.Interface> interfaces = new ArrayList<>();
        JsonNode itfs = array(json, "interfaces", "interfaces");
        if (itfs != null) {
            for (int i = 0; i < itfs.size(); i++) {
                JsonNode e = itfs.get(i);
                String p = "interfaces[" + i + "]";
                if (!e.isObject()) {
                    throw invalid(p, "an object", e);
                }
                String name = string(e, "name", p + ".name");
                // Go prints `name` even when empty, and callers compare names: never null.
                name = name == null ? "" : name;
                String mac = string(e, "mac", p + ".mac");
                String sandbox = string(e, "sandbox", p + ".sandbox");
                // The 0.4.0 Go type has no mtu/socketPath/pciID, so they are not read from 0.x.
                Integer mtu = v1 ? u32(e, "mtu", p + ".mtu") : null;
                String socketPath = v1 ? string(e, "socketPath", p + ".socketPath") : null;
                String pciID = v1 ? string(e, "pciID", p + ".pciID") : null;
                interfaces.add(new Result.Interface(name, mac, mtu, sandbox, socketPath, pciID));
            }
        }

        List<Result.IpConfig> ips = new ArrayList<>();
        JsonNode ipArray = array(json, "ips", "ips");
        if (ipArray != null) {
            for (int i = 0; i < ipArray.size(); i++) {
                JsonNode e = ipArray.get(i);
                String p = "ips[" + i + "]";
                if (!e.isObject()) {
                    throw invalid(p, "an object", e);
                }
                String address = requiredString(e, "address", p + ".address");
                String gateway = ipString(e, "gateway", p + ".gateway");
                Integer index = signedInt(e, "interface", p + ".interface");
                // Kept verbatim, "" included: down-conversion to 0.2.0 selects by it as Go does.
                String declared = v1 ? null : string(e, "version", p + ".version");
                ips.add(new Result.IpConfig(address, gateway, index, declared));
            }
        }
        return new Result(version, interfaces, ips, parseRoutes(json, "routes"), parseDns(json));
    }

    /** Reads every route field whatever the version: Go shares one route type across versions. */
    private static List<Result.Route> parseRoutes(JsonNode parent, String path) throws CniException {
        JsonNode arr = array(parent, "routes", path);
        if (arr == null) {
            return List.of();
        }
        List<Result.Route> routes = new ArrayList<>(arr.size());
        for (int i = 0; i < arr.size(); i++) {
            JsonNode e = arr.get(i);
            String p = path + "[" + i + "]";
            if (!e.isObject()) {
                throw invalid(p, "an object", e);
            }
            routes.add(new Result.Route(requiredString(e, "dst", p + ".dst"), ipString(e, "gw", p + ".gw"),
                    u32(e, "mtu", p + ".mtu"), u32(e, "advmss", p + ".advmss"), u32(e, "priority", p + ".priority"),
                    u32(e, "table", p + ".table"), u32(e, "scope", p + ".scope")));
        }
        return routes;
    }

    private static Result.Dns parseDns(JsonNode json) throws CniException {
        JsonNode dns = object(json, "dns", "dns");
        if (dns == null) {
            return null;
        }
        return new Result.Dns(strings(dns, "nameservers", "dns.nameservers"), string(dns, "domain", "dns.domain"),
                strings(dns, "search", "dns.search"), strings(dns, "options", "dns.options"));
    }

    private static List<String> strings(JsonNode obj, String key, String path) throws CniException {
        JsonNode arr = array(obj, key, path);
        if (arr == null) {
            return null;
        }
        List<String> out = new ArrayList<>(arr.size());
        for (int i = 0; i < arr.size(); i++) {
            JsonNode e = arr.get(i);
            if (e.isNull()) {
                // Go decodes it as "", which is no server, domain or option either.
                continue;
            }
            if (!e.isTextual()) {
                throw invalid(path + "[" + i + "]", "a string", e);
            }
            out.add(e.textValue());
        }
        return List.copyOf(out);
    }

    private static String string(JsonNode obj, String key, String path) throws CniException {
        JsonNode n = Fields.get(obj, key);
        if (n == null) {
            return null;
        }
        if (!n.isTextual()) {
            throw invalid(path, "a string", n);
        }
        return n.textValue();
    }

    private static String requiredString(JsonNode obj, String key, String path) throws CniException {
        String s = string(obj, key, path);
        if (s == null || s.isEmpty()) {
            throw new CniException(CniException.DECODING_FAILURE, "invalid result: \"" + path + "\" is missing");
        }
        return s;
    }

    /** An optional IP; "" is no IP in Go (an empty net.IP), so it reads as absent. */
    private static String ipString(JsonNode obj, String key, String path) throws CniException {
        String s = string(obj, key, path);
        return s == null || s.isEmpty() ? null : s;
    }

    private static Integer signedInt(JsonNode obj, String key, String path) throws CniException {
        JsonNode n = Fields.get(obj, key);
        if (n == null) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw invalid(path, "an integer", n);
        }
        return n.intValue();
    }

    /**
     * A u32 kept in an Integer's bits (values above 2^31-1 read back with
     * {@link Integer#toUnsignedLong}), so that every table or priority the kernel accepts
     * survives a round trip. Negative numbers are rejected rather than wrapped, so that what is
     * accepted is always printed back unchanged.
     */
    private static Integer u32(JsonNode obj, String key, String path) throws CniException {
        JsonNode n = Fields.get(obj, key);
        if (n == null) {
            return null;
        }
        if (!n.isIntegralNumber()) {
            throw invalid(path, "an unsigned integer", n);
        }
        if (!n.canConvertToLong() || n.longValue() < 0 || n.longValue() > U32_MAX) {
            throw invalid(path, "an unsigned 32-bit integer", n);
        }
        return (int) n.longValue();
    }

    private static JsonNode array(JsonNode obj, String key, String path) throws CniException {
        JsonNode n = Fields.get(obj, key);
        if (n != null && !n.isArray()) {
            throw invalid(path, "an array", n);
        }
        return n;
    }

    private static JsonNode object(JsonNode obj, String key, String path) throws CniException {
        JsonNode n = Fields.get(obj, key);
        if (n != null && !n.isObject()) {
            throw invalid(path, "an object", n);
        }
        return n;
    }

    private static CniException invalid(String path, String expected, JsonNode value) {
        String shown = Json.toString(value);
        if (shown.length() > 80) {
            shown = shown.substring(0, 77) + "...";
        }
        return new CniException(CniException.DECODING_FAILURE,
                "invalid result: \"" + path + "\" must be " + expected + ", got " + shown);
    }
}
