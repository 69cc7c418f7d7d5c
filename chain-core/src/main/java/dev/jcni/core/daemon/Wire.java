package dev.jcni.core.daemon;

/**
 * The numbers of the launcher/daemon protocol (docs/daemon-protocol.md), version 1: the magic,
 * message kinds and types, flags, decline reasons and bounds. Every integer on the wire is
 * unsigned big-endian; a string is a u32 byte length and UTF-8 bytes.
 */
public final class Wire {
    /** "JCNI". */
    public static final int MAGIC = 0x4A434E49;
    public static final int VERSION = 1;

    /** HELLO kinds. */
    public static final int KIND_PLUGIN = 1;
    public static final int KIND_CONTROL = 2;

    /** HELLO flags. */
    public static final int FLAG_SANDBOX = 1;
    public static final int FLAG_STDIN_TRUNCATED = 2;
    static final int KNOWN_FLAGS = FLAG_SANDBOX | FLAG_STDIN_TRUNCATED;

    /** Reply types. */
    public static final int ACCEPTED = 1;
    public static final int DECLINED = 2;
    public static final int RESULT = 3;
    public static final int DATA = 4;

    /** Decline reasons. */
    public static final int DECLINED_VERSION = 1;
    public static final int DECLINED_BUILD = 2;
    public static final int DECLINED_BUSY = 3;
    public static final int DECLINED_PEER = 4;
    public static final int DECLINED_DRAINING = 5;
    public static final int DECLINED_MALFORMED = 6;
    public static final int DECLINED_UNKNOWN_PLUGIN = 7;

    /** The largest message, either way. */
    public static final int MAX_MESSAGE = 65536;
    /** magic, version, type: the start of every reply. */
    public static final int REPLY_HEADER = 8;
    /** The most stdin bytes a launcher forwards: one more than a request may have, so "too large" is still seen. */
    public static final long MAX_STDIN = (16L << 20) + 1;
    public static final int MAX_ENVIRONMENT = 4096;
    /** The launcher's own namespace, and the sandbox's when flag {@link #FLAG_SANDBOX} says so. */
    public static final int MAX_DESCRIPTORS = 2;
    /** A build identity: the first 16 lowercase hex digits of a SHA-256. */
    public static final int BUILD_LENGTH = 16;

    /** The socket path when {@value #SOCKET_VARIABLE} is unset or empty. */
    public static final String DEFAULT_SOCKET = "/run/jcni/jcnid.sock";
    public static final String SOCKET_VARIABLE = "JCNI_SOCKET";

    private Wire() {}

    /** The socket path launchers, jcnid and cnictl use: {@code JCNI_SOCKET} if set and non-empty, else the default. */
    public static String socketPath(String variable) {
        return variable == null || variable.isEmpty() ? DEFAULT_SOCKET : variable;
    }

    /** A decline reason in words, for logs and messages. */
    public static String reasonName(int reason) {
        switch (reason) {
            case DECLINED_VERSION: return "version";
            case DECLINED_BUILD: return "build mismatch";
            case DECLINED_BUSY: return "busy";
            case DECLINED_PEER: return "peer not allowed";
            case DECLINED_DRAINING: return "draining";
            case DECLINED_MALFORMED: return "malformed request";
            case DECLINED_UNKNOWN_PLUGIN: return "unknown plugin";
            default: return "reason " + reason;
        }
    }

    /** True for a build identity's shape: exactly 16 lowercase hex digits. */
    public static boolean isBuildIdentity(String s) {
        if (s.length() != BUILD_LENGTH) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
