package dev.jcni.core.skel;

import dev.jcni.core.protocol.CniException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a network config may put root-owned state: node policy that confines the {@code dataDir}
 * keys of tuning and host-local.
 *
 * <p>The reference plugins take {@code dataDir} from the network config, and drop-in compatibility
 * means we read it too. But a network config is untrusted input (tenants write Multus
 * attachment definitions), and a data directory is where the plugin, as root, creates
 * directories and 0600 files and later deletes files: a config choosing {@code /etc} or
 * {@code /run/nologin} could create root-owned state anywhere. So the config chooses a place
 * only within the node's state roots: {@link #DEFAULT_ROOTS} (the reference's defaults live
 * there: {@code /run/cni/tuning}, {@code /var/lib/cni/networks}), or the colon-separated absolute
 * directories in {@link #VARIABLE} when the node's runtime sets it.
 *
 * <p>The check is on the real path: the longest part of {@code dataDir} that exists is resolved
 * (symbolic links included, as the kernel would follow them), the rest is appended, and the
 * result must lie in a root's real path. {@code .} and {@code ..} components are refused outright,
 * so what is checked is what is used. Whoever can plant a link below a root (root) could still
 * redirect it; the roots are root-owned node directories.
 */
public final class StateRoots {
    /** The node setting: {@code JCNI_STATE_ROOTS=/run/cni:/var/lib/cni:/srv/cni}. */
    public static final String VARIABLE = "JCNI_STATE_ROOTS";
    /** The roots when the node names none: where the reference plugins keep their state. */
    public static final String DEFAULT_ROOTS = "/run/cni:/var/lib/cni";

    private final List<String> roots;

    private StateRoots(List<String> roots) {
        this.roots = roots;
    }

    /** The roots the node chose ({@link #VARIABLE}), or {@link #DEFAULT_ROOTS}. Relative entries are ignored. */
    public static StateRoots of(NodePolicy node) {
        List<String> roots = new ArrayList<>();
        for (String r : node.get(VARIABLE, DEFAULT_ROOTS).split(":")) {
            if (r.startsWith("/")) {
                roots.add(r);
            }
        }
        return new StateRoots(roots);
    }

    /** The roots, as the node wrote them. */
    public List<String> roots() {
        return roots;
    }

    /**
     * {@code dataDir} unchanged when it lies within a root; otherwise a CNI error (code 7) naming
     * {@code field} (e.g. {@code "ipam.dataDir"}), the value and the roots. {@code dataDir} must
     * already be absolute.
     */
    public String confine(String dataDir, String field) throws CniException {
        Path wanted;
        try {
            wanted = Path.of(dataDir);
        } catch (InvalidPathException e) {
            throw new CniException(CniException.INVALID_CONFIG, "invalid value \"" + dataDir + "\" for \"" + field
                    + "\": not a file name", e.getReason());
        }
        for (Path part : wanted) {
            if (part.toString().equals("..") || part.toString().equals(".")) {
                throw outside(dataDir, field, "it may not contain \".\" or \"..\" components");
            }
        }
        Path real = realPathOf(wanted);
        for (String root : roots) {
            Path realRoot = realPathOf(Path.of(root));
            if (real != null && realRoot != null && real.startsWith(realRoot)) {
                return dataDir;
            }
        }
        throw outside(dataDir, field, "node policy " + VARIABLE + " allows " + roots
                + "; a network config cannot choose another place for root-owned state");
    }

    private CniException outside(String dataDir, String field, String why) {
        return new CniException(CniException.INVALID_CONFIG, "invalid value \"" + dataDir + "\" for \"" + field
                + "\": outside the node's state directories", why);
    }

    /**
     * The real path {@code p} would have: its longest existing prefix resolved (links followed),
     * the missing rest appended. Null when even that cannot be read.
     */
    private static Path realPathOf(Path p) {
        Path existing = p;
        List<Path> missing = new ArrayList<>();
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            missing.add(0, existing.getFileName());
            existing = existing.getParent();
        }
        if (existing == null) {
            return null;
        }
        Path real;
        try {
            real = existing.toRealPath();
        } catch (IOException e) {
            // A dangling link, or a component we may not search: nothing we can vouch for.
            return null;
        }
        for (Path m : missing) {
            real = real.resolve(m);
        }
        return real;
    }
}
