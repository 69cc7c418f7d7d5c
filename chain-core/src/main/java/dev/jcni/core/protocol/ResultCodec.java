package dev.jcni.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads results of every CNI version into {@link Result} and prints them in any version, with
 * the Go library's conversion rules (cni-protocol.md §2.4).
 */
public final class ResultCodec {
    private ResultCodec() {}

    /**
     * Parses {@code json} by its own {@code cniVersion}, or by {@code fallbackVersion} when it has
     * none. Unknown fields are ignored.
     */
    public static Result parse(JsonNode json, String fallbackVersion) throws CniException {
        throw new CniException(CniException.INTERNAL, "ResultCodec.parse is being written");
    }

    /** Prints {@code result} in {@code targetVersion}, converting between families as needed. */
    public static ObjectNode toJson(Result result, String targetVersion) throws CniException {
        throw new CniException(CniException.INTERNAL, "ResultCodec.toJson is being written");
    }
}
