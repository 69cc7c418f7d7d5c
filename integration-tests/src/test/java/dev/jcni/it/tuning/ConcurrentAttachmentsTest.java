package dev.jcni.it.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.it.support.PluginRunner;
import dev.jcni.it.support.RequiresRoot;
import dev.jcni.it.support.TestNetns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runtimes run plugins concurrently for different sandboxes: several tuning ADDs and DELs at
 * once, sharing one data directory, must each do exactly their own work.
 */
@RequiresRoot
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ConcurrentAttachmentsTest {
    private static final int SANDBOXES = 4;

    @TempDir
    Path dataDir;

    @Test
    void parallelAddsAndDelsKeepToTheirOwnSandboxes() throws Exception {
        List<TestNetns> sandboxes = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(SANDBOXES);
        try {
            for (int i = 0; i < SANDBOXES; i++) {
                TestNetns ns = TestNetns.create();
                sandboxes.add(ns);
                ns.addVeth("jtc" + ns.name().substring(TestNetns.PREFIX.length()), "eth0");
            }
            List<Future<PluginRunner.Run>> adds = new ArrayList<>();
            for (int i = 0; i < SANDBOXES; i++) {
                adds.add(pool.submit(verb("ADD", sandboxes.get(i), i)));
            }
            for (Future<PluginRunner.Run> f : adds) {
                f.get().assertOk();
            }
            for (int i = 0; i < SANDBOXES; i++) {
                TestNetns ns = sandboxes.get(i);
                assertEquals(1300 + i, ns.link("eth0").path("mtu").asInt(), ns.name());
                assertEquals(String.valueOf(100 + i), ns.procSys("net/core/somaxconn"), ns.name());
            }
            assertEquals(SANDBOXES, Files.list(dataDir).filter(p -> p.toString().endsWith(".json")).count());

            List<Future<PluginRunner.Run>> dels = new ArrayList<>();
            for (int i = 0; i < SANDBOXES; i++) {
                dels.add(pool.submit(verb("DEL", sandboxes.get(i), i)));
            }
            for (Future<PluginRunner.Run> f : dels) {
                f.get().assertOk();
            }
            for (TestNetns ns : sandboxes) {
                assertEquals(1500, ns.link("eth0").path("mtu").asInt(), ns.name());
            }
            assertTrue(Files.list(dataDir).findAny().isEmpty(), "every backup (and temporary file) is gone");
        } finally {
            pool.shutdownNow();
            for (TestNetns ns : sandboxes) {
                ns.close();
            }
        }
    }

    private java.util.concurrent.Callable<PluginRunner.Run> verb(String command, TestNetns ns, int i) {
        String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"para\",\"type\":\"tuning\",\"dataDir\":\"" + dataDir + "\","
                + "\"mtu\":" + (1300 + i) + ",\"sysctl\":{\"net.core.somaxconn\":\"" + (100 + i) + "\"},"
                + "\"prevResult\":{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\",\"sandbox\":\"" + ns.path() + "\"}]}}";
        Map<String, String> env = PluginRunner.env(command, "para-" + i, ns.path(), "eth0");
        env.put("JCNI_TUNING_ALLOWLIST", "/nonexistent/jcni-it/allowlist.conf"); // the node's: none, whatever this host's /etc holds
        return () -> PluginRunner.exec(PluginRunner.ours("tuning"), env, conf);
    }
}
