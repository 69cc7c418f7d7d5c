package dev.jcni.core.os.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Netlink integers are in host byte order: the one place that reads and writes them in a byte
 * array, through a ByteBuffer view in {@link ByteOrder#nativeOrder()}. (No VarHandle views: their
 * method-handle bootstrap costs start-up time; a heap ByteBuffer needs nothing the JDK has not
 * already loaded.)
 */
final class HostOrder {
    static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private HostOrder() {}

    private static ByteBuffer view(byte[] b) {
        return ByteBuffer.wrap(b).order(ORDER);
    }

    static int u16(byte[] b, int off) {
        return view(b).getShort(off) & 0xffff;
    }

    static int i32(byte[] b, int off) {
        return view(b).getInt(off);
    }

    static long i64(byte[] b, int off) {
        return view(b).getLong(off);
    }

    static void putU16(byte[] b, int off, int v) {
        view(b).putShort(off, (short) v);
    }

    static void putI32(byte[] b, int off, int v) {
        view(b).putInt(off, v);
    }

    static void putI64(byte[] b, int off, long v) {
        view(b).putLong(off, v);
    }
}
