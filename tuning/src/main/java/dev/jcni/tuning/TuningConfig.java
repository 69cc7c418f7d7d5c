package dev.jcni.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Fields;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.skel.Invocation;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tuning plugin's settings, read from one request and fully validated before any change.
 *
 * <p>Sources, later ones winning (the reference's order): the top-level keys; for the MAC,
 * CNI_ARGS {@code MAC}, then {@code runtimeConfig.mac}; then {@code args.cni.*}, whose
 * {@code sysctl} entries are merged into the top-level ones. Null fields were not configured.
 *
 * @param sysctls  configured key to value, in config order
 * @param mac      normalised "aa:bb:cc:dd:ee:ff"
 * @param promisc  tri-state: null leaves promiscuous mode alone, false switches it off
 * @param allmulti tri-state, like promisc
 */
public record TuningConfig(
        Map<String, String> sysctls,
        String mac,
        Integer mtu,
        Boolean promisc,
        Boolean allmulti,
        Integer txQueueLen,
        String dataDir,
        String allowlistFile) {

    public static final String DEFAULT_DATA_DIR = "/run/cni/tuning";

    /** True when any link attribute is configured (sysctls aside). */
    public boolean changesLink() {
        return mac != null || mtu != null || promisc != null || allmulti != null || txQueueLen != null;
    }

    public static TuningConfig parse(Invocation inv) throws CniException {
        ObjectNode conf = inv.config();
        rejectDuplicateSysctls(inv.rawConfig(), "sysctl");
        rejectDuplicateSysctls(inv.rawConfig(), "args", "cni", "sysctl");

        Map<String, String> sysctls = new LinkedHashMap<>();
        readSysctls(Fields.object(conf, "sysctl", "sysctl"), "sysctl", sysctls);
        String mac = Fields.string(conf, "mac", "mac");
        Integer mtu = Fields.integer(conf, "mtu", "mtu");
        Boolean promisc = Fields.bool(conf, "promisc", "promisc");
        Boolean allmulti = Fields.bool(conf, "allmulti", "allmulti");
        Integer txQueueLen = Fields.integer(conf, "txQLen", "txQLen");
        String dataDir = Fields.string(conf, "dataDir", "dataDir");
        String allowlistFile = Fields.string(conf, "allowlistFile", "allowlistFile");

        String argsMac = inv.args().get("MAC");
        if (argsMac != null && !argsMac.isEmpty()) {
            mac = argsMac;
        }
        JsonNode runtimeMac = Fields.path(conf, "runtimeConfig", "mac");
        if (runtimeMac != null) {
            if (!runtimeMac.isTextual()) {
                throw Fields.typeError("runtimeConfig.mac", runtimeMac, "a string");
            }
            mac = runtimeMac.textValue();
        }
        JsonNode cniArgs = Fields.path(conf, "args", "cni");
        if (cniArgs != null) {
            if (!cniArgs.isObject()) {
                throw Fields.typeError("args.cni", cniArgs, "an object");
            }
            // Unlike the reference (which panics), args.cni.sysctl works without a top-level sysctl.
            readSysctls(Fields.object(cniArgs, "sysctl", "args.cni.sysctl"), "args.cni.sysctl", sysctls);
            mac = orElse(Fields.string(cniArgs, "mac", "args.cni.mac"), mac);
            mtu = orElse(Fields.integer(cniArgs, "mtu", "args.cni.mtu"), mtu);
            promisc = orElse(Fields.bool(cniArgs, "promisc", "args.cni.promisc"), promisc);
            allmulti = orElse(Fields.bool(cniArgs, "allmulti", "args.cni.allmulti"), allmulti);
            txQueueLen = orElse(Fields.integer(cniArgs, "txQLen", "args.cni.txQLen"), txQueueLen);
        }

        if (mac != null) {
            mac = MacAddress.normalize(mac);
        }
        if (mtu != null && (mtu < 68 || mtu > 65535)) {
            throw new CniException(CniException.INVALID_CONFIG, "invalid value " + mtu + " for \"mtu\": expected 68 to 65535");
        }
        if (txQueueLen != null && txQueueLen < 0) {
            throw new CniException(CniException.INVALID_CONFIG, "invalid value " + txQueueLen + " for \"txQLen\": must not be negative");
        }
        if (dataDir != null && !dataDir.startsWith("/")) {
            throw new CniException(CniException.INVALID_CONFIG, "invalid value \"" + dataDir + "\" for \"dataDir\": expected an absolute path");
        }
        return new TuningConfig(Collections.unmodifiableMap(sysctls), mac, mtu, promisc, allmulti, txQueueLen,
                dataDir == null || dataDir.isEmpty() ? DEFAULT_DATA_DIR : dataDir,
                allowlistFile == null || allowlistFile.isEmpty() ? SysctlAllowlist.DEFAULT_FILE : allowlistFile);
    }

    /** Only the backup location: DEL and GC must work even when the rest of the config would not. */
    public static String dataDirOf(ObjectNode conf) throws CniException {
        String dataDir = Fields.string(conf, "dataDir", "dataDir");
        return dataDir == null || dataDir.isEmpty() ? DEFAULT_DATA_DIR : dataDir;
    }

    private static void rejectDuplicateSysctls(byte[] raw, String... path) throws CniException {
        if (raw == null) {
            return;
        }
        List<String> duplicates = Json.duplicateKeys(raw, path);
        if (!duplicates.isEmpty()) {
            throw new CniException(CniException.INVALID_CONFIG, "duplicated sysctl keys are not allowed",
                    "\"" + String.join(".", path) + "\" repeats " + duplicates);
        }
    }

    private static void readSysctls(ObjectNode node, String path, Map<String, String> into) throws CniException {
        if (node == null) {
            return;
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            JsonNode v = e.getValue();
            // The reference takes strings only; numbers and booleans are accepted as their text.
            if (!(v.isTextual() || v.isNumber() || v.isBoolean())) {
                throw Fields.typeError(path + "." + e.getKey(), v, "a string");
            }
            into.put(e.getKey(), v.asText());
        }
    }

    private static <T> T orElse(T preferred, T fallback) {
        return preferred != null ? preferred : fallback;
    }
}
