package dev.jcni.core.os.internal;

import static dev.jcni.core.os.internal.CType.INT;
import static dev.jcni.core.os.internal.CType.POINTER;
import static dev.jcni.core.os.internal.CType.UINT;
import static dev.jcni.core.os.internal.CType.VOID;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import java.nio.charset.StandardCharsets;

/**
 * libnftables (Debian's {@code libnftables1}, {@code libnftables.so.1}): one table row per C
 * function of libnftables(3) that jcni calls, and one wrapper, {@link #run}, that sends one
 * command buffer through a fresh context and hands back the return code and both output buffers
 * as Java strings.
 *
 * <p>Why a fresh context per call: {@code nft_ctx_new(NFT_CTX_DEFAULT)} opens its netfilter
 * netlink socket at once, and a socket stays in the namespace of the thread that opened it. A
 * context made per call on the calling thread therefore acts in that thread's network namespace
 * (inside {@code NetNs.run}: the sandbox's). Creating and freeing one costs about 25 µs, except
 * that closing its socket after a commit that removed something waits for the kernel's clean-up,
 * so contexts are freed off the calling thread ({@link ContextReaper}).
 *
 * <p>Calls are serialised process-wide: libnftables 1.0.6 keeps global state (the interface
 * cache, its one-time initialisation) that two contexts on two threads would share unguarded.
 *
 * <p>Nothing is loaded before the first {@link #run} or {@link #unavailabilityCause}: declaring
 * the rows loads no jffi class, so VERSION and config validation never touch the library.
 *
 * <p>Public only for the nft package; not an API.
 */
public final class LibNftables {
    /** {@code NFT_CTX_DEFAULT}: a context with its netlink socket (the only kind we create). */
    static final int NFT_CTX_DEFAULT = 0;
    /** {@code NFT_CTX_OUTPUT_HANDLE}: print object handles. */
    public static final int OUTPUT_HANDLE = 1 << 3;
    /**
     * {@code NFT_CTX_OUTPUT_JSON}: print JSON. In 1.0.6 it also makes JSON input be parsed as
     * JSON ({@code NFT_CTX_INPUT_JSON} only arrived in 1.0.9): without it a JSON buffer goes to
     * the text parser and fails with "syntax error, unexpected '{'".
     */
    public static final int OUTPUT_JSON = 1 << 4;
    /** The netlink family libnftables talks ({@code NETLINK_NETFILTER}). */
    static final int NETLINK_NETFILTER = 12;

    /** The library Debian's libnftables1 installs (the unversioned .so comes only with -dev). */
    public static final String SONAME = "libnftables.so.1";

    private static final LibNftables DEFAULT = new LibNftables(SONAME);
    /** One lock for every instance: they would all share the one loaded library's globals. */
    static final Object LOCK = new Object();

    private final NativeLibrary library;
    // The table: one row per function, as libnftables(3) declares it.
    private final NativeFunction ctxNew;
    private final NativeFunction ctxFree;
    private final NativeFunction outputSetFlags;
    private final NativeFunction bufferOutput;
    private final NativeFunction bufferError;
    private final NativeFunction runCmdFromBuffer;
    private final NativeFunction getOutputBuffer;
    private final NativeFunction getErrorBuffer;
    private final NativeFunction setDryRun;

    /** What one {@link #run} returned: nft's return code and what it printed. */
    public static final class Reply {
        private final int returnCode;
        private final String output;
        private final String error;

        Reply(int returnCode, String output, String error) {
            this.returnCode = returnCode;
            this.output = output;
            this.error = error;
        }

        /** 0 on success; non-zero (-1 in practice) when any command failed. */
        public int returnCode() {
            return returnCode;
        }

        /** The output buffer: list output as JSON, or empty. */
        public String output() {
            return output;
        }

        /** The error buffer: nft's messages, {@code <location>: Error: <text>} each. */
        public String error() {
            return error;
        }
    }

    /** @param soname the library to open, e.g. {@link #SONAME} (tests name a missing one) */
    public LibNftables(String soname) {
        library = new NativeLibrary(soname);
        ctxNew = library.function("nft_ctx_new", POINTER, UINT);
        ctxFree = library.function("nft_ctx_free", VOID, POINTER);
        outputSetFlags = library.function("nft_ctx_output_set_flags", VOID, POINTER, UINT);
        bufferOutput = library.function("nft_ctx_buffer_output", INT, POINTER);
        bufferError = library.function("nft_ctx_buffer_error", INT, POINTER);
        runCmdFromBuffer = library.function("nft_run_cmd_from_buffer", INT, POINTER, POINTER);
        getOutputBuffer = library.function("nft_ctx_get_output_buffer", POINTER, POINTER);
        getErrorBuffer = library.function("nft_ctx_get_error_buffer", POINTER, POINTER);
        // void nft_ctx_set_dry_run(struct nft_ctx *ctx, bool dry): a C bool travels as an int.
        setDryRun = library.function("nft_ctx_set_dry_run", VOID, POINTER, INT);
    }

    /** {@code libnftables.so.1}, as installed by Debian's libnftables1. */
    public static LibNftables system() {
        return DEFAULT;
    }

    public String soname() {
        return library.soname();
    }

    /**
     * Why the library cannot be used here, or null when it can: it opens (loading jffi on first
     * use), every row's symbol is there, and a netfilter netlink socket can be opened in the
     * calling thread's namespace. Sends nothing to the kernel; never throws.
     */
    public String unavailabilityCause() {
        try {
            library.bindAll();
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
        try {
            checkNetfilterSocket();
        } catch (OsException e) {
            return e.getMessage();
        }
        return null;
    }

    /**
     * Runs {@code commands} (nft's JSON, or its text syntax) through a new context made on the
     * calling thread, so in that thread's network namespace, and frees the context.
     *
     * @param outputFlags {@code NFT_CTX_OUTPUT_*} flags, e.g. {@code OUTPUT_JSON | OUTPUT_HANDLE}
     * @throws OsException when no context can be made: no netfilter netlink socket (checked
     *         first, because libnftables would call exit(3) instead of returning), no memory, or
     *         the output buffers could not be set up (then nft would print to our stdout)
     * @throws IllegalStateException when the library or one of its functions cannot be bound
     * @throws IllegalArgumentException when {@code commands} contains a NUL character
     */
    public Reply run(String commands, int outputFlags) throws OsException {
        return run(commands, outputFlags, false);
    }

    /**
     * As {@link #run(String, int)}; with {@code dryRun} ({@code nft -c}) the kernel checks the
     * batch (an existing element, a missing object, a chain still referenced) and aborts it, so
     * nothing is committed.
     */
    public Reply run(String commands, int outputFlags, boolean dryRun) throws OsException {
        if (commands.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("nft commands contain a NUL character");
        }
        byte[] utf8 = commands.getBytes(StandardCharsets.UTF_8);
        byte[] cString = new byte[utf8.length + 1];
        System.arraycopy(utf8, 0, cString, 0, utf8.length);
        synchronized (LOCK) {
            library.bindAll();
            checkNetfilterSocket();
            long ctx = ctxNew.callUnchecked(NFT_CTX_DEFAULT);
            if (ctx == 0) {
                throw OsException.fromErrno("nft_ctx_new", Errno.ENOMEM);
            }
            long buffer = 0;
            try {
                outputSetFlags.callUnchecked(ctx, outputFlags);
                if (dryRun) {
                    setDryRun.callUnchecked(ctx, 1);
                }
                if (bufferOutput.callUnchecked(ctx) != 0 || bufferError.callUnchecked(ctx) != 0) {
                    // Unbuffered, nft would print straight to fd 1 and 2; fd 1 carries the CNI result.
                    throw OsException.fromErrno("nft_ctx_buffer_output", Errno.ENOMEM, "libnftables could not buffer its output");
                }
                buffer = NativeMemory.copyIn(cString, cString.length);
                int rc = (int) runCmdFromBuffer.callUnchecked(ctx, buffer);
                // Both buffers belong to the context: copy them out before it is freed.
                String output = string(getOutputBuffer.callUnchecked(ctx));
                String error = string(getErrorBuffer.callUnchecked(ctx));
                return new Reply(rc, output, error);
            } finally {
                if (buffer != 0) {
                    NativeMemory.free(buffer);
                }
                // Freed on another thread: closing the socket can wait milliseconds for the
                // kernel's clean-up of this commit (ContextReaper says why and how long).
                ContextReaper.free(ctxFree, ctx);
            }
        }
    }

    /**
     * libnftables opens this socket in nft_ctx_new and, if it cannot, prints an error and ends
     * the process (netlink_init_error calls exit): a JVM must find out first.
     */
    private static void checkNetfilterSocket() throws OsException {
        int fd = Native.socket(Native.AF_NETLINK, Native.SOCK_RAW | Native.SOCK_CLOEXEC, NETLINK_NETFILTER,
                "open a netfilter netlink socket (NETLINK_NETFILTER) for libnftables");
        Native.close(fd);
    }

    private static String string(long address) {
        if (address == 0) {
            return "";
        }
        return new String(NativeMemory.copyOutCString(address), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return library.soname();
    }
}
