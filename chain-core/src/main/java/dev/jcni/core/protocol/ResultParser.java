package dev.jcni.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.net.IpPrefix;
import java.util.ArrayList;
import java.util.List;

/**
 * The reading half of {@link ResultCodec}.
 *
 * <p>Deliberately more tolerant than the Go library (cni-protocol.md §2.5, §7.5): a result is
 * read by its own {@code cniVersion} whatever the request version, keys match as
 * {@link JsonFields} matches them (case-insensitively, last one wins, as Go's decoder does), a
 * JSON null field means absent, and unknown fields are ignored. Addresses are typed as Go types
 * them ({@code types.IPNet}, {@code net.IP}) and printed back in Go's canonical text. What cannot
 * be read is an error with code 6 naming the field ({@link JsonFields.Source#RESULT}), never a
 * silently dropped entry: a null inside {@code interfaces} would otherwise shift every
 * {@code ips[].interface} index, and Go itself crashes on a null entry.
 */
final class ResultParser {
    private static final String CIDR = "an address with prefix length such as 10.1.0.5/16";

    private ResultParser() {}

    static Result parse(JsonNode json, String fallbackVersion) throws CniException {
        if (json == null || json.isNull() || json.isMissingNode()) {
            return parse((JsonFields) null, fallbackVersion);
        }
        if (!json.isObject()) {
            throw JsonFields.typeError(JsonFields.Source.RESULT, "result", json, "a JSON object");
        }
        return parse(JsonFields.of((ObjectNode) json, JsonFields.Source.RESULT), fallbackVersion);
    }

    /** {@code json} may be null or absent: an empty result, as libcni reads a literal {@code null}. */
    static Result parse(JsonFields json, String fallbackVersion) throws CniException {
        String fallback = CniVersion.orDefault(fallbackVersion);
        if (json == null || !json.isPresent()) {
            CniVersion.family(fallback);
            return Result.empty(fallback);
        }
        JsonFields result = json.as(JsonFields.Source.RESULT);
        String own = result.string("cniVersion");
        // Results without a version come from plugins predating libcni 0.8 (cni#895); libcni
        // then assumes the config's version, which is what the caller passes as fallback.
        String version = own == null || own.isEmpty() ? fallback : own;
        switch (CniVersion.family(version)) {
            case LEGACY_020:
                return parseLegacy(result, version);
            case V040:
                return parseCurrent(result, version, false);
            default:
                return parseCurrent(result, version, true);
        }
    }

    private static Result parseLegacy(JsonFields json, String version) throws CniException {
        List<Result.IpConfig> ips = new ArrayList<>(2);
        List<Result.Route> routes = new ArrayList<>();
        // ip4 before ip6, routes concatenated in the same order: what the Go up-converter does.
        String[] keys = {"ip4", "ip6"};
        for (String key : keys) {
            JsonFields ipc = json.object(key);
            if (!ipc.isPresent()) {
                continue;
            }
            ips.add(new Result.IpConfig(requiredPrefix(ipc, "ip"), ipc.ipAddress("gateway"), null, null));
            routes.addAll(parseRoutes(ipc));
        }
        return new Result(version, List.of(), ips, routes, parseDns(json));
    }

    private static Result parseCurrent(JsonFields json, String version, boolean v1) throws CniException {
        List<Result.Interface> interfaces = new ArrayList<>();
        for (JsonFields e : json.objects("interfaces")) {
            String name = e.string("name");
            // Go prints `name` even when empty, and callers compare names: never null.
            name = name == null ? "" : name;
            // The 0.4.0 Go type has no mtu/socketPath/pciID, so they are not read from 0.x.
            interfaces.add(new Result.Interface(name, e.string("mac"), v1 ? u32(e, "mtu") : null, e.string("sandbox"),
                    v1 ? e.string("socketPath") : null, v1 ? e.string("pciID") : null));
        }

        List<Result.IpConfig> ips = new ArrayList<>();
        for (JsonFields e : json.objects("ips")) {
            // The version is kept verbatim, "" included: down-conversion to 0.2.0 selects by it as Go does.
            ips.add(new Result.IpConfig(requiredPrefix(e, "address"), e.ipAddress("gateway"), e.integer("interface"),
                    v1 ? null : e.string("version")));
        }
        return new Result(version, interfaces, ips, parseRoutes(json), parseDns(json));
    }

    /** Reads every route field whatever the version: Go shares one route type across versions. */
    private static List<Result.Route> parseRoutes(JsonFields parent) throws CniException {
        List<Result.Route> routes = new ArrayList<>();
        for (JsonFields e : parent.objects("routes")) {
            routes.add(new Result.Route(requiredPrefix(e, "dst"), e.ipAddress("gw"), u32(e, "mtu"), u32(e, "advmss"),
                    u32(e, "priority"), u32(e, "table"), u32(e, "scope")));
        }
        return routes;
    }

    private static Result.Dns parseDns(JsonFields json) throws CniException {
        JsonFields dns = json.object("dns");
        if (!dns.isPresent()) {
            return null;
        }
        // Null entries are skipped: Go decodes them as "", which is no server, domain or option either.
        return new Result.Dns(dns.strings("nameservers"), dns.string("domain"), dns.strings("search"), dns.strings("options"));
    }

    /** A required CIDR: "" is no more an address here than in Go's {@code types.IPNet}. */
    private static IpPrefix requiredPrefix(JsonFields obj, String key) throws CniException {
        IpPrefix prefix = obj.prefix(key);
        if (prefix == null) {
            throw obj.missing(key, CIDR);
        }
        return prefix;
    }

    /**
     * A u32 kept in an Integer's bits (values above 2^31-1 read back with
     * {@link Integer#toUnsignedLong}), so that every table or priority the kernel accepts
     * survives a round trip. Negative numbers are rejected rather than wrapped, so that what is
     * accepted is always printed back unchanged.
     */
    private static Integer u32(JsonFields obj, String key) throws CniException {
        Long value = obj.uint32(key);
        return value == null ? null : (int) value.longValue();
    }
}
