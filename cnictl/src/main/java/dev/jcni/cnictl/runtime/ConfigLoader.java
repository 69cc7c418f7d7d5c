package dev.jcni.cnictl.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.CniVersion;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.protocol.JsonFields;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads network configurations the way libcni does ({@code libcni/conf.go}), so that a directory
 * that works with cnitool, containerd or CRI-O works here, and one they reject is rejected here.
 *
 * <p>Every error names the file and the field, because the operator has to find and fix it.
 * A broken {@code .conflist} aborts the whole lookup, as in libcni: silently skipping it would
 * attach containers to whatever network comes next. An entry that is not a regular file (a FIFO,
 * a device, a symlink to one) is skipped with a warning instead: reading a FIFO would wait for a
 * writer forever. Files are read up to {@link #MAX_FILE_BYTES}.
 */
public final class ConfigLoader {
    /** The conventional configuration directory. */
    public static final Path DEFAULT_DIR = Path.of("/etc/cni/net.d");
    /** The largest config file read: a conflist is a few kilobytes. */
    public static final int MAX_FILE_BYTES = 4 << 20;
    /** Where warnings go when the caller names no place: stderr, as libcni's callers log. */
    private static final Consumer<String> STDERR = w -> System.err.println("warning: " + w);

    private ConfigLoader() {}

    /** {@link #load(Path, String, Consumer)} with warnings on stderr. */
    public static NetworkConfigList load(Path dir, String name) throws CniException {
        return load(dir, name, STDERR);
    }

    /**
     * Finds network {@code name} in {@code dir}: first the {@code .conflist} files (sorted), then
     * the deprecated single-plugin {@code .conf}/{@code .json} files, up-converted to a list.
     * Entries skipped because they are not regular files are reported to {@code warnings}.
     */
    public static NetworkConfigList load(Path dir, String name, Consumer<String> warnings) throws CniException {
        List<Path> lists = filesWithExtensions(dir, warnings, ".conflist");
        for (Path file : lists) {
            NetworkConfigList list = fromFile(file, warnings);
            if (list.name().equals(name)) {
                return list;
            }
        }
        List<Path> singles = filesWithExtensions(dir, warnings, ".conf", ".json");
        if (singles.isEmpty()) {
            if (lists.isEmpty()) {
                throw new CniException(CniException.INVALID_CONFIG, "no net configurations found in " + dir);
            }
            throw notFound(dir, name);
        }
        for (Path file : singles) {
            byte[] bytes = read(file);
            PluginConfig plugin = pluginFromBytes(bytes, file.toString());
            JsonNode pluginName = field(plugin.tree(), "name");
            if (pluginName != null && pluginName.isTextual() && pluginName.textValue().equals(name)) {
                return upConvert(plugin, file.toString());
            }
        }
        throw notFound(dir, name);
    }

    /** {@link #fromFile(Path, Consumer)} with warnings on stderr. */
    public static NetworkConfigList fromFile(Path file) throws CniException {
        return fromFile(file, STDERR);
    }

    /**
     * A {@code .conflist} file plus its drop-in plugins ({@code <dir>/<network>/*.conf}); the file
     * itself must be a regular file, drop-ins that are not are skipped with a warning.
     */
    public static NetworkConfigList fromFile(Path file, Consumer<String> warnings) throws CniException {
        NetworkConfigList list = fromBytes(read(file), file.toString());
        List<PluginConfig> all = new ArrayList<>(list.plugins());
        if (!list.loadOnlyInlinedPlugins()) {
            Path dropInDir = file.toAbsolutePath().getParent().resolve(list.name());
            for (Path dropIn : filesWithExtensions(dropInDir, warnings, ".conf")) {
                all.add(pluginFromBytes(read(dropIn), dropIn.toString()));
            }
        }
        if (all.isEmpty()) {
            throw new CniException(CniException.INVALID_CONFIG, file + ": no plugin configs found",
                    "the conflist has no \"plugins\" and " + file.toAbsolutePath().getParent().resolve(list.name())
                    + "/ holds no .conf drop-ins");
        }
        return list.withPlugins(all);
    }

    /**
     * Parses conflist bytes ({@code NetworkConfFromBytes}). Drop-ins are not loaded: the bytes
     * have no directory. {@code source} names the origin in errors.
     */
    public static NetworkConfigList fromBytes(byte[] bytes, String source) throws CniException {
        ObjectNode root;
        try {
            root = Json.parseObject(bytes);
        } catch (Json.JsonSyntaxException e) {
            throw new CniException(CniException.DECODING_FAILURE, source + ": error parsing configuration list", e.getMessage());
        }
        JsonNode rawName = root.get("name");
        if (rawName == null) {
            throw invalid(source, "\"name\" is missing");
        }
        if (!rawName.isTextual()) {
            throw invalid(source, "\"name\" must be a string, got " + Json.toString(rawName));
        }
        String name = rawName.textValue();
        String version = negotiateVersion(root, source);
        boolean disableCheck = flag(root, "disableCheck", source);
        boolean disableGC = flag(root, "disableGC", source);
        boolean onlyInlined = flag(root, "loadOnlyInlinedPlugins", source);

        List<PluginConfig> plugins = new ArrayList<>();
        JsonNode rawPlugins = root.get("plugins");
        if (rawPlugins == null) {
            if (onlyInlined) {
                throw invalid(source, "\"loadOnlyInlinedPlugins\" is true but there is no \"plugins\" list");
            }
        } else {
            if (!rawPlugins.isArray()) {
                throw invalid(source, "\"plugins\" must be a list, got " + Json.toString(rawPlugins));
            }
            if (rawPlugins.size() == 0) {
                throw invalid(source, "no plugins in list (\"plugins\" is empty)");
            }
            for (int i = 0; i < rawPlugins.size(); i++) {
                JsonNode p = rawPlugins.get(i);
                String origin = source + ": plugins[" + i + "]";
                if (!p.isObject()) {
                    throw new CniException(CniException.INVALID_CONFIG, origin + ": must be an object, got " + Json.toString(p));
                }
                plugins.add(pluginFromTree((ObjectNode) p, origin));
            }
        }
        return new NetworkConfigList(name, version, disableCheck, disableGC, onlyInlined, plugins, bytes, source);
    }

    /** One plugin object from a drop-in or single-plugin file. */
    static PluginConfig pluginFromBytes(byte[] bytes, String source) throws CniException {
        ObjectNode tree;
        try {
            tree = Json.parseObject(bytes);
        } catch (Json.JsonSyntaxException e) {
            throw new CniException(CniException.DECODING_FAILURE, source + ": error parsing configuration", e.getMessage());
        }
        return pluginFromTree(tree, source);
    }

    /**
     * Checks a plugin object the way Go decodes it into {@code types.PluginConf}: a field of the
     * wrong type fails loading, so no plugin is ever run with a config libcni would refuse.
     */
    static PluginConfig pluginFromTree(ObjectNode tree, String origin) throws CniException {
        String type = stringField(tree, "type", origin);
        if (type == null || type.isEmpty()) {
            throw new CniException(CniException.INVALID_CONFIG, origin + ": missing 'type'",
                    "every plugin needs a non-empty \"type\" naming its executable");
        }
        stringField(tree, "name", origin);
        stringField(tree, "cniVersion", origin);
        Map<String, Boolean> caps = new LinkedHashMap<>();
        JsonNode rawCaps = field(tree, "capabilities");
        if (rawCaps != null) {
            if (!rawCaps.isObject()) {
                throw new CniException(CniException.INVALID_CONFIG,
                        origin + ": \"capabilities\" must be an object of booleans, got " + Json.toString(rawCaps));
            }
            for (Map.Entry<String, JsonNode> e : rawCaps.properties()) {
                if (!e.getValue().isBoolean() && !e.getValue().isNull()) {
                    throw new CniException(CniException.INVALID_CONFIG, origin + ": \"capabilities." + e.getKey()
                            + "\" must be true or false, got " + Json.toString(e.getValue()));
                }
                caps.put(e.getKey(), e.getValue().asBoolean(false));
            }
        }
        JsonNode ipam = field(tree, "ipam");
        if (ipam != null) {
            if (!ipam.isObject()) {
                throw new CniException(CniException.INVALID_CONFIG, origin + ": \"ipam\" must be an object, got " + Json.toString(ipam));
            }
            stringField(ipam, "type", origin + ": ipam");
        }
        JsonNode dns = field(tree, "dns");
        if (dns != null) {
            if (!dns.isObject()) {
                throw new CniException(CniException.INVALID_CONFIG, origin + ": \"dns\" must be an object, got " + Json.toString(dns));
            }
            stringField(dns, "domain", origin + ": dns");
            stringList(dns, "nameservers", origin + ": dns");
            stringList(dns, "search", origin + ": dns");
            stringList(dns, "options", origin + ": dns");
        }
        JsonNode prev = field(tree, "prevResult");
        if (prev != null && !prev.isObject()) {
            throw new CniException(CniException.INVALID_CONFIG, origin + ": \"prevResult\" must be an object, got " + Json.toString(prev));
        }
        return new PluginConfig(tree, type, caps, origin);
    }

    /**
     * The deprecated single-plugin file as a one-plugin list. The list bytes are built as libcni
     * builds them (a Go map marshalled: keys sorted), so a cache written here matches one written
     * by cnitool for the same file.
     */
    static NetworkConfigList upConvert(PluginConfig plugin, String source) throws CniException {
        ObjectNode list = Json.NODES.objectNode();
        JsonNode version = field(plugin.tree(), "cniVersion");
        JsonNode name = field(plugin.tree(), "name");
        list.put("cniVersion", version == null ? "" : version.textValue());
        list.put("name", name == null ? "" : name.textValue());
        ArrayNode plugins = list.putArray("plugins");
        plugins.add(plugin.tree());
        return fromBytes(GoJson.marshal(list), source);
    }

    /** cniVersion plus cniVersions: the highest not above the version this runtime implements. */
    private static String negotiateVersion(ObjectNode root, String source) throws CniException {
        String version = "";
        JsonNode rawVersion = root.get("cniVersion");
        if (rawVersion != null) {
            if (!rawVersion.isTextual()) {
                throw invalid(source, "\"cniVersion\" must be a string, got " + Json.toString(rawVersion));
            }
            version = rawVersion.textValue();
        }
        JsonNode rawVersions = root.get("cniVersions");
        if (rawVersions == null) {
            return version;
        }
        if (!rawVersions.isArray()) {
            throw invalid(source, "\"cniVersions\" must be a list of strings, got " + Json.toString(rawVersions));
        }
        List<String> candidates = new ArrayList<>();
        for (int i = 0; i < rawVersions.size(); i++) {
            JsonNode v = rawVersions.get(i);
            if (!v.isTextual()) {
                throw invalid(source, "\"cniVersions[" + i + "]\" must be a string, got " + Json.toString(v));
            }
            if (notNewerThanCurrent(v.textValue(), source, "cniVersions[" + i + "]")) {
                candidates.add(v.textValue());
            }
        }
        if (!version.isEmpty() && notNewerThanCurrent(version, source, "cniVersion")) {
            candidates.add(version);
        }
        String best = null;
        for (String c : candidates) {
            if (best == null || SpecVersions.compare(c, best) > 0) {
                best = c;
            }
        }
        return best == null ? version : best;
    }

    private static boolean notNewerThanCurrent(String version, String source, String field) throws CniException {
        try {
            return SpecVersions.compare(version, CniVersion.CURRENT) <= 0;
        } catch (CniException e) {
            throw invalid(source, "\"" + field + "\" is not a valid version: " + e.msg());
        }
    }

    /** libcni's readBool: a JSON boolean or the strings "true"/"false" in any case. */
    private static boolean flag(ObjectNode root, String key, String source) throws CniException {
        JsonNode v = root.get(key);
        if (v == null) {
            return false;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isTextual()) {
            String s = v.textValue().toLowerCase(Locale.ROOT);
            if (s.equals("true")) {
                return true;
            }
            if (s.equals("false")) {
                return false;
            }
        }
        throw invalid(source, "\"" + key + "\" must be true, false, \"true\" or \"false\", got " + Json.toString(v));
    }

    private static String stringField(JsonNode obj, String key, String origin) throws CniException {
        JsonNode v = field(obj, key);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw new CniException(CniException.INVALID_CONFIG, origin + ": \"" + key + "\" must be a string, got " + Json.toString(v));
        }
        return v.textValue();
    }

    private static void stringList(JsonNode obj, String key, String origin) throws CniException {
        JsonNode v = field(obj, key);
        if (v == null) {
            return;
        }
        boolean ok = v.isArray();
        for (int i = 0; ok && i < v.size(); i++) {
            ok = v.get(i).isTextual();
        }
        if (!ok) {
            throw new CniException(CniException.INVALID_CONFIG, origin + ": \"" + key + "\" must be a list of strings, got " + Json.toString(v));
        }
    }

    /**
     * Regular files with one of the extensions (symlinks followed, as libcni does), sorted by
     * name; none if the directory is absent, an error if {@code dir} is something else (a FIFO
     * would hang the listing). Directories are passed over; anything else with a matching name (a
     * FIFO, a device, a dangling link) is reported to {@code warnings} and skipped.
     */
    static List<Path> filesWithExtensions(Path dir, Consumer<String> warnings, String... extensions) throws CniException {
        List<Path> out = new ArrayList<>();
        try {
            if (!RegularFiles.isListableDirectory(dir)) {
                return out;
            }
        } catch (RegularFiles.Refused e) {
            throw new CniException(CniException.IO_FAILURE, "cannot list " + dir, e.getMessage());
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) || !hasExtension(p, extensions) || Files.isDirectory(p)) {
                    continue;
                }
                if (!RegularFiles.isRegular(p)) {
                    warnings.accept("skipping " + p + ": not a regular file");
                    continue;
                }
                out.add(p);
            }
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            if (!Files.exists(dir)) {
                return out;
            }
            throw new CniException(CniException.IO_FAILURE, "cannot list " + dir, IoErrors.describe(e));
        }
        Collections.sort(out);
        return out;
    }

    private static boolean hasExtension(Path p, String... extensions) {
        String fileName = p.getFileName().toString();
        int dot = fileName.lastIndexOf('.');
        String ext = dot < 0 ? "" : fileName.substring(dot);
        for (String e : extensions) {
            if (ext.equals(e)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] read(Path file) throws CniException {
        try {
            return RegularFiles.read(file, MAX_FILE_BYTES);
        } catch (IOException e) {
            throw new CniException(CniException.IO_FAILURE, "error reading " + file, IoErrors.describe(e));
        }
    }

    /** A key of a plugin object, matched as libcni's Go decoder matches it (last one ignoring case). */
    private static JsonNode field(JsonNode obj, String key) {
        return JsonFields.of((ObjectNode) obj, JsonFields.Source.NETWORK_CONFIG).get(key);
    }

    private static CniException invalid(String source, String problem) {
        return new CniException(CniException.INVALID_CONFIG, source + ": " + problem);
    }

    private static CniException notFound(Path dir, String name) {
        return new CniException(CniException.INVALID_CONFIG, "no net configuration with name \"" + name + "\" in " + dir);
    }
}
