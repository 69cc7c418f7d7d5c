package dev.jcni.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.net.AddressFormatException;
import dev.jcni.core.net.MacAddress;
import dev.jcni.core.protocol.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The values an attachment had before tuning changed them, as stored in
 * {@code <dataDir>/<containerID>_<ifname>.json}.
 *
 * <p>Keys {@code mac}, {@code promisc}, {@code mtu}, {@code allmulti} and {@code txQLen} are the
 * reference plugin's, so either implementation restores the other's backups. Ours adds
 * {@code sysctl} (resolved path below /proc/sys to original value: the reference never restores
 * sysctls) and the owner ({@code network}, {@code containerID}, {@code ifName}), which GC needs
 * because a file name cannot be split reliably: container IDs and interface names may both
 * contain '_'. A null field was not changed and is not restored.
 */
public record TuningBackup(
        MacAddress mac,
        Boolean promisc,
        Integer mtu,
        Boolean allmulti,
        Integer txQueueLen,
        Map<String, String> sysctls,
        String network,
        String containerId,
        String ifName) {

    public boolean isEmpty() {
        return mac == null && promisc == null && mtu == null && allmulti == null && txQueueLen == null && sysctls.isEmpty();
    }

    /**
     * This backup extended with {@code newer}'s values for what this one lacks. A second ADD for
     * the same attachment must not replace the true originals with values tuning itself set.
     */
    public TuningBackup mergedWith(TuningBackup newer) {
        Map<String, String> merged = new LinkedHashMap<>(newer.sysctls);
        merged.putAll(sysctls);
        return new TuningBackup(
                mac != null ? mac : newer.mac,
                promisc != null ? promisc : newer.promisc,
                mtu != null ? mtu : newer.mtu,
                allmulti != null ? allmulti : newer.allmulti,
                txQueueLen != null ? txQueueLen : newer.txQueueLen,
                Collections.unmodifiableMap(merged),
                newer.network, newer.containerId, newer.ifName);
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.NODES.objectNode();
        if (mac != null) {
            o.put("mac", mac.toString());
        }
        if (promisc != null) {
            o.put("promisc", promisc);
        }
        if (mtu != null) {
            o.put("mtu", mtu);
        }
        if (allmulti != null) {
            o.put("allmulti", allmulti);
        }
        if (txQueueLen != null) {
            o.put("txQLen", txQueueLen);
        }
        if (!sysctls.isEmpty()) {
            ObjectNode s = o.putObject("sysctl");
            for (Map.Entry<String, String> e : sysctls.entrySet()) {
                s.put(e.getKey(), e.getValue());
            }
        }
        putIfPresent(o, "network", network);
        putIfPresent(o, "containerID", containerId);
        putIfPresent(o, "ifName", ifName);
        return o;
    }

    /** Reads a backup of either implementation; wrongly typed fields are ignored, like absent ones. */
    public static TuningBackup fromJson(JsonNode o) {
        Map<String, String> sysctls = new LinkedHashMap<>();
        JsonNode s = o.get("sysctl");
        if (s != null && s.isObject()) {
            for (Map.Entry<String, JsonNode> e : s.properties()) {
                if (e.getValue().isTextual()) {
                    sysctls.put(e.getKey(), e.getValue().textValue());
                }
            }
        }
        return new TuningBackup(
                mac(o.get("mac")),
                bool(o.get("promisc")),
                positiveInt(o.get("mtu")),
                bool(o.get("allmulti")),
                o.has("txQLen") && o.get("txQLen").isInt() ? o.get("txQLen").intValue() : null,
                Collections.unmodifiableMap(sysctls),
                text(o.get("network")), text(o.get("containerID")), text(o.get("ifName")));
    }

    /** A MAC that does not parse is ignored like any other wrongly typed field: nothing to restore. */
    private static MacAddress mac(JsonNode n) {
        if (n == null || !n.isTextual()) {
            return null;
        }
        try {
            return MacAddress.parse(n.textValue());
        } catch (AddressFormatException e) {
            return null;
        }
    }

    private static Boolean bool(JsonNode n) {
        return n != null && n.isBoolean() ? n.booleanValue() : null;
    }

    // The reference writes mtu with omitempty, so 0 means "not backed up".
    private static Integer positiveInt(JsonNode n) {
        return n != null && n.isInt() && n.intValue() > 0 ? n.intValue() : null;
    }

    private static String text(JsonNode n) {
        return n != null && n.isTextual() ? n.textValue() : null;
    }

    private static void putIfPresent(ObjectNode o, String key, String value) {
        if (value != null) {
            o.put(key, value);
        }
    }
}
