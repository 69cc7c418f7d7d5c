package dev.jcni.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.net.AddressFormatException;
import dev.jcni.core.net.MacAddress;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.protocol.JsonFields;
import dev.jcni.core.skel.Invocation;
import java.util.ArrayList;
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
 * @param mac      an assignable (unicast, non-zero) address
 * @param promisc  tri-state: null leaves promiscuous mode alone, false switches it off
 * @param allmulti tri-state, like promisc
 */
public record TuningConfig(
        Map<String, String> sysctls,
        MacAddress mac,
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
        JsonFields conf = inv.config();
        JsonFields topSysctl = conf.object("sysctl");
        JsonFields cniArgs = conf.object("args").object("cni");
        JsonFields argsSysctl = cniArgs.object("sysctl");
        rejectDuplicateSysctls(topSysctl);
        rejectDuplicateSysctls(argsSysctl);

        Map<String, String> sysctls = new LinkedHashMap<>();
        readSysctls(topSysctl, sysctls);
        String mac = conf.string("mac");
        String macFrom = conf.pathOf("mac");
        Integer mtu = conf.integer("mtu");
        Boolean promisc = conf.bool("promisc");
        Boolean allmulti = conf.bool("allmulti");
        Integer txQueueLen = conf.integer("txQLen");
        String dataDir = conf.string("dataDir");
        String allowlistFile = conf.string("allowlistFile");

        String argsMac = inv.args().get("MAC");
        if (argsMac != null && !argsMac.isEmpty()) {
            mac = argsMac;
            macFrom = "CNI_ARGS MAC";
        }
        JsonFields runtimeConfig = conf.object("runtimeConfig");
        String runtimeMac = runtimeConfig.string("mac");
        if (runtimeMac != null) {
            mac = runtimeMac;
            macFrom = runtimeConfig.pathOf("mac");
        }
        // Unlike the reference (which panics), args.cni.sysctl works without a top-level sysctl.
        readSysctls(argsSysctl, sysctls);
        String argsCniMac = cniArgs.string("mac");
        if (argsCniMac != null) {
            mac = argsCniMac;
            macFrom = cniArgs.pathOf("mac");
        }
        mtu = orElse(cniArgs.integer("mtu"), mtu);
        promisc = orElse(cniArgs.bool("promisc"), promisc);
        allmulti = orElse(cniArgs.bool("allmulti"), allmulti);
        txQueueLen = orElse(cniArgs.integer("txQLen"), txQueueLen);

        if (mtu != null && (mtu < 68 || mtu > 65535)) {
            throw new CniException(CniException.INVALID_CONFIG, "invalid value " + mtu + " for \"mtu\": expected 68 to 65535");
        }
        if (txQueueLen != null && txQueueLen < 0) {
            throw new CniException(CniException.INVALID_CONFIG, "invalid value " + txQueueLen + " for \"txQLen\": must not be negative");
        }
        if (dataDir != null && !dataDir.startsWith("/")) {
            throw new CniException(CniException.INVALID_CONFIG, "invalid value \"" + dataDir + "\" for \"dataDir\": expected an absolute path");
        }
        return new TuningConfig(Collections.unmodifiableMap(sysctls), mac == null ? null : assignableMac(mac, macFrom),
                mtu, promisc, allmulti, txQueueLen,
                dataDir == null || dataDir.isEmpty() ? DEFAULT_DATA_DIR : dataDir,
                allowlistFile == null || allowlistFile.isEmpty() ? SysctlAllowlist.DEFAULT_FILE : allowlistFile);
    }

    /** Only the backup location: DEL and GC must work even when the rest of the config would not. */
    public static String dataDirOf(JsonFields conf) throws CniException {
        String dataDir = conf.string("dataDir");
        return dataDir == null || dataDir.isEmpty() ? DEFAULT_DATA_DIR : dataDir;
    }

    /**
     * The configured MAC, refused unless an interface can take it: the kernel would reject a
     * multicast or all-zero address on a veth only after the first changes were made.
     */
    static MacAddress assignableMac(String text, String from) throws CniException {
        MacAddress mac;
        try {
            mac = MacAddress.parse(text);
        } catch (AddressFormatException e) {
            throw new CniException(CniException.INVALID_CONFIG, "invalid MAC address \"" + text + "\"",
                    from + ": expected six hex octets such as c2:11:22:33:44:55 (" + e.reason() + ")");
        }
        if (mac.isZero() || mac.isMulticast()) {
            throw new CniException(CniException.INVALID_CONFIG, "invalid MAC address \"" + text + "\"",
                    mac.isZero() ? "the all-zero address cannot be assigned" : "a multicast address cannot be assigned to an interface");
        }
        return mac;
    }

    /** Go's tuning decodes sysctls into a map after checking the raw JSON for repeated keys; so do we. */
    private static void rejectDuplicateSysctls(JsonFields sysctl) throws CniException {
        List<String> repeated = new ArrayList<>();
        for (Json.DuplicateKey d : sysctl.duplicateKeys()) {
            // Sysctl paths are case-sensitive: "a.B" and "a.b" are different files, not a repeat.
            if (d.exact() && !repeated.contains(d.key())) {
                repeated.add(d.key());
            }
        }
        if (!repeated.isEmpty()) {
            throw new CniException(CniException.INVALID_CONFIG, "duplicated sysctl keys are not allowed",
                    "\"" + sysctl.path() + "\" repeats " + repeated);
        }
    }

    private static void readSysctls(JsonFields sysctl, Map<String, String> into) throws CniException {
        for (Map.Entry<String, JsonNode> e : sysctl.entries()) {
            JsonNode v = e.getValue();
            // The reference takes strings only; numbers and booleans are accepted as their text.
            if (!(v.isTextual() || v.isNumber() || v.isBoolean())) {
                throw sysctl.invalid(e.getKey(), v, "a string");
            }
            into.put(e.getKey(), v.asText());
        }
    }

    private static <T> T orElse(T preferred, T fallback) {
        return preferred != null ? preferred : fallback;
    }
}
