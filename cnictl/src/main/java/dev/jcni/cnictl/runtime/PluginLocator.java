package dev.jcni.cnictl.runtime;

import dev.jcni.core.invoke.PluginFinder;
import dev.jcni.core.protocol.CniException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The runtime's CNI_PATH: finds the plugins of a chain with {@link PluginFinder} (libcni's
 * {@code invoke.FindInPath}: first regular file in path order; a type with a '/' is refused, as
 * it would let a config run any binary on the host) and gives plugins the same path.
 */
public final class PluginLocator {
    private final List<Path> path;
    private final List<String> pathStrings;

    public PluginLocator(List<Path> path) {
        this.path = List.copyOf(path);
        List<String> strings = new ArrayList<>(path.size());
        for (Path p : this.path) {
            strings.add(p.toString());
        }
        this.pathStrings = List.copyOf(strings);
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

    /** The binary of plugin {@code type}: {@link PluginFinder}'s rules, the same a plugin applies to its delegate. */
    public Path find(String type) throws CniException {
        return PluginFinder.find(type, pathStrings);
    }
}
