package dev.jcni.core.os.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real libnftables.so.1 through the rows, with input it refuses while parsing: nothing is
 * changed in any ruleset and no root is needed. (Batches that reach the kernel are the root
 * integration tests' business, in test namespaces.)
 */
class LibNftablesTest {
    private final LibNftables lib = LibNftables.system();

    @BeforeEach
    void libraryInstalled() {
        Assumptions.assumeTrue(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libnftables.so.1"))
                || Files.exists(Path.of("/usr/lib/aarch64-linux-gnu/libnftables.so.1")), "libnftables1 is not installed");
    }

    @Test
    void availableHere() {
        assertNull(lib.unavailabilityCause());
        assertEquals("libnftables.so.1", lib.soname());
    }

    @Test
    void jsonIsParsedAsJsonOnlyWithTheJsonOutputFlag() throws Exception {
        String json = "{\"nftables\":[{\"add\":{\"bogus\":{}}}]}";
        LibNftables.Reply asJson = lib.run(json, LibNftables.OUTPUT_JSON);
        assertEquals(-1, asJson.returnCode());
        assertEquals("", asJson.output());
        assertEquals("internal:0:0-0: Error: Unknown object passed to add command.\n\n"
                + "internal:0:0-0: Error: Parsing command array at index 0 failed.\n\n", asJson.error());

        LibNftables.Reply asText = lib.run(json, 0);
        assertEquals(-1, asText.returnCode());
        assertTrue(asText.error().startsWith("Error: syntax error, unexpected '{'"), asText.error());
    }

    @Test
    void stringsGoInAndComeOutAsUtf8() throws Exception {
        // The text parser echoes the offending line: the bytes we wrote, read back.
        LibNftables.Reply r = lib.run("list tablé inet t", LibNftables.OUTPUT_JSON);
        assertEquals(-1, r.returnCode());
        assertTrue(r.error().contains("\nlist tablé inet t\n"), r.error());
    }

    /** Contexts are freed off the calling thread (ContextReaper), but every one of them is freed. */
    @Test
    void everyContextIsFreedSoNoSocketIsLeft() throws Exception {
        lib.run("list tablé inet t", LibNftables.OUTPUT_JSON);
        Thread.sleep(500);
        long before = sockets();
        for (int i = 0; i < 50; i++) {
            assertEquals(-1, lib.run("list tablé inet t", LibNftables.OUTPUT_JSON).returnCode());
        }
        long after = sockets();
        for (int i = 0; i < 200 && after > before; i++) {
            Thread.sleep(50);
            after = sockets();
        }
        assertEquals(before, after, "the 50 contexts' netfilter sockets are closed");
    }

    /** The process's open socket descriptors. */
    private static long sockets() throws Exception {
        long count = 0;
        try (var fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
                        count++;
                    }
                } catch (java.io.IOException closedMeanwhile) {
                    // the directory stream's own descriptor, or one closed while we looked
                }
            }
        }
        return count;
    }

    @Test
    void aNulByteIsRefusedBeforeItCouldCutTheCommandShort() {
        assertThrows(IllegalArgumentException.class, () -> lib.run("list ruleset\0flush ruleset", LibNftables.OUTPUT_JSON));
    }

    @Test
    void aMissingLibraryExplainsItselfOnEveryUse() {
        LibNftables missing = new LibNftables("libnftables.so.0-jcni-test-missing");
        String cause = missing.unavailabilityCause();
        assertNotNull(cause);
        assertTrue(cause.contains("cannot open libnftables.so.0-jcni-test-missing"), cause);
        for (int i = 0; i < 2; i++) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> missing.run("list ruleset", LibNftables.OUTPUT_JSON));
            assertTrue(e.getMessage().contains("libnftables.so.0-jcni-test-missing"), e.getMessage());
        }
    }
}
