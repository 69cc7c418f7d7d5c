package dev.jcni.core.os.nft;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.internal.LibNftables;

/**
 * nftables through libnftables ({@code libnftables.so.1}, Debian's {@code libnftables1}) called
 * in-process over the kernel layer's native binding: no process is started, a batch costs what
 * the library and the kernel take (about 1 ms for a portmap ADD).
 *
 * <p><b>Namespace:</b> every call makes its own libnftables context on the calling thread, and
 * the context's netlink socket is bound to that thread's network namespace. So the runner acts
 * in the namespace of the thread that calls it, and may be called inside {@code NetNs.run} to
 * change a sandbox's ruleset; one runner serves any number of namespaces. (libnftables starts no
 * threads, as a {@code NetNs.run} task requires.)
 *
 * <p>The library is loaded on first use only ({@link #backend()}'s probe or the first call), so
 * VERSION and config validation never load it. A missing library is reported by the probe as a
 * reason, never as a crash; calls are serialised process-wide (libnftables 1.0.6 keeps global
 * state). Errors are classified by {@link NftErrors} from libnftables' error buffer, which holds
 * the same text {@code nft} prints on stderr.
 *
 * <p>Output flags: JSON (in 1.0.6 also what makes the JSON input be parsed as JSON) and handles.
 */
public final class LibNftablesRunner extends NftJsonRunner {
    /** The name {@link NftRunners#OVERRIDE_PROPERTY} selects this runner by. */
    public static final String NAME = "libnftables";
    static final int OUTPUT_FLAGS = LibNftables.OUTPUT_JSON | LibNftables.OUTPUT_HANDLE;

    /** How one JSON document reaches the library: the real one, or a script in unit tests. */
    interface Library {
        /** @param dryRun check only ({@code nft -c}): the kernel aborts the batch after checking it */
        Reply run(String json, int outputFlags, boolean dryRun) throws OsException;
    }

    private final Library library;

    LibNftablesRunner(Library library) {
        this.library = library;
    }

    /** A runner on {@code lib}; probe it first ({@link #backend(LibNftables)}). */
    public static LibNftablesRunner on(LibNftables lib) {
        return new LibNftablesRunner(new Library() {
            @Override
            public Reply run(String json, int outputFlags, boolean dryRun) throws OsException {
                LibNftables.Reply r = lib.run(json, outputFlags, dryRun);
                return new Reply(r.returnCode(), r.output(), r.error());
            }
        });
    }

    /** The backend for the system's {@code libnftables.so.1}. */
    public static NftBackend backend() {
        return backend(LibNftables.system());
    }

    /** The backend for {@code lib}, named {@value #NAME}. Its probe loads the library. */
    public static NftBackend backend(LibNftables lib) {
        return new NftBackend() {
            @Override
            public String name() {
                return NAME;
            }

            @Override
            public String unavailabilityCause() {
                return lib.unavailabilityCause();
            }

            @Override
            public NftRunner open() {
                return on(lib);
            }

            @Override
            public String toString() {
                return NAME + " (" + lib.soname() + ")";
            }
        };
    }

    @Override
    Reply send(String operation, String json, boolean dryRun) throws NftException {
        try {
            return library.run(json, OUTPUT_FLAGS, dryRun);
        } catch (OsException e) {
            throw NftErrors.runnerFailure(operation, json, e.errno(), "libnftables: " + e.getMessage());
        } catch (IllegalStateException e) {
            // The library or a symbol is missing: the probe would have said so.
            throw NftErrors.runnerFailure(operation, json, Errno.ENOSYS, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return NAME;
    }
}
