package dev.jcni.core.skel;

import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.JsonFields;
import dev.jcni.core.protocol.Result;
import dev.jcni.core.protocol.ResultCodec;

/**
 * The previous result of a chain, which a chained plugin (tuning, portmap, bandwidth) requires on
 * ADD and CHECK: present (the reference's "Required prevResult missing", code 7, otherwise),
 * parsed by its own cniVersion (falling back to the request's), into the internal model.
 */
public final class PrevResult {
    private PrevResult() {}

    /** The request's {@code prevResult}, parsed; code 7 when absent, code 6 when it cannot be read. */
    public static Result require(Invocation inv, String pluginName) throws CniException {
        JsonFields prev = inv.config().object("prevResult");
        if (!prev.isPresent()) {
            throw new CniException(CniException.INVALID_CONFIG, "Required prevResult missing",
                    pluginName + " is a chained plugin: list it after an interface plugin");
        }
        return ResultCodec.parse(prev, inv.cniVersion());
    }

    /**
     * Fails unless {@code result} can be printed in {@code version}, the request's cniVersion: call
     * it before the first change, so an ADD that could not answer changes nothing (a 0.1.0 or
     * 0.2.0 request with a result holding no IP address cannot be answered, for instance).
     */
    public static void requirePrintable(Result result, String version) throws CniException {
        try {
            ResultCodec.toJson(result, version);
        } catch (CniException e) {
            throw new CniException(e.code(), e.msg(), "the result cannot be returned in cniVersion \"" + version
                    + "\", so nothing was changed" + (e.details().isEmpty() ? "" : ": " + e.details()), e);
        }
    }
}
