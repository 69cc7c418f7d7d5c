package dev.jcni.core.os.internal;

import com.kenai.jffi.Type;

/**
 * The C types a {@link NativeFunction} row is declared with, named as the C prototype names them.
 * Our own enum rather than jffi's {@code Type}, so that declaring a table of rows loads no jffi
 * class: jffi is touched only when a row is first bound.
 *
 * <p>Sizes are those of LP64 Linux (x86_64, aarch64): {@code long}, {@code size_t} and pointers
 * are 64-bit, {@code int} is 32-bit.
 */
public enum CType {
    /** A function returning nothing (only as a result type). */
    VOID,
    INT,
    UINT,
    LONG,
    ULONG,
    SSIZE_T,
    SIZE_T,
    POINTER;

    /** jffi's type for this C type; only called while binding, when jffi is wanted anyway. */
    Type jffi() {
        switch (this) {
            case VOID: return Type.VOID;
            case INT: return Type.SINT32;
            case UINT: return Type.UINT32;
            case LONG:
            case SSIZE_T: return Type.SLONG;
            case ULONG:
            case SIZE_T: return Type.ULONG;
            case POINTER: return Type.POINTER;
            default: throw new AssertionError(this);
        }
    }

    /**
     * jffi hands a 32-bit result back in the low half of a long without sign extension, so an
     * {@code int} result of -1 would read as 4294967295 and no failure would ever be seen.
     */
    long fromRaw(long raw) {
        switch (this) {
            case INT: return (int) raw;
            case UINT: return raw & 0xffffffffL;
            default: return raw;
        }
    }
}
