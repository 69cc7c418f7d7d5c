package dev.jcni.core.os.internal;

import dev.jcni.core.os.socket.Descriptor;

/**
 * Kernel-layer access to the number behind a {@link Descriptor} (one received over a socket, or
 * opened to be passed on), as {@link NamespaceDescriptors} is for namespace handles: the netns
 * package adopts a received namespace descriptor, and no public signature carries the number.
 *
 * <p>Descriptor registers itself when its class initialises, before any instance exists.
 */
public final class DescriptorNumbers {
    /** Implemented once, by Descriptor. */
    public interface Source {
        int numberOf(Descriptor descriptor);
    }

    private static volatile Source source;

    private DescriptorNumbers() {}

    /** Called by Descriptor only; a second registration is refused. */
    public static synchronized void register(Source s) {
        if (source != null) {
            throw new IllegalStateException("descriptor numbers are already provided");
        }
        source = s;
    }

    /**
     * The number of {@code descriptor}, valid while it stays open: never close it yourself.
     * IllegalStateException if it is closed.
     */
    public static int of(Descriptor descriptor) {
        return source.numberOf(descriptor);
    }
}
