package dev.jcni.it.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jcni.it.support.PluginRunner;
import dev.jcni.it.support.RequiresRoot;
import dev.jcni.it.support.TestNetns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, point 8: a runtime with a bug sends ADD and DEL for one attachment at once. Before the
 * per-attachment lock, 4 ADD + 4 DEL and a final DEL left tuned values behind with no backup to
 * restore them from (a DEL restored and deleted the backup while an ADD was still applying). With
 * the skel's lock they take turns, and the final DEL restores everything.
 */
@RequiresRoot
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SameAttachmentConcurrencyTest {
    private static final int ROUNDS = 4;
    private static final int EACH = 4;

    @TempDir
    Path dataDir;

    @Test
    void fourAddsAndFourDelsOfOneAttachmentThenADelLeaveNothingBehind() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2 * EACH);
        try (TestNetns ns = TestNetns.create()) {
            ns.addVeth("jts" + ns.name().substring(TestNetns.PREFIX.length()), "eth0");
            String somaxconn = ns.procSys("net/core/somaxconn");
            int mtu = ns.link("eth0").path("mtu").asInt();
            String containerId = "same-" + ns.name();
            for (int round = 0; round < ROUNDS; round++) {
                List<Future<PluginRunner.Run>> runs = new ArrayList<>();
                for (int i = 0; i < EACH; i++) {
                    runs.add(pool.submit(verb("ADD", ns, containerId)));
                    runs.add(pool.submit(verb("DEL", ns, containerId)));
                }
                for (Future<PluginRunner.Run> f : runs) {
                    // Taking turns, every one of them succeeds: none sees another's half-done work.
                    f.get().assertOk();
                }
                verb("DEL", ns, containerId).call().assertOk();
                String where = "after round " + (round + 1);
                assertEquals(mtu, ns.link("eth0").path("mtu").asInt(), "MTU left tuned " + where);
                assertEquals(somaxconn, ns.procSys("net/core/somaxconn"), "sysctl left tuned " + where);
                try (Stream<Path> left = Files.list(dataDir)) {
                    assertEquals(List.of(), left.toList(), "files left in the data directory " + where);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private Callable<PluginRunner.Run> verb(String command, TestNetns ns, String containerId) {
        String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"same\",\"type\":\"tuning\",\"dataDir\":\"" + dataDir + "\","
                + "\"mtu\":1280,\"sysctl\":{\"net.core.somaxconn\":\"77\"},"
                + "\"prevResult\":{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\",\"sandbox\":\"" + ns.path() + "\"}]}}";
        Map<String, String> env = PluginRunner.env(command, containerId, ns.path(), "eth0");
        return () -> PluginRunner.exec(PluginRunner.ours("tuning"), env, conf);
    }
}
