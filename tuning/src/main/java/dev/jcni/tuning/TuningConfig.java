package dev.jcni.tuning;

import com.fasterxml.jackson.databind.JsonNode;
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
 * {@code sysctl} entries are merged into the top-level ones. Every value given is validated,
 * wherever it is, with the rules of its {@link TunableAttribute} row.
 *
 * @param sysctls configured key to value, in config order
 * @param link    the configured link attributes; a row without a value is not changed (so
 *                {@code promisc: false} switches promiscuous mode off, absent leaves it alone)
 * @param dataDir where backups go ({@link TuningDefaults#dataDir})
 */
record TuningConfig(Map<String, String> sysctls, LinkSettings link, String dataDir) {
    /** Node policy, refused in a network config (issue: a config chose its own allowlist). */
    static final String ALLOWLIST_KEY = "allowlistFile";

    /** True when any link attribute is configured (sysctls aside). */
    boolean changesLink() {
        return !link.isEmpty();
    }

    static TuningConfig parse(Invocation inv) throws CniException {
        JsonFields conf = inv.config();
        refuseNodePolicy(conf);
        JsonFields topSysctl = conf.object("sysctl");
        JsonFields cniArgs = conf.object("args").object("cni");
        JsonFields argsSysctl = cniArgs.object("sysctl");
        rejectDuplicateSysctls(topSysctl);
        rejectDuplicateSysctls(argsSysctl);

        Map<String, String> sysctls = new LinkedHashMap<>();
        readSysctls(topSysctl, sysctls);
        // Unlike the reference (which panics), args.cni.sysctl works without a top-level sysctl.
        readSysctls(argsSysctl, sysctls);

        LinkSettings link = LinkSettings.NONE;
        for (TunableAttribute<?> row : TunableAttribute.APPLY_ORDER) {
            link = readFrom(conf, row, link);
        }
        String argsMac = inv.args().get("MAC");
        if (argsMac != null && !argsMac.isEmpty()) {
            link = link.with(TunableAttribute.MAC,
                    TunableAttribute.MAC.parse(Json.NODES.textNode(argsMac), JsonFields.Source.NETWORK_CONFIG, "CNI_ARGS MAC"));
        }
        link = readFrom(conf.object("runtimeConfig"), TunableAttribute.MAC, link);
        for (TunableAttribute<?> row : TunableAttribute.APPLY_ORDER) {
            link = readFrom(cniArgs, row, link);
        }
        return new TuningConfig(Collections.unmodifiableMap(sysctls), link, TuningDefaults.dataDir(conf, inv.node()));
    }

    /** {@code settings} with {@code row}'s value from {@code fields} when it has one. */
    private static <T> LinkSettings readFrom(JsonFields fields, TunableAttribute<T> row, LinkSettings settings) throws CniException {
        T value = row.read(fields);
        return value == null ? settings : settings.with(row, value);
    }

    /**
     * The allowlist decides what a config may do, so a config cannot name it: refused in any
     * spelling and with any value, so nobody believes a value was honoured.
     */
    private static void refuseNodePolicy(JsonFields conf) throws CniException {
        for (Map.Entry<String, JsonNode> e : conf.entries()) {
            if (e.getKey().equalsIgnoreCase(ALLOWLIST_KEY)) {
                throw new CniException(CniException.INVALID_CONFIG, "\"" + e.getKey() + "\" cannot be set in a network config",
                        "the sysctl allowlist is node policy: " + TuningDefaults.ALLOWLIST_FILE + ", or the file the runtime names in "
                                + TuningDefaults.ALLOWLIST_VARIABLE);
            }
        }
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
            String problem = SysctlKey.valueProblem(v.asText());
            if (problem != null) {
                throw new CniException(CniException.INVALID_CONFIG, "invalid value for \"" + sysctl.pathOf(e.getKey()) + "\"", problem);
            }
            into.put(e.getKey(), v.asText());
        }
    }
}
