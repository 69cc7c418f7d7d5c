package dev.jcni.cnictl.runtime;

import dev.jcni.core.protocol.CniException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a plugin executable on CNI_PATH, as libcni's {@code invoke.FindInPath}: the first
 * {@code <dir>/<type>} that is a regular file (symlinks followed), in path order. A type with a
 * '/' is refused: it would let a config run any binary on the host.
 */
public final class PluginLocator {
    private final List<Path> path;

    public PluginLocator(List<Path> path) {
        this.path = List.copyOf(path);
    }

    /** Splits a CNI_PATH value on ':' and drops empty entries. */
    public static List<Path> parsePath(String cniPath) {
        List<Path> out = new ArrayList<>();
        if (cniPath != null) {
            for (String p : cniPath.split(":")) {
                if (!p.isEmpty()) {
                    out.add(Path.of(p));
                }
            }
        }
        return out;
    }

    public List<Path> path() {
        return path;
    }

    /** CNI_PATH as the plugin sees it. */
    public String pathString() {
        StringBuilder sb = new StringBuilder();
        for (Path p : path) {
            if (sb.length() > 0) {
                sb.append(':');
            }
            sb.append(p);
        }
        return sb.toString();
    }

    public Path find(String type) throws CniException {
        if (type == null || type.isEmpty()) {
            throw new CniException(CniException.INVALID_CONFIG, "no plugin name provided");
        }
        if (type.indexOf('/') >= 0) {
            throw new CniException(CniException.INVALID_CONFIG, "invalid plugin name: " + type,
                    "a plugin type must not contain '/'");
        }
        if (path.isEmpty()) {
            throw new CniException(CniException.INVALID_CONFIG, "no paths provided",
                    "set CNI_PATH to the directories holding the plugins");
        }
        for (Path dir : path) {
            Path candidate = dir.resolve(type);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new CniException(CniException.INVALID_CONFIG, "failed to find plugin \"" + type + "\" in path " + path);
    }
}
