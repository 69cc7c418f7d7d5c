package dev.jcni.cnictl.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.protocol.JsonFields;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * libcni's result cache: {@code <cacheDir>/results/<network>-<containerID>-<ifname>} in the
 * {@code cniCacheV1} format, so that containerd, CRI-O, podman and cnitool read what we write and
 * we read what they wrote.
 *
 * <p>The file is written the way Go marshals libcni's {@code cachedInfo} struct: fields in struct
 * order, empty optional fields omitted, {@code config} base64, maps with sorted keys. Unlike
 * libcni it is written to a temporary file and renamed, so a crash never leaves the 0-byte cache
 * files that have blocked pod deletion (cni#1055); such files are still tolerated on read.
 *
 * <p>What is read back is untrusted state: anyone with write access to the cache directory
 * could have planted it, and DEL and GC replay its netns, CNI_ARGS and capability arguments to
 * plugins running as root. An entry is read only if it is a regular file whose real path lies
 * inside the cache directory, of at most {@link #MAX_ENTRY_BYTES}, and its attachment fields are
 * valid and its own (container ID, network and ifname those of the file it is in); otherwise it
 * is an invalid entry (code 6), which DEL drops and GC skips.
 */
public final class ResultCache {
    public static final String KIND_V1 = "cniCacheV1";
    /** The largest entry read: the config (at most ConfigLoader.MAX_FILE_BYTES, base64) and a result. */
    public static final int MAX_ENTRY_BYTES = 8 << 20;
    /** libcni's default; cni#1066 proposes /run/cni. */
    public static final Path DEFAULT_DIR = Path.of("/var/lib/cni");

    private final Path cacheDir;

    public ResultCache(Path cacheDir) {
        this.cacheDir = cacheDir;
    }

    public Path cacheDir() {
        return cacheDir;
    }

    public Path resultsDir() {
        return cacheDir.resolve("results");
    }

    /**
     * The entry's file. Its name is made of the caller's names, so they are checked as libcni
     * checks them before an ADD: a name with a '/' or a ".." would lead out of the cache, and DEL
     * drops an entry it cannot use, which must never delete a file elsewhere.
     */
    public Path path(String network, RuntimeConf rt) throws CniException {
        if (network.isEmpty() || rt.containerId().isEmpty() || rt.ifName().isEmpty()) {
            throw new CniException(CniException.INVALID_ENVIRONMENT, "cache file path requires network name (\"" + network
                    + "\"), container ID (\"" + rt.containerId() + "\"), and interface name (\"" + rt.ifName() + "\")");
        }
        AttachmentNames.validate(network, rt);
        return resultsDir().resolve(network + "-" + rt.containerId() + "-" + rt.ifName());
    }

    /**
     * The bytes libcni would write for this attachment. Written field by field because Go marshals
     * a struct in declaration order, where {@link GoJson} would sort the keys as it does for a map.
     */
    public static byte[] encode(byte[] config, String network, RuntimeConf rt, JsonNode result) {
        StringBuilder sb = new StringBuilder(1024);
        sb.append("{\"kind\":");
        GoJson.string(sb, KIND_V1);
        sb.append(",\"containerId\":");
        GoJson.string(sb, rt.containerId());
        sb.append(",\"config\":");
        if (config == null) {
            sb.append("null");
        } else {
            GoJson.string(sb, Base64.getEncoder().encodeToString(config));
        }
        sb.append(",\"ifName\":");
        GoJson.string(sb, rt.ifName());
        sb.append(",\"networkName\":");
        GoJson.string(sb, network);
        if (!rt.netns().isEmpty()) {
            sb.append(",\"netns\":");
            GoJson.string(sb, rt.netns());
        }
        if (!rt.cniArgs().isEmpty()) {
            ArrayNode pairs = Json.NODES.arrayNode();
            for (RuntimeConf.Arg a : rt.cniArgs()) {
                pairs.addArray().add(a.key()).add(a.value());
            }
            sb.append(",\"cniArgs\":");
            GoJson.write(sb, pairs);
        }
        if (rt.hasCapabilityArgs()) {
            sb.append(",\"capabilityArgs\":");
            GoJson.write(sb, rt.capabilityArgs());
        }
        if (result != null && result.isObject() && result.size() > 0) {
            sb.append(",\"result\":");
            GoJson.write(sb, result);
        }
        sb.append('}');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Writes the entry after a fully successful ADD: directory 0700, file 0600, atomically. */
    public void write(byte[] config, String network, RuntimeConf rt, JsonNode result) throws CniException {
        Path file = path(network, rt);
        byte[] bytes = encode(config, network, rt, result);
        try {
            createPrivateDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.write(tmp, bytes);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new CniException(CniException.IO_FAILURE, "failed to set network \"" + network + "\" cached result",
                    IoErrors.describeWithFile(e));
        }
    }

    /**
     * Reads the entry, or null when there is none. A legacy cache file (a bare result, written by
     * libcni before 0.8) comes back with only {@code result} set.
     *
     * @throws CniException code 6 when the file is neither format (e.g. empty after a crash)
     */
    public CachedAttachment read(String network, RuntimeConf rt) throws CniException {
        Path file = path(network, rt);
        byte[] bytes;
        try {
            bytes = readEntry(file);
        } catch (RegularFiles.Refused e) {
            throw new CniException(CniException.DECODING_FAILURE, "invalid cached result " + file, e.getMessage());
        } catch (IOException e) {
            // Missing, or unreadable: libcni ignores both, the cached result "may not exist on-disk".
            return null;
        }
        JsonNode tree;
        try {
            tree = Json.parse(bytes);
        } catch (Json.JsonSyntaxException e) {
            throw new CniException(CniException.DECODING_FAILURE, "invalid cached result " + file,
                    bytes.length == 0 ? "the file is empty" : e.getMessage());
        }
        CachedAttachment v1 = decodeV1(tree);
        if (v1 != null) {
            String problem = problemWith(v1, network, rt.containerId(), rt.ifName());
            if (problem != null) {
                throw new CniException(CniException.DECODING_FAILURE, "invalid cached result " + file, problem);
            }
            return v1;
        }
        if (!tree.isObject()) {
            throw new CniException(CniException.DECODING_FAILURE, "invalid cached result " + file,
                    "neither a cniCacheV1 entry nor a result object");
        }
        return new CachedAttachment(rt.containerId(), network, rt.ifName(), null, "", List.of(), null, (ObjectNode) tree);
    }

    /** Removes the entry; a missing file is fine (DEL is idempotent). */
    public void delete(String network, RuntimeConf rt) {
        try {
            Files.deleteIfExists(path(network, rt));
        } catch (IOException | CniException e) {
            // As libcni: failing to remove the cache never fails the DEL that already succeeded.
        }
    }

    /**
     * Every complete {@code cniCacheV1} entry, sorted by file name ({@code GetCachedAttachments}):
     * unreadable, legacy and incomplete entries are skipped, since nothing can be done with them.
     */
    public List<CachedAttachment> list() throws CniException {
        List<Path> files = new ArrayList<>();
        try {
            if (!RegularFiles.isListableDirectory(resultsDir())) {
                return List.of();
            }
        } catch (RegularFiles.Refused e) {
            throw new CniException(CniException.IO_FAILURE, "cannot list " + resultsDir(), e.getMessage());
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(resultsDir())) {
            for (Path p : entries) {
                files.add(p);
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new CniException(CniException.IO_FAILURE, "cannot list " + resultsDir(), IoErrors.describe(e));
        }
        Collections.sort(files);
        List<CachedAttachment> out = new ArrayList<>();
        for (Path f : files) {
            try {
                CachedAttachment a = decodeV1(Json.parse(readEntry(f)));
                // Only an entry in the file its own names make: a planted copy under another name
                // would make GC tear down an attachment that is not stale.
                if (a != null && !a.ifName().isEmpty() && !a.network().isEmpty()
                        && problemWith(a, a.network(), a.containerId(), a.ifName()) == null
                        && f.getFileName().toString().equals(a.network() + "-" + a.containerId() + "-" + a.ifName())) {
                    out.add(a);
                }
            } catch (IOException e) {
                // unreadable, malformed or not a plain file in here: skipped, as libcni skips what it cannot use
            }
        }
        return out;
    }

    /**
     * The bytes of an entry: a regular file (links followed) whose real path lies inside the
     * cache directory, at most {@link #MAX_ENTRY_BYTES}.
     *
     * @throws RegularFiles.Refused when it is none of that
     * @throws IOException when it does not exist or cannot be read
     */
    private byte[] readEntry(Path file) throws IOException {
        Path real = file.toRealPath();
        if (!real.startsWith(cacheDir.toRealPath())) {
            throw new RegularFiles.Refused("it is a link to " + real + ", outside the cache directory " + cacheDir);
        }
        return RegularFiles.read(real, MAX_ENTRY_BYTES);
    }

    /**
     * What makes an entry unfit to replay for (network, containerId, ifName), or null: the checks
     * libcni makes on a runtime's arguments before an ADD, and that it is that attachment's entry.
     */
    static String problemWith(CachedAttachment a, String network, String containerId, String ifName) {
        try {
            AttachmentNames.validate(a.network(), a.runtimeConf());
        } catch (CniException e) {
            return e.getMessage();
        }
        if (!a.containerId().equals(containerId)) {
            return "the entry is for container ID \"" + a.containerId() + "\", not \"" + containerId + "\"";
        }
        if (!a.ifName().equals(ifName)) {
            return "the entry is for interface \"" + a.ifName() + "\", not \"" + ifName + "\"";
        }
        if (!a.network().equals(network)) {
            return "the entry is for network \"" + a.network() + "\", not \"" + network + "\"";
        }
        if (!a.netns().isEmpty() && (!a.netns().startsWith("/") || a.netns().indexOf('\0') >= 0)) {
            return "the cached netns \"" + a.netns() + "\" is not an absolute path";
        }
        for (RuntimeConf.Arg arg : a.cniArgs()) {
            if (arg.key().isEmpty() || arg.key().indexOf('=') >= 0 || arg.key().indexOf(';') >= 0 || arg.value().indexOf(';') >= 0) {
                return "the cached CNI_ARGS pair [\"" + arg.key() + "\", \"" + arg.value()
                        + "\"] would not stay one pair (a key has no '=' or ';', a value no ';')";
            }
        }
        return null;
    }

    /** The entry if {@code tree} is a well-typed cniCacheV1 object, else null. */
    static CachedAttachment decodeV1(JsonNode tree) {
        if (!tree.isObject()) {
            return null;
        }
        JsonNode kind = field(tree, "kind");
        if (kind == null || !kind.isTextual() || !kind.textValue().equals(KIND_V1)) {
            return null;
        }
        try {
            byte[] config = null;
            JsonNode rawConfig = field(tree, "config");
            if (rawConfig != null) {
                config = Base64.getDecoder().decode(rawConfig.textValue());
            }
            List<RuntimeConf.Arg> args = new ArrayList<>();
            JsonNode rawArgs = field(tree, "cniArgs");
            if (rawArgs != null) {
                for (JsonNode pair : rawArgs) {
                    if (!pair.isArray() || pair.size() != 2) {
                        return null;
                    }
                    args.add(new RuntimeConf.Arg(pair.get(0).asText(), pair.get(1).asText()));
                }
            }
            JsonNode caps = field(tree, "capabilityArgs");
            JsonNode result = field(tree, "result");
            if ((caps != null && !caps.isObject()) || (result != null && !result.isObject())) {
                return null;
            }
            return new CachedAttachment(text(tree, "containerId"), text(tree, "networkName"), text(tree, "ifName"),
                    config, text(tree, "netns"), args, (ObjectNode) caps, (ObjectNode) result);
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }

    /** A key of a cache entry, matched as libcni's Go decoder matches it (last one ignoring case). */
    private static JsonNode field(JsonNode tree, String key) {
        return JsonFields.of((ObjectNode) tree, JsonFields.Source.RESULT).get(key);
    }

    private static String text(JsonNode tree, String key) {
        JsonNode n = field(tree, key);
        return n == null ? "" : n.asText();
    }

    /** mkdir -p with 0700 for what it creates, as libcni's MkdirAll(…, 0o700). */
    static void createPrivateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            createPrivateDirectories(parent);
        }
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            // created concurrently
        }
    }
}
