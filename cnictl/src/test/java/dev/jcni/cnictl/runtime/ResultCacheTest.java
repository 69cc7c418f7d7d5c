package dev.jcni.cnictl.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The libcni result cache (cni-protocol.md §4.4, §5.4.5). The golden file is what Go's
 * {@code json.Marshal(&cachedInfo{…})} writes for these inputs: struct field order, map keys
 * sorted, {@code <>&} escaped, config base64.
 */
class ResultCacheTest {
    @TempDir
    Path dir;

    static byte[] resource(String name) throws IOException {
        try (InputStream in = ResultCacheTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    private static RuntimeConf goldenRuntimeConf() throws Exception {
        ObjectNode caps = (ObjectNode) Json.parse("{\"portMappings\":[{\"hostPort\":8080,\"containerPort\":80,"
                + "\"protocol\":\"tcp\",\"hostIP\":\"\"}]}");
        return new RuntimeConf("ctr-1", "/var/run/netns/golden", "eth0",
                List.of(new RuntimeConf.Arg("IgnoreUnknown", "1"), new RuntimeConf.Arg("K8S_POD_NAME", "web<1>&co")), caps);
    }

    private static ObjectNode goldenResult() throws Exception {
        return (ObjectNode) Json.parse("{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"cni-golden0\",\"mac\":"
                + "\"aa:bb:cc:dd:ee:ff\"},{\"name\":\"eth0\",\"mac\":\"02:00:00:00:00:01\",\"sandbox\":\"/var/run/netns/golden\"}],"
                + "\"ips\":[{\"interface\":1,\"address\":\"10.1.0.2/24\",\"gateway\":\"10.1.0.1\"}],"
                + "\"routes\":[{\"dst\":\"0.0.0.0/0\"}],\"dns\":{}}");
    }

    @Test
    void writesExactlyTheBytesLibcniWrites() throws Exception {
        byte[] config = resource("golden.conflist");
        ResultCache cache = new ResultCache(dir);
        cache.write(config, "golden", goldenRuntimeConf(), goldenResult());
        Path file = dir.resolve("results/golden-ctr-1-eth0");
        assertEquals(new String(resource("golden-cniCacheV1"), StandardCharsets.UTF_8),
                new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        try (var leftovers = Files.list(file.getParent())) {
            assertEquals(1, leftovers.count(), "no temporary file is left behind");
        }
    }

    @Test
    void readsAGoWrittenEntry() throws Exception {
        Files.createDirectories(dir.resolve("results"));
        Files.write(dir.resolve("results/golden-ctr-1-eth0"), resource("golden-cniCacheV1"));
        ResultCache cache = new ResultCache(dir);
        CachedAttachment a = cache.read("golden", RuntimeConf.of("ctr-1", "", "eth0"));
        assertEquals("ctr-1", a.containerId());
        assertEquals("golden", a.network());
        assertEquals("eth0", a.ifName());
        assertEquals("/var/run/netns/golden", a.netns());
        assertArrayEquals(resource("golden.conflist"), a.config());
        assertEquals(2, a.cniArgs().size());
        assertEquals(new RuntimeConf.Arg("K8S_POD_NAME", "web<1>&co"), a.cniArgs().get(1));
        assertEquals(8080, a.capabilityArgs().get("portMappings").get(0).get("hostPort").intValue());
        assertEquals("10.1.0.2/24", a.result().get("ips").get(0).get("address").textValue());
        // And written back from what was read, the bytes are the same: a full round trip.
        byte[] again = ResultCache.encode(a.config(), a.network(), a.runtimeConf(), a.result());
        assertArrayEquals(resource("golden-cniCacheV1"), again);
        // The cached config loads as the network it was.
        CniRuntime rt = CniRuntime.builder().cacheDir(dir).build();
        NetworkConfigList cfg = rt.cachedConfig("golden", RuntimeConf.of("ctr-1", "", "eth0"));
        assertEquals("portmap", cfg.plugins().get(1).type());
    }

    @Test
    void optionalFieldsAreOmittedWhenEmpty() throws Exception {
        byte[] bytes = ResultCache.encode("{}".getBytes(StandardCharsets.UTF_8), "n", RuntimeConf.of("c", "", "eth0"), null);
        assertEquals("{\"kind\":\"cniCacheV1\",\"containerId\":\"c\",\"config\":\"e30=\",\"ifName\":\"eth0\",\"networkName\":\"n\"}",
                new String(bytes, StandardCharsets.UTF_8));
    }

    /**
     * Issue 8: standard base64, not the URL-safe alphabet; the golden file's base64 holds neither
     * '+' nor '/', so it could not tell. The expected text is what Go's json.Marshal writes.
     */
    @Test
    void theConfigIsStandardBase64WithPlusAndSlashBothWays() throws Exception {
        byte[] config = "{\"name\":\"x????>\"}".getBytes(StandardCharsets.UTF_8);
        ResultCache cache = new ResultCache(dir);
        cache.write(config, "n", RuntimeConf.of("c", "", "eth0"), null);
        assertEquals("{\"kind\":\"cniCacheV1\",\"containerId\":\"c\",\"config\":\"eyJuYW1lIjoieD8/Pz8+In0=\",\"ifName\":\"eth0\","
                + "\"networkName\":\"n\"}", Files.readString(dir.resolve("results/n-c-eth0")));
        CachedAttachment a = cache.read("n", RuntimeConf.of("c", "", "eth0"));
        assertArrayEquals(config, a.config());
        assertEquals("c", a.containerId());
    }

    @Test
    void legacyBareResultIsReadAsTheResult() throws Exception {
        Files.createDirectories(dir.resolve("results"));
        Files.writeString(dir.resolve("results/n-c-eth0"), "{\"cniVersion\":\"0.4.0\",\"ips\":[{\"version\":\"4\",\"address\":\"10.1.2.3/24\"}]}");
        CachedAttachment a = new ResultCache(dir).read("n", RuntimeConf.of("c", "", "eth0"));
        assertEquals("0.4.0", a.result().get("cniVersion").textValue());
        assertNull(a.config());
        assertEquals(List.of(), new ResultCache(dir).list(), "legacy entries are not attachments");
    }

    @Test
    void emptyOrGarbageFileIsAnErrorOnReadAndSkippedWhenListing() throws Exception {
        Files.createDirectories(dir.resolve("results"));
        Files.write(dir.resolve("results/n-c-eth0"), new byte[0]);
        CniException e = assertThrows(CniException.class,
                () -> new ResultCache(dir).read("n", RuntimeConf.of("c", "", "eth0")));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        Files.write(dir.resolve("results/golden-ctr-1-eth0"), resource("golden-cniCacheV1"));
        Files.writeString(dir.resolve("results/x-incomplete-eth0"), "{\"kind\":\"cniCacheV1\",\"containerId\":\"c\"}");
        List<CachedAttachment> all = new ResultCache(dir).list();
        assertEquals(1, all.size());
        assertEquals("golden", all.get(0).network());
    }

    @Test
    void missingEntryIsNullAndDeleteIsIdempotent() throws Exception {
        ResultCache cache = new ResultCache(dir);
        assertNull(cache.read("n", RuntimeConf.of("c", "", "eth0")));
        cache.delete("n", RuntimeConf.of("c", "", "eth0"));
        assertThrows(CniException.class, () -> cache.path("n", RuntimeConf.of("", "", "eth0")));
    }

    @Test
    void goJsonEscapesLikeGo() {
        StringBuilder sb = new StringBuilder();
        GoJson.string(sb, "a<b>&\"\\\n\t\u0001\u2028é");
        assertEquals("\"a\\u003cb\\u003e\\u0026\\\"\\\\\\n\\t\\u0001\\u2028é\"", sb.toString());
        assertEquals("{\"a\":1.5,\"b\":[true,null],\"c\":{\"x\":10000000000}}",
                new String(GoJson.marshal(Json.NODES.objectNode().put("c", 0).put("a", 1.5)
                        .<ObjectNode>set("c", Json.NODES.objectNode().put("x", 10_000_000_000L))
                        .set("b", Json.NODES.arrayNode().add(true).addNull())), StandardCharsets.UTF_8));
    }

    // ---- issue 6, point 9: the cache is state read back, so it is untrusted input

    private Path entry(String name, byte[] bytes) throws IOException {
        Files.createDirectories(dir.resolve("results"));
        return Files.write(dir.resolve("results").resolve(name), bytes);
    }

    private static CniException refused(ResultCache cache, String network, String containerId) {
        CniException e = assertThrows(CniException.class, () -> cache.read(network, RuntimeConf.of(containerId, "", "eth0")));
        assertEquals(CniException.DECODING_FAILURE, e.code());
        return e;
    }

    @Test
    void aSymlinkOutOfTheCacheDirectoryIsNotRead(@TempDir Path elsewhere) throws Exception {
        Path planted = Files.write(elsewhere.resolve("planted"), resource("golden-cniCacheV1"));
        Files.createDirectories(dir.resolve("results"));
        Files.createSymbolicLink(dir.resolve("results/golden-ctr-1-eth0"), planted);
        ResultCache cache = new ResultCache(dir);
        assertTrue(refused(cache, "golden", "ctr-1").getMessage().contains("outside"), "names why");
        assertEquals(List.of(), cache.list());
    }

    @Test
    void aSymlinkThatStaysInsideIsRead() throws Exception {
        Files.createDirectories(dir.resolve("real-results"));
        Files.write(dir.resolve("real-results/golden-ctr-1-eth0"), resource("golden-cniCacheV1"));
        Files.createSymbolicLink(dir.resolve("results"), dir.resolve("real-results"));
        ResultCache cache = new ResultCache(dir);
        assertEquals("golden", cache.read("golden", RuntimeConf.of("ctr-1", "", "eth0")).network());
        assertEquals(1, cache.list().size());
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 30, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aFifoOrADeviceIsRefusedWithoutBlocking() throws Exception {
        Files.createDirectories(dir.resolve("results"));
        assertEquals(0, new ProcessBuilder("mkfifo", dir.resolve("results/n-c-eth0").toString()).inheritIO().start().waitFor());
        Files.createSymbolicLink(dir.resolve("results/n-d-eth0"), Path.of("/dev/zero"));
        ResultCache cache = new ResultCache(dir);
        assertTrue(refused(cache, "n", "c").getMessage().contains("not a regular file"));
        refused(cache, "n", "d");
        assertEquals(List.of(), cache.list());
        cache.delete("n", RuntimeConf.of("c", "", "eth0"));
        assertTrue(!Files.exists(dir.resolve("results/n-c-eth0"), java.nio.file.LinkOption.NOFOLLOW_LINKS), "DEL can drop it");
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 30, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aFifoInPlaceOfTheResultsDirectoryIsAnErrorNotAHang() throws Exception {
        assertEquals(0, new ProcessBuilder("mkfifo", dir.resolve("results").toString()).inheritIO().start().waitFor());
        CniException e = assertThrows(CniException.class, () -> new ResultCache(dir).list());
        assertEquals(CniException.IO_FAILURE, e.code(), e.getMessage());
    }

    /**
     * An entry's path is made of the caller's names: one that climbs out of the cache (through a
     * directory that exists) must not be read, and above all not deleted, as DEL drops an entry.
     */
    @Test
    void namesThatWouldLeaveTheCacheAreRefused(@TempDir Path elsewhere) throws Exception {
        Files.createDirectories(dir.resolve("results/n-x"));
        Path victim = Files.writeString(dir.resolve("victim-eth0"), "keep");
        ResultCache cache = new ResultCache(dir);
        RuntimeConf climbing = RuntimeConf.of("x/../../victim", "", "eth0");
        CniException e = assertThrows(CniException.class, () -> cache.path("n", climbing));
        assertEquals(CniException.INVALID_ENVIRONMENT, e.code(), e.getMessage());
        assertThrows(CniException.class, () -> cache.read("n", climbing));
        cache.delete("n", climbing);
        assertEquals("keep", Files.readString(victim), "DEL's drop of an unusable entry never reaches outside the cache");
        for (String[] names : new String[][] {{"../n", "c", "eth0"}, {"n", "c", "../../x"}, {"n", "..", "eth0"}, {"n", "c", "a/b"}}) {
            assertThrows(CniException.class, () -> cache.path(names[0], RuntimeConf.of(names[1], "", names[2])), String.join(" ", names));
        }
    }

    @Test
    void anOversizedEntryIsRefused() throws Exception {
        byte[] golden = resource("golden-cniCacheV1");
        byte[] padded = new byte[ResultCache.MAX_ENTRY_BYTES + 1];
        java.util.Arrays.fill(padded, (byte) ' ');
        System.arraycopy(golden, 0, padded, 0, golden.length);
        entry("golden-ctr-1-eth0", padded);
        ResultCache cache = new ResultCache(dir);
        assertTrue(refused(cache, "golden", "ctr-1").getMessage().contains("larger than"));
        assertEquals(List.of(), cache.list());
    }

    @Test
    void entriesAreValidatedLikeTheRuntimeArgumentsTheyReplay() throws Exception {
        String golden = new String(resource("golden-cniCacheV1"), StandardCharsets.UTF_8);
        ResultCache cache = new ResultCache(dir);
        String[][] bad = {
                {"\"containerId\":\"ctr-1\"", "\"containerId\":\"other\"", "container ID"},
                {"\"ifName\":\"eth0\"", "\"ifName\":\"eth0/../x\"", "interface"},
                {"\"networkName\":\"golden\"", "\"networkName\":\"other\"", "network"},
                {"\"netns\":\"/var/run/netns/golden\"", "\"netns\":\"relative/ns\"", "netns"},
                {"[\"IgnoreUnknown\",\"1\"]", "[\"IgnoreUnknown\",\"1;MAC=02:00:00:00:00:09\"]", "CNI_ARGS"},
                {"[\"IgnoreUnknown\",\"1\"]", "[\"Ignore=Unknown\",\"1\"]", "CNI_ARGS"},
        };
        for (String[] c : bad) {
            String planted = golden.replace(c[0], c[1]);
            assertTrue(!planted.equals(golden), "the case changes the entry: " + c[1]);
            entry("golden-ctr-1-eth0", planted.getBytes(StandardCharsets.UTF_8));
            CniException e = refused(cache, "golden", "ctr-1");
            assertTrue(e.getMessage().contains(c[2]), c[1] + ": " + e.getMessage());
            assertEquals(List.of(), cache.list(), c[1]);
        }
    }
}
