package dev.jcni.core.os.internal;

import com.kenai.jffi.Library;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A shared library and the table of its functions we call. Rows are declared with
 * {@link #function}, one per C function; nothing is opened or looked up until a row is first
 * called (or {@link #bindAll} is asked to), so declaring a table costs nothing at start-up and
 * loads no jffi class.
 *
 * <p>A library that cannot be opened (not installed, jffi's stub missing) keeps that failure and
 * reports it on every call of every row, so a caller can also ask {@link #available()} first and
 * choose another way (libnftables, say, against the {@code nft} command).
 *
 * <pre>
 * static final NativeLibrary LIBC = new NativeLibrary("libc.so.6");
 * static final NativeFunction SEND = LIBC.function("send", SSIZE_T, INT, POINTER, SIZE_T, INT);
 * </pre>
 */
public final class NativeLibrary {
    private final String soname;
    private final List<NativeFunction> functions = new ArrayList<>();
    private Library library;
    private RuntimeException failure;

    /** @param soname the name dlopen(3) is given, with its ABI version, e.g. {@code "libc.so.6"} */
    public NativeLibrary(String soname) {
        this.soname = soname;
    }

    public String soname() {
        return soname;
    }

    /**
     * Declares one row: the C function {@code name} returning {@code result} and taking
     * {@code params}. Variadic functions (open, ioctl) are declared with the parameters actually
     * passed, all of which must be fixed ones.
     */
    public synchronized NativeFunction function(String name, CType result, CType... params) {
        NativeFunction f = new NativeFunction(this, name, result, params.clone());
        functions.add(f);
        return f;
    }

    /** Every row declared so far, in declaration order. */
    public synchronized List<NativeFunction> functions() {
        return Collections.unmodifiableList(new ArrayList<>(functions));
    }

    /** True if the library can be opened; opens it if that was not tried yet. Never throws. */
    public boolean available() {
        try {
            open();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /**
     * Opens the library and binds every row now, so the cost (jffi's stub library, symbol look-ups)
     * can be paid early on a background thread. Throws the first failure; rows that failed keep
     * their failure and report it when called.
     */
    public void bindAll() {
        for (NativeFunction f : functions()) {
            f.bind();
        }
    }

    /** The address of {@code symbol}; IllegalStateException if the library or the symbol is missing. */
    long symbol(String symbol) {
        long address = open().getSymbolAddress(symbol);
        if (address == 0) {
            throw new IllegalStateException(soname + " has no symbol " + symbol);
        }
        return address;
    }

    private synchronized Library open() {
        if (library != null) {
            return library;
        }
        if (failure == null) {
            try {
                Jffi.load();
                Library l = Library.getCachedInstance(soname, Library.LAZY | Library.LOCAL);
                if (l == null) {
                    failure = new IllegalStateException("cannot open " + soname + ": " + Library.getLastError());
                } else {
                    library = l;
                    return l;
                }
            } catch (RuntimeException | LinkageError e) {
                failure = new IllegalStateException("cannot open " + soname + " through jffi: " + e, e);
            }
        }
        // A fresh exception each time, so every caller's stack trace shows its own call.
        throw new IllegalStateException(failure.getMessage(), failure);
    }

    @Override
    public String toString() {
        return soname;
    }
}
