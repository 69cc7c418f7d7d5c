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
}
