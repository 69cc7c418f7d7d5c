package dev.jcni.hostlocal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jcni.core.protocol.Result;
import dev.jcni.core.skel.Command;
import dev.jcni.core.skel.Invocation;
import dev.jcni.core.testing.PhaseFault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A host-local request failed at each of its phase marks by an unchecked exception, as jcnid fails
 * a request past its deadline: an ADD leaves no lease and the round-robin records as they were, and
 * no request leaves the store locked. The plugin waits 300 ms for the lock: a lock left held makes
 * the next request fail with "still locked".
 */
class HostLocalPhaseFaultTest {
    /** Every mark of ADD, in order: {@link #theAddReachesExactlyTheseMarks} keeps this table complete. */
    private static final List<String> ADD_MARKS = List.of("config validated", "store locked", "allocated");
    private final HostLocalPlugin plugin = new HostLocalPlugin(Duration.ofMillis(300));

    @TempDir
    Path dataDir;

    private String conf() {
        return Requests.conf(Requests.ipam(dataDir, "[[{\"subnet\":\"10.1.2.0/24\"}],[{\"subnet\":\"2001:db8:1::/64\"}]]"));
    }

    private Result add(String container) throws Exception {
        return plugin.add(Requests.invocation(Command.ADD, conf(), container, "eth0", null));
    }

    /** Every file of the network's store with its content (the lock file is empty). */
    private Map<String, String> store() throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dataDir.resolve("net"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                out.put(f.getFileName().toString(), Files.readString(f));
            }
        }
        return out;
    }

    @Test
    void theAddReachesExactlyTheseMarks() throws Exception {
        try (PhaseFault fault = PhaseFault.none()) {
            add("c0");
            assertEquals(ADD_MARKS, fault.reached());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"config validated", "store locked", "allocated"})
    void anAddFailedAtAnyMarkLeavesTheStoreAsItWasAndUnlocked(String mark) throws Exception {
        add("c0");
        Map<String, String> before = store();
        assertEquals("10.1.2.2", before.get("last_reserved_ip.0"), "the records exist before the failed ADD");
        Invocation failing = Requests.invocation(Command.ADD, conf(), "c1", "eth0", null);
        try (PhaseFault fault = PhaseFault.at(mark)) {
            assertThrows(PhaseFault.Thrown.class, () -> plugin.add(failing));
            assertEquals(mark, fault.reached().get(fault.reached().size() - 1));
        }
        assertEquals(before, store(), "no lease of c1, the round-robin records as they were");

        Result retried = add("c1");
        assertEquals("10.1.2.3/24", retried.ips().get(0).address().toString(), "the retry gets the address the failed ADD had");
        assertEquals("2001:db8:1::3/64", retried.ips().get(1).address().toString());
    }

    /** DEL needs no undo, but one failed at its mark must unlock the store and leave what a repeat DEL finishes. */
    @ParameterizedTest
    @ValueSource(strings = {"config validated", "store locked"})
    void aDelFailedAtAnyMarkIsFinishedByARepeat(String mark) throws Exception {
        add("c0");
        Map<String, String> leased = store();
        Invocation del = Requests.invocation(Command.DEL, conf(), "c0", "eth0", null);
        try (PhaseFault fault = PhaseFault.at(mark)) {
            assertThrows(PhaseFault.Thrown.class, () -> plugin.del(del));
            assertEquals(mark, fault.reached().get(fault.reached().size() - 1));
        }
        assertEquals(leased, store(), "nothing released yet");
        plugin.del(del);
        assertEquals(List.of("last_reserved_ip.0", "last_reserved_ip.1", "lock"), List.copyOf(store().keySet()));
    }
}
