package dev.jcni.core.os.internal;

import com.kenai.jffi.CallContext;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.Type;
import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;

/**
 * One row of a {@link NativeLibrary}'s table: a C function's name, return type and parameter
 * types. Bound on its first call (symbol look-up and a jffi call context); a binding failure is
 * kept and thrown again, as an IllegalStateException naming the cause, on every call.
 *
 * <p>Calls go through jffi's {@code Invoker} with every argument as a long (ints, sizes, native
 * addresses), which jffi converts by the declared signature. errno is saved by jffi right after
 * each call, so nothing in between (a class load, a GC) can overwrite it.
 */
public final class NativeFunction {
    private final NativeLibrary library;
    private final String name;
    private final CType result;
    private final CType[] params;
    private volatile Binding binding;
    private RuntimeException failure;

    /** What binding produced: where the function is and how to call it. */
    private static final class Binding {
        final long address;
        final CallContext context;

        Binding(long address, CallContext context) {
            this.address = address;
            this.context = context;
        }
    }

    NativeFunction(NativeLibrary library, String name, CType result, CType[] params) {
        if (params.length > 6) {
            throw new IllegalArgumentException(name + ": jffi's fast path takes at most 6 arguments");
        }
        this.library = library;
        this.name = name;
        this.result = result;
        this.params = params;
    }

    public String name() {
        return name;
    }

    /** Binds now if not bound yet; throws the (kept) failure if it cannot be bound. */
    public void bind() {
        binding();
    }

    /**
     * Calls the function and returns its result; a result {@code < 0} becomes the OsException of
     * errno, described as {@code operation}. EINTR (a signal arrived during the call) is retried
     * here, the one place that does, so no caller sees it. Use this for every call whose failure
     * is reported by {@code -1} and errno and whose EINTR means "try again" — not for close(2)
     * (the fd is gone even then) or connect(2) (EINTR means it continues asynchronously).
     */
    public long call(String operation, long... args) throws OsException {
        while (true) {
            long rc = invoke(args);
            if (rc >= 0) {
                return rc;
            }
            // Read once, right after the call: any other native call in between may overwrite it.
            int err = Jffi.errno();
            if (err != Errno.EINTR) {
                throw OsException.fromErrno(operation, err);
            }
        }
    }

    /** Calls the function once and returns its raw result, errors not checked. */
    public long callUnchecked(long... args) {
        return invoke(args);
    }

    private long invoke(long[] a) {
        if (a.length != params.length) {
            throw new IllegalArgumentException(name + " takes " + params.length + " arguments, got " + a.length);
        }
        Binding b = binding();
        Invoker inv = Jffi.invoker();
        long raw;
        switch (a.length) {
            case 0: raw = inv.invokeN0(b.context, b.address); break;
            case 1: raw = inv.invokeN1(b.context, b.address, a[0]); break;
            case 2: raw = inv.invokeN2(b.context, b.address, a[0], a[1]); break;
            case 3: raw = inv.invokeN3(b.context, b.address, a[0], a[1], a[2]); break;
            case 4: raw = inv.invokeN4(b.context, b.address, a[0], a[1], a[2], a[3]); break;
            case 5: raw = inv.invokeN5(b.context, b.address, a[0], a[1], a[2], a[3], a[4]); break;
            default: raw = inv.invokeN6(b.context, b.address, a[0], a[1], a[2], a[3], a[4], a[5]); break;
        }
        return result.fromRaw(raw);
    }

    private Binding binding() {
        Binding b = binding;
        return b != null ? b : bindOnce();
    }

    private synchronized Binding bindOnce() {
        if (binding != null) {
            return binding;
        }
        if (failure == null) {
            try {
                long address = library.symbol(name);
                Type[] types = new Type[params.length];
                for (int i = 0; i < params.length; i++) {
                    types[i] = params[i].jffi();
                }
                CallContext context = CallContext.getCallContext(result.jffi(), types, CallingConvention.DEFAULT, true);
                Binding b = new Binding(address, context);
                binding = b;
                return b;
            } catch (RuntimeException | LinkageError e) {
                failure = new IllegalStateException("cannot bind " + library.soname() + " " + name + ": " + e.getMessage(), e);
            }
        }
        throw new IllegalStateException(failure.getMessage(), failure);
    }

    @Override
    public String toString() {
        return library.soname() + " " + name;
    }
}
