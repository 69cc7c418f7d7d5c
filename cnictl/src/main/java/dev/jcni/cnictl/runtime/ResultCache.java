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
 */
public final class ResultCache {
    public static final String KIND_V1 = "cniCacheV1";
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

    public Path path(String network, RuntimeConf rt) throws CniException {
        if (network.isEmpty() || rt.containerId().isEmpty() || rt.ifName().isEmpty()) {
            throw new CniException(CniException.INVALID_ENVIRONMENT, "cache file path requires network name (\"" + network
                    + "\"), container ID (\"" + rt.containerId() + "\"), and interface name (\"" + rt.ifName() + "\")");
        }
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
            bytes = Files.readAllBytes(file);
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
                CachedAttachment a = decodeV1(Json.parse(Files.readAllBytes(f)));
                if (a != null && !a.ifName().isEmpty() && !a.network().isEmpty()) {
                    out.add(a);
                }
            } catch (IOException e) {
                // unreadable or malformed: skipped, as libcni does
            }
        }
        return out;
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
