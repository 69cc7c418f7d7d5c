package dev.jcni.it.tuning;

import static dev.jcni.it.support.TestNetns.hasFlag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.it.support.PluginRunner;
import dev.jcni.it.support.PluginRunner.Run;
import dev.jcni.it.support.RequiresRoot;
import dev.jcni.it.support.TestNetns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * bin/tuning executed as a runtime would, against a veth end named eth0 in a namespace of the
 * test's own; every effect is read back from the kernel with ip(8) and /proc/sys.
 */
@RequiresRoot
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TuningKernelTest {
    private static final Path TUNING = PluginRunner.ours("tuning");
    private static final String CID = "tuning-it";
    /** The node's allowlist for every test but the allowlist's own: absent, so nothing on this host's /etc counts. */
    private static final Path NO_ALLOWLIST = Path.of("/nonexistent/jcni-it/allowlist.conf");

    @TempDir
    Path dataDir;
    private TestNetns ns;
    private String originalMac;

    @BeforeEach
    void setUp() {
        ns = TestNetns.create();
        ns.addVeth("jtu" + ns.name().substring(TestNetns.PREFIX.length()), "eth0");
        originalMac = ns.link("eth0").path("address").asText();
        // A known starting point for the sysctls the tests change.
        ns.exec("sh", "-c", "echo 4096 > /proc/sys/net/core/somaxconn; echo 0 > /proc/sys/net/ipv4/conf/eth0/rp_filter");
    }

    @AfterEach
    void tearDown() {
        if (ns != null) {
            ns.close();
        }
    }

    private String prevResult(String version) {
        if (version.equals("0.1.0") || version.equals("0.2.0")) {
            return "{\"cniVersion\":\"" + version + "\",\"ip4\":{\"ip\":\"10.99.0.2/24\",\"gateway\":\"10.99.0.1\"}}";
        }
        String ipVersion = version.startsWith("0.") ? "\"version\":\"4\"," : "";
        return "{\"cniVersion\":\"" + version + "\",\"interfaces\":[{\"name\":\"br0\",\"mac\":\"02:00:00:00:00:aa\"},"
                + "{\"name\":\"eth0\",\"mac\":\"" + originalMac + "\",\"sandbox\":\"" + ns.path() + "\"}],"
                + "\"ips\":[{" + ipVersion + "\"address\":\"10.99.0.2/24\",\"gateway\":\"10.99.0.1\",\"interface\":1}],"
                + "\"routes\":[{\"dst\":\"0.0.0.0/0\"}],\"dns\":{\"nameservers\":[\"10.99.0.1\"]}}";
    }

    private String config(String version, String fields) {
        return config(version, version, fields);
    }

    /** A config of {@code version} whose prevResult is of {@code prevVersion} (the plugin must answer in the config's). */
    private String config(String version, String prevVersion, String fields) {
        return "{\"cniVersion\":\"" + version + "\",\"name\":\"tunnet\",\"type\":\"tuning\",\"dataDir\":\"" + dataDir + "\""
                + fields + ",\"prevResult\":" + prevResult(prevVersion) + "}";
    }

    private Run run(String command, String stdin) throws Exception {
        return run(command, ns.path(), stdin);
    }

    private Run run(String command, String netns, String stdin) throws Exception {
        return run(command, netns, stdin, NO_ALLOWLIST);
    }

    /** With the node's allowlist at {@code allowlist}, as the runtime's environment names it. */
    private Run run(String command, String netns, String stdin, Path allowlist) throws Exception {
        Map<String, String> env = PluginRunner.env(command, CID, netns, "eth0");
        env.put("JCNI_TUNING_ALLOWLIST", allowlist.toString());
        Run r = PluginRunner.exec(TUNING, env, stdin);
        assertStdoutIsProtocolOnly(command, r);
        return r;
    }

    /** stdout carries JSON (ADD, errors) or nothing (DEL, CHECK, GC, STATUS): never a log line. */
    private static void assertStdoutIsProtocolOnly(String command, Run r) {
        if (r.exitCode() != 0 || command.equals("ADD") || command.equals("VERSION")) {
            assertTrue(r.json().isObject(), r.stdout());
        } else {
            assertEquals("", r.stdout(), "stdout of a successful " + command);
        }
    }

    private static final String EVERYTHING = ",\"mtu\":1400,\"mac\":\"c2:11:22:33:44:55\",\"promisc\":true,\"allmulti\":true,"
            + "\"txQLen\":500,\"sysctl\":{\"net.core.somaxconn\":\"1024\",\"net.ipv4.conf.IFNAME.rp_filter\":\"2\"}";

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"})
    void addAppliesEverythingCheckAgreesAndDelRestoresEverything(String version) throws Exception {
        JsonNode before = ns.link("eth0");
        // The prevResult in another version family than the config's, so that the result's version
        // and shape can only come from the conversion to the config's version.
        String conf = config(version, version.startsWith("1.") ? "0.4.0" : "1.0.0", EVERYTHING);

        JsonNode result = run("ADD", conf).assertOk().json();
        assertEquals(version, result.path("cniVersion").asText());
        JsonNode link = ns.link("eth0");
        assertEquals(1400, link.path("mtu").asInt());
        assertEquals("c2:11:22:33:44:55", link.path("address").asText());
        assertTrue(hasFlag(link, "PROMISC"), link.toString());
        assertTrue(hasFlag(link, "ALLMULTI"), link.toString());
        assertEquals(500, link.path("txqlen").asInt());
        assertEquals("1024", ns.procSys("net/core/somaxconn"));
        assertEquals("2", ns.procSys("net/ipv4/conf/eth0/rp_filter"));
        if (!version.equals("0.2.0")) {
            assertEquals("c2:11:22:33:44:55", result.path("interfaces").get(1).path("mac").asText(), "the result carries the new MAC");
            assertEquals("02:00:00:00:00:aa", result.path("interfaces").get(0).path("mac").asText(), "other interfaces untouched");
            assertEquals(version.startsWith("0."), result.path("ips").get(0).has("version"));
        }
        Path backup = dataDir.resolve(CID + "_eth0.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)));

        if (!version.startsWith("0.2") && !version.startsWith("0.3")) {
            run("CHECK", conf).assertOk();
        }

        run("DEL", conf).assertOk();
        JsonNode after = ns.link("eth0");
        assertEquals(before.path("mtu").asInt(), after.path("mtu").asInt());
        assertEquals(originalMac, after.path("address").asText());
        assertFalse(hasFlag(after, "PROMISC"));
        assertFalse(hasFlag(after, "ALLMULTI"));
        assertEquals(before.path("txqlen").asInt(), after.path("txqlen").asInt());
        assertEquals("4096", ns.procSys("net/core/somaxconn"), "DEL restores sysctls too");
        assertEquals("0", ns.procSys("net/ipv4/conf/eth0/rp_filter"));
        assertFalse(Files.exists(backup));

        run("DEL", conf).assertOk(); // idempotent
    }

    @Test
    void checkNamesEveryDrift() throws Exception {
        String conf = config("1.0.0", EVERYTHING);
        run("ADD", conf).assertOk();
        ns.ip("link", "set", "eth0", "mtu", "1300");
        ns.exec("sh", "-c", "echo 77 > /proc/sys/net/core/somaxconn");
        Run check = run("CHECK", conf);
        assertEquals(1, check.exitCode());
        JsonNode err = check.json();
        assertEquals(101, err.path("code").asInt());
        String details = err.path("details").asText();
        assertTrue(details.contains("MTU of eth0 is 1300, configured 1400"), details);
        assertTrue(details.contains("net.core.somaxconn is \"77\", configured \"1024\""), details);
        run("DEL", conf).assertOk();
    }

    @Test
    void checkIgnoresAttributesNobodyConfigured() throws Exception {
        String conf = config("1.0.0", ",\"mtu\":1450");
        run("ADD", conf).assertOk();
        ns.ip("link", "set", "eth0", "promisc", "on"); // someone else's business
        run("CHECK", conf).assertOk();
        run("DEL", conf).assertOk();
    }

    @Test
    void delWorksWithTheNamespaceGone() throws Exception {
        String conf = config("1.0.0", EVERYTHING);
        run("ADD", conf).assertOk();
        String path = ns.path();
        ns.close();
        run("DEL", path, conf).assertOk();
        assertFalse(Files.exists(dataDir.resolve(CID + "_eth0.json")), "the backup of a vanished sandbox is dropped");
        run("DEL", "", conf).assertOk();
    }

    @Test
    void aRejectedSysctlChangesNothing() throws Exception {
        JsonNode before = ns.link("eth0");
        // The first sysctl is fine, the second does not exist: validated before any write.
        Run r = run("ADD", config("1.0.0", ",\"mtu\":1400,\"sysctl\":{\"net.core.somaxconn\":\"1024\",\"net.ipv4.conf.IFNAME.no_such\":\"1\"}"));
        assertEquals(7, r.json().path("code").asInt(), r.stdout());
        assertTrue(r.json().path("msg").asText().contains("net.ipv4.conf.IFNAME.no_such"), r.stdout());
        assertEquals("4096", ns.procSys("net/core/somaxconn"));
        assertEquals(before.path("mtu").asInt(), ns.link("eth0").path("mtu").asInt());
        assertFalse(Files.exists(dataDir.resolve(CID + "_eth0.json")));
    }

    @Test
    void aFailureHalfwayIsUndone() throws Exception {
        // The kernel refuses "abc" for rp_filter only when it is written, after somaxconn was.
        Run r = run("ADD", config("1.0.0", ",\"mtu\":1400,\"sysctl\":{\"net.core.somaxconn\":\"1024\",\"net.ipv4.conf.IFNAME.rp_filter\":\"abc\"}"));
        assertEquals(1, r.exitCode());
        assertTrue(r.json().path("msg").asText().contains("rp_filter"), r.stdout());
        assertEquals("4096", ns.procSys("net/core/somaxconn"), "the write before the failure was undone");
        assertEquals("0", ns.procSys("net/ipv4/conf/eth0/rp_filter"));
        assertEquals(1500, ns.link("eth0").path("mtu").asInt());
        assertFalse(Files.exists(dataDir.resolve(CID + "_eth0.json")));
    }

    @Test
    void badInputIsACniErrorNamingTheFieldAndChangesNothing() throws Exception {
        Map<String, Integer> cases = Map.of(
                ",\"sysctl\":{\"kernel.hostname\":\"x\"}", 7,
                ",\"mac\":\"01:00:5e:00:00:01\"", 7,
                ",\"mtu\":\"big\"", 7,
                ",\"promisc\":\"yes\"", 7);
        for (Map.Entry<String, Integer> c : cases.entrySet()) {
            Run r = run("ADD", config("1.0.0", c.getKey() + ",\"txQLen\":7"));
            assertEquals(1, r.exitCode(), c.getKey());
            assertEquals((int) c.getValue(), r.json().path("code").asInt(), r.stdout());
        }
        String noPrev = "{\"cniVersion\":\"1.0.0\",\"name\":\"tunnet\",\"type\":\"tuning\",\"mtu\":1400}";
        Run r = run("ADD", noPrev);
        assertTrue(r.json().path("msg").asText().contains("prevResult"), r.stdout());
        assertEquals(1000, ns.link("eth0").path("txqlen").asInt());
        assertEquals(1500, ns.link("eth0").path("mtu").asInt());
    }

    @Test
    void theHostNamespaceAndAMissingOneAreRefused() throws Exception {
        String hostValue = dev.jcni.it.support.Cmd.check("cat", "/proc/sys/net/core/somaxconn").trim();
        String asked = hostValue.equals("1024") ? "1025" : "1024"; // a change the host would show
        String conf = config("1.0.0", ",\"sysctl\":{\"net.core.somaxconn\":\"" + asked + "\"}");
        // The plugin's own namespace, named the way runtimes name a process's.
        Run host;
        String now;
        try {
            host = run("ADD", "/proc/self/ns/net", conf);
        } finally {
            // Were the refusal broken, the host's value is put back before anything else fails.
            now = dev.jcni.it.support.Cmd.check("cat", "/proc/sys/net/core/somaxconn").trim();
            if (!now.equals(hostValue)) {
                Files.writeString(Path.of("/proc/sys/net/core/somaxconn"), hostValue);
            }
        }
        assertEquals(hostValue, now, "the host's somaxconn was changed");
        assertEquals(8, host.json().path("code").asInt(), host.stdout());
        Run missing = run("ADD", "/run/netns/jcni-t-never-made", conf);
        assertEquals(4, missing.json().path("code").asInt(), missing.stdout());
        assertTrue(missing.json().path("msg").asText().contains("/run/netns/jcni-t-never-made"), missing.stdout());
    }

    @Test
    void theNodesAllowlistIsEnforced(@TempDir Path etc) throws Exception {
        Path allowlist = etc.resolve("allowlist.conf");
        Files.writeString(allowlist, "^net\\.core\\.[a-z_]*$\n\n^net\\.ipv4\\.conf\\.IFNAME\\.[a-z_]*$\n");
        String allowed = config("1.0.0", ",\"sysctl\":{\"net.ipv4.conf.IFNAME.rp_filter\":\"1\"}");
        run("ADD", ns.path(), allowed, allowlist).assertOk();
        assertEquals("1", ns.procSys("net/ipv4/conf/eth0/rp_filter"));
        run("DEL", ns.path(), allowed, allowlist).assertOk();
        String forwarding = ns.procSys("net/ipv4/ip_forward");
        // The opposite of what is there (a new namespace inherits the host's ip_forward, often 1).
        String asked = forwarding.equals("1") ? "0" : "1";
        Run denied = run("ADD", ns.path(), config("1.0.0", ",\"sysctl\":{\"net.ipv4.ip_forward\":\"" + asked + "\"}"), allowlist);
        assertTrue(denied.json().path("msg").asText().contains("Sysctl net.ipv4.ip_forward is not allowed"), denied.stdout());
        assertEquals(forwarding, ns.procSys("net/ipv4/ip_forward"));
    }

    @Test
    void ifnameWithADotKeepsItsDot() throws Exception {
        ns.addVeth("jtv" + ns.name().substring(TestNetns.PREFIX.length()), "eth0.100");
        String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"tunnet\",\"type\":\"tuning\",\"dataDir\":\"" + dataDir + "\","
                + "\"sysctl\":{\"net.ipv4.conf.IFNAME.rp_filter\":\"2\"},\"prevResult\":{\"cniVersion\":\"1.0.0\"}}";
        String original = ns.procSys("net/ipv4/conf/eth0.100/rp_filter");
        Map<String, String> env = PluginRunner.env("ADD", CID, ns.path(), "eth0.100");
        env.put("JCNI_TUNING_ALLOWLIST", NO_ALLOWLIST.toString());
        PluginRunner.exec(TUNING, env, conf).assertOk();
        assertEquals("2", ns.procSys("net/ipv4/conf/eth0.100/rp_filter"));
        env.put("CNI_COMMAND", "DEL");
        PluginRunner.exec(TUNING, env, conf).assertOk();
        assertEquals(original, ns.procSys("net/ipv4/conf/eth0.100/rp_filter"));
    }

    @Test
    void gcRemovesBackupsOfStaleAttachmentsOnly() throws Exception {
        String conf = config("1.1.0", ",\"mtu\":1400");
        run("ADD", conf).assertOk();
        Files.writeString(dataDir.resolve("gone_eth0.json"),
                "{\"mtu\":1500,\"network\":\"tunnet\",\"containerID\":\"gone\",\"ifName\":\"eth0\"}");
        String gc = "{\"cniVersion\":\"1.1.0\",\"name\":\"tunnet\",\"type\":\"tuning\",\"dataDir\":\"" + dataDir + "\","
                + "\"cni.dev/valid-attachments\":[{\"containerID\":\"" + CID + "\",\"ifname\":\"eth0\"}]}";
        Map<String, String> env = Map.of("CNI_COMMAND", "GC", "CNI_PATH", "/usr/lib/cni",
                "JCNI_STATE_ROOTS", PluginRunner.TEST_STATE_ROOTS);
        Run r = PluginRunner.exec(TUNING, env, gc);
        r.assertOk();
        assertEquals("", r.stdout());
        assertTrue(Files.exists(dataDir.resolve(CID + "_eth0.json")));
        assertFalse(Files.exists(dataDir.resolve("gone_eth0.json")));
        run("DEL", conf).assertOk();
    }

    @Test
    void statusAnswersAndReportsAnUnusableAllowlist(@TempDir Path etc) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(Map.of("CNI_COMMAND", "STATUS", "CNI_PATH", "/usr/lib/cni",
                "JCNI_TUNING_ALLOWLIST", NO_ALLOWLIST.toString(), "JCNI_STATE_ROOTS", PluginRunner.TEST_STATE_ROOTS));
        String ok = "{\"cniVersion\":\"1.1.0\",\"name\":\"tunnet\",\"type\":\"tuning\",\"dataDir\":\"" + dataDir + "\"}";
        Run r = PluginRunner.exec(TUNING, env, ok);
        r.assertOk();
        assertEquals("", r.stdout());
        Path bad = etc.resolve("allowlist.conf");
        Files.writeString(bad, "net\\.core\\.(unclosed\n");
        env.put("JCNI_TUNING_ALLOWLIST", bad.toString());
        Run broken = PluginRunner.exec(TUNING, env, ok);
        assertEquals(50, broken.json().path("code").asInt(), broken.stdout());
    }

    @Test
    void theLauncherIgnoresJavaOptionsFromTheCallersEnvironment() throws Exception {
        Map<String, String> env = PluginRunner.env("VERSION", CID, ns.path(), "eth0");
        env.put("JAVA_TOOL_OPTIONS", "-Xlog:all=info");
        env.put("JDK_JAVA_OPTIONS", "-verbose:class");
        Run r = PluginRunner.exec(TUNING, env, "{\"cniVersion\":\"1.0.0\"}");
        r.assertOk();
        assertEquals("1.0.0", r.json().path("cniVersion").asText());
        assertFalse(r.stderr().contains("Picked up"), r.stderr());
    }
}
