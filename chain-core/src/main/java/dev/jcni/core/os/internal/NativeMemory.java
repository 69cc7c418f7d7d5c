package dev.jcni.core.os.internal;

import com.kenai.jffi.MemoryIO;

/**
 * Short-lived native buffers for call arguments: Java arrays are copied in before a call and out
 * after it. Integers read or written here are in the machine's own byte order, as C sees them.
 */
final class NativeMemory {
    private NativeMemory() {}

    /** {@code len} bytes (at least one), zeroed if {@code clear}; free with {@link #free}. */
    static long allocate(int len, boolean clear) {
        long mem = memory().allocateMemory(Math.max(len, 1), clear);
        if (mem == 0) {
            throw new OutOfMemoryError("native allocation of " + len + " bytes failed");
        }
        return mem;
    }

    /** Native memory holding a copy of {@code bytes[0..len)}. */
    static long copyIn(byte[] bytes, int len) {
        long mem = allocate(len, false);
        memory().putByteArray(mem, bytes, 0, len);
        return mem;
    }

    static void copyOut(long mem, byte[] bytes, int len) {
        memory().getByteArray(mem, bytes, 0, len);
    }

    /** The NUL-terminated bytes at {@code address} (a C string the callee owns), without the NUL. */
    static byte[] copyOutCString(long address) {
        return memory().getZeroTerminatedByteArray(address);
    }

    static void free(long mem) {
        memory().freeMemory(mem);
    }

    static int getInt(long address) {
        return memory().getInt(address);
    }

    static short getShort(long address) {
        return memory().getShort(address);
    }

    static long getLong(long address) {
        return memory().getLong(address);
    }

    static void putInt(long address, int value) {
        memory().putInt(address, value);
    }

    static void putLong(long address, long value) {
        memory().putLong(address, value);
    }

    static void putShort(long address, short value) {
        memory().putShort(address, value);
    }

    /** Copies {@code bytes[0..len)} to {@code address}. */
    static void putBytes(long address, byte[] bytes, int len) {
        memory().putByteArray(address, bytes, 0, len);
    }

    private static MemoryIO memory() {
        return Jffi.memory();
    }
}
