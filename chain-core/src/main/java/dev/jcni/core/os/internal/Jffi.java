package dev.jcni.core.os.internal;

import com.kenai.jffi.Invoker;
import com.kenai.jffi.LastError;
import com.kenai.jffi.MemoryIO;

/**
 * jffi's process-wide singletons, set up on first use. Loading jffi loads its native stub
 * library; if that fails the failure is kept here and reported on every later use, instead of
 * the {@code NoClassDefFoundError} that a second touch of a class with a failed initialiser gives.
 */
final class Jffi {
    private Jffi() {}

    private static final class Holder {
        static final Invoker INVOKER;
        static final MemoryIO MEMORY;
        static final LastError LAST_ERROR;
        static final Throwable FAILURE;

        static {
            Invoker invoker = null;
            MemoryIO memory = null;
            LastError lastError = null;
            Throwable failure = null;
            try {
                invoker = Invoker.getInstance();
                memory = MemoryIO.getInstance();
                lastError = LastError.getInstance();
            } catch (RuntimeException | LinkageError e) {
                failure = e;
            }
            INVOKER = invoker;
            MEMORY = memory;
            LAST_ERROR = lastError;
            FAILURE = failure;
        }
    }

    /** Loads jffi now; throws the kept failure if it cannot be loaded (then and on every later call). */
    static void load() {
        if (Holder.FAILURE != null) {
            throw new IllegalStateException("cannot load jffi: " + Holder.FAILURE, Holder.FAILURE);
        }
    }

    static Invoker invoker() {
        load();
        return Holder.INVOKER;
    }

    static MemoryIO memory() {
        load();
        return Holder.MEMORY;
    }

    /** The errno saved by jffi right after the last call on this thread. */
    static int errno() {
        return Holder.LAST_ERROR.get();
    }
}
