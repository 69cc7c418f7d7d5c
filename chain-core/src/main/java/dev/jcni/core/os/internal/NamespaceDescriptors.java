package dev.jcni.core.os.internal;

import dev.jcni.core.os.netns.NetNs;

/**
 * Kernel-layer access to the open descriptor behind a {@link NetNs} handle, for requests that
 * name a namespace by fd (netlink's {@code IFLA_NET_NS_FD} when a link moves to another
 * namespace, say). Kept here rather than as a public method of NetNs because only the kernel
 * layer may use this package: plugins get the handle, never the descriptor.
 *
 * <p>NetNs registers itself when its class initialises, which happens before any handle exists.
 */
public final class NamespaceDescriptors {
    /** Implemented once, by NetNs. */
    public interface Source {
        int descriptorOf(NetNs ns);
    }

    private static volatile Source source;

    private NamespaceDescriptors() {}

    /** Called by NetNs only; a second registration is refused. */
    public static synchronized void register(Source s) {
        if (source != null) {
            throw new IllegalStateException("namespace descriptors are already provided");
        }
        source = s;
    }

    /**
     * The descriptor of {@code ns}, valid while {@code ns} stays open: use it before closing the
     * handle, and never close it yourself. IllegalStateException if the handle is closed.
     */
    public static int of(NetNs ns) {
        return source.descriptorOf(ns);
    }
}
