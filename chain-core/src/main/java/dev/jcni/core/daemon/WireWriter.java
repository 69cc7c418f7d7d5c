package dev.jcni.core.daemon;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes the fields of one message, big-endian. */
final class WireWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    WireWriter u16(int v) {
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    WireWriter u32(long v) {
        out.write((int) (v >>> 24));
        out.write((int) (v >>> 16));
        out.write((int) (v >>> 8));
        out.write((int) v);
        return this;
    }

    WireWriter u64(long v) {
        u32(v >>> 32);
        return u32(v & 0xffffffffL);
    }

    WireWriter string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u32(b.length);
        out.write(b, 0, b.length);
        return this;
    }

    WireWriter bytes(byte[] b, int offset, int length) {
        out.write(b, offset, length);
        return this;
    }

    /** The start of every reply. */
    WireWriter replyHeader(int type) {
        return u32(Wire.MAGIC).u16(Wire.VERSION).u16(type);
    }

    byte[] toBytes() {
        return out.toByteArray();
    }
}
