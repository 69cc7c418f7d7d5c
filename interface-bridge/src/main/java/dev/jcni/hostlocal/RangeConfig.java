package dev.jcni.hostlocal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.net.IpAddress;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.CniVersion;
import dev.jcni.core.protocol.JsonFields;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where a request's range sets come from, in the reference's order: the {@code ipRanges}
 * capability ({@code runtimeConfig.ipRanges}) first, then the legacy single range
 * ({@code ipam.subnet}, {@code rangeStart}, {@code rangeEnd}, {@code gateway}) as one set, then
 * {@code ipam.ranges}. The capability's sets are PREPENDED, not substituted: the reference's
 * config test pins that order, and the set indexes (which name the round-robin files) follow it.
 *
 * <p>Validated as the reference validates, with its messages: no sets at all, each set
 * ({@code invalid range set N: ...}), more than one set per family for a 0.1.0/0.2.0 request
 * (whose result holds one address per family), and sets overlapping each other.
 */
final class RangeConfig {
    private RangeConfig() {}

    static List<RangeSet> read(JsonFields conf, JsonFields ipam, String requestVersion) throws CniException {
        List<List<SubnetRange.Spec>> specs = new ArrayList<>();
        specs.addAll(specSets(conf.object("runtimeConfig"), "ipRanges"));
        SubnetRange.Spec legacy = spec(ipam);
        if (legacy.subnet() != null) {
            specs.add(List.of(legacy));
        }
        specs.addAll(specSets(ipam, "ranges"));
        if (specs.isEmpty()) {
            throw new CniException(CniException.INVALID_CONFIG, "no IP ranges specified",
                    "set \"ipam.ranges\" (or the legacy \"ipam.subnet\")");
        }
        List<RangeSet> sets = new ArrayList<>(specs.size());
        int v4 = 0;
        int v6 = 0;
        for (int i = 0; i < specs.size(); i++) {
            RangeSet set;
            try {
                set = RangeSet.canonicalize(specs.get(i));
            } catch (CniException e) {
                throw new CniException(e.code(), "invalid range set " + i + ": " + e.msg(), e.details());
            }
            if (set.family() == IpAddress.Family.IPV4) {
                v4++;
            } else {
                v6++;
            }
            sets.add(set);
        }
        if ((v4 > 1 || v6 > 1) && !CniVersion.atLeast(requestVersion, CniVersion.V0_3_0)) {
            String written = conf.string("cniVersion");
            throw new CniException(CniException.INVALID_CONFIG, "CNI version " + (written == null ? "" : written)
                    + " does not support more than 1 address per family",
                    "a " + requestVersion + " result holds one IPv4 and one IPv6 address at most");
        }
        for (int i = 0; i < sets.size(); i++) {
            for (int j = i + 1; j < sets.size(); j++) {
                if (sets.get(i).overlaps(sets.get(j))) {
                    throw new CniException(CniException.INVALID_CONFIG, "range set " + i + " overlaps with " + j);
                }
            }
        }
        return Collections.unmodifiableList(sets);
    }

    /** The array of arrays of ranges at {@code key} ({@code [[{subnet...}, ...], ...]}); none when absent. */
    private static List<List<SubnetRange.Spec>> specSets(JsonFields parent, String key) throws CniException {
        ArrayNode outer = parent.array(key);
        List<List<SubnetRange.Spec>> out = new ArrayList<>();
        if (outer == null) {
            return out;
        }
        for (int i = 0; i < outer.size(); i++) {
            JsonNode inner = outer.get(i);
            String setPath = parent.pathOf(key) + "[" + i + "]";
            if (inner.isNull()) {
                // Go decodes a null set as an empty one, which then fails as "empty range set".
                out.add(List.<SubnetRange.Spec>of());
                continue;
            }
            if (!inner.isArray()) {
                throw JsonFields.typeError(parent.source(), setPath, inner, "an array of ranges");
            }
            List<SubnetRange.Spec> set = new ArrayList<>(inner.size());
            for (int j = 0; j < inner.size(); j++) {
                JsonNode range = inner.get(j);
                String rangePath = setPath + "[" + j + "]";
                if (range.isNull()) {
                    // A null range decodes as an empty one, which fails for its missing subnet.
                    set.add(new SubnetRange.Spec(null, false, null, null, null));
                    continue;
                }
                if (!range.isObject()) {
                    throw JsonFields.typeError(parent.source(), rangePath, range, "a range object such as {\"subnet\": \"10.1.0.0/16\"}");
                }
                set.add(spec(JsonFields.at((ObjectNode) range, rangePath, parent.source())));
            }
            out.add(set);
        }
        return out;
    }

    /** One range's fields, parsed (a bad address is an error even where the range is not used). */
    private static SubnetRange.Spec spec(JsonFields range) throws CniException {
        AddressText.Cidr subnet = AddressText.cidr(range, "subnet");
        return new SubnetRange.Spec(subnet == null ? null : subnet.prefix(), subnet != null && subnet.writtenAsIpv6(),
                AddressText.ip(range, "rangeStart"), AddressText.ip(range, "rangeEnd"), AddressText.ip(range, "gateway"));
    }
}
