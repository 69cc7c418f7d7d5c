package dev.jcni.cnictl.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.protocol.CniException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cni-protocol.md §4.10, §5.4.11: FindInPath. */
class PluginLocatorTest {
    @TempDir
    Path root;

    @Test
    void firstRegularFileInPathOrderWins() throws Exception {
        Path first = Files.createDirectories(root.resolve("first"));
        Path second = Files.createDirectories(root.resolve("second"));
        Files.createDirectories(first.resolve("bridge")); // a directory named like the plugin: skipped
        Files.writeString(second.resolve("bridge"), "#!/bin/sh\n");
        Files.writeString(first.resolve("portmap"), "#!/bin/sh\n");
        Files.writeString(second.resolve("portmap"), "#!/bin/sh\n");
        Files.createSymbolicLink(first.resolve("tuning"), second.resolve("portmap")); // symlinks are followed
        PluginLocator locator = new PluginLocator(List.of(first, second));
        assertEquals(second.resolve("bridge"), locator.find("bridge"));
        assertEquals(first.resolve("portmap"), locator.find("portmap"));
        assertEquals(first.resolve("tuning"), locator.find("tuning"));
    }

    @Test
    void badNamesAndEmptyPathsAreRefused() throws Exception {
        Files.writeString(root.resolve("x"), "");
        PluginLocator locator = new PluginLocator(List.of(root));
        assertTrue(assertThrows(CniException.class, () -> locator.find("../x")).getMessage().contains("invalid plugin name"));
        assertThrows(CniException.class, () -> locator.find("/bin/sh"));
        assertThrows(CniException.class, () -> locator.find(""));
        assertTrue(assertThrows(CniException.class, () -> locator.find("nope")).getMessage()
                .contains("failed to find plugin \"nope\" in path"));
        assertTrue(assertThrows(CniException.class, () -> new PluginLocator(List.of()).find("x")).getMessage()
                .contains("no paths provided"));
    }

    @Test
    void cniPathIsSplitOnColons() {
        assertEquals(List.of(Path.of("/a"), Path.of("/b")), PluginLocator.parsePath("/a::/b:"));
        assertEquals("/a:/b", new PluginLocator(PluginLocator.parsePath("/a:/b")).pathString());
    }
}
