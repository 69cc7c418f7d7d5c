package dev.jcni.core.os.netlink;

import java.nio.ByteOrder;

/**
 * Netlink integers are in host byte order. Plain shifts instead of ByteBuffer or VarHandle views:
 * nothing to set up, and no method-handle bootstrap at start-up.
 */
final class HostOrder {
    static final boolean LITTLE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private HostOrder() {}

    static int u16(byte[] b, int off) {
        int b0 = b[off] & 0xff;
        int b1 = b[off + 1] & 0xff;
        return LITTLE ? b0 | b1 << 8 : b0 << 8 | b1;
    }

    static int i32(byte[] b, int off) {
        int b0 = b[off] & 0xff;
        int b1 = b[off + 1] & 0xff;
        int b2 = b[off + 2] & 0xff;
        int b3 = b[off + 3] & 0xff;
        return LITTLE ? b0 | b1 << 8 | b2 << 16 | b3 << 24 : b0 << 24 | b1 << 16 | b2 << 8 | b3;
    }

    static long i64(byte[] b, int off) {
        long lo = i32(b, off) & 0xffffffffL;
        long hi = i32(b, off + 4) & 0xffffffffL;
        return LITTLE ? lo | hi << 32 : lo << 32 | hi;
    }

    static void putU16(byte[] b, int off, int v) {
        if (LITTLE) {
            b[off] = (byte) v;
            b[off + 1] = (byte) (v >>> 8);
        } else {
            b[off] = (byte) (v >>> 8);
            b[off + 1] = (byte) v;
        }
    }

    static void putI32(byte[] b, int off, int v) {
        if (LITTLE) {
            b[off] = (byte) v;
            b[off + 1] = (byte) (v >>> 8);
            b[off + 2] = (byte) (v >>> 16);
            b[off + 3] = (byte) (v >>> 24);
        } else {
            b[off] = (byte) (v >>> 24);
            b[off + 1] = (byte) (v >>> 16);
            b[off + 2] = (byte) (v >>> 8);
            b[off + 3] = (byte) v;
        }
    }

    static void putI64(byte[] b, int off, long v) {
        int lo = (int) v;
        int hi = (int) (v >>> 32);
        putI32(b, off, LITTLE ? lo : hi);
        putI32(b, off + 4, LITTLE ? hi : lo);
    }
}
