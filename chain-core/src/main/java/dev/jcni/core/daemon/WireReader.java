package dev.jcni.core.daemon;

import java.nio.charset.StandardCharsets;

/**
 * Reads the fields of one message, big-endian, refusing to read past its end: every length is
 * checked against what is left before anything is allocated, so no length field can make the
 * reader allocate more than the message holds.
 */
final class WireReader {
    private final byte[] buf;
    private int pos;

    WireReader(byte[] buf) {
        this.buf = buf;
    }

    int remaining() {
        return buf.length - pos;
    }

    int position() {
        return pos;
    }

    int u16(String field) throws ProtocolException {
        need(2, field);
        int v = (buf[pos] & 0xff) << 8 | buf[pos + 1] & 0xff;
        pos += 2;
        return v;
    }

    long u32(String field) throws ProtocolException {
        need(4, field);
        long v = (buf[pos] & 0xffL) << 24 | (buf[pos + 1] & 0xffL) << 16 | (buf[pos + 2] & 0xffL) << 8 | buf[pos + 3] & 0xffL;
        pos += 4;
        return v;
    }

    /** A u64 that must not exceed {@code max} (so it never needs the sign bit). */
    long u64(String field, long max) throws ProtocolException {
        long high = u32(field);
        long low = u32(field);
        if (high > (max >>> 32) || (high << 32 | low) > max) {
            throw ProtocolException.malformed(field + " is larger than " + max);
        }
        return high << 32 | low;
    }

    /**
     * A u32 length and that many bytes, decoded as UTF-8; malformed sequences become U+FFFD, as
     * the JVM decodes an environment it is given in a UTF-8 locale.
     */
    String string(String field) throws ProtocolException {
        long length = u32(field + " length");
        if (length > remaining()) {
            throw ProtocolException.malformed(field + " claims " + length + " bytes, " + remaining() + " are left");
        }
        String s = new String(buf, pos, (int) length, StandardCharsets.UTF_8);
        pos += (int) length;
        return s;
    }

    /** The bytes from here to the end. */
    byte[] rest() {
        byte[] out = new byte[remaining()];
        System.arraycopy(buf, pos, out, 0, out.length);
        pos = buf.length;
        return out;
    }

    void end(String what) throws ProtocolException {
        if (remaining() != 0) {
            throw ProtocolException.malformed(what + " has " + remaining() + " bytes after its last field");
        }
    }

    private void need(int n, String field) throws ProtocolException {
        if (remaining() < n) {
            throw ProtocolException.malformed("message ends inside " + field);
        }
    }
}
