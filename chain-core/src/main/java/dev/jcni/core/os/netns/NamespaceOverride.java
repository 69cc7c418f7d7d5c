package dev.jcni.core.os.netns;

/**
 * A request-scoped answer to "open the namespace at this path": while a binding is in force on a
 * thread, {@link NetNs#open}, {@link NetNs#exists} and {@link NamespaceIdentity} answer for the
 * bound path from the bound handle (a duplicate of its descriptor) and never look the path up.
 *
 * <p>Why: the node daemon serves requests whose {@code CNI_NETNS} names a file in the caller's
 * mount view, which need not be the daemon's. The caller's launcher opens the path and passes the
 * descriptor over the socket; the daemon binds it to the request's {@code CNI_NETNS} string, so
 * the unchanged plugin code that calls {@code NetNs.open(inv.netns())} gets the caller's namespace.
 *
 * <p>The binding is thread-scoped and inherited: threads the request starts (a
 * {@link NetNs#run} thread, a background helper) see it too, from their start. {@link Binding#close}
 * ends it on the binding thread; the handle stays the binder's to close.
 */
public final class NamespaceOverride {
    private static final InheritableThreadLocal<Bound> CURRENT = new InheritableThreadLocal<>();

    private static final class Bound {
        final String path;
        final NetNs ns;

        Bound(String path, NetNs ns) {
            this.path = path;
            this.ns = ns;
        }
    }

    /** Ends a binding. */
    public static final class Binding implements AutoCloseable {
        private final Bound previous;

        private Binding(Bound previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    private NamespaceOverride() {}

    /**
     * From now on, on this thread and the threads it starts, {@code path} (compared as a string,
     * exactly) means {@code ns}. Close the binding when the request ends.
     */
    public static Binding bind(String path, NetNs ns) {
        if (path == null || path.isEmpty() || ns == null) {
            throw new IllegalArgumentException("a binding needs a path and a namespace");
        }
        Bound previous = CURRENT.get();
        CURRENT.set(new Bound(path, ns));
        return new Binding(previous);
    }

    /** The handle bound to {@code path} for the calling thread, or null. */
    static NetNs lookup(String path) {
        Bound b = CURRENT.get();
        return b != null && b.path.equals(path) ? b.ns : null;
    }
}
