package dev.jcni.it.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.it.support.Cmd;
import dev.jcni.it.support.PluginRunner;
import dev.jcni.it.support.PluginRunner.Run;
import dev.jcni.it.support.RequiresRoot;
import dev.jcni.it.support.TestNetns;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The holes of issue 6 that only the kernel can show, each reproduced through bin/tuning as a
 * hostile network config or a planted state file would use it: the host's own values and the
 * sandbox's must stay as they were. Every host value a test could touch is saved first and put
 * back in finally, so even a regression leaves the host as it found it.
 */
@RequiresRoot
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class TuningSecurityTest {
    private static final Path TUNING = PluginRunner.ours("tuning");
    private static final String CID = "tuning-sec";
    /** Global (UTS-namespaced, not network-namespaced): a write from the plugin lands on the host. */
    private static final Path HOST_DOMAINNAME = Path.of("/proc/sys/kernel/domainname");

    @TempDir
    Path dataDir;
    @TempDir
    Path etc;
    private TestNetns ns;
    private TestNetns.Veth veth;
    /** A node allowlist that does not exist: every net sysctl is allowed unless a test writes one. */
    private Path allowlist;

    @BeforeEach
    void setUp() {
        ns = TestNetns.create();
        veth = ns.addVeth("jts" + ns.name().substring(TestNetns.PREFIX.length()), "eth0");
        allowlist = etc.resolve("allowlist.conf");
        ns.exec("sh", "-c", "echo 0 > /proc/sys/net/ipv4/conf/eth0/rp_filter");
    }

    @AfterEach
    void tearDown() {
        if (ns != null) {
            ns.close();
        }
    }

    private Map<String, String> env(String command, String netns, String ifName) {
        Map<String, String> env = PluginRunner.env(command, CID, netns, ifName);
        env.put("JCNI_TUNING_ALLOWLIST", allowlist.toString());
        return env;
    }

    private Run run(String command, String stdin) throws Exception {
        return PluginRunner.exec(TUNING, env(command, ns.path(), "eth0"), stdin);
    }

    private String config(String fields) {
        return config("\"cniVersion\":\"1.0.0\",", fields);
    }

    private String config(String version, String fields) {
        return "{" + version + "\"name\":\"secnet\",\"type\":\"tuning\",\"dataDir\":\"" + dataDir + "\"" + fields
                + ",\"prevResult\":{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\",\"sandbox\":\"" + ns.path() + "\"}]}}";
    }

    private Path backupFile(String ifName) {
        return dataDir.resolve(CID + "_" + ifName + ".json");
    }

    /** Puts a host sysctl back only if a regression changed it: a passing run writes nothing on the host. */
    private static void restoreIfChanged(Path sysctl, String before) throws java.io.IOException {
        if (!Files.readString(sysctl).equals(before)) {
            Files.writeString(sysctl, before.trim());
        }
    }

    private static void assertCniError(Run r, int code) {
        assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
        assertEquals(code, r.json().path("code").asInt(), r.stdout());
    }

    // Hole 1: the allowlist is node policy.

    @Test
    void aConfigNamingItsOwnAllowlistIsRefusedAsNodePolicy() throws Exception {
        Files.writeString(allowlist, "^net\\.core\\.[a-z_]*$\n");
        String forwarding = ns.procSys("net/ipv4/ip_forward");
        Run r = run("ADD", config(",\"allowlistFile\":\"/nonexistent\",\"sysctl\":{\"net.ipv4.ip_forward\":\"1\"}"));
        assertCniError(r, 7);
        assertTrue(r.json().path("msg").asText().contains("allowlistFile"), r.stdout());
        assertTrue(r.json().path("details").asText().contains("node policy"), r.stdout());
        assertEquals(forwarding, ns.procSys("net/ipv4/ip_forward"));
    }

    @Test
    void theAllowlistIsReadFromTheNodesEnvironment() throws Exception {
        Files.writeString(allowlist, "^net\\.core\\.[a-z_]*$\n");
        String forwarding = ns.procSys("net/ipv4/ip_forward");
        Run denied = run("ADD", config(",\"sysctl\":{\"net.ipv4.ip_forward\":\"1\"}"));
        assertCniError(denied, 7);
        assertTrue(denied.json().path("msg").asText().contains("Sysctl net.ipv4.ip_forward is not allowed"), denied.stdout());
        assertEquals(forwarding, ns.procSys("net/ipv4/ip_forward"));
    }

    @Test
    void aBadAllowlistPatternEchoesAtMostTheStartOfItsLine() throws Exception {
        String secret = "TOPSECRET".repeat(20);
        Files.writeString(allowlist, "^net\\.core\\.[a-z_]*$\n(" + "x".repeat(120) + secret + "\nsecond-line-" + secret + "\n");
        Run r = run("ADD", config(",\"sysctl\":{\"net.core.somaxconn\":\"1024\"}"));
        assertEquals(1, r.exitCode(), r.stdout());
        assertFalse(r.stdout().contains("TOPSECRET"), r.stdout());
        assertFalse(r.stdout().contains("second-line"), r.stdout());
        assertTrue(r.stdout().contains("(" + "x".repeat(99)), r.stdout());
    }

    // Hole 5: files that would hang or exhaust the plugin.

    @Test
    void aFifoOrDeviceAllowlistIsAnErrorNotAHang() throws Exception {
        Cmd.check("mkfifo", allowlist.toString());
        long start = System.nanoTime();
        Run fifo = run("ADD", config(",\"sysctl\":{\"net.core.somaxconn\":\"1024\"}"));
        assertTrue(fifo.exitCode() == 1 && fifo.json().path("msg").asText().contains("allowlist"), fifo.stdout());
        Files.delete(allowlist);
        Files.createSymbolicLink(allowlist, Path.of("/dev/zero"));
        Run zero = run("ADD", config(",\"sysctl\":{\"net.core.somaxconn\":\"1024\"}"));
        assertTrue(zero.exitCode() == 1 && zero.json().path("msg").asText().contains("allowlist"), zero.stdout());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "answered without waiting on the file");
        assertFalse(Files.exists(backupFile("eth0")));
    }

    @Test
    void aConfigNamingAFifoAllowlistDoesNotHang() throws Exception {
        Path fifo = etc.resolve("fifo");
        Cmd.check("mkfifo", fifo.toString());
        Run r = run("ADD", config(",\"allowlistFile\":\"" + fifo + "\",\"sysctl\":{\"net.core.somaxconn\":\"1024\"}"));
        assertCniError(r, 7);
    }

    @Test
    void backupsThatAreNotOurRegularFilesAreIgnoredByDel() throws Exception {
        int mtu = ns.link("eth0").path("mtu").asInt();
        Path file = backupFile("eth0");
        String planted = "{\"mtu\":1280}";
        // A FIFO (would hang a blocking read), a device (would never end), a symlink, a file of
        // another owner, a file larger than any backup.
        List<Runnable> plants = List.of(
                () -> Cmd.check("mkfifo", file.toString()),
                () -> Cmd.check("mknod", file.toString(), "c", "1", "5"),
                () -> Cmd.check("ln", "-s", etc.resolve("target.json").toString(), file.toString()),
                () -> Cmd.check("sh", "-c", "echo '" + planted + "' > " + file + " && chown 65534 " + file),
                () -> Cmd.check("sh", "-c", "printf '{\"mtu\":1280,\"pad\":\"%070000d\"}' 0 > " + file));
        Files.writeString(etc.resolve("target.json"), planted);
        for (Runnable plant : plants) {
            Files.deleteIfExists(file);
            plant.run();
            long start = System.nanoTime();
            Run r = run("DEL", config(""));
            r.assertOk();
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "DEL did not wait on the file");
            assertEquals(mtu, ns.link("eth0").path("mtu").asInt(), "nothing restored from the planted entry");
            assertTrue(r.stderr().contains("ignoring"), r.stderr());
            assertFalse(Files.exists(file, LinkOption.NOFOLLOW_LINKS), "DEL removes the attachment's entry, whatever it is");
        }
        assertEquals(planted, Files.readString(etc.resolve("target.json")), "a planted link's target is never touched");
    }

    // Hole 3: DEL validates the backup like a config, and never restores into the host.

    @Test
    void aPlantedBackupCannotReachHostSysctls() throws Exception {
        String domain = Files.readString(HOST_DOMAINNAME);
        try {
            Files.writeString(backupFile("eth0"), "{\"sysctl\":{\"net/../kernel/domainname\":\"jcni-escaped\","
                    + "\"kernel/domainname\":\"jcni-escaped\",\"net/ipv4/conf/eth0/rp_filter\":\"2\"},\"txQLen\":-5,\"mtu\":1280}");
            Run r = run("DEL", config(""));
            r.assertOk();
            assertEquals(domain, Files.readString(HOST_DOMAINNAME), "a host sysctl was written");
            assertEquals(1000, ns.link("eth0").path("txqlen").asInt(), "a negative queue length reached the kernel");
            assertEquals("2", ns.procSys("net/ipv4/conf/eth0/rp_filter"), "valid entries are still restored");
            assertEquals(1280, ns.link("eth0").path("mtu").asInt());
            assertTrue(r.stderr().contains("kernel/domainname"), "the dropped entries are named: " + r.stderr());
            assertFalse(Files.exists(backupFile("eth0")));
        } finally {
            restoreIfChanged(HOST_DOMAINNAME, domain);
        }
    }

    @Test
    void delWithTheHostNamespaceLeavesTheHostAlone() throws Exception {
        String hostLink = veth.hostName();
        Path rpFilter = Path.of("/proc/sys/net/ipv4/conf/" + hostLink + "/rp_filter");
        String before = Files.readString(rpFilter);
        int mtu = TestNetns.hostLink(hostLink).path("mtu").asInt();
        try {
            String other = before.trim().equals("2") ? "1" : "2";
            Path file = backupFile(hostLink);
            // The plugin's own namespace, and the test JVM's: both the host's.
            for (String hostPath : new String[] {"/proc/self/ns/net", "/proc/" + ProcessHandle.current().pid() + "/ns/net"}) {
                Files.writeString(file, "{\"mtu\":1280,\"sysctl\":{\"net/ipv4/conf/" + hostLink + "/rp_filter\":\"" + other + "\"}}");
                Run r = PluginRunner.exec(TUNING, env("DEL", hostPath, hostLink), config(""));
                r.assertOk();
                assertEquals(before, Files.readString(rpFilter), hostPath);
                assertEquals(mtu, TestNetns.hostLink(hostLink).path("mtu").asInt(), hostPath);
                assertFalse(Files.exists(file), "the backup is dropped: " + hostPath);
            }
        } finally {
            restoreIfChanged(rpFilter, before);
            if (TestNetns.hostLink(hostLink).path("mtu").asInt() != mtu) {
                Cmd.run(Cmd.DEFAULT_TIMEOUT, "ip", "link", "set", hostLink, "mtu", String.valueOf(mtu));
            }
        }
    }

    // Hole 4: nothing changes before the result is known to be printable, nothing half-applied.

    @Test
    void anUnprintableResultVersionChangesNothing() throws Exception {
        for (String version : new String[] {"", "\"cniVersion\":\"\",", "\"cniVersion\":null,", "\"cniVersion\":\"0.1.0\","}) {
            Run r = run("ADD", config(version, ",\"mtu\":1400,\"sysctl\":{\"net.ipv4.conf.IFNAME.rp_filter\":\"2\"}"));
            assertCniError(r, 1);
            assertEquals(1500, ns.link("eth0").path("mtu").asInt(), version);
            assertEquals("0", ns.procSys("net/ipv4/conf/eth0/rp_filter"), version);
            assertFalse(Files.exists(backupFile("eth0")), version);
        }
    }

    @Test
    void aSysctlValueTheKernelWouldApplyOnlyPartlyChangesNothing() throws Exception {
        for (String value : new String[] {"1\\n0", "1 2 3"}) {
            Run r = run("ADD", config(",\"mtu\":1400,\"sysctl\":{\"net.ipv4.conf.IFNAME.rp_filter\":\"" + value + "\"}"));
            assertEquals(1, r.exitCode(), value + ": " + r.stdout());
            assertTrue(r.json().path("msg").asText().contains("rp_filter"), r.stdout());
            assertEquals("0", ns.procSys("net/ipv4/conf/eth0/rp_filter"), value);
            assertEquals(1500, ns.link("eth0").path("mtu").asInt(), value);
            assertFalse(Files.exists(backupFile("eth0")), value);
        }
    }
}
