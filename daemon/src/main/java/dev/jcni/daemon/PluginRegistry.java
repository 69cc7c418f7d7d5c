package dev.jcni.daemon;

import dev.jcni.core.skel.CniPlugin;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

/**
 * The plugins jcnid serves: every type a jar (or class directory) of its class path declares
 * with {@code META-INF/jcni/plugins/<type>} (the plugin's class, as in-process delegation reads
 * it), whose class is a {@link CniPlugin} with a public no-argument constructor. A request names
 * its plugin by the launcher's file name, which is the type.
 */
final class PluginRegistry {
    static final String RESOURCE_DIR = "META-INF/jcni/plugins/";
    private static final Pattern TYPE = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.\\-]*");

    private final Map<String, Class<? extends CniPlugin>> types;

    PluginRegistry(Map<String, Class<? extends CniPlugin>> types) {
        this.types = new TreeMap<>(types);
    }

    /** The declarations on {@code classPath} (entries separated by ':'), classes loaded through {@code loader}. */
    static PluginRegistry scan(String classPath, ClassLoader loader, DaemonLog log) {
        Map<String, String> declared = new LinkedHashMap<>();
        for (String entry : classPath.split(":")) {
            if (entry.isEmpty()) {
                continue;
            }
            try {
                Path p = Path.of(entry);
                if (Files.isDirectory(p)) {
                    fromDirectory(p.resolve(RESOURCE_DIR), declared);
                } else if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                    fromJar(p, declared);
                }
            } catch (IOException | RuntimeException e) {
                log.warn("class path entry " + entry + " not read: " + e);
            }
        }
        Map<String, Class<? extends CniPlugin>> types = new TreeMap<>();
        for (Map.Entry<String, String> d : declared.entrySet()) {
            try {
                Class<?> c = Class.forName(d.getValue(), false, loader);
                if (!CniPlugin.class.isAssignableFrom(c)) {
                    log.warn("plugin " + d.getKey() + ": " + d.getValue() + " is no CniPlugin; not served");
                    continue;
                }
                c.getConstructor();
                types.put(d.getKey(), c.asSubclass(CniPlugin.class));
            } catch (ReflectiveOperationException | LinkageError e) {
                log.warn("plugin " + d.getKey() + ": " + d.getValue() + " cannot be loaded (" + e + "); not served");
            }
        }
        return new PluginRegistry(types);
    }

    private static void fromJar(Path jar, Map<String, String> declared) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = j.entries();
            while (entries.hasMoreElements()) {
                JarEntry e = entries.nextElement();
                String name = e.getName();
                if (!e.isDirectory() && name.startsWith(RESOURCE_DIR) && name.indexOf('/', RESOURCE_DIR.length()) < 0) {
                    try (InputStream in = j.getInputStream(e)) {
                        declare(name.substring(RESOURCE_DIR.length()), in, declared);
                    }
                }
            }
        }
    }

    private static void fromDirectory(Path dir, Map<String, String> declared) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (Files.isRegularFile(f)) {
                    try (InputStream in = Files.newInputStream(f)) {
                        declare(f.getFileName().toString(), in, declared);
                    }
                }
            }
        }
    }

    /** The first declaration of a type on the class path wins, as a class loader would find it. */
    private static void declare(String type, InputStream in, Map<String, String> declared) throws IOException {
        String className = new String(in.readNBytes(1024), StandardCharsets.UTF_8).trim();
        if (TYPE.matcher(type).matches() && !className.isEmpty()) {
            declared.putIfAbsent(type, className);
        }
    }

    /** A new instance of the plugin of {@code type}, or null if it is not served. */
    CniPlugin newInstance(String type) throws ReflectiveOperationException {
        Class<? extends CniPlugin> c = types.get(type);
        return c == null ? null : c.getConstructor().newInstance();
    }

    boolean serves(String type) {
        return types.containsKey(type);
    }

    Set<String> types() {
        return types.keySet();
    }

    static PluginRegistry of(Map<String, Class<? extends CniPlugin>> types) {
        return new PluginRegistry(types);
    }

    @Override
    public String toString() {
        return String.join(", ", List.copyOf(types.keySet()));
    }
}
