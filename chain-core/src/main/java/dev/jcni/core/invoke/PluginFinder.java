package dev.jcni.core.invoke;

import dev.jcni.core.protocol.CniException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds a plugin executable by its {@code type} on CNI_PATH, as the reference's
 * {@code invoke.FindInPath}: the first {@code <dir>/<type>} that is a regular file (symlinks
 * followed), in path order. Used by plugins for their delegates and by the runtime for the chain.
 *
 * <p>A type must be a plain file name: one containing '/' (or NUL), or being empty, "." or "..",
 * is refused, because a config must not be able to run an arbitrary binary of the host. Whether
 * the file is executable is left to the exec, which then fails with a clear error.
 */
public final class PluginFinder {
    private PluginFinder() {}

    /**
     * @param type the plugin's {@code type}, e.g. "host-local"
     * @param path the CNI_PATH directories, in order (empty entries skipped)
     * @throws CniException code 7: a refused type, no path at all, or no such plugin in any
     *                      directory (the message names the type and the directories searched)
     */
    public static Path find(String type, List<String> path) throws CniException {
        if (type == null || type.isEmpty()) {
            throw new CniException(CniException.INVALID_CONFIG, "no plugin name provided");
        }
        if (type.indexOf('/') >= 0 || type.indexOf('\0') >= 0 || type.equals(".") || type.equals("..")) {
            throw new CniException(CniException.INVALID_CONFIG, "invalid plugin name: " + type,
                    "a plugin type is a file name: not \".\" or \"..\", without '/'");
        }
        boolean anyDirectory = false;
        for (String dir : path) {
            if (dir.isEmpty()) {
                continue;
            }
            anyDirectory = true;
            Path candidate = Path.of(dir, type);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        if (!anyDirectory) {
            throw new CniException(CniException.INVALID_CONFIG, "no paths provided",
                    "set CNI_PATH to the directories holding the plugins");
        }
        throw new CniException(CniException.INVALID_CONFIG, "failed to find plugin \"" + type + "\" in path "
                + describe(path));
    }

    /** The directories as Go prints a string slice: {@code [/opt/cni/bin /usr/lib/cni]}. */
    private static String describe(List<String> path) {
        StringBuilder sb = new StringBuilder("[");
        for (String dir : path) {
            if (!dir.isEmpty()) {
                sb.append(sb.length() == 1 ? "" : " ").append(dir);
            }
        }
        return sb.append(']').toString();
    }
}
