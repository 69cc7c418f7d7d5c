package dev.jcni.core.invoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jcni.core.protocol.CniException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reference's invoke.FindInPath (cni-protocol.md §5.4.11). */
class PluginFinderTest {
    @TempDir
    Path root;

    @Test
    void theFirstRegularFileInPathOrderWins() throws Exception {
        Path first = Files.createDirectories(root.resolve("first"));
        Path second = Files.createDirectories(root.resolve("second"));
        Files.createDirectories(first.resolve("bridge")); // a directory named like the plugin: skipped
        Files.writeString(second.resolve("bridge"), "#!/bin/sh\n");
        Files.writeString(first.resolve("host-local"), "#!/bin/sh\n");
        Files.writeString(second.resolve("host-local"), "#!/bin/sh\n");
        Files.createSymbolicLink(first.resolve("tuning"), second.resolve("bridge")); // symlinks are followed
        List<String> path = List.of("", first.toString(), second.toString());
        assertEquals(second.resolve("bridge"), PluginFinder.find("bridge", path));
        assertEquals(first.resolve("host-local"), PluginFinder.find("host-local", path));
        assertEquals(first.resolve("tuning"), PluginFinder.find("tuning", path));
    }

    @Test
    void aTypeMustBeAPlainFileName() throws Exception {
        Files.writeString(root.resolve("x"), "");
        Path sub = Files.createDirectories(root.resolve("sub"));
        List<String> path = List.of(sub.toString());
        for (String bad : List.of(".", "..", "../x", "/bin/sh", "a/b", "x\0", "\0x")) {
            CniException e = assertThrows(CniException.class, () -> PluginFinder.find(bad, path), bad);
            assertEquals(CniException.INVALID_CONFIG, e.code(), bad);
            assertEquals("invalid plugin name: " + bad, e.msg());
        }
        assertEquals("no plugin name provided", assertThrows(CniException.class, () -> PluginFinder.find("", path)).msg());
        assertEquals("no plugin name provided", assertThrows(CniException.class, () -> PluginFinder.find(null, path)).msg());
    }

    @Test
    void notFoundNamesTheTypeAndEveryDirectorySearched() throws Exception {
        CniException e = assertThrows(CniException.class,
                () -> PluginFinder.find("host-local", List.of("/nonexistent/a", "", "/nonexistent/b")));
        assertEquals(CniException.INVALID_CONFIG, e.code());
        assertEquals("failed to find plugin \"host-local\" in path [/nonexistent/a /nonexistent/b]", e.msg());
    }

    @Test
    void anEmptyPathIsItsOwnError() {
        assertEquals("no paths provided", assertThrows(CniException.class, () -> PluginFinder.find("x", List.of())).msg());
        assertEquals("no paths provided", assertThrows(CniException.class, () -> PluginFinder.find("x", List.of(""))).msg());
    }
}
