package dev.jcni.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.protocol.JsonFields;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values an attachment had before tuning changed them, as stored in
 * {@code <dataDir>/<containerID>_<ifname>.json}.
 *
 * <p>Keys {@code mac}, {@code promisc}, {@code mtu}, {@code allmulti} and {@code txQLen} are the
 * reference plugin's (the {@link TunableAttribute} rows' keys), so either implementation restores
 * the other's backups. Ours adds {@code sysctl} (resolved path below /proc/sys to original value:
 * the reference never restores sysctls) and the owner ({@code network}, {@code containerID},
 * {@code ifName}), which GC needs because a file name cannot be split reliably: container IDs and
 * interface names may both contain '_'. A row without a value was not changed and is not restored.
 *
 * <p>A backup is read back as untrusted input: anything may have been planted in the data
 * directory. {@link #fromJson} applies the config's rules to every value (the sysctl path must be
 * a clean path below /proc/sys/net, values without control characters, a unicast MAC, an MTU in
 * range, a queue length of 0 or more, booleans) and drops each one that breaks them, saying why.
 */
record TuningBackup(LinkSettings link, Map<String, String> sysctls, String network, String containerId, String ifName) {

    boolean isEmpty() {
        return link.isEmpty() && sysctls.isEmpty();
    }

    /**
     * This backup extended with {@code newer}'s values for what this one lacks. A second ADD for
     * the same attachment must not replace the true originals with values tuning itself set.
     */
    TuningBackup mergedWith(TuningBackup newer) {
        Map<String, String> merged = new LinkedHashMap<>(newer.sysctls);
        merged.putAll(sysctls);
        return new TuningBackup(link.orElse(newer.link), Collections.unmodifiableMap(merged),
                newer.network, newer.containerId, newer.ifName);
    }

    ObjectNode toJson() {
        ObjectNode o = Json.NODES.objectNode();
        for (TunableAttribute<?> row : TunableAttribute.APPLY_ORDER) {
            putRow(o, row);
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

    private <T> void putRow(ObjectNode o, TunableAttribute<T> row) {
        T value = link.get(row);
        if (value != null) {
            o.set(row.key(), row.toJson(value));
        }
    }

    /**
     * Reads a backup of either implementation, keeping only what passes the config's rules; each
     * value dropped is described in {@code dropped} ("txQLen: invalid value -5 ...").
     */
    static TuningBackup fromJson(ObjectNode o, List<String> dropped) {
        JsonFields fields = JsonFields.of(o, JsonFields.Source.RESULT);
        LinkSettings link = LinkSettings.NONE;
        for (TunableAttribute<?> row : TunableAttribute.APPLY_ORDER) {
            link = readRow(fields, row, link, dropped);
        }
        Map<String, String> sysctls = new LinkedHashMap<>();
        JsonNode s = o.get("sysctl");
        if (s != null && !s.isObject()) {
            dropped.add("sysctl: not an object");
        } else if (s != null) {
            for (Map.Entry<String, JsonNode> e : s.properties()) {
                String problem = sysctlProblem(e.getKey(), e.getValue());
                if (problem == null) {
                    sysctls.put(e.getKey(), e.getValue().textValue());
                } else {
                    dropped.add("sysctl " + e.getKey() + ": " + problem);
                }
            }
        }
        return new TuningBackup(link, Collections.unmodifiableMap(sysctls),
                text(o.get("network")), text(o.get("containerID")), text(o.get("ifName")));
    }

    private static <T> LinkSettings readRow(JsonFields fields, TunableAttribute<T> row, LinkSettings link, List<String> dropped) {
        JsonNode node = fields.get(row.key());
        if (node == null || row.unsetInBackup(node)) {
            return link;
        }
        try {
            return link.with(row, row.parse(node, JsonFields.Source.RESULT, row.key()));
        } catch (CniException e) {
            dropped.add(row.key() + ": " + e.getMessage());
            return link;
        }
    }

    private static String sysctlProblem(String path, JsonNode value) {
        if (!SysctlKey.isResolvedNetPath(path)) {
            return "not a path below /proc/sys/net";
        }
        if (!value.isTextual()) {
            return "the value is not a string";
        }
        return SysctlKey.valueProblem(value.textValue());
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
