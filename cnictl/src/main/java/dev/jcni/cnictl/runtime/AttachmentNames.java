package dev.jcni.cnictl.runtime;

import dev.jcni.core.protocol.CniException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The checks libcni makes on an attachment's names before an ADD ({@code ValidateContainerID},
 * {@code ValidateNetworkName}, {@code ValidateInterfaceName}), with its messages. The skel makes
 * the same checks again in each plugin; making them here fails the ADD before any plugin runs.
 */
final class AttachmentNames {
    private static final Pattern ID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.\\-]*");
    /** The kernel's IFNAMSIZ less the terminating NUL. */
    private static final int MAX_IFNAME_BYTES = 15;

    private AttachmentNames() {}

    static void validate(String network, RuntimeConf rt) throws CniException {
        if (rt.containerId().isEmpty()) {
            throw new CniException(CniException.UNKNOWN_CONTAINER, "missing containerID");
        }
        if (!ID.matcher(rt.containerId()).matches()) {
            throw new CniException(CniException.INVALID_ENVIRONMENT, "invalid characters in containerID",
                    "\"" + rt.containerId() + "\" must match [a-zA-Z0-9][a-zA-Z0-9_.-]*");
        }
        if (network.isEmpty()) {
            throw new CniException(CniException.INVALID_CONFIG, "missing network name");
        }
        if (!ID.matcher(network).matches()) {
            throw new CniException(CniException.INVALID_CONFIG, "invalid characters found in network name",
                    "\"" + network + "\" must match [a-zA-Z0-9][a-zA-Z0-9_.-]*");
        }
        String problem = interfaceNameProblem(rt.ifName());
        if (problem != null) {
            throw new CniException(CniException.INVALID_ENVIRONMENT, problem, "CNI_IFNAME \"" + rt.ifName() + "\"");
        }
    }

    /** What is wrong with {@code ifName} as a Linux link name, or null when nothing is. */
    private static String interfaceNameProblem(String ifName) {
        if (ifName.isEmpty()) {
            return "interface name is empty";
        }
        if (ifName.getBytes(StandardCharsets.UTF_8).length > MAX_IFNAME_BYTES) {
            return "interface name is too long";
        }
        if (ifName.equals(".") || ifName.equals("..")) {
            return "interface name is . or ..";
        }
        for (int i = 0; i < ifName.length(); i++) {
            char c = ifName.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c)) {
                return "interface name contains / or : or whitespace characters";
            }
        }
        return null;
    }
}
