package dev.jcni.core.os.nft;

import static dev.jcni.core.os.nft.Statement.match;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.os.Errno;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fake against the semantic check sequence of nftables-and-peers.md and nft's own listing. */
class FakeNftRunnerTest {
    private final WorkedExample ex = new WorkedExample();
    private final FakeNftRunner nft = new FakeNftRunner();

    private void baseAndA() throws NftException {
        nft.apply(ex.base());
        nft.apply(ex.addContainerA());
    }

    @Test
    void listingAfterBaseAndAIsWhatNft106Printed() throws Exception {
        baseAndA();
        // Captured from the real nft 1.0.6: same objects, order, keys, handles (anonymous sets
        // use handles too), element order and counter shape.
        assertEquals(Fixtures.tree("real-list-after-10.json"), Fixtures.parse(nft.listJson(ex.listTable())));
    }

    @Test
    void rerunningBaseAndAChangesNothing() throws Exception {
        baseAndA();
        String before = nft.listJson(ex.listTable()).replaceAll("\"handle\":\\d+", "");
        baseAndA();
        assertEquals(before, nft.listJson(ex.listTable()).replaceAll("\"handle\":\\d+", ""));
        assertEquals(6, nft.list(ex.listTable()).rules(ex.chainA).size(), "A's rules not duplicated");
    }

    @Test
    void conflictIsExistsAndLeavesNothingOfB() throws Exception {
        baseAndA();
        String before = nft.listJson(ex.listTable());
        NftExistsException e = assertThrows(NftExistsException.class, () -> nft.apply(ex.addContainerBConflicting()));
        assertEquals(Errno.EEXIST, e.errno());
        assertEquals(ex.addContainerBConflicting().toJson(), e.batchJson());
        assertEquals("internal:0:0-0: Error: Could not process rule: File exists\n\n", e.errorText());
        assertEquals("nft apply (3 commands): Could not process rule: File exists (EEXIST)", e.getMessage());
        NftListing after = nft.list(ex.listTable());
        assertNull(after.chain(ex.table, ex.chainB.name()), "B's chain must not exist");
        assertEquals(before, nft.listJson(ex.listTable()));
    }

    @Test
    void aDryRunIsCheckedLikeABatchAndNeverCommitted() throws Exception {
        baseAndA();
        String before = nft.listJson(ex.listTable());
        int batches = nft.batches().size();
        // The worked example's takeover would succeed, conflicting B fails: neither changes anything.
        nft.check(ex.addContainerBTakingOver());
        NftExistsException e = assertThrows(NftExistsException.class, () -> nft.check(ex.addContainerBConflicting()));
        assertEquals("nft check (3 commands)", e.operation());
        assertEquals(before, nft.listJson(ex.listTable()));
        assertEquals(batches, nft.batches().size(), "dry runs are not batches");
        assertEquals(List.of(ex.addContainerBTakingOver().toJson(), ex.addContainerBConflicting().toJson()), nft.checks());
    }

    @Test
    void deletingAReferencedChainIsBusy() throws Exception {
        baseAndA();
        NftBusyException e = assertThrows(NftBusyException.class, () -> nft.apply(ex.deleteChainAOnly()));
        assertEquals(Errno.EBUSY, e.errno());
        assertNotNull(nft.list(ex.listTable()).chain(ex.table, ex.chainA.name()));
    }

    @Test
    void deleteRemovesExactlyAThenFailsWithNotFound() throws Exception {
        baseAndA();
        nft.apply(ex.deleteContainerA());
        NftListing l = nft.list(ex.listTable());
        assertNull(l.chain(ex.table, ex.chainA.name()));
        for (NftSet s : l.sets()) {
            assertTrue(s.listedElements().isEmpty(), s.name() + " still has " + s.listedElements());
        }
        assertEquals(4, l.sets().size());
        assertEquals(4, l.chains().size(), "the static chains stay");
        NftNotFoundException e = assertThrows(NftNotFoundException.class, () -> nft.apply(ex.deleteContainerA()));
        // Like the kernel, every failing command is reported: 3 element deletes, flush, delete.
        assertEquals(5, NftErrors.messages(e.errorText()).size());
        assertTrue(e.getMessage().endsWith("(ENOENT) and 4 more errors"), e.getMessage());
    }

    @Test
    void takeoverMovesTheKeyToB() throws Exception {
        baseAndA();
        nft.apply(ex.addContainerBTakingOver());
        NftSet ports = nft.list(ListTarget.set(ex.portsV4)).set(ex.table, "hostports_v4");
        for (SetElement e : ports.listedElements()) {
            String expected = e.keyParts().get(0).asText().equals("tcp") ? ex.chainB.name() : ex.chainA.name();
            assertEquals(expected, e.verdict().target(), e.toString());
        }
        assertEquals("b0b0/eth0", ports.listedElements().get(0).comment());
    }

    @Test
    void elementAddIsIdempotentOnlyForTheSameData() throws Exception {
        baseAndA();
        SetElement same = SetElement.of("udp", 8080).mapsTo(Verdict.goTo(ex.chainA));
        nft.apply(Nft.batch().add(ex.portsV4.elements(same)).build());
        SetElement kept = nft.list(ListTarget.set(ex.portsV4)).sets().get(0).listedElements().get(1);
        assertEquals("a1b2c3d4e5f6/eth0", kept.comment(), "an identical add keeps the first comment");
        assertThrows(NftExistsException.class, () -> nft.apply(Nft.batch().create(ex.portsV4.elements(same)).build()));
    }

    @Test
    void batchesAreRecordedInOrderEvenWhenRefused() throws Exception {
        baseAndA();
        assertThrows(NftException.class, () -> nft.apply(ex.deleteChainAOnly()));
        List<String> expected = new ArrayList<>();
        expected.add(ex.base().toJson());
        expected.add(ex.addContainerA().toJson());
        expected.add(ex.deleteChainAOnly().toJson());
        assertEquals(expected, nft.batches());
    }

    @Test
    void createAndAddOfTablesAndChains() throws Exception {
        Table t = Table.of(Family.INET, "t");
        Chain base = t.baseChain("in", Chain.Type.FILTER, Chain.Hook.INPUT, 0);
        nft.apply(Nft.batch().add(t).add(t).add(base).add(base).build());
        assertThrows(NftExistsException.class, () -> nft.apply(Nft.batch().create(t).build()));
        assertThrows(NftExistsException.class, () -> nft.apply(Nft.batch().create(base).build()));
        // Same name, other hook: EOPNOTSUPP, a plain NftException.
        Chain moved = t.baseChain("in", Chain.Type.FILTER, Chain.Hook.OUTPUT, 0);
        NftException e = assertThrows(NftException.class, () -> nft.apply(Nft.batch().add(moved).build()));
        assertEquals(Errno.EOPNOTSUPP, e.errno());
        assertFalse(e instanceof NftExistsException);
        // Other policy: applied.
        nft.apply(Nft.batch().add(Chain.base(t, "in", Chain.Type.FILTER, Chain.Hook.INPUT, 0, Chain.Policy.DROP)).build());
        assertEquals("drop", nft.list(ListTarget.table(t)).chain(t, "in").policy());
    }

    @Test
    void aStringPriorityMakesARegularChainAsNft106Does() throws Exception {
        nft.applyJson("{\"nftables\":[{\"add\":{\"table\":{\"family\":\"inet\",\"name\":\"p\"}}},"
                + "{\"add\":{\"chain\":{\"family\":\"inet\",\"table\":\"p\",\"name\":\"pre\",\"type\":\"nat\","
                + "\"hook\":\"prerouting\",\"prio\":\"dstnat\",\"policy\":\"accept\"}}}]}");
        Chain listed = nft.list(ListTarget.table(Table.of(Family.INET, "p"))).chains().get(0);
        assertFalse(listed.isBase());
    }

    @Test
    void rulePositionsAndReplace() throws Exception {
        Table t = Table.of(Family.INET, "t");
        Chain c = t.chain("c");
        nft.apply(Nft.batch().add(t).add(c).add(Rule.in(c, Verdict.ACCEPT)).add(Rule.in(c, Verdict.DROP)).build());
        List<Rule> rules = nft.list(ListTarget.chain(c)).rules(c);
        long accept = rules.get(0).handle();
        long drop = rules.get(1).handle();
        assertEquals(2, accept, "the chain took handle 1");
        nft.apply(Nft.batch()
                .insert(Rule.in(c, Verdict.CONTINUE))
                .insert(Rule.in(c, Statement.counter()).withHandle(drop))
                .add(Rule.in(c, Verdict.RETURN).withHandle(accept))
                .replace(Rule.in(c, match(Expr.META_L4PROTO, "tcp"), Verdict.ACCEPT).withHandle(drop))
                .build());
        List<String> shown = new ArrayList<>();
        for (Rule r : nft.list(ListTarget.chain(c)).rules(c)) {
            shown.add(r.handle() + " " + r.statements());
        }
        assertEquals(List.of(
                "4 [{\"continue\":null}]",
                "2 [{\"accept\":null}]",
                "6 [{\"return\":null}]",
                "5 [{\"counter\":{\"packets\":0,\"bytes\":0}}]",
                "3 [{\"match\":{\"op\":\"==\",\"left\":{\"meta\":{\"key\":\"l4proto\"}},\"right\":\"tcp\"}}, {\"accept\":null}]"),
                shown);
        nft.apply(Nft.batch().delete(Rule.in(c, Verdict.ACCEPT).withHandle(2)).build());
        assertEquals(4, nft.list(ListTarget.chain(c)).rules().size());
        assertThrows(NftNotFoundException.class,
                () -> nft.apply(Nft.batch().delete(Rule.in(c, Verdict.ACCEPT).withHandle(2)).build()));
    }

    @Test
    void jumpsAreChecked() throws Exception {
        Table t = Table.of(Family.INET, "t");
        Chain c = t.chain("c");
        Chain base = t.baseChain("in", Chain.Type.FILTER, Chain.Hook.INPUT, 0);
        nft.apply(Nft.batch().add(t).add(c).add(base).build());
        assertThrows(NftNotFoundException.class, () -> nft.apply(Nft.batch().add(Rule.in(c, Verdict.jump("nosuch"))).build()));
        NftException e = assertThrows(NftException.class, () -> nft.apply(Nft.batch().add(Rule.in(c, Verdict.goTo(base))).build()));
        assertEquals(Errno.EOPNOTSUPP, e.errno());
        nft.apply(Nft.batch().add(Rule.in(base, Verdict.jump(c))).build());
        assertThrows(NftBusyException.class, () -> nft.apply(Nft.batch().delete(c).build()));
        // Deleting a chain takes its rules with it (the kernel does so since 4.x).
        nft.apply(Nft.batch().add(Rule.in(c, Verdict.ACCEPT)).flush(base).delete(c).build());
        assertNull(nft.list(ListTarget.table(t)).chain(t, "c"));
    }

    @Test
    void setsReferencedByRulesAreBusyAndFlushEmptiesThem() throws Exception {
        Table t = Table.of(Family.INET, "t");
        Chain c = t.chain("c");
        NftSet s = t.set("s", DataType.IPV4_ADDR);
        nft.apply(Nft.batch().add(t).add(c).add(s).add(s.elements(SetElement.of("10.0.0.1"), SetElement.of("10.0.0.0"))).build());
        nft.apply(Nft.batch().add(Rule.in(c, match(Expr.IP_SADDR, Expr.setRef(s)), Verdict.DROP)).build());
        assertThrows(NftBusyException.class, () -> nft.apply(Nft.batch().delete(s).build()));
        assertEquals("[\"10.0.0.0\",\"10.0.0.1\"]", Fixtures.parse(nft.listJson(ListTarget.set(s))).get("nftables").get(1)
                .get("set").get("elem").toString(), "listed sorted");
        nft.apply(Nft.batch().flush(s).build());
        assertTrue(nft.list(ListTarget.set(s)).set(t, "s").listedElements().isEmpty());
        assertThrows(NftExistsException.class, () -> nft.apply(Nft.batch().add(t.set("s", DataType.IPV6_ADDR)).build()));
        assertThrows(NftNotFoundException.class,
                () -> nft.apply(Nft.batch().add(Rule.in(c, match(Expr.IP_SADDR, Expr.setRef("nosuch")), Verdict.DROP)).build()));
    }

    @Test
    void listingMissingObjectsIsNotFound() throws Exception {
        NftNotFoundException e = assertThrows(NftNotFoundException.class, () -> nft.list(ex.listTable()));
        assertEquals("nft list table inet cni_hostport", e.operation());
        assertEquals(ex.listTable().toJson(), e.batchJson());
        nft.apply(ex.base());
        assertThrows(NftNotFoundException.class, () -> nft.list(ListTarget.chain(ex.chainA)));
        assertThrows(NftNotFoundException.class, () -> nft.list(ListTarget.set(ex.table.set("hostports_v4", DataType.INET_PROTO))),
                "a map is not found when listed as a set");
        assertEquals(1, nft.list(ListTarget.ruleset()).tables().size());
    }

    @Test
    void listChainShowsTheChainAndItsRulesOnly() throws Exception {
        baseAndA();
        NftListing l = nft.list(ListTarget.chain(ex.hostports));
        assertEquals(0, l.tables().size());
        assertEquals(List.of(ex.hostports), l.chains());
        assertEquals(4, l.rules().size());
        assertEquals("1.0.6", l.version());
    }

    @Test
    void malformedAndUnknownInputIsInvalid() {
        NftException e = assertThrows(NftException.class, () -> nft.applyJson("{\"nftables\":[{\"bogus\":{\"table\":{}}}]}"));
        assertEquals(Errno.EINVAL, e.errno());
        assertInstanceOf(NftException.class, assertThrows(NftException.class, () -> nft.applyJson("{nope")));
    }

    @Test
    void backendIsAlwaysAvailable() throws Exception {
        NftBackend b = nft.backend();
        assertEquals("fake", b.name());
        assertNull(b.unavailabilityCause());
        assertTrue(b.open() == nft);
    }
}
