package dev.jcni.bridge;

import dev.jcni.core.os.netlink.BridgeVlan;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.JsonFields;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The VLAN settings of a bridge port, the reference's semantics (v1.8): {@code vlan} is the
 * port's access VLAN (PVID, untagged), {@code vlanTrunk} adds tagged VIDs, and a trunk without
 * {@code vlan} gets VID 1 as its native VLAN; the bridge's default VLAN entry is removed first
 * unless {@code preserveDefaultVlan}. Any of them makes a new bridge VLAN-filtering.
 *
 * @param vlan     the access VLAN, 0 for none
 * @param trunk    the trunk's VIDs, sorted, each once; empty for none
 * @param trunkSet whether {@code vlanTrunk} was given at all (even as an empty list: the
 *                 reference then still creates the bridge VLAN-filtering)
 * @param preserveDefaultVlan keep the bridge's default VLAN on the port
 */
record VlanSettings(int vlan, List<Integer> trunk, boolean trunkSet, boolean preserveDefaultVlan) {
    static final VlanSettings NONE = new VlanSettings(0, List.of(), false, false);

    static VlanSettings parse(JsonFields conf) throws CniException {
        Long vlan = conf.longValue("vlan");
        long v = vlan == null ? 0 : vlan;
        if (v < 0 || v > 4094) {
            throw new CniException(CniException.INVALID_CONFIG, "invalid VLAN ID " + v + " (must be between 0 and 4094)");
        }
        boolean trunkSet = conf.get("vlanTrunk") != null;
        List<Integer> trunk = trunkSet ? collectTrunk(conf.objects("vlanTrunk")) : List.<Integer>of();
        Boolean preserve = conf.bool("preserveDefaultVlan");
        return new VlanSettings((int) v, trunk, trunkSet, preserve != null && preserve);
    }

    /** The reference's trunk rules and messages: {minID, maxID} ranges and {id} VIDs, each 1..4094. */
    private static List<Integer> collectTrunk(List<JsonFields> items) throws CniException {
        TreeSet<Integer> vids = new TreeSet<>();
        for (JsonFields item : items) {
            Long min = item.longValue("minID");
            Long max = item.longValue("maxID");
            if (min != null && max != null) {
                if (min <= 0 || min > 4094) {
                    throw invalid("incorrect trunk minID parameter", item);
                }
                if (max <= 0 || max > 4094) {
                    throw invalid("incorrect trunk maxID parameter", item);
                }
                if (max < min) {
                    throw invalid("minID is greater than maxID in trunk parameter", item);
                }
                for (long id = min; id <= max; id++) {
                    vids.add((int) id);
                }
            } else if (min == null && max != null) {
                throw invalid("minID and maxID should be configured simultaneously, minID is missing", item);
            } else if (min != null) {
                throw invalid("minID and maxID should be configured simultaneously, maxID is missing", item);
            }
            Long id = item.longValue("id");
            if (id != null) {
                if (id <= 0 || id > 4094) {
                    throw invalid("incorrect trunk id parameter", item);
                }
                vids.add(id.intValue());
            }
        }
        return List.copyOf(vids);
    }

    private static CniException invalid(String msg, JsonFields item) {
        return new CniException(CniException.INVALID_CONFIG, msg, "at \"" + item.path() + "\"");
    }

    /** True when the port gets VLAN entries, and a bridge created for it VLAN filtering. */
    boolean filtering() {
        return vlan != 0 || trunkSet;
    }

    /** True when the port's existing entries (the bridge's default VLAN) are removed first. */
    boolean removesDefault() {
        return (vlan != 0 || !trunk.isEmpty()) && !preserveDefaultVlan;
    }

    /**
     * The trunk as entries, consecutive VIDs sent as one range ({@code vid 200-210}) rather than
     * one request per VID as the reference does: the same entries, in a few messages.
     */
    List<BridgeVlan> trunkEntries() {
        List<BridgeVlan> out = new ArrayList<>();
        int i = 0;
        while (i < trunk.size()) {
            int first = trunk.get(i);
            int last = first;
            while (i + 1 < trunk.size() && trunk.get(i + 1) == last + 1) {
                last = trunk.get(++i);
            }
            out.add(first == last ? BridgeVlan.tagged(first) : BridgeVlan.range(first, last));
            i++;
        }
        return out;
    }
}
