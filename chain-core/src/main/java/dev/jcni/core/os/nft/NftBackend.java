package dev.jcni.core.os.nft;

/**
 * A way to reach nftables that may or may not work on this host (a shared library, an
 * executable, an in-memory fake), probed before use: the pattern of netty's
 * {@code Epoll.isAvailable()} / {@code unavailabilityCause()}.
 */
public interface NftBackend {
    /** The name an override selects it by, e.g. {@code "libnftables"}, {@code "process"}, {@code "fake"}. */
    String name();

    /**
     * Why this backend cannot work here (library missing, executable not found), or null when
     * it can. Cheap and side-effect free: it sends nothing to the kernel.
     */
    String unavailabilityCause();

    /** A runner; called only after {@link #unavailabilityCause()} returned null. */
    NftRunner open() throws NftException;
}
