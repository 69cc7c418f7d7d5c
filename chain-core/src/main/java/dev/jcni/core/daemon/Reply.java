package dev.jcni.core.daemon;

/**
 * One reply message, daemon to launcher: ACCEPTED, DECLINED (reason, message), RESULT (exit
 * code, stdout and stderr lengths) or a DATA chunk. {@code encode*} make the bytes,
 * {@link #decode} reads them back (checking magic, version and exact lengths).
 *
 * @param type          {@link Wire#ACCEPTED}, {@link Wire#DECLINED}, {@link Wire#RESULT} or {@link Wire#DATA}
 * @param reason        DECLINED's reason, else 0
 * @param message       DECLINED's message, else ""
 * @param exitCode      RESULT's exit code, else 0
 * @param stdoutLength  RESULT's stdout length, else 0
 * @param stderrLength  RESULT's stderr length, else 0
 * @param data          a DATA chunk's bytes, else empty
 */
public record Reply(int type, int reason, String message, long exitCode, long stdoutLength, long stderrLength, byte[] data) {
    /** The most bytes one DATA chunk carries. */
    public static final int MAX_DATA = Wire.MAX_MESSAGE - Wire.REPLY_HEADER;
    /** stdout and stderr are each at most this long (a plugin's output is far smaller). */
    public static final long MAX_OUTPUT = 1L << 40;

    private static final byte[] NONE = new byte[0];

    public static byte[] encodeAccepted() {
        return new WireWriter().replyHeader(Wire.ACCEPTED).toBytes();
    }

    public static byte[] encodeDeclined(int reason, String message) {
        return new WireWriter().replyHeader(Wire.DECLINED).u16(reason).string(message).toBytes();
    }

    public static byte[] encodeResult(int exitCode, long stdoutLength, long stderrLength) {
        return new WireWriter().replyHeader(Wire.RESULT).u32(exitCode & 0xffffffffL).u64(stdoutLength).u64(stderrLength).toBytes();
    }

    /** One DATA chunk of {@code bytes[offset..offset+length)}, {@code length} at most {@link #MAX_DATA}. */
    public static byte[] encodeData(byte[] bytes, int offset, int length) {
        if (length > MAX_DATA) {
            throw new IllegalArgumentException("a DATA chunk carries at most " + MAX_DATA + " bytes");
        }
        return new WireWriter().replyHeader(Wire.DATA).bytes(bytes, offset, length).toBytes();
    }

    public static Reply decode(byte[] message) throws ProtocolException {
        if (message.length > Wire.MAX_MESSAGE) {
            throw ProtocolException.malformed("reply of " + message.length + " bytes");
        }
        WireReader r = new WireReader(message);
        long magic = r.u32("magic");
        if (magic != (Wire.MAGIC & 0xffffffffL)) {
            throw ProtocolException.malformed("bad magic 0x" + Long.toHexString(magic));
        }
        int version = r.u16("version");
        if (version != Wire.VERSION) {
            throw new ProtocolException(Wire.DECLINED_VERSION, "reply of protocol version " + version);
        }
        int type = r.u16("type");
        switch (type) {
            case Wire.ACCEPTED:
                r.end("ACCEPTED");
                return new Reply(type, 0, "", 0, 0, 0, NONE);
            case Wire.DECLINED: {
                int reason = r.u16("reason");
                String text = r.string("message");
                r.end("DECLINED");
                return new Reply(type, reason, text, 0, 0, 0, NONE);
            }
            case Wire.RESULT: {
                long exit = r.u32("exitCode");
                long out = r.u64("stdoutLength", MAX_OUTPUT);
                long err = r.u64("stderrLength", MAX_OUTPUT);
                r.end("RESULT");
                return new Reply(type, 0, "", exit, out, err, NONE);
            }
            case Wire.DATA:
                return new Reply(type, 0, "", 0, 0, 0, r.rest());
            default:
                throw ProtocolException.malformed("unknown reply type " + type);
        }
    }
}
