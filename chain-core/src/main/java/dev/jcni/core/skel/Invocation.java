package dev.jcni.core.skel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.protocol.CniArgs;
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
 * @param config      the request config, a JSON tree with every field the caller sent
 * @param cniVersion  the request's cniVersion ("0.1.0" when it had none)
 * @param networkName the config's {@code name}
 * @param rawConfig   stdin exactly as received, for the few checks a tree cannot express
 *                    (duplicate keys); in-process callers pass the bytes they would have sent
 */
public record Invocation(
        Command command,
        String containerId,
        String netns,
        String ifName,
        CniArgs args,
        List<String> path,
        ObjectNode config,
        String cniVersion,
        String networkName,
        byte[] rawConfig) {}
