package dev.jcni.core.skel;

import dev.jcni.core.protocol.CniArgs;
import dev.jcni.core.protocol.JsonFields;
import java.util.List;

/**
 * One validated plugin request: what the environment and stdin said, as data. Plugins receive it
 * instead of reading the environment, so they can also be called in-process.
 *
 * @param command     the verb
 * @param containerId CNI_CONTAINERID ("" for GC, STATUS)
 * @param netns       CNI_NETNS ("" when absent, which DEL tolerates)
 * @param ifName      CNI_IFNAME ("" for GC, STATUS)
 * @param args        CNI_ARGS, parsed
 * @param path        CNI_PATH entries, in order
 * @param config      the request config: the JSON tree with every field the caller sent
 *                    ({@code config.node()}), read under network-config rules (errors are code
 *                    7), with the keys the parse found repeated ({@code config.duplicateKeys()})
 * @param cniVersion  the request's cniVersion ("0.1.0" when it had none)
 * @param networkName the config's {@code name}
 * @param node        the node's policy, from the environment the runtime set (never from the config)
 */
public record Invocation(
        Command command,
        String containerId,
        String netns,
        String ifName,
        CniArgs args,
        List<String> path,
        JsonFields config,
        String cniVersion,
        String networkName,
        NodePolicy node) {

    public Invocation {
        if (node == null) {
            node = NodePolicy.DEFAULTS;
        }
    }

    /** A request under the node's default policy (in-process callers and tests). */
    public Invocation(Command command, String containerId, String netns, String ifName, CniArgs args, List<String> path,
                      JsonFields config, String cniVersion, String networkName) {
        this(command, containerId, netns, ifName, args, path, config, cniVersion, networkName, NodePolicy.DEFAULTS);
    }

    /** This request under {@code policy} (tests; the skel builds it from the environment). */
    public Invocation withNode(NodePolicy policy) {
        return new Invocation(command, containerId, netns, ifName, args, path, config, cniVersion, networkName, policy);
    }
}
