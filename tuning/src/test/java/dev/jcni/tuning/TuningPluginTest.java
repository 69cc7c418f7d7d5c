package dev.jcni.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.net.MacAddress;
import dev.jcni.core.os.netlink.LinkAttribute;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.protocol.Result;
import dev.jcni.core.protocol.ResultCodec;
import dev.jcni.core.skel.Command;
import dev.jcni.core.skel.Invocation;
import dev.jcni.core.skel.Log;
import dev.jcni.core.skel.Sandbox;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TuningPlugin's verbs against the fake sandbox and a data directory that does not exist yet: the
 * orchestration (backup, apply, undo, restore, drift) and each hole of issue 6 it closes, without root.
 */
class TuningPluginTest {
    private static final Duration NO_HANG = Duration.ofSeconds(10);
    private static final String PREV = ",\"prevResult\":{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"br0\"},"
            + "{\"name\":\"eth0\",\"mac\":\"02:00:00:00:00:01\",\"sandbox\":\"/run/netns/none\"}],"
            + "\"ips\":[{\"address\":\"10.0.0.2/24\",\"interface\":1}]}";

    @TempDir
    Path tmp;
    private Path dataDir;
    private FakeSandboxes sandboxes;
    private FakeTarget target;
    private TuningPlugin plugin;
    private ByteArrayOutputStream stderr;

    @BeforeEach
    void setUp() {
        dataDir = tmp.resolve("run/cni/tuning");
        sandboxes = FakeSandboxes.withTwoSysctls();
        target = sandboxes.target;
        plugin = new TuningPlugin(sandboxes);
        stderr = new ByteArrayOutputStream();
        Log.redirect(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void tearDown() {
        Log.redirect(System.err);
    }

    private String conf(String version, String fields) {
        return "{" + version + "\"name\":\"net1\",\"type\":\"tuning\",\"dataDir\":\"" + dataDir + "\"" + fields + "}";
    }

    private Invocation request(Command command, String fields) throws Exception {
        return Requests.invocation(command, conf("\"cniVersion\":\"1.0.0\",", fields + (command == Command.DEL ? "" : PREV)));
    }

    private Path backupFile() {
        return dataDir.resolve("ctr1_eth0.json");
    }

    private String stderr() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    // Orchestration (issue 8).

    @Test
    void addTwiceThenDelRestoresTheTrueOriginals() throws Exception {
        plugin.add(request(Command.ADD, ",\"mtu\":1400,\"sysctl\":{\"net.core.somaxconn\":\"1024\"}"));
        plugin.add(request(Command.ADD, ",\"mtu\":1300,\"promisc\":true,\"sysctl\":{\"net.core.somaxconn\":\"512\"}"));
        assertEquals(1300, target.get(LinkAttribute.MTU));
        assertEquals("{\"promisc\":false,\"mtu\":1500,\"sysctl\":{\"net/core/somaxconn\":\"4096\"},\"network\":\"net1\","
                + "\"containerID\":\"ctr1\",\"ifName\":\"eth0\"}", Json.toString(Json.parse(Files.readAllBytes(backupFile()))));
        plugin.del(request(Command.DEL, ""));
        assertEquals(1500, target.get(LinkAttribute.MTU));
        assertFalse(target.get(LinkAttribute.PROMISC));
        assertEquals("4096", target.sysctls.get("net/core/somaxconn"));
        assertFalse(Files.exists(backupFile()));
    }

    @Test
    void theFirstAddCreatesTheDataDirectory0700AndTheBackup0600() throws Exception {
        assertFalse(Files.exists(dataDir.getParent()));
        plugin.add(request(Command.ADD, ",\"txQLen\":500"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(backupFile())));
        assertEquals(1, Files.list(dataDir).count(), "no temporary file left");
    }

    @Test
    void aFailedAddLeavesNoBackupAndNothingChanged() throws Exception {
        target.failOn = "set allmulticast";
        CniException e = assertThrows(CniException.class, () -> plugin.add(request(Command.ADD,
                ",\"mtu\":1400,\"allmulti\":true,\"sysctl\":{\"net.core.somaxconn\":\"1024\"}")));
        assertEquals(CniException.PLUGIN_FAILURE, e.code());
        assertEquals("failed to set all-multicast mode on on eth0", e.msg());
        assertFalse(Files.exists(backupFile()));
        assertEquals(1500, target.get(LinkAttribute.MTU));
        assertEquals("4096", target.sysctls.get("net/core/somaxconn"));
    }

    @Test
    void aFailedSecondAddKeepsTheFirstBackup() throws Exception {
        plugin.add(request(Command.ADD, ",\"mtu\":1400"));
        byte[] first = Files.readAllBytes(backupFile());
        target.failOn = "set promisc";
        assertThrows(CniException.class, () -> plugin.add(request(Command.ADD, ",\"mtu\":1300,\"promisc\":true")));
        assertEquals(new String(first, StandardCharsets.UTF_8), Files.readString(backupFile()));
        assertEquals(1400, target.get(LinkAttribute.MTU), "the second ADD's MTU change is undone to the first's value");
    }

    @Test
    void addAnswersThePrevResultWithTheNewMacOfTheSandboxInterface() throws Exception {
        Result r = plugin.add(request(Command.ADD, ",\"mac\":\"c2:11:22:33:44:55\""));
        assertEquals("c2:11:22:33:44:55", r.interfaces().get(1).mac());
        assertEquals(null, r.interfaces().get(0).mac(), "the host-side interface is untouched");
        assertEquals(MacAddress.parse("c2:11:22:33:44:55"), target.get(LinkAttribute.MAC));
    }

    @Test
    void addWithNothingToDoNeverEntersTheSandbox() throws Exception {
        Result r = plugin.add(request(Command.ADD, ""));
        assertEquals(List.of(), sandboxes.entered);
        assertFalse(Files.exists(dataDir));
        assertEquals(PREV_AS_1_0_0, Json.toString(ResultCodec.toJson(r, "1.0.0")), "the prevResult is the answer");
    }

    /** The prevResult above, as the plugin must print it back when it changed no MAC. */
    private static final String PREV_AS_1_0_0 = "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"br0\"},"
            + "{\"name\":\"eth0\",\"mac\":\"02:00:00:00:00:01\",\"sandbox\":\"/run/netns/none\"}],"
            + "\"ips\":[{\"address\":\"10.0.0.2/24\",\"interface\":1}]}";

    @Test
    void addWithoutAMacAnswersThePrevResultUnchanged() throws Exception {
        Result r = plugin.add(request(Command.ADD, ",\"mtu\":1400"));
        assertEquals(1400, target.get(LinkAttribute.MTU));
        assertEquals(PREV_AS_1_0_0, Json.toString(ResultCodec.toJson(r, "1.0.0")));
    }

    @Test
    void theNewMacGoesToTheSandboxInterfaceWhereverItIs() throws Exception {
        String first = ",\"prevResult\":{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\",\"sandbox\":\"/run/netns/x\"},"
                + "{\"name\":\"eth0\"}],\"ips\":[{\"address\":\"10.0.0.2/24\",\"interface\":0}]}";
        Result r = plugin.add(Requests.invocation(Command.ADD, conf("\"cniVersion\":\"1.0.0\",", ",\"mac\":\"c2:11:22:33:44:55\"" + first)));
        assertEquals("c2:11:22:33:44:55", r.interfaces().get(0).mac());
        assertEquals(null, r.interfaces().get(1).mac());
    }

    @Test
    void withoutASandboxInterfaceTheMacGoesToTheInterfaceOfThatName() throws Exception {
        String byName = ",\"prevResult\":{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"br0\"},{\"name\":\"eth0\"}],"
                + "\"ips\":[{\"address\":\"10.0.0.2/24\"}]}";
        Result r = plugin.add(Requests.invocation(Command.ADD, conf("\"cniVersion\":\"1.0.0\",", ",\"mac\":\"c2:11:22:33:44:55\"" + byName)));
        assertEquals(null, r.interfaces().get(0).mac());
        assertEquals("c2:11:22:33:44:55", r.interfaces().get(1).mac());
        String none = ",\"prevResult\":{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"br0\"}],\"ips\":[{\"address\":\"10.0.0.2/24\"}]}";
        Result unchanged = plugin.add(Requests.invocation(Command.ADD, conf("\"cniVersion\":\"1.0.0\",",
                ",\"mac\":\"c2:11:22:33:44:66\"" + none)));
        assertEquals(1, unchanged.interfaces().size());
        assertEquals(null, unchanged.interfaces().get(0).mac(), "no interface of that name: the result is as it came");
        assertEquals(MacAddress.parse("c2:11:22:33:44:66"), target.get(LinkAttribute.MAC));
    }

    @Test
    void aboutAndVersions() {
        assertTrue(plugin.about().contains("tuning"), plugin.about());
        assertEquals(dev.jcni.core.protocol.CniVersion.ALL, plugin.supportedVersions());
    }

    @Test
    void gcRemovesTheBackupsOfAttachmentsThatAreGone() throws Exception {
        plugin.add(request(Command.ADD, ",\"mtu\":1400"));
        Invocation gc = Requests.invocation(Command.GC, conf("\"cniVersion\":\"1.1.0\",", ",\"cni.dev/valid-attachments\":[]"));
        plugin.gc(gc);
        assertFalse(Files.exists(backupFile()));
        assertEquals(1400, target.get(LinkAttribute.MTU), "GC restores nothing: the attachment is gone");
    }

    @Test
    void aValueThatCannotBeRestoredIsWarnedAboutAndTheRestRestored() throws Exception {
        plugin.add(request(Command.ADD, ",\"mtu\":1400,\"mac\":\"c2:11:22:33:44:55\""));
        target.failOn = "set mac";
        plugin.del(request(Command.DEL, ""));
        assertTrue(stderr().contains("failed to restore MAC address: "), stderr());
        assertEquals(1500, target.get(LinkAttribute.MTU));
        assertFalse(Files.exists(backupFile()));
    }

    @Test
    void aBackupThatIsNotJsonIsIgnoredWithAWarning() throws Exception {
        Files.createDirectories(dataDir);
        Files.writeString(backupFile(), "{\"mtu\":");
        plugin.del(request(Command.DEL, ""));
        assertTrue(stderr().contains("ignoring tuning backup " + backupFile() + ": not a JSON object ("), stderr());
        assertEquals(List.of(), target.calls);
    }

    @Test
    void aDelThatCannotEnterTheSandboxStillDropsTheBackup() throws Exception {
        plugin.add(request(Command.ADD, ",\"mtu\":1400"));
        sandboxes.delFailure = new CniException(CniException.PLUGIN_FAILURE, "cannot enter the sandbox namespace /run/netns/none");
        plugin.del(request(Command.DEL, ""));
        assertFalse(Files.exists(backupFile()));
        assertTrue(stderr().contains("cannot restore the tuning backup of ctr1/eth0: cannot enter the sandbox namespace"), stderr());
        assertFalse(stderr().contains("host's own"), stderr());
    }

    @Test
    void checkSeesDriftAboveAndBelowTheConfiguredValue() throws Exception {
        Invocation add = request(Command.ADD, ",\"mtu\":1400,\"txQLen\":500");
        plugin.add(add);
        plugin.check(request(Command.CHECK, ",\"mtu\":1400,\"txQLen\":500"));
        for (int mtu : new int[] {1300, 1500}) {
            target.put(LinkAttribute.MTU, mtu);
            CniException e = assertThrows(CniException.class, () -> plugin.check(request(Command.CHECK, ",\"mtu\":1400,\"txQLen\":500")));
            assertEquals(CniException.CHECK_DRIFT, e.code());
            assertEquals("MTU of eth0 is " + mtu + ", configured 1400", e.details());
        }
    }

    @Test
    void delWithoutBackupOrTwiceSucceedsWithoutEnteringTheSandbox() throws Exception {
        plugin.del(request(Command.DEL, ""));
        plugin.del(request(Command.DEL, ""));
        assertEquals(List.of(), sandboxes.entered);
    }

    @Test
    void delOfAVanishedSandboxDropsTheBackup() throws Exception {
        plugin.add(request(Command.ADD, ",\"mtu\":1400"));
        sandboxes.presence = Sandbox.Presence.GONE;
        plugin.del(request(Command.DEL, ""));
        assertFalse(Files.exists(backupFile()));
        assertFalse(stderr().contains("host's own"), "a vanished sandbox is not the host: " + stderr());
    }

    // Issue 6, hole 1: the allowlist is node policy.

    @Test
    void theAllowlistComesFromTheNodeNotTheConfig() throws Exception {
        Path allowlist = Files.writeString(tmp.resolve("allowlist.conf"), "^net\\.core\\.[a-z_]*$\n");
        Invocation denied = request(Command.ADD, ",\"sysctl\":{\"net.ipv4.conf.IFNAME.rp_filter\":\"1\"}")
                .withNode(Requests.allowlist(allowlist.toString()));
        CniException e = assertThrows(CniException.class, () -> plugin.add(denied));
        assertEquals(CniException.INVALID_CONFIG, e.code());
        assertTrue(e.msg().startsWith("Sysctl net.ipv4.conf.IFNAME.rp_filter is not allowed."), e.msg());
        CniException named = assertThrows(CniException.class, () -> plugin.add(request(Command.ADD,
                ",\"allowlistFile\":\"/nonexistent\",\"sysctl\":{\"net.ipv4.conf.IFNAME.rp_filter\":\"1\"}")
                .withNode(Requests.allowlist(allowlist.toString()))));
        assertEquals(CniException.INVALID_CONFIG, named.code());
        assertTrue(named.details().contains("node policy"), named.details());
        assertEquals(List.of(), target.calls);
        plugin.add(request(Command.ADD, ",\"sysctl\":{\"net.core.somaxconn\":\"1\"}").withNode(Requests.allowlist(allowlist.toString())));
        assertEquals("1", target.sysctls.get("net/core/somaxconn"));
    }

    // Issue 6, hole 5: an allowlist or backup that would hang or exhaust the plugin.

    @Test
    void aFifoOrDeviceAllowlistIsAnErrorNotAHang() throws Exception {
        Path fifo = tmp.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        for (String allowlist : new String[] {fifo.toString(), "/dev/zero"}) {
            Invocation add = request(Command.ADD, ",\"sysctl\":{\"net.core.somaxconn\":\"1\"}").withNode(Requests.allowlist(allowlist));
            CniException e = assertTimeoutPreemptively(NO_HANG, () -> assertThrows(CniException.class, () -> plugin.add(add)));
            assertEquals("cannot read sysctl allowlist " + allowlist, e.msg());
            assertTrue(e.details().contains("not a regular file"), e.details());
        }
        assertEquals(List.of(), target.calls);
    }

    @Test
    void statusReportsAnUnusableAllowlistAsUnavailable() throws Exception {
        Invocation status = Requests.invocation(Command.STATUS, conf("\"cniVersion\":\"1.1.0\",", ""))
                .withNode(Requests.allowlist("/dev/zero"));
        assertEquals(CniException.NOT_AVAILABLE, assertThrows(CniException.class, () -> plugin.status(status)).code());
        plugin.status(Requests.invocation(Command.STATUS, conf("\"cniVersion\":\"1.1.0\",", "")));
    }

    @Test
    void backupsThatAreNotOurRegularFilesAreIgnoredWithoutWaiting() throws Exception {
        Files.createDirectories(dataDir);
        Path target0 = Files.writeString(tmp.resolve("elsewhere.json"), "{\"mtu\":1280}");
        assertEquals(0, new ProcessBuilder("mkfifo", backupFile().toString()).start().waitFor());
        assertTimeoutPreemptively(NO_HANG, () -> plugin.del(request(Command.DEL, "")));
        assertFalse(Files.exists(backupFile(), LinkOption.NOFOLLOW_LINKS), "DEL removes the attachment's entry, whatever it is");
        Files.createSymbolicLink(backupFile(), target0);
        plugin.del(request(Command.DEL, ""));
        assertFalse(Files.exists(backupFile(), LinkOption.NOFOLLOW_LINKS), "the planted link goes");
        assertEquals("{\"mtu\":1280}", Files.readString(target0), "its target stays as it was");
        Files.write(backupFile(), ("{\"mtu\":1280,\"pad\":\"" + "x".repeat(70_000) + "\"}").getBytes(StandardCharsets.UTF_8));
        plugin.del(request(Command.DEL, ""));
        assertFalse(Files.exists(backupFile(), LinkOption.NOFOLLOW_LINKS));
        assertEquals(List.of(), target.calls, "nothing was restored");
        assertEquals(List.of(), sandboxes.entered);
        assertTrue(stderr().contains("ignoring tuning backup " + backupFile() + ": it is larger than 65536 bytes"), stderr());
        assertTrue(stderr().contains("it is a symbolic link"), stderr());
        assertTrue(stderr().contains("it is a FIFO, not a regular file"), stderr());
    }

    @Test
    void aBackupOfAnotherOwnerIsIgnored() throws Exception {
        Files.createDirectories(dataDir);
        Files.writeString(backupFile(), "{\"mtu\":1280}");
        try {
            Files.setAttribute(backupFile(), "unix:uid", 65534);
        } catch (java.io.IOException e) {
            Assumptions.abort("giving a file away needs root: " + e);
        }
        plugin.del(request(Command.DEL, ""));
        assertEquals(List.of(), target.calls);
        assertTrue(stderr().contains("is owned by uid 65534"), stderr());
        assertFalse(Files.exists(backupFile(), LinkOption.NOFOLLOW_LINKS), "after DEL nothing of the attachment remains");
    }

    // Issue 6, hole 3: DEL validates the backup like a config, and never restores into the host.

    @Test
    void aPlantedBackupRestoresOnlyWhatTheConfigsRulesAllow() throws Exception {
        Files.createDirectories(dataDir);
        Files.writeString(backupFile(), "{\"sysctl\":{\"net/../kernel/domainname\":\"x\",\"kernel/hostname\":\"x\","
                + "\"net/core/somaxconn\":\"128\"},\"txQLen\":-5,\"mtu\":1280,\"mac\":\"01:00:5e:00:00:01\"}");
        target.sysctls.put("net/../kernel/domainname", "host");
        target.sysctls.put("kernel/hostname", "host");
        plugin.del(request(Command.DEL, ""));
        assertEquals(List.of("sysctl net/core/somaxconn=128", "mtu 1280"), target.calls);
        assertTrue(stderr().contains("not restoring sysctl net/../kernel/domainname: not a path below /proc/sys/net"), stderr());
        assertTrue(stderr().contains("not restoring txQLen: invalid value -5"), stderr());
        assertTrue(stderr().contains("not restoring mac: invalid MAC address"), stderr());
        assertFalse(Files.exists(backupFile()));
    }

    @Test
    void delNeverRestoresIntoTheHostsNamespace() throws Exception {
        plugin.add(request(Command.ADD, ",\"mtu\":1400"));
        target.calls.clear();
        sandboxes.presence = Sandbox.Presence.HOST;
        plugin.del(request(Command.DEL, ""));
        assertEquals(List.of(), target.calls);
        assertFalse(Files.exists(backupFile()), "the backup is dropped");
        assertTrue(stderr().contains("is the host's own network namespace"), stderr());
    }

    // Issue 6, hole 4: nothing changes before the answer is known to be printable; nothing half-applied.

    @Test
    void nothingChangesWhenTheResultCannotBePrintedInTheRequestsVersion() throws Exception {
        String noAddress = ",\"prevResult\":{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\"}]}";
        for (String version : new String[] {"", "\"cniVersion\":\"\",", "\"cniVersion\":null,", "\"cniVersion\":\"0.1.0\","}) {
            Invocation add = Requests.invocation(Command.ADD, conf(version, ",\"mtu\":1400,\"sysctl\":{\"net.core.somaxconn\":\"1\"}"
                    + noAddress));
            CniException e = assertThrows(CniException.class, () -> plugin.add(add), version);
            assertEquals(CniException.INCOMPATIBLE_VERSION, e.code(), version);
        }
        assertEquals(List.of(), sandboxes.entered);
        assertEquals(List.of(), target.calls);
        assertFalse(Files.exists(dataDir));
    }

    @Test
    void aSysctlTheKernelWouldTakeOnlyPartOfChangesNothing() throws Exception {
        target.singleValue.add("net/ipv4/conf/eth0/rp_filter");
        CniException refused = assertThrows(CniException.class,
                () -> plugin.add(request(Command.ADD, ",\"mtu\":1400,\"sysctl\":{\"net.ipv4.conf.IFNAME.rp_filter\":\"1\\n0\"}")));
        assertEquals(CniException.INVALID_CONFIG, refused.code());
        assertEquals(List.of(), sandboxes.entered);
        CniException partial = assertThrows(CniException.class,
                () -> plugin.add(request(Command.ADD, ",\"mtu\":1400,\"sysctl\":{\"net.ipv4.conf.IFNAME.rp_filter\":\"1 2 3\"}")));
        assertEquals(CniException.PLUGIN_FAILURE, partial.code());
        assertEquals("0", target.sysctls.get("net/ipv4/conf/eth0/rp_filter"));
        assertEquals(1500, target.get(LinkAttribute.MTU));
        assertFalse(Files.exists(backupFile()));
    }

    // Issue 6, hole 7: dataDir rules are the same for every verb.

    @Test
    void delRefusesARelativeDataDirAsAddDoes() throws Exception {
        for (Command verb : new Command[] {Command.ADD, Command.DEL}) {
            Invocation inv = Requests.invocation(verb, "{\"cniVersion\":\"1.0.0\",\"name\":\"net1\",\"dataDir\":\"run/tuning\",\"mtu\":1400"
                    + PREV + "}");
            CniException e = assertThrows(CniException.class, () -> {
                if (verb == Command.ADD) {
                    plugin.add(inv);
                } else {
                    plugin.del(inv);
                }
            });
            assertEquals(CniException.INVALID_CONFIG, e.code(), verb.name());
            assertEquals("invalid value \"run/tuning\" for \"dataDir\": expected an absolute path", e.msg());
        }
        assertEquals(List.of(), sandboxes.entered);
    }
}
