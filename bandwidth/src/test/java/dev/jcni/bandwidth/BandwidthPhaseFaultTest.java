package dev.jcni.bandwidth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jcni.core.skel.Command;
import dev.jcni.core.skel.Invocation;
import dev.jcni.core.testing.PhaseFault;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A bandwidth request failed at each of its phase marks by an unchecked exception, as jcnid fails
 * a request past its deadline: an ADD leaves the host as it was before it (an ADD that found the
 * shaping in place takes nothing away), a DEL can be finished by a repeat.
 */
class BandwidthPhaseFaultTest {
    /** Every mark of ADD, in order: {@link #theAddReachesExactlyTheseMarks} keeps this table complete. */
    private static final List<String> ADD_MARKS = List.of("config validated", "planned", "applied");
    private static final String SHAPING = BandwidthPluginTest.UNSHAPED;

    private FakeHost host;
    private BandwidthPlugin plugin;
    /** The host before any ADD: the veth alone. */
    private String bare;

    @BeforeEach
    void setUp() {
        host = new FakeHost();
        host.addVeth("veth1", Requests.NETNS, "eth0", 1400);
        plugin = new BandwidthPlugin(() -> host);
        bare = host.snapshot();
    }

    private static Invocation request(Command command) throws Exception {
        return Requests.invocation(command, Requests.conf(SHAPING));
    }

    private static void failAt(String mark, PluginCall call) {
        try (PhaseFault fault = PhaseFault.at(mark)) {
            assertThrows(PhaseFault.Thrown.class, call::run);
            assertEquals(mark, fault.reached().get(fault.reached().size() - 1), "failed at the mark: " + fault.reached());
        }
    }

    private interface PluginCall {
        void run() throws Exception;
    }

    @Test
    void theAddReachesExactlyTheseMarks() throws Exception {
        Invocation add = request(Command.ADD);
        try (PhaseFault fault = PhaseFault.none()) {
            plugin.add(add);
            assertEquals(ADD_MARKS, fault.reached());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"config validated", "planned", "applied"})
    void anAddFailedAtAnyMarkLeavesTheHostAsItWas(String mark) throws Exception {
        Invocation add = request(Command.ADD);
        failAt(mark, () -> plugin.add(add));
        assertEquals(bare, host.snapshot(), "no ifb, qdisc or filter of the failed ADD");

        plugin.add(add);
        plugin.del(request(Command.DEL));
        assertEquals(bare, host.snapshot(), "a retried ADD and its DEL");
    }

    @Test
    void aRepeatedAddThatFoundTheShapingInPlaceTakesNothingAwayWhenItFails() throws Exception {
        Invocation add = request(Command.ADD);
        plugin.add(add);
        String shaped = host.snapshot();
        failAt("applied", () -> plugin.add(add));
        assertEquals(shaped, host.snapshot(), "the first ADD's shaping stays");
    }

    /** DEL needs no undo, but one failed at any of its marks must leave what a repeat DEL finishes. */
    @ParameterizedTest
    @ValueSource(strings = {"names derived", "host opened", "host veth found", "removed"})
    void aDelFailedAtAnyMarkIsFinishedByARepeat(String mark) throws Exception {
        plugin.add(request(Command.ADD));
        Invocation del = request(Command.DEL);
        failAt(mark, () -> plugin.del(del));
        plugin.del(del);
        assertEquals(bare, host.snapshot());
    }
}
