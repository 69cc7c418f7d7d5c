package dev.jcni.core.invoke;

import dev.jcni.core.skel.CniPlugin;
import dev.jcni.core.skel.Log;
import dev.jcni.core.skel.NodePolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The jcni plugins this process can run itself instead of exec'ing them: a delegate found on
 * CNI_PATH that is our launcher of a plugin whose classes are on our own class path (bridge
 * delegating to host-local, both in interface-bridge's jar) is answered in-process, through
 * {@code Skel.runNested}, saving the second JVM start. Same request, same {@code Skel}, same
 * store and lock: the same answer and the same errors as the exec.
 *
 * <p>A plugin jar declares what it can run in-process with one resource per plugin type,
 * {@code META-INF/jcni/plugins/<type>}, holding the plugin's class (a {@link CniPlugin} with a
 * public no-argument constructor). Nothing is imported: the class is loaded by name, so a
 * plugin package never depends on the one it delegates to.
 *
 * <p>A type runs in-process only when all of these hold, and is exec'ed otherwise:
 * <ul>
 *   <li>the node allows it: {@value #POLICY} is not {@code 0} or {@code false} (node policy, from
 *       the runtime's environment);</li>
 *   <li>our class path declares the type, and its class is a {@code CniPlugin};</li>
 *   <li>the executable the delegator found (after symbolic links) is a launcher of exactly our
 *       shape ({@link LauncherScript}) for that type, or our native launcher whose
 *       {@code lib/jvm/<name>} beside it is one ({@link LauncherFile}), read as untrusted input
 *       (regular files of our user that others cannot write, opened without blocking, bounded),
 *       whose main class is the declared class and every entry of whose class path is an entry
 *       of ours (the same file path): the exec would have run this very code. In a plugin
 *       process the two class paths are the same; in the node daemon, which holds every plugin,
 *       ours is wider.</li>
 * </ul>
 */
public final class InProcessPlugins {
    /** Node policy: {@code 0} or {@code false} makes every delegate an exec. */
    public static final String POLICY = "JCNI_DELEGATE_IN_PROCESS";
    static final String RESOURCE_DIR = "META-INF/jcni/plugins/";
    /** Exec every delegate. */
    public static final InProcessPlugins NONE = new InProcessPlugins(null, null);

    private final ClassLoader loader;
    private final String classPath;
    /** Our class path's entries, normalised; made on first use. */
    private Set<Path> ourEntries;

    InProcessPlugins(ClassLoader loader, String classPath) {
        this.loader = loader;
        this.classPath = classPath;
    }

    /** The plugins of this JVM's class path, unless the node's policy turns in-process delegation off. */
    public static InProcessPlugins forNode(NodePolicy node) {
        String setting = node.get(POLICY, "1");
        if (setting.equals("0") || setting.equalsIgnoreCase("false")) {
            return NONE;
        }
        return new InProcessPlugins(InProcessPlugins.class.getClassLoader(), System.getProperty("java.class.path"));
    }

    /**
     * A fresh instance of the plugin to run in place of {@code binary}, the executable found for
     * {@code type}; null when it must be exec'ed (the reason is logged at debug level).
     */
    CniPlugin pluginFor(String type, Path binary) {
        if (loader == null) {
            return null;
        }
        String declared = declaredClass(type);
        if (declared == null) {
            Log.debug("delegate " + type + ": not a plugin of this class path, exec");
            return null;
        }
        String why = launcherMismatch(type, binary, declared);
        if (why != null) {
            Log.debug("delegate " + type + ": " + binary + " " + why + ", exec");
            return null;
        }
        try {
            Class<?> c = Class.forName(declared, true, loader);
            if (!CniPlugin.class.isAssignableFrom(c)) {
                Log.warn("delegate " + type + ": " + declared + " is no CniPlugin; exec");
                return null;
            }
            return (CniPlugin) c.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            Log.warn("delegate " + type + ": cannot load " + declared + " (" + e + "); exec");
            return null;
        }
    }

    /** The class {@code META-INF/jcni/plugins/<type>} names, or null. */
    private String declaredClass(String type) {
        try (InputStream in = loader.getResourceAsStream(RESOURCE_DIR + type)) {
            if (in == null) {
                return null;
            }
            String name = new String(in.readNBytes(1024), StandardCharsets.UTF_8).trim();
            return name.isEmpty() ? null : name;
        } catch (IOException e) {
            return null;
        }
    }

    /** Why {@code binary} is not our launcher of {@code type} running {@code declared}; null when it is. */
    private String launcherMismatch(String type, Path binary, String declared) {
        LauncherFile file = LauncherFile.read(binary);
        LauncherScript launcher = file.script();
        if (launcher == null) {
            return file.problem();
        }
        if (!launcher.name().equals(type) || !launcher.mainClass().equals(declared)) {
            return "launches " + launcher.name() + " (" + launcher.mainClass() + ")";
        }
        if (!onOurClassPath(launcher.classPath())) {
            return "runs a class path that is not within ours";
        }
        return null;
    }

    /**
     * True if every entry of {@code launcherClassPath} is an entry of ours (the same file, by its
     * absolute normalised path): the exec would load nothing we do not have. Equal class paths
     * in a plugin process; in the node daemon ours holds every plugin, a superset.
     */
    private boolean onOurClassPath(String launcherClassPath) {
        Set<Path> ours = ourEntries();
        for (String entry : launcherClassPath.split(":", -1)) {
            Path p = entry.isEmpty() ? null : normalised(entry);
            if (p == null || !ours.contains(p)) {
                return false;
            }
        }
        return true;
    }

    private synchronized Set<Path> ourEntries() {
        if (ourEntries == null) {
            Set<Path> entries = new HashSet<>();
            for (String entry : classPath.split(":", -1)) {
                Path p = entry.isEmpty() ? null : normalised(entry);
                if (p != null) {
                    entries.add(p);
                }
            }
            ourEntries = entries;
        }
        return ourEntries;
    }

    /** The entry as an absolute normalised path; null if it cannot be one (it then matches nothing). */
    private static Path normalised(String entry) {
        try {
            return Path.of(entry).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
