package dev.jcni.cnictl.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime's small parts on their own: arguments, names, bounded reads, error texts. */
class RuntimePiecesTest {
    @TempDir
    Path dir;

    @Test
    void capabilityArgsCountOnlyWhenTheyHoldSomething() throws Exception {
        assertFalse(RuntimeConf.of("c", "/n", "eth0").hasCapabilityArgs());
        assertFalse(RuntimeConf.of("c", "/n", "eth0").withCapabilityArgs(Json.NODES.objectNode()).hasCapabilityArgs());
        assertTrue(RuntimeConf.of("c", "/n", "eth0").withCapabilityArgs((ObjectNode) Json.parse("{\"a\":1}")).hasCapabilityArgs());
    }

    @Test
    void cniArgsKeepOrderAndRepeatsAndRefuseEmptyParts() throws Exception {
        assertEquals(List.of(), RuntimeConf.parseCniArgs(null));
        assertEquals(List.of(), RuntimeConf.parseCniArgs(""));
        assertEquals(List.of(new RuntimeConf.Arg("A", "b=c"), new RuntimeConf.Arg("B", "2"), new RuntimeConf.Arg("A", "3")),
                RuntimeConf.parseCniArgs("A=b=c;;B=2;A=3;"));
        for (String bad : List.of("A=", "=x", "A", "A=1;B=")) {
            CniException e = assertThrows(CniException.class, () -> RuntimeConf.parseCniArgs(bad), bad);
            assertEquals(CniException.INVALID_ENVIRONMENT, e.code());
            assertTrue(e.msg().startsWith("invalid CNI_ARGS pair \""), e.msg());
        }
    }

    @Test
    void attachmentNamesFollowTheKernelsRules() throws Exception {
        AttachmentNames.validate("net", RuntimeConf.of("c", "/n", "0123456789abcde"));
        AttachmentNames.validate("net", RuntimeConf.of("c", "/n", "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9x"));
        String[][] bad = {
                {"", "interface name is empty"},
                {"0123456789abcdef", "interface name is too long"},
                {"\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9", "interface name is too long"},
                {".", "interface name is . or .."},
                {"..", "interface name is . or .."},
                {"a b", "interface name contains / or : or whitespace characters"},
        };
        for (String[] c : bad) {
            CniException e = assertThrows(CniException.class, () -> AttachmentNames.validate("net", RuntimeConf.of("c", "/n", c[0])), c[0]);
            assertEquals(CniException.INVALID_ENVIRONMENT, e.code());
            assertEquals(c[1], e.msg(), c[0]);
        }
    }

    @Test
    void aBoundedReadTakesExactlyTheLimit() throws Exception {
        Path file = Files.write(dir.resolve("f"), new byte[10]);
        assertArrayEquals(new byte[10], RegularFiles.read(file, 10));
        RegularFiles.Refused big = assertThrows(RegularFiles.Refused.class, () -> RegularFiles.read(file, 9));
        assertEquals("larger than 9 bytes", big.getMessage());
        // A kernel file reports size 0: the read itself must stop at the limit.
        RegularFiles.Refused proc = assertThrows(RegularFiles.Refused.class, () -> RegularFiles.read(Path.of("/proc/self/status"), 10));
        assertEquals("larger than 10 bytes", proc.getMessage());
        assertEquals("not a regular file", assertThrows(RegularFiles.Refused.class, () -> RegularFiles.read(dir, 10)).getMessage());
    }

    @Test
    void ioErrorsAreDescribedAsGoDescribesThem() {
        assertEquals("no such file or directory", IoErrors.describe(new NoSuchFileException("/x")));
        assertEquals("permission denied", IoErrors.describe(new AccessDeniedException("/x")));
        assertEquals("Read-only file system", IoErrors.describe(new FileSystemException("/x", null, "Read-only file system")));
        assertEquals("/x", IoErrors.describe(new FileSystemException("/x")));
        assertEquals("broken", IoErrors.describe(new IOException("broken")));
        assertEquals("IOException", IoErrors.describe(new IOException()));
        assertEquals("/x: no such file or directory", IoErrors.describeWithFile(new NoSuchFileException("/x")));
        assertEquals("broken", IoErrors.describeWithFile(new IOException("broken")));
        assertEquals("permission denied", IoErrors.describeWithFile(new FileSystemException(null, null, "permission denied")));
    }

    @Test
    void aPluginIsDescribedByTypeAndItsOwnName() throws Exception {
        NetworkConfigList l = ConfigLoader.fromBytes(("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"plugins\":[{\"type\":\"a\",\"name\":\"mine\"},"
                + "{\"type\":\"b\",\"name\":\"\"},{\"type\":\"d\"}]}").getBytes(StandardCharsets.UTF_8), "t");
        assertEquals("plugin type=\"a\" name=\"mine\"", l.plugins().get(0).description());
        assertEquals("plugin type=\"b\"", l.plugins().get(1).description());
        assertEquals("plugin type=\"d\"", l.plugins().get(2).description());
    }

    @Test
    void anEmptyVersionIs010AsInLibcni() throws Exception {
        assertEquals(0, SpecVersions.compare("", "0.1.0"));
        assertEquals(0, SpecVersions.compare(null, "0.1"));
        assertTrue(SpecVersions.compare("", "0.2.0") < 0);
        assertTrue(SpecVersions.compare("0.1.1", "") > 0);
        assertFalse(SpecVersions.atLeast("", "0.4.0"));
        assertEquals("invalid version \"1.0.0.0\": too many parts",
                assertThrows(CniException.class, () -> SpecVersions.compare("1.0.0.0", "1.0.0")).msg());
    }

    @Test
    void thePluginPathIsKeptInOrder() {
        List<Path> path = List.of(Path.of("/b"), Path.of("/a"));
        assertEquals(path, new PluginLocator(path).path());
        assertEquals("/b:/a", new PluginLocator(path).pathString());
    }

    // ---- the cache

    private static final String ENTRY = "{\"kind\":\"cniCacheV1\",\"containerId\":\"c\",\"config\":\"e30=\",\"ifName\":\"%s\","
            + "\"networkName\":\"n\"%s}";

    private Path entry(String ifName, String extra) throws IOException {
        Files.createDirectories(dir.resolve("results"));
        return Files.writeString(dir.resolve("results/n-c-" + ifName), String.format(ENTRY, ifName, extra));
    }

    @Test
    void anEntryWithAnInvalidInterfaceNameIsRefused() throws Exception {
        entry("a:b", "");
        CniException e = assertThrows(CniException.class, () -> new ResultCache(dir).read("n", RuntimeConf.of("c", "", "a:b")));
        // The names are the request's before they are the entry's: refused as libcni refuses them (4).
        assertEquals(CniException.INVALID_ENVIRONMENT, e.code());
        assertEquals("interface name contains / or : or whitespace characters", e.msg());
        assertEquals("CNI_IFNAME \"a:b\"", e.details());
        assertEquals(List.of(), new ResultCache(dir).list());
    }

    @Test
    void cachedCniArgsThatWouldNotStayOnePairAreRefused() throws Exception {
        ResultCache cache = new ResultCache(dir);
        for (String pair : List.of("[\"=A\",\"1\"]", "[\";A\",\"1\"]", "[\"A\",\";1\"]", "[\"A=\",\"1\"]")) {
            entry("eth0", ",\"cniArgs\":[" + pair + "]");
            CniException e = assertThrows(CniException.class, () -> cache.read("n", RuntimeConf.of("c", "", "eth0")), pair);
            assertTrue(e.details().startsWith("the cached CNI_ARGS pair "), e.details());
        }
        entry("eth0", ",\"cniArgs\":[[\"A\",\"x=1\"]]");
        assertEquals(List.of(new RuntimeConf.Arg("A", "x=1")), cache.read("n", RuntimeConf.of("c", "", "eth0")).cniArgs());
    }

    @Test
    void anEntryWithMistypedCapabilityArgsOrResultIsNoAttachment() throws Exception {
        ResultCache cache = new ResultCache(dir);
        for (String extra : List.of(",\"capabilityArgs\":[]", ",\"result\":\"x\"")) {
            entry("eth0", extra);
            assertEquals(List.of(), cache.list(), extra);
        }
        entry("eth0", ",\"capabilityArgs\":{\"a\":1},\"result\":{\"cniVersion\":\"1.0.0\"}");
        assertEquals(1, cache.list().size());
    }

    @Test
    void garbageIsDescribedAsGarbageAndEmptyAsEmpty() throws Exception {
        Files.createDirectories(dir.resolve("results"));
        Files.writeString(dir.resolve("results/n-c-eth0"), "{\"kind\":");
        CniException e = assertThrows(CniException.class, () -> new ResultCache(dir).read("n", RuntimeConf.of("c", "", "eth0")));
        assertFalse(e.details().contains("empty"), e.details());
        assertFalse(e.details().isEmpty());
    }

    @Test
    void anEmptyResultIsNotWritten() {
        String bytes = new String(ResultCache.encode(null, "n", RuntimeConf.of("c", "", "eth0"), Json.NODES.objectNode()),
                StandardCharsets.UTF_8);
        assertEquals("{\"kind\":\"cniCacheV1\",\"containerId\":\"c\",\"config\":null,\"ifName\":\"eth0\",\"networkName\":\"n\"}", bytes);
    }

    @Test
    void entriesAreListedInFileNameOrder() throws Exception {
        ResultCache cache = new ResultCache(dir);
        List<String> ids = List.of("c9", "c1", "c5", "c3", "c7", "c2", "c8", "c4", "c6");
        for (String id : ids) {
            cache.write(new byte[0], "n", RuntimeConf.of(id, "", "eth0"), null);
        }
        List<String> listed = new java.util.ArrayList<>();
        for (CachedAttachment a : cache.list()) {
            listed.add(a.containerId());
        }
        assertEquals(List.of("c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9"), listed);
    }

    @Test
    void missingParentsOfTheCacheAreCreatedPrivate() throws Exception {
        Path cacheDir = dir.resolve("var/lib/cni");
        new ResultCache(cacheDir).write(new byte[0], "n", RuntimeConf.of("c", "", "eth0"), null);
        for (Path p : List.of(dir.resolve("var"), dir.resolve("var/lib"), cacheDir, cacheDir.resolve("results"))) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
        }
    }
}
