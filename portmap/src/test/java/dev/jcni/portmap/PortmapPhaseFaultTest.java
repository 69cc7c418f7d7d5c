package dev.jcni.portmap;

import static dev.jcni.portmap.Requests.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.os.conntrack.ConntrackFilter;
import dev.jcni.core.os.nft.ListTarget;
import dev.jcni.core.os.nft.NftListing;
import dev.jcni.core.skel.Command;
import dev.jcni.core.skel.Invocation;
import dev.jcni.core.testing.PhaseFault;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A portmap request failed at each of its phase marks by an unchecked exception, as jcnid fails a
 * request past its deadline: an ADD leaves nothing of its attachment in the ruleset (another
 * attachment's mappings untouched), a DEL is done with its flows flushed or can be finished by a
 * repeat.
 */
class PortmapPhaseFaultTest {
    /** Every mark of ADD, in order: {@link #theAddReachesExactlyTheseMarks} keeps this table complete. */
    private static final List<String> ADD_MARKS = List.of("planned", "applied");
    private static final String WEB_AND_DNS = "[{\"hostPort\":8080,\"containerPort\":80,\"protocol\":\"tcp\"},"
            + "{\"hostPort\":5353,\"containerPort\":53,\"protocol\":\"udp\"}]";
    private static final String OTHER = "[{\"hostPort\":9090,\"containerPort\":90,\"protocol\":\"tcp\"}]";
    private static final List<ConntrackFilter> DNS_FLOWS = List.of(new ConntrackFilter(IpAddress.Family.IPV4, 17, 5353, null),
            new ConntrackFilter(IpAddress.Family.IPV6, 17, 5353, null));

    private final FakeHost host = new FakeHost();
    private final PortmapPlugin plugin = host.plugin();

    private Invocation add(String cid, String mappings) throws Exception {
        return Requests.invocation(Command.ADD, cid, config("net1", mappings, ""));
    }

    private Invocation del(String cid) throws Exception {
        return Requests.invocation(Command.DEL, cid, "{\"cniVersion\":\"1.0.0\",\"name\":\"net1\",\"type\":\"portmap\"}");
    }

    private NftListing table() throws Exception {
        return host.nft.list(ListTarget.table(new HostportTable().table));
    }

    /** The ruleset without its handles: an ADD re-creates the shared rules, under new handles. */
    private String ruleset() throws Exception {
        return table().tree().toString().replaceAll("\"handle\":\\d+,?", "");
    }

    @Test
    void theAddReachesExactlyTheseMarks() throws Exception {
        Invocation add = add("c1", WEB_AND_DNS);
        try (PhaseFault fault = PhaseFault.none()) {
            plugin.add(add);
            assertEquals(ADD_MARKS, fault.reached());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"planned", "applied"})
    void anAddFailedAtAnyMarkLeavesNothingOfItsAttachment(String mark) throws Exception {
        plugin.add(add("c2", OTHER));
        String before = ruleset();
        Invocation add = add("c1", WEB_AND_DNS);
        try (PhaseFault fault = PhaseFault.at(mark)) {
            assertThrows(PhaseFault.Thrown.class, () -> plugin.add(add));
            assertEquals(mark, fault.reached().get(fault.reached().size() - 1));
        }
        assertNull(table().chain(new HostportTable().table, new Attachment("net1", "c1", "eth0").chainName()), "no chain of c1");
        assertEquals(before, ruleset(), "the ruleset as before the ADD: c2's mappings only");

        plugin.add(add);
        plugin.del(del("c1"));
        assertEquals(before, ruleset(), "a retried ADD and its DEL");
    }

    @Test
    void theUndoOfAnAddFlushesTheFlowsItsMappingsMayHaveMade() throws Exception {
        Invocation add = add("c1", WEB_AND_DNS);
        try (PhaseFault fault = PhaseFault.at("applied")) {
            assertThrows(PhaseFault.Thrown.class, () -> plugin.add(add));
        }
        assertEquals(DNS_FLOWS, host.flushed, "flushed once, by the undo: the ADD's own flush comes after the mark");
    }

    /** DEL needs no undo, but its mark comes after everything, so a DEL failed there is complete: flows flushed too. */
    @Test
    void aDelFailedAtItsMarkHasFlushedItsFlows() throws Exception {
        plugin.add(add("c1", WEB_AND_DNS));
        host.flushed.clear();
        Invocation del = del("c1");
        try (PhaseFault fault = PhaseFault.at("applied")) {
            assertThrows(PhaseFault.Thrown.class, () -> plugin.del(del));
        }
        assertNull(table().chain(new HostportTable().table, new Attachment("net1", "c1", "eth0").chainName()));
        assertEquals(DNS_FLOWS, host.flushed);
    }
}
