package dev.jcni.it.hostlocal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.it.support.PluginRunner;
import dev.jcni.it.support.RequiresRoot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A runtime starts sandboxes in parallel: 20 ADDs at once on one network, each its own launcher
 * process, must get 20 different addresses and leave a store that says exactly that; and the
 * same with our plugin and the reference's racing on one store, which only a shared flock(2)
 * makes safe.
 */
@RequiresRoot
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ParallelAllocationTest extends HostLocalSandboxTest {
    private static final int PARALLEL = 20;

    private String conf() {
        return HostLocalExec.conf("1.0.0", "para", HostLocalExec.ipam(dataDir,
                "[[{\"subnet\":\"10.48.0.0/24\"}],[{\"subnet\":\"fd48::/64\"}]]", ""));
    }

    /** Runs {@code command} for containers p0..p(n-1) at once; binary i is {@code binaries[i % length]}. */
    private List<PluginRunner.Run> atOnce(String command, Path... binaries) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        try {
            List<Future<PluginRunner.Run>> runs = new ArrayList<>();
            for (int i = 0; i < PARALLEL; i++) {
                Path binary = binaries[i % binaries.length];
                String name = "p" + i;
                runs.add(pool.submit((Callable<PluginRunner.Run>) () -> exec.run(binary, command, conf(), name, "eth0", null)));
            }
            List<PluginRunner.Run> out = new ArrayList<>();
            for (Future<PluginRunner.Run> f : runs) {
                out.add(f.get().assertOk());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private void assertConsistentStore(List<PluginRunner.Run> adds) throws Exception {
        Map<String, String> expected = new HashMap<>();
        Set<String> v4 = new HashSet<>();
        for (int i = 0; i < adds.size(); i++) {
            JsonNode result = adds.get(i).json();
            String a4 = HostLocalExec.address(result, 0);
            String a6 = HostLocalExec.address(result, 1);
            assertTrue(v4.add(a4), "handed out twice: " + a4);
            expected.put(a4, exec.id("p" + i) + "\r\neth0");
            expected.put(a6, exec.id("p" + i) + "\r\neth0");
        }
        assertEquals(2 * PARALLEL, expected.size(), "IPv6 addresses distinct too");
        Map<String, String> store = HostLocalExec.store(dataDir.resolve("para"));
        String last4 = store.remove("last_reserved_ip.0");
        String last6 = store.remove("last_reserved_ip.1");
        assertEquals("", store.remove("lock"));
        assertEquals(expected, store, "one lease per address handed out, naming its attachment, nothing else");
        assertTrue(expected.containsKey(last4) && last4.startsWith("10.48.0."), "round robin records an address handed out: " + last4);
        assertTrue(expected.containsKey(last6) && last6.startsWith("fd48::"), last6);
    }

    @Test
    void twentyParallelAddsGetTwentyAddresses() throws Exception {
        List<PluginRunner.Run> adds = atOnce("ADD", HostLocalExec.OURS);
        assertConsistentStore(adds);
        Set<String> handedOut = new HashSet<>();
        for (PluginRunner.Run r : adds) {
            handedOut.add(HostLocalExec.address(r.json(), 0));
        }
        Set<String> firstTwenty = new HashSet<>();
        for (int i = 2; i < 2 + PARALLEL; i++) {
            firstTwenty.add("10.48.0." + i);
        }
        assertEquals(firstTwenty, handedOut, "serialised allocation leaves no gap");
        atOnce("DEL", HostLocalExec.OURS);
        assertEquals(Set.of("lock", "last_reserved_ip.0", "last_reserved_ip.1"), HostLocalExec.store(dataDir.resolve("para")).keySet());
    }

    /** Ours and the reference's, interleaved, at once on one store: the flock both take keeps it consistent. */
    @Test
    void oursAndTheReferencesRacingOnOneStore() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(HostLocalExec.referenceInstalled(), "skipped: the reference plugins are not installed");
        List<PluginRunner.Run> adds = atOnce("ADD", HostLocalExec.OURS, HostLocalExec.REFERENCE);
        assertConsistentStore(adds);
        atOnce("DEL", HostLocalExec.REFERENCE, HostLocalExec.OURS);
        assertEquals(Set.of("lock", "last_reserved_ip.0", "last_reserved_ip.1"), HostLocalExec.store(dataDir.resolve("para")).keySet(),
                "each released the other's leases");
    }
}
