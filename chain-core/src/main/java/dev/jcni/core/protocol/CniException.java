package dev.jcni.core.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A CNI error: the spec's {@code {code, msg, details}} triple. Plugin code throws it; the skel
 * prints it on stdout and exits 1. Codes below 100 are the spec's, 100 and up are plugin-specific.
 */
public class CniException extends Exception {
    public static final int INCOMPATIBLE_VERSION = 1;
    public static final int UNSUPPORTED_FIELD = 2;
    public static final int UNKNOWN_CONTAINER = 3;
    public static final int INVALID_ENVIRONMENT = 4;
    public static final int IO_FAILURE = 5;
    public static final int DECODING_FAILURE = 6;
    public static final int INVALID_CONFIG = 7;
    /** Not in the spec; the Go library uses it when CNI_NETNS is the plugin's own namespace. */
    public static final int INVALID_NETNS = 8;
    public static final int TRY_AGAIN_LATER = 11;
    public static final int NOT_AVAILABLE = 50;
    public static final int NOT_AVAILABLE_LIMITED_CONNECTIVITY = 51;
    /** First plugin-specific code: a kernel or file operation failed. */
    public static final int PLUGIN_FAILURE = 100;
    /** Plugin-specific: CHECK found live state differing from what was configured. */
    public static final int CHECK_DRIFT = 101;
    /** Go's ErrInternal, used for unexpected failures. */
    public static final int INTERNAL = 999;

    private final int code;
    private final String msg;
    private final String details;

    public CniException(int code, String msg) {
        this(code, msg, null, null);
    }

    public CniException(int code, String msg, String details) {
        this(code, msg, details, null);
    }

    public CniException(int code, String msg, String details, Throwable cause) {
        super(details == null || details.isEmpty() ? msg : msg + "; " + details, cause);
        this.code = code;
        this.msg = msg;
        this.details = details == null ? "" : details;
    }

    public static CniException invalidConfig(String msg) {
        return new CniException(INVALID_CONFIG, msg);
    }

    public static CniException unsupportedField(String field, Object value, String why) {
        return new CniException(UNSUPPORTED_FIELD, "unsupported value " + value + " for field \"" + field + "\": " + why);
    }

    public static CniException pluginFailure(String msg, Throwable cause) {
        String d = cause == null ? null : String.valueOf(cause.getMessage());
        return new CniException(PLUGIN_FAILURE, msg, d, cause);
    }

    public int code() {
        return code;
    }

    public String msg() {
        return msg;
    }

    public String details() {
        return details;
    }

    /** The error object printed on stdout; {@code cniVersion} is included as the spec asks. */
    public ObjectNode toJson(String cniVersion) {
        ObjectNode o = Json.NODES.objectNode();
        if (cniVersion != null && !cniVersion.isEmpty()) {
            o.put("cniVersion", cniVersion);
        }
        o.put("code", code);
        o.put("msg", msg);
        if (!details.isEmpty()) {
            o.put("details", details);
        }
        return o;
    }
}
