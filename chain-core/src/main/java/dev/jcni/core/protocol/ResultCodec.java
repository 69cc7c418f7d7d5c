package dev.jcni.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads results of every CNI version into {@link Result} and prints them in any version, with
 * the Go library's conversion rules (cni-protocol.md §2.4).
 *
 * <p>Every conversion goes through the one internal model instead of Go's chain of
 * version-to-version converters; the only version-specific state the model keeps is
 * {@link Result.IpConfig#declaredVersion()}, which is what makes the 0.4.0 to 0.2.0 step select
 * addresses as Go does.
 */
public final class ResultCodec {
    private ResultCodec() {}

    /**
     * Parses {@code json} by its own {@code cniVersion}, or by {@code fallbackVersion} when it has
     * none (0.1.0 when that is missing too). Unknown fields are ignored; a JSON {@code null}
     * is an empty result. Unknown versions are code 1, malformed results (an address that does not
     * parse included) code 6: see {@link JsonFields.Source#RESULT}.
     */
    public static Result parse(JsonNode json, String fallbackVersion) throws CniException {
        return ResultParser.parse(json, fallbackVersion);
    }

    /**
     * As {@link #parse(JsonNode, String)}, for a result inside another document, such as
     * {@code conf.object("prevResult")}: errors name the field by its full path
     * ("prevResult.ips[0].address") and carry the result's code (6) whatever the outer document's
     * source. An absent object is an empty result.
     */
    public static Result parse(JsonFields json, String fallbackVersion) throws CniException {
        return ResultParser.parse(json, fallbackVersion);
    }

    /**
     * Prints {@code result} in {@code targetVersion} ("" meaning 0.1.0), converting between
     * families as needed. Code 1 for an unknown target or a 0.2.0 target with no address to print.
     */
    public static ObjectNode toJson(Result result, String targetVersion) throws CniException {
        return ResultPrinter.toJson(result, targetVersion);
    }
}
