package dev.jcni.core.os.nft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.internal.LibNftables;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What LibNftablesRunner sends to the library and how it reads the answers, against a scripted
 * library: no root, no kernel. The real library is exercised by LibNftablesTest (no root) and
 * the root integration tests.
 */
class LibNftablesRunnerTest {
    /** Records each call and answers with the next scripted reply (or failure). */
    private static final class Scripted implements LibNftablesRunner.Library {
        final List<String> sent = new ArrayList<>();
        final List<Integer> flags = new ArrayList<>();
        final List<Boolean> dryRuns = new ArrayList<>();
        NftJsonRunner.Reply reply = new NftJsonRunner.Reply(0, "", "");
        OsException failure;
        IllegalStateException unbound;

        @Override
        public NftJsonRunner.Reply run(String json, int outputFlags, boolean dryRun) throws OsException {
            sent.add(json);
            flags.add(outputFlags);
            dryRuns.add(dryRun);
            if (failure != null) {
                throw failure;
            }
            if (unbound != null) {
                throw unbound;
            }
            return reply;
        }
    }

    private final Scripted lib = new Scripted();
    private final LibNftablesRunner runner = new LibNftablesRunner(lib);
    private final WorkedExample p = new WorkedExample();

    @Test
    void applySendsTheBatchJsonWithJsonAndHandleOutput() throws Exception {
        runner.apply(p.base());
        assertEquals(List.of(p.base().toJson()), lib.sent);
        // NFT_CTX_OUTPUT_JSON (1 << 4) | NFT_CTX_OUTPUT_HANDLE (1 << 3): without the JSON flag
        // libnftables 1.0.6 would hand the JSON to its text parser.
        assertEquals(List.of(0x18), lib.flags);
        assertEquals(List.of(false), lib.dryRuns);
    }

    @Test
    void checkIsADryRunOfTheSameJsonAndFailsAlike() throws Exception {
        runner.check(p.base());
        assertEquals(List.of(p.base().toJson()), lib.sent);
        assertEquals(List.of(true), lib.dryRuns, "nft_ctx_set_dry_run: the kernel checks and aborts");
        lib.reply = new NftJsonRunner.Reply(-1, "", "internal:0:0-0: Error: Could not process rule: File exists\n\n");
        NftExistsException e = assertThrows(NftExistsException.class, () -> runner.check(p.addContainerBConflicting()));
        assertEquals("nft check (3 commands)", e.operation());
    }

    @Test
    void aRefusedBatchIsClassifiedFromTheErrorBuffer() {
        String text = "internal:0:0-0: Error: Could not process rule: File exists\n\n";
        lib.reply = new NftJsonRunner.Reply(-1, "", text);
        NftBatch b = p.addContainerBConflicting();
        NftExistsException e = assertThrows(NftExistsException.class, () -> runner.apply(b));
        assertEquals("nft apply (3 commands)", e.operation());
        assertEquals(b.toJson(), e.batchJson());
        assertEquals(text, e.errorText());
        assertEquals("nft apply (3 commands): Could not process rule: File exists (EEXIST)", e.getMessage());

        lib.reply = new NftJsonRunner.Reply(-1, "", "internal:0:0-0: Error: Could not process rule: Device or resource busy\n\n");
        assertInstanceOf(NftBusyException.class, assertThrows(NftException.class, () -> runner.apply(p.deleteChainAOnly())));
    }

    @Test
    void warningsWithSuccessAreNotErrors() throws Exception {
        lib.reply = new NftJsonRunner.Reply(0, "", "internal:0:0-0: Warning: something harmless\n\n");
        runner.apply(p.base());
        assertEquals(1, lib.sent.size());
    }

    @Test
    void listSendsOneListCommandAndParsesTheOutput() throws Exception {
        lib.reply = new NftJsonRunner.Reply(0, Fixtures.text("real-list-after-10.json"), "");
        NftListing l = runner.list(p.listTable());
        assertEquals(List.of("{\"nftables\":[{\"list\":{\"table\":{\"family\":\"inet\",\"name\":\"cni_hostport\"}}}]}"), lib.sent);
        assertEquals("1.0.6", l.version());
        assertEquals(6, l.rules(p.chainA).size());
    }

    @Test
    void listOfAMissingTableIsNotFoundNamedLikeTheCommandLine() {
        lib.reply = new NftJsonRunner.Reply(-1, "", "internal:0:0-0: Error: No such file or directory\n\n");
        ListTarget missing = ListTarget.table(Table.of(Family.IP, "nosuch"));
        NftNotFoundException e = assertThrows(NftNotFoundException.class, () -> runner.list(missing));
        assertEquals("nft list table ip nosuch", e.operation());
        assertEquals(missing.toJson(), e.batchJson());
    }

    @Test
    void emptyListOutputIsAParseError() {
        assertThrows(NftParseException.class, () -> runner.list(p.listTable()));
    }

    @Test
    void noContextIsARunnerFailureNeverARulesetState() {
        // nft_ctx_new's socket: ENOENT here must not read as "the chain is already gone".
        lib.failure = OsException.fromErrno("open a netfilter netlink socket", Errno.ENOENT);
        NftException e = assertThrows(NftException.class, () -> runner.apply(p.deleteContainerA()));
        assertSame(NftException.class, e.getClass());
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("nft apply (5 commands)", e.operation());
        assertTrue(e.getMessage().startsWith("nft apply (5 commands): libnftables: open a netfilter netlink socket"), e.getMessage());

        lib.failure = null;
        lib.unbound = new IllegalStateException("cannot open libnftables.so.1: not found");
        NftException unbound = assertThrows(NftException.class, () -> runner.list(p.listTable()));
        assertSame(NftException.class, unbound.getClass());
        assertEquals(Errno.ENOSYS, unbound.errno());
        assertTrue(unbound.getMessage().contains("cannot open libnftables.so.1"), unbound.getMessage());
    }

    @Test
    void aMissingLibraryIsAReasonNotACrash() throws Exception {
        LibNftables missing = new LibNftables("libnftables.so.0-jcni-test-missing");
        NftBackend backend = LibNftablesRunner.backend(missing);
        assertEquals("libnftables", backend.name());
        String cause = backend.unavailabilityCause();
        assertNotNull(cause);
        assertTrue(cause.contains("libnftables.so.0-jcni-test-missing"), cause);

        FakeNftRunner fake = new FakeNftRunner();
        assertSame(fake, NftRunners.choose(null, List.of(backend, fake.backend())));
        NftUnavailableException forced = assertThrows(NftUnavailableException.class,
                () -> NftRunners.choose("libnftables", List.of(backend, fake.backend())));
        assertTrue(forced.getMessage().contains(cause), forced.getMessage());

        // Used anyway, the runner fails with an exception, every time.
        NftRunner direct = LibNftablesRunner.on(missing);
        for (int i = 0; i < 2; i++) {
            NftException e = assertThrows(NftException.class, () -> direct.apply(p.base()));
            assertEquals(Errno.ENOSYS, e.errno());
        }
    }
}
