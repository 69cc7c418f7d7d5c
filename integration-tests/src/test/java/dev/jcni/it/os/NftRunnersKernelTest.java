package dev.jcni.it.os;

import static dev.jcni.core.os.nft.DataType.INET_PROTO;
import static dev.jcni.core.os.nft.DataType.INET_SERVICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.os.netns.NetNs;
import dev.jcni.core.os.nft.Chain;
import dev.jcni.core.os.nft.FakeNftRunner;
import dev.jcni.core.os.nft.Family;
import dev.jcni.core.os.nft.LibNftablesRunner;
import dev.jcni.core.os.nft.ListTarget;
import dev.jcni.core.os.nft.Nft;
import dev.jcni.core.os.nft.NftBatch;
import dev.jcni.core.os.nft.NftBusyException;
import dev.jcni.core.os.nft.NftCommand;
import dev.jcni.core.os.nft.NftException;
import dev.jcni.core.os.nft.NftExistsException;
import dev.jcni.core.os.nft.NftListing;
import dev.jcni.core.os.nft.NftNotFoundException;
import dev.jcni.core.os.nft.NftProcessRunner;
import dev.jcni.core.os.nft.NftRunner;
import dev.jcni.core.os.nft.NftRunners;
import dev.jcni.core.os.nft.NftSet;
import dev.jcni.core.os.nft.Rule;
import dev.jcni.core.os.nft.SetElement;
import dev.jcni.core.os.nft.Table;
import dev.jcni.core.os.nft.Verdict;
import dev.jcni.core.os.nft.WorkedExample;
import dev.jcni.core.os.process.ProcessRunner;
import dev.jcni.it.support.RequiresRoot;
import dev.jcni.it.support.TestNetns;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The two real runners and the fake, one scenario: each step goes to libnftables (inside
 * {@code NetNs.run} in one fresh namespace), to the {@code nft} process (wrapped in
 * {@code ip netns exec} into a second fresh namespace) and to FakeNftRunner; all three must
 * succeed or fail alike (same exception type, errno and message) and list the same ruleset
 * afterwards, byte for byte as JSON trees, handles included. The host's own ruleset is only ever
 * read, for a table name no one else uses.
 */
@RequiresRoot
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NftRunnersKernelTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestNetns libNs;
    private TestNetns procNs;
    private NftRunner lib;
    private NftRunner proc;
    private final FakeNftRunner fake = new FakeNftRunner();
    /** Unique, so that a look at the host's ruleset can only find what this test put there. */
    private final String tableName = "jcni_rt_" + Long.toHexString(RANDOM.nextLong() & 0xffffffffffL);

    /** One step, sent to a runner; returns what it listed, or null. */
    @FunctionalInterface
    private interface Step {
        NftListing run(NftRunner r) throws NftException;
    }

    /** What one runner made of a step. */
    private record Outcome(NftException failure, JsonNode listed, JsonNode ruleset) {
        NftListing listedAs() throws NftException {
            assertNotNull(listed, "nothing was listed" + (failure == null ? "" : ": " + failure));
            return NftListing.parse(listed.toString());
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        Assumptions.assumeTrue(NftProcessRunner.locate() != null, "nft (Debian package nftables) is not installed");
        String libCause = LibNftablesRunner.backend().unavailabilityCause();
        Assumptions.assumeTrue(libCause == null, "libnftables cannot be used: " + libCause);
        lib = LibNftablesRunner.backend().open();
        libNs = TestNetns.create();
        procNs = TestNetns.create();
        proc = new NftProcessRunner(NftProcessRunner.locate(), List.of("ip", "netns", "exec", procNs.name()), new ProcessRunner(),
                NftProcessRunner.DEFAULT_TIMEOUT);
    }

    @AfterEach
    void tearDown() {
        if (libNs != null) {
            libNs.close();
        }
        if (procNs != null) {
            procNs.close();
        }
    }

    private Outcome attempt(NftRunner runner, Step step) throws Exception {
        NftException failure = null;
        JsonNode listed = null;
        try {
            NftListing l = runner == lib ? NetNs.run(libNs.path(), () -> step.run(lib)) : step.run(runner);
            listed = l == null ? null : l.tree();
        } catch (NftException e) {
            failure = e;
        }
        JsonNode ruleset = runner == lib
                ? NetNs.run(libNs.path(), () -> lib.list(ListTarget.ruleset())).tree()
                : runner.list(ListTarget.ruleset()).tree();
        return new Outcome(failure, listed, ruleset);
    }

    /**
     * Runs {@code step} through all three; asserts they agree and returns libnftables' outcome.
     * The real runners must agree on the error text itself: both are libnftables' parser and
     * printer, one in our process and one in nft's.
     */
    private Outcome onAll(String what, Step step) throws Exception {
        Outcome l = attempt(lib, step);
        Outcome p = attempt(proc, step);
        Outcome f = attempt(fake, step);
        for (Outcome other : List.of(p, f)) {
            String who = what + (other == p ? ": process vs libnftables" : ": fake vs libnftables");
            if ((l.failure() == null) != (other.failure() == null)) {
                fail(who + ": libnftables " + l.failure() + ", the other " + other.failure());
            }
            if (l.failure() != null) {
                assertEquals(l.failure().getClass(), other.failure().getClass(), who);
                assertEquals(l.failure().errno(), other.failure().errno(), who);
                assertEquals(l.failure().getMessage(), other.failure().getMessage(), who);
                assertEquals(l.failure().operation(), other.failure().operation(), who);
                assertEquals(l.failure().batchJson(), other.failure().batchJson(), who);
            }
            assertEquals(l.listed(), other.listed(), who + ": listed");
            assertEquals(l.ruleset(), other.ruleset(), who + ": ruleset afterwards");
        }
        if (l.failure() != null) {
            assertEquals(l.failure().errorText(), p.failure().errorText(), what + ": nft's error text");
        }
        return l;
    }

    /** The listing with the rules' handles removed. */
    private static JsonNode withoutRuleHandles(JsonNode listing) {
        JsonNode copy = listing.deepCopy();
        for (JsonNode entry : copy.path("nftables")) {
            if (entry.has("rule")) {
                ((ObjectNode) entry.get("rule")).remove("handle");
            }
        }
        return copy;
    }

    private static Step apply(NftBatch batch) {
        return r -> {
            r.apply(batch);
            return null;
        };
    }

    private static Step check(NftBatch batch) {
        return r -> {
            r.check(batch);
            return null;
        };
    }

    private static Step list(ListTarget target) {
        return r -> r.list(target);
    }

    private static NftBatch concat(NftBatch... batches) {
        NftBatch.Builder b = Nft.batch();
        for (NftBatch batch : batches) {
            for (NftCommand c : batch.commands()) {
                b.command(c.verb(), c.object());
            }
        }
        return b.build();
    }

    @Test
    void oneScenarioThroughBothRunnersAndTheFake() throws Exception {
        WorkedExample p = new WorkedExample(tableName);

        // A portmap ADD: the static part and one attachment, one batch.
        NftBatch add = concat(p.base(), p.addContainerA());
        Outcome added = onAll("apply base + A", apply(add));
        assertNull(added.failure());
        NftListing afterAdd = onAll("list the table", list(p.listTable())).listedAs();
        assertEquals(5, afterAdd.chains().size());
        assertEquals(6, afterAdd.rules(p.chainA).size());
        assertEquals(2, afterAdd.set(p.table, "hostports_v4").listedElements().size());
        assertEquals("1.0.6", afterAdd.version());

        // Idempotent: the same ADD again leaves the same objects (the flushed chains' rules come
        // back with new handles, as in nft).
        JsonNode current = onAll("apply base + A again", apply(add)).ruleset();
        assertEquals(withoutRuleHandles(added.ruleset()), withoutRuleHandles(current));

        // EEXIST: create of an existing table, and B claiming A's port (none of B applied).
        assertInstanceOf(NftExistsException.class, onAll("create the table again", apply(Nft.batch().create(p.table).build())).failure());
        Outcome conflict = onAll("B claims tcp . 8080", apply(p.addContainerBConflicting()));
        assertInstanceOf(NftExistsException.class, conflict.failure());
        assertEquals(current, conflict.ruleset());

        // ENOENT: deleting a chain that is not there.
        Outcome missingChain = onAll("delete a missing chain", apply(Nft.batch().delete(p.table.chain("nosuch")).build()));
        assertInstanceOf(NftNotFoundException.class, missingChain.failure());

        // EBUSY: A's chain while map elements still go to it.
        assertInstanceOf(NftBusyException.class, onAll("delete A's chain alone", apply(p.deleteChainAOnly())).failure());

        // Dry runs (nft -c): checked by the kernel as a batch would be, never committed.
        Outcome dryDel = onAll("dry run of DEL A", check(p.deleteContainerA()));
        assertNull(dryDel.failure());
        assertEquals(current, dryDel.ruleset(), "a dry run committed");
        assertInstanceOf(NftExistsException.class, onAll("dry run of B's claim", check(p.addContainerBConflicting())).failure());
        Outcome dryMissing = onAll("dry run deleting a missing chain", check(Nft.batch().delete(p.table.chain("nosuch")).build()));
        assertInstanceOf(NftNotFoundException.class, dryMissing.failure());
        assertEquals("nft check (1 command)", dryMissing.failure().operation());
        assertEquals(current, dryMissing.ruleset());

        // Atomicity: a chain, a rule and an element whose goto names no chain: nothing of it stays.
        Chain half = p.table.chain("half");
        NftBatch bad = Nft.batch()
                .add(half)
                .add(Rule.in(half, Verdict.ACCEPT))
                .add(p.portsV4.elements(SetElement.of("tcp", 1).mapsTo(Verdict.goTo("nosuch"))))
                .build();
        Outcome failed = onAll("a batch failing at its last command", apply(bad));
        assertInstanceOf(NftNotFoundException.class, failed.failure());
        assertEquals(current, failed.ruleset(), "a failed batch changed the ruleset");

        // A list of a missing table: not found, named like the command line.
        Outcome noTable = onAll("list a missing table", list(ListTarget.table(Table.of(Family.IP, tableName + "_x"))));
        assertInstanceOf(NftNotFoundException.class, noTable.failure());
        assertEquals("nft list table ip " + tableName + "_x", noTable.failure().operation());

        // An object named like an nft keyword lists fine (the JSON path, not `nft list chain ... counter`).
        Chain counter = p.table.chain("counter");
        onAll("add chain 'counter'", apply(Nft.batch().add(counter).add(Rule.in(counter, Verdict.RETURN)).build()));
        assertEquals(1, onAll("list chain 'counter'", list(ListTarget.chain(counter))).listedAs().rules(counter).size());
        onAll("delete chain 'counter'", apply(Nft.batch().flush(counter).delete(counter).build()));

        // A large batch: 1000 map elements in, listed back, and out again.
        NftSet big = p.table.verdictMap("big", INET_PROTO, INET_SERVICE);
        List<SetElement> elements = new ArrayList<>();
        List<SetElement> keys = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String proto = i % 2 == 0 ? "tcp" : "udp";
            int port = 20000 + i;
            elements.add(SetElement.of(proto, port).withComment("owner-" + i).mapsTo(Verdict.goTo(p.chainA)));
            keys.add(SetElement.of(proto, port));
        }
        assertNull(onAll("1000 elements in", apply(Nft.batch().add(big).add(big.elements(elements)).build())).failure());
        NftListing bigListed = onAll("list the big map", list(ListTarget.set(big))).listedAs();
        assertEquals(1000, bigListed.set(p.table, "big").listedElements().size());
        assertNull(onAll("1000 elements out", apply(Nft.batch().delete(big.elements(keys)).build())).failure());
        assertTrue(onAll("list the emptied map", list(ListTarget.set(big))).listedAs().set(p.table, "big").listedElements().isEmpty());

        // DEL of A, then again: ENOENT (nft 1.0.6 has no destroy).
        assertNull(onAll("DEL A", apply(p.deleteContainerA())).failure());
        assertInstanceOf(NftNotFoundException.class, onAll("DEL A again", apply(p.deleteContainerA())).failure());
    }

    @Test
    void libnftablesActsInTheCallingThreadsNamespaceAndTheProcessRunnerRefusesToFork() throws Exception {
        Table t = Table.of(Family.INET, tableName);
        NftBatch create = Nft.batch().add(t).add(t.chain("c")).build();
        NetNs.run(libNs.path(), () -> {
            lib.apply(create);
            return null;
        });
        assertEquals(1, NetNs.run(libNs.path(), () -> lib.list(ListTarget.table(t))).chains().size());
        // The same runner on this (host) thread, read only: the table is not here.
        try {
            lib.list(ListTarget.table(t));
            lib.apply(Nft.batch().delete(t).build()); // Leave the host as it was, then fail.
            fail("libnftables applied the batch in the host namespace, not the caller's");
        } catch (NftNotFoundException expected) {
            assertEquals("nft list table inet " + tableName, expected.operation());
        }
        assertThrows(NftNotFoundException.class, () -> proc.list(ListTarget.table(t)), "a third namespace knows nothing of it");

        // From inside a namespace, the process runner refuses instead of forking there.
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> NetNs.run(libNs.path(), () -> proc.list(ListTarget.table(t))));
        assertTrue(refused.getMessage().contains("host namespace only"), refused.getMessage());
    }

    @Test
    void theProbeChoosesLibnftablesHereAndTheOverrideTheProcess() throws Exception {
        assertNull(NftRunners.unavailabilityCause(null, NftRunners.defaultBackends()));
        assertInstanceOf(LibNftablesRunner.class, NftRunners.choose(null, NftRunners.defaultBackends()));
        NftRunner forced = NftRunners.choose("process", NftRunners.defaultBackends());
        assertInstanceOf(NftProcessRunner.class, forced);
        // Without a wrapper it acts in this JVM's namespace, the host's: only read, a name no one uses.
        assertThrows(NftNotFoundException.class, () -> forced.list(ListTarget.table(Table.of(Family.INET, tableName))));
        assertNotNull(NftRunners.unavailabilityCause("nosuch", NftRunners.defaultBackends()));
    }
}
