package dev.jcni.it.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.it.support.DaemonFaults;
import dev.jcni.it.support.JcnidProcess;
import dev.jcni.it.support.PluginRunner;
import dev.jcni.it.support.PrivateHost;
import dev.jcni.it.support.RequiresRoot;
import dev.jcni.it.support.TestNetns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real daemon hung (SIGSTOP) right after the last change of an ADD of tuning, host-local,
 * portmap or bandwidth, at that change's phase mark, and continued after the launcher's deadline:
 * the launcher answered 11, the mark fails the ADD (docs/daemon.md, "Failure modes"), and the
 * plugin's own undo leaves nothing of it on the real kernel or disk. Each test first sees the
 * change the hung ADD made, so the undo is what takes it away. Runs in a private host, whose veth
 * {@code jdu<suffix>} leads to eth0 in the sandbox.
 */
@RequiresRoot
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DaemonAbandonedAddTest {
    private static final String SUBNET = "10.38.0";
    private PrivateHost host;
    private TestNetns sandbox;
    private DaemonFaults faults;
    private String hostEnd;
    private String container;

    @BeforeEach
    void setUp() {
        host = PrivateHost.create();
        sandbox = TestNetns.create();
        faults = DaemonFaults.create("daemon-undo-");
        hostEnd = "jdu" + sandbox.suffix();
        container = "undo-" + sandbox.suffix();
        host.vethTo(sandbox, hostEnd);
        // portmap routes 127.0.0.1 traffic by the way to the container's address: a route here.
        host.run("ip", "addr", "add", SUBNET + ".1/24", "dev", hostEnd).orFail();
        sandbox.ip("addr", "add", SUBNET + ".2/24", "dev", "eth0");
    }

    @AfterEach
    void tearDown() {
        faults.close();
        sandbox.close();
        host.close();
    }

    /** A prevResult: the host end and eth0 in the sandbox, with its address. */
    private String prevResult() {
        return ",\"prevResult\":{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"" + hostEnd + "\"},{\"name\":\"eth0\",\"sandbox\":\""
                + sandbox.path() + "\"}],\"ips\":[{\"address\":\"" + SUBNET + ".2/24\",\"interface\":1}]}";
    }

    private PluginRunner.Run exec(String plugin, String verb, String conf, Map<String, String> extra) throws Exception {
        Map<String, String> env = faults.env(verb, container, sandbox.path());
        env.putAll(extra);
        return host.exec(PluginRunner.ours(plugin), env, conf);
    }

    /**
     * ADD of {@code plugin} with jcnid hung at {@code mark}: 11 from the launcher, {@code made}
     * true while the daemon is hung, false once it continued and gave the ADD up; then the
     * runtime's DEL succeeds and {@code made} stays false.
     */
    private void assertUndoneAt(String plugin, String mark, String conf, Map<String, String> env, Check made) throws Exception {
        JcnidProcess d = faults.daemon("stop:" + plugin + ":after:" + mark);
        Map<String, String> withDeadline = new HashMap<>(env);
        withDeadline.put("JCNI_DAEMON_DEADLINE", DaemonFaults.SHORT_DEADLINE);
        DaemonFaults.assertTryAgain(exec(plugin, "ADD", conf, withDeadline));
        assertTrue(d.stopped(), "the daemon is still hung:\n" + d.log());
        assertTrue(made.holds(), "the hung ADD made its change before " + mark);

        DaemonFaults.continueAndAssertAbandoned(d, plugin, container, mark);
        assertFalse(made.holds(), "the undo took the change back");

        PluginRunner.Run del = exec(plugin, "DEL", conf, env);
        assertEquals(0, del.exitCode(), del.stdout() + del.stderr());
        assertFalse(made.holds(), "after the runtime's DEL");
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    @Test
    void tuningPutsTheSysctlAndTheMtuBackAndDropsItsBackup() throws Exception {
        sandbox.exec("sh", "-c", "echo 0 > /proc/sys/net/ipv4/conf/eth0/rp_filter");
        Path dataDir = faults.work().resolve("tuning");
        String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"undo\",\"type\":\"tuning\",\"dataDir\":\"" + dataDir + "\",\"mtu\":1400,"
                + "\"sysctl\":{\"net.ipv4.conf.IFNAME.rp_filter\":\"2\"}" + prevResult() + "}";
        Map<String, String> env = Map.of("JCNI_TUNING_ALLOWLIST", faults.work().resolve("no-allowlist.conf").toString());
        Path backup = dataDir.resolve(container + "_eth0.json");
        assertUndoneAt("tuning", "applied", conf, env, () -> {
            boolean sysctl = sandbox.procSys("net/ipv4/conf/eth0/rp_filter").trim().equals("2");
            boolean mtu = sandbox.link("eth0").path("mtu").asInt() == 1400;
            boolean file = Files.exists(backup);
            assertTrue(sysctl == mtu && mtu == file, "all or nothing: sysctl " + sysctl + ", mtu " + mtu + ", backup " + file);
            return sysctl;
        });
        assertEquals("0", sandbox.procSys("net/ipv4/conf/eth0/rp_filter").trim());
        assertEquals(1500, sandbox.link("eth0").path("mtu").asInt());
    }

    @Test
    void hostLocalReleasesItsLeaseAndUnlocksTheStore() throws Exception {
        Path store = faults.work().resolve("ipam").resolve("undo");
        String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"undo\",\"type\":\"bridge\",\"ipam\":{\"type\":\"host-local\",\"dataDir\":\""
                + faults.work().resolve("ipam") + "\",\"ranges\":[[{\"subnet\":\"" + SUBNET + ".0/24\"}]]}}";
        Path lease = store.resolve(SUBNET + ".2");
        Path record = store.resolve("last_reserved_ip.0");
        // The runtime's DEL in assertUndoneAt waits for the store's lock: a lock the failed ADD kept fails it.
        assertUndoneAt("host-local", "allocated", conf, Map.of(), () -> {
            assertEquals(Files.exists(lease), Files.exists(record), "lease and round-robin record together");
            return Files.exists(lease);
        });
    }

    @Test
    void portmapRemovesItsChainAndElements() throws Exception {
        String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"undo\",\"type\":\"portmap\",\"runtimeConfig\":{\"portMappings\":"
                + "[{\"hostPort\":8080,\"containerPort\":80,\"protocol\":\"tcp\"}]}" + prevResult() + "}";
        assertUndoneAt("portmap", "applied", conf, Map.of(), () -> {
            String ruleset = host.run("nft", "list", "ruleset").orFail();
            boolean chain = ruleset.contains("chain cnihp-");
            boolean mapped = ruleset.contains(container + "/eth0");
            assertEquals(chain, mapped, "chain and elements together:\n" + ruleset);
            return chain;
        });
    }

    @Test
    void bandwidthRemovesItsIfbAndQdiscs() throws Exception {
        String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"undo\",\"type\":\"bandwidth\",\"ingressRate\":10000000,\"ingressBurst\":1000000,"
                + "\"egressRate\":20000000,\"egressBurst\":2000000" + prevResult() + "}";
        assertUndoneAt("bandwidth", "applied", conf, Map.of(), () -> {
            boolean ifb = !host.run("ip", "-o", "link", "show", "type", "ifb").orFail().isBlank();
            String qdiscs = host.run("tc", "qdisc", "show", "dev", hostEnd).orFail();
            boolean shaped = qdiscs.contains("qdisc tbf") || qdiscs.contains("qdisc clsact");
            assertEquals(ifb, shaped, "ifb and qdiscs together:\n" + qdiscs);
            return ifb;
        });
    }
}
