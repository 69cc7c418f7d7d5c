package dev.jcni.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code bin/cnictl demo}, the README's first command, as a user runs it. */
class CnictlDemoTest {
    @Test
    void demoPassesAndShowsItsWork() {
        assumeTrue(Host.isRoot(), "skipped: the demo needs root");
        String bin = System.getProperty("jcni.bin", "");
        Path cnictl = Path.of(bin, "cnictl");
        assumeTrue(!bin.isEmpty() && Files.isExecutable(cnictl), "skipped: no bin/cnictl (run mvn package first)");
        assumeTrue(Files.isRegularFile(Path.of("/usr/lib/cni/bridge")) || Files.isRegularFile(Path.of(bin, "bridge")),
                "skipped: no bridge plugin, ours or the system's");
        long start = System.nanoTime();
        Host.Out out = Host.run(cnictl.toString(), "demo");
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertEquals(0, out.code(), out.text());
        String t = out.text();
        assertTrue(t.contains("demo passed"), t);
        assertTrue(t.matches("(?s).*GET http://127\\.0\\.0\\.1:\\d+/ -> 200.*"), t);
        assertTrue(t.contains("ADD    bridge"), t);
        assertTrue(t.contains("DEL    tuning"), t);
        assertTrue(t.contains("no cache file"), t);
        assertTrue(t.contains("from the cache (the caller passed none)"), t);
        assertTrue(seconds < 60, "took " + seconds + " s");
    }
}
