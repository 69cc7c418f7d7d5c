package dev.jcni.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.net.MacAddress;
import dev.jcni.core.os.netlink.LinkAttribute;
import dev.jcni.core.skel.Command;
import dev.jcni.core.skel.Invocation;
import dev.jcni.core.testing.PhaseFault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A tuning request failed at each of its phase marks by an unchecked exception, as jcnid fails a
 * request past its deadline: an ADD leaves the sandbox and the backup file as they were before
 * it, a DEL can be finished by a repeat.
 */
class TuningPhaseFaultTest {
    /** Every mark of ADD, in order: {@link #theAddReachesExactlyTheseMarks} keeps this table complete. */
    private static final List<String> ADD_MARKS = List.of("config validated", "in sandbox", "backup written", "applied");
    private static final String PREV = ",\"prevResult\":{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\","
            + "\"mac\":\"02:00:00:00:00:01\",\"sandbox\":\"/run/netns/none\"}],\"ips\":[{\"address\":\"10.0.0.2/24\",\"interface\":0}]}";
    private static final String FIRST = ",\"mtu\":1400,\"sysctl\":{\"net.core.somaxconn\":\"1024\"}";
    private static final String SECOND = ",\"mtu\":1300,\"promisc\":true,\"mac\":\"02:00:00:00:00:99\","
            + "\"sysctl\":{\"net.core.somaxconn\":\"512\",\"net.ipv4.conf.eth0.rp_filter\":\"1\"}";
    private static final MacAddress ORIGINAL_MAC = MacAddress.fromBytes(new byte[] {2, 0, 0, 0, 0, 1});

    private final FakeSandboxes sandboxes = FakeSandboxes.withTwoSysctls();
    private final FakeTarget target = sandboxes.target;
    private final TuningPlugin plugin = new TuningPlugin(sandboxes);
    @TempDir
    Path tmp;

    /** Not there before the first ADD. */
    private Path dataDir() {
        return tmp.resolve("run/cni/tuning");
    }

    private Invocation request(Command command, String fields) throws Exception {
        return Requests.invocation(command, "{\"cniVersion\":\"1.0.0\",\"name\":\"net1\",\"type\":\"tuning\",\"dataDir\":\""
                + dataDir() + "\"" + fields + (command == Command.DEL ? "" : PREV) + "}");
    }

    private Path backupFile() {
        return dataDir().resolve("ctr1_eth0.json");
    }

    private void failAddAt(String mark, String fields) throws Exception {
        Invocation add = request(Command.ADD, fields);
        try (PhaseFault fault = PhaseFault.at(mark)) {
            PhaseFault.Thrown e = assertThrows(PhaseFault.Thrown.class, () -> plugin.add(add));
            assertEquals("failed at \"" + mark + "\" (test)", e.getMessage());
            assertEquals(mark, fault.reached().get(fault.reached().size() - 1), "failed at the mark: " + fault.reached());
        }
    }

    private void assertOriginals() {
        assertEquals("4096", target.sysctls.get("net/core/somaxconn"));
        assertEquals("0", target.sysctls.get("net/ipv4/conf/eth0/rp_filter"));
        assertEquals(1500, target.get(LinkAttribute.MTU));
        assertFalse(target.get(LinkAttribute.PROMISC));
        assertEquals(ORIGINAL_MAC, target.get(LinkAttribute.MAC));
    }

    @Test
    void theAddReachesExactlyTheseMarks() throws Exception {
        Invocation add = request(Command.ADD, SECOND);
        try (PhaseFault fault = PhaseFault.none()) {
            plugin.add(add);
            assertEquals(ADD_MARKS, fault.reached());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"config validated", "in sandbox", "backup written", "applied"})
    void aFirstAddFailedAtAnyMarkLeavesTheSandboxAsItWasAndNoBackup(String mark) throws Exception {
        failAddAt(mark, SECOND);
        assertOriginals();
        assertFalse(Files.exists(backupFile()), "no backup file");
        assertTrue(Files.notExists(dataDir()) || Files.list(dataDir()).count() == 0, "nothing in the data directory");
    }

    @ParameterizedTest
    @ValueSource(strings = {"config validated", "in sandbox", "backup written", "applied"})
    void aSecondAddFailedAtAnyMarkKeepsTheFirstAddsValuesAndBackup(String mark) throws Exception {
        plugin.add(request(Command.ADD, FIRST));
        String firstBackup = Files.readString(backupFile(), StandardCharsets.UTF_8);
        failAddAt(mark, SECOND);
        assertEquals("1024", target.sysctls.get("net/core/somaxconn"));
        assertEquals("0", target.sysctls.get("net/ipv4/conf/eth0/rp_filter"));
        assertEquals(1400, target.get(LinkAttribute.MTU));
        assertFalse(target.get(LinkAttribute.PROMISC));
        assertEquals(ORIGINAL_MAC, target.get(LinkAttribute.MAC));
        assertEquals(firstBackup, Files.readString(backupFile(), StandardCharsets.UTF_8));

        plugin.del(request(Command.DEL, ""));
        assertOriginals();
        assertFalse(Files.exists(backupFile()));
    }

    /** DEL needs no undo, but one failed at its mark must leave what a repeat DEL finishes. */
    @Test
    void aDelFailedInTheSandboxIsFinishedByARepeat() throws Exception {
        plugin.add(request(Command.ADD, SECOND));
        Invocation del = request(Command.DEL, "");
        try (PhaseFault fault = PhaseFault.at("in sandbox")) {
            assertThrows(PhaseFault.Thrown.class, () -> plugin.del(del));
        }
        assertTrue(Files.exists(backupFile()), "the backup stays for the repeat");
        plugin.del(del);
        assertOriginals();
        assertFalse(Files.exists(backupFile()));
    }
}
