package dev.jcni.cnictl.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.ResultCodec;
import java.util.List;

/**
 * One {@code cniCacheV1} entry: everything a runtime needs to tear an attachment down later,
 * even after a restart or a config change (libcni's {@code NetworkAttachment} plus the result).
 *
 * @param config the exact conflist bytes used at ADD
 * @param result the final ADD result as cached (null when absent)
 */
public record CachedAttachment(String containerId, String network, String ifName, byte[] config, String netns,
                               List<RuntimeConf.Arg> cniArgs, ObjectNode capabilityArgs, ObjectNode result) {

    /** The runtime arguments to replay a DEL with. */
    public RuntimeConf runtimeConf() {
        return new RuntimeConf(containerId, netns, ifName, cniArgs, capabilityArgs);
    }

    /**
     * The cached result re-printed in {@code version}, as libcni's {@code GetAsVersion}, for the
     * {@code prevResult} of a DEL or CHECK; null when the entry holds no result.
     */
    public ObjectNode resultIn(String version) throws CniException {
        if (result == null) {
            return null;
        }
        try {
            return ResultCodec.toJson(ResultCodec.parse(result, version), version);
        } catch (CniException e) {
            throw new CniException(e.code(), "failed to convert cached result to config version \"" + version + "\"",
                    e.getMessage(), e);
        }
    }
}
