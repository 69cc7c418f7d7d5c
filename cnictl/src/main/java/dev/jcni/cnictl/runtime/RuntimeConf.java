package dev.jcni.cnictl.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.protocol.CniException;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-attachment arguments of one runtime operation, as libcni's {@code RuntimeConf}.
 *
 * @param containerId    CNI_CONTAINERID
 * @param netns          CNI_NETNS (may be empty on DEL)
 * @param ifName         CNI_IFNAME
 * @param cniArgs        CNI_ARGS pairs, in order; serialised {@code K=V;K=V} and cached as {@code [["K","V"],…]}
 * @param capabilityArgs what the runtime offers for {@code runtimeConfig} (portMappings, bandwidth…),
 *                       filtered per plugin by its declared capabilities; null or empty for none
 */
public record RuntimeConf(String containerId, String netns, String ifName, List<Arg> cniArgs, ObjectNode capabilityArgs) {

    /** One CNI_ARGS pair. Duplicates and order are kept, as libcni keeps a list of pairs. */
    public record Arg(String key, String value) {}

    public RuntimeConf {
        containerId = containerId == null ? "" : containerId;
        netns = netns == null ? "" : netns;
        ifName = ifName == null ? "" : ifName;
        cniArgs = cniArgs == null ? List.of() : List.copyOf(cniArgs);
    }

    public static RuntimeConf of(String containerId, String netns, String ifName) {
        return new RuntimeConf(containerId, netns, ifName, List.of(), null);
    }

    public boolean hasCapabilityArgs() {
        return capabilityArgs != null && capabilityArgs.size() > 0;
    }

    public RuntimeConf withCapabilityArgs(ObjectNode args) {
        return new RuntimeConf(containerId, netns, ifName, cniArgs, args);
    }

    public RuntimeConf withCniArgs(List<Arg> args) {
        return new RuntimeConf(containerId, netns, ifName, args, capabilityArgs);
    }

    /** CNI_ARGS as libcni serialises it: {@code K=V} joined by ';', in the given order. */
    public String cniArgsString() {
        StringBuilder sb = new StringBuilder();
        for (Arg a : cniArgs) {
            if (sb.length() > 0) {
                sb.append(';');
            }
            sb.append(a.key()).append('=').append(a.value());
        }
        return sb.toString();
    }

    /**
     * Parses a CNI_ARGS string as cnitool does, except that a value may contain '=' (only the
     * first one splits) and empty segments are skipped: both are harmless to accept.
     *
     * <p>Not {@link dev.jcni.core.protocol.CniArgs}, the plugins' parser: a runtime keeps the pairs
     * as given, duplicates and order included, because libcni caches them that way, and it
     * refuses an empty value as cnitool does.
     */
    public static List<Arg> parseCniArgs(String raw) throws CniException {
        List<Arg> out = new ArrayList<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split(";", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                throw new CniException(CniException.INVALID_ENVIRONMENT,
                        "invalid CNI_ARGS pair \"" + pair + "\"", "expected KEY=VALUE with both parts non-empty");
            }
            out.add(new Arg(pair.substring(0, eq), pair.substring(eq + 1)));
        }
        return out;
    }
}
