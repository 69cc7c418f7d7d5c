package dev.jcni.core.daemon;

/**
 * A message that does not follow the protocol, with the decline reason it earns:
 * {@link Wire#DECLINED_VERSION} for a HELLO of another protocol version, otherwise
 * {@link Wire#DECLINED_MALFORMED}.
 */
public final class ProtocolException extends Exception {
    private final int reason;

    public ProtocolException(int reason, String message) {
        super(message);
        this.reason = reason;
    }

    static ProtocolException malformed(String message) {
        return new ProtocolException(Wire.DECLINED_MALFORMED, message);
    }

    public int reason() {
        return reason;
    }
}
