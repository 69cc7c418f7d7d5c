package dev.jcni.core.os.netns;

import dev.jcni.core.os.OsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Tells whether a namespace path names the network namespace the calling thread runs in, by
 * path alone: no descriptor and no native call, so the skel can ask before any native library is
 * loaded. Holders of {@link NetNs} handles compare them with {@link NetNs#sameNamespaceAs}.
 *
 * <p>Two paths name the same namespace when their nsfs files have the same device and inode,
 * whether the path is a bind mount under /run/netns or a /proc/PID/ns/net link.
 *
 * <p>A path a {@link NamespaceOverride} binds on the calling thread (the node daemon's request)
 * is never looked up: it exists, and its identity is the bound handle's (compared natively).
 */
public final class NamespaceIdentity {
    private static final Path OWN = Path.of("/proc/thread-self/ns/net");

    private NamespaceIdentity() {}

    /** True if {@code path} is the calling thread's own network namespace (setns is per thread, so not /proc/self's). */
    public static boolean isOwnNamespace(String path) throws IOException {
        NetNs bound = NamespaceOverride.lookup(path);
        if (bound != null) {
            try (NetNs own = NetNs.openCurrent()) {
                return bound.sameNamespaceAs(own);
            } catch (OsException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        Path p = Path.of(path);
        return Files.getAttribute(p, "unix:ino").equals(Files.getAttribute(OWN, "unix:ino"))
                && Files.getAttribute(p, "unix:dev").equals(Files.getAttribute(OWN, "unix:dev"));
    }

    /**
     * True if something exists at {@code path}, without following a last symbolic link
     * ({@code /proc/PID/ns/net} is a magic link whose target is no path), or an override binds it.
     */
    public static boolean exists(String path) {
        if (path == null || path.isEmpty()) {
            return false;
        }
        return NamespaceOverride.lookup(path) != null || Files.exists(Path.of(path), LinkOption.NOFOLLOW_LINKS);
    }
}
