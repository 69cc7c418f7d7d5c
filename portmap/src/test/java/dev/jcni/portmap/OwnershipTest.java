package dev.jcni.portmap;

import dev.jcni.core.testing.CapturedLog;
import static dev.jcni.portmap.Requests.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.nft.Chain;
import dev.jcni.core.os.nft.ListTarget;
import dev.jcni.core.os.nft.Nft;
import dev.jcni.core.os.nft.NftListing;
import dev.jcni.core.os.nft.NftNotFoundException;
import dev.jcni.core.os.nft.Rule;
import dev.jcni.core.os.nft.SetElement;
import dev.jcni.core.os.nft.Statement;
import dev.jcni.core.os.nft.Verdict;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.skel.Command;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The ownership record (each attachment's chain names the keys it owns) and what it buys: what
 * each verb reads (its own state, whatever the number of attachments), takeover moving a key and
 * its record together, and the races between one verb's read and its batch, played by running
 * another plugin process's verb in between.
 */
class OwnershipTest {
    static final String NET = "net1";
    static final HostportTable T = new HostportTable();

    final FakeHost host = new FakeHost();
    final PortmapPlugin plugin = host.plugin();

    static String bound(int... ports) {
        StringBuilder sb = new StringBuilder("[");
        for (int p : ports) {
            sb.append(sb.length() > 1 ? "," : "").append("{\"hostPort\":").append(p).append(",\"containerPort\":80,\"hostIP\":\"198.51.100.1\"}");
        }
        return sb.append("]").toString();
    }

    static void add(PortmapPlugin p, String cid, String mappings) throws Exception {
        p.add(Requests.invocation(Command.ADD, cid, config(NET, mappings, "")));
    }

    static void del(PortmapPlugin p, String cid) throws Exception {
        p.del(Requests.invocation(Command.DEL, cid, "{\"cniVersion\":\"1.0.0\",\"name\":\"" + NET + "\",\"type\":\"portmap\"}"));
    }

    static Chain chainOf(String cid) {
        return T.table.chain(new Attachment(NET, cid, "eth0").chainName());
    }

    NftListing table() throws Exception {
        return host.nft.list(ListTarget.table(T.table));
    }

    /** Port -> owning chain, in hostip_hostports_v4. */
    Map<Integer, String> owners() throws Exception {
        Map<Integer, String> out = new TreeMap<>();
        for (SetElement e : table().set(T.table, "hostip_hostports_v4").listedElements()) {
            out.put(e.keyParts().get(2).asInt(), e.verdict().target());
        }
        return out;
    }

    /** The ports the rules of {@code cid}'s chain record, in order, one entry per rule. */
    List<String> recorded(String cid) throws Exception {
        List<String> out = new ArrayList<>();
        for (Rule r : table().rules(chainOf(cid))) {
            out.add(Attachment.recordedKey(r.comment()));
        }
        return out;
    }

    @Test
    void delReadsItsOwnChainOnlyWhateverTheNumberOfAttachments() throws Exception {
        for (int i = 0; i < 30; i++) {
            add(plugin, "c" + i, bound(20000 + i));
        }
        host.runner.lists.clear();
        del(plugin, "c7");
        assertEquals(List.of("nft list chain inet cni_hostport " + chainOf("c7").name()), host.runner.lists);
        assertEquals(29, owners().size());
        assertNull(owners().get(20007));
    }

    @Test
    void aFirstAddReadsNothingAndAReAddOnlyItsOwnChain() throws Exception {
        add(plugin, "a", bound(8080));
        assertEquals(List.of(), host.runner.lists, "a first ADD sends one batch and reads nothing");
        add(plugin, "a", bound(8080));
        assertEquals(List.of("nft list chain inet cni_hostport " + chainOf("a").name()), host.runner.lists);
    }

    @Test
    void aReAddWithFewerMappingsReleasesTheOthers() throws Exception {
        add(plugin, "a", bound(8080, 9090));
        add(plugin, "a", bound(8080));
        assertEquals(Map.of(8080, chainOf("a").name()), owners());
        assertEquals(List.of("tcp/8080/198.51.100.1", "tcp/8080/198.51.100.1"), recorded("a"), "mark and dnat rule of 8080 only");
    }

    @Test
    void takeoverMovesTheKeyAndItsRecordAndReadsOnlyWhatConcernsIt() throws Exception {
        add(plugin, "a", bound(8080, 9090));
        for (int i = 0; i < 20; i++) {
            add(plugin, "other" + i, "[{\"hostPort\":" + (30000 + i) + ",\"containerPort\":80}]");
        }
        host.runner.lists.clear();
        add(plugin, "b", bound(8080));
        assertEquals(List.of(
                "nft list chain inet cni_hostport " + chainOf("b").name(),     // EEXIST: is it a re-ADD?
                "nft list map inet cni_hostport hostip_hostports_v4",        // no: who owns the key?
                "nft list chain inet cni_hostport " + chainOf("a").name()),  // A's record of it
                host.runner.lists, "hostports_v4, with 20 other attachments' elements, is not read");
        assertEquals(Map.of(8080, chainOf("b").name(), 9090, chainOf("a").name()), owners());
        assertEquals(List.of("tcp/9090/198.51.100.1", "tcp/9090/198.51.100.1"), recorded("a"), "A's record lost 8080 with the element");
        del(plugin, "a");
        assertEquals(Map.of(8080, chainOf("b").name()), owners(), "A's DEL left B's element");
        assertNull(table().chain(T.table, chainOf("a").name()));
    }

    @Test
    void takingThePreviousOwnersLastKeyRemovesItsChain() throws Exception {
        add(plugin, "a", bound(8080));
        add(plugin, "b", bound(8080));
        assertNull(table().chain(T.table, chainOf("a").name()), "nothing is left of A");
        host.runner.lists.clear();
        del(plugin, "a");
        assertEquals(List.of("nft list chain inet cni_hostport " + chainOf("a").name()), host.runner.lists);
        assertEquals(Map.of(8080, chainOf("b").name()), owners());
    }

    @Test
    void aDelRacingATakeoverReadsAgainAndLeavesTheNewOwner() throws Exception {
        add(plugin, "a", bound(8080, 9090));
        // A's DEL reads its record {8080, 9090}; before its batch, B takes 8080 over.
        host.runner.beforeNextApply(kernel -> add(new FakeHost(kernel).plugin(), "b", bound(8080)));
        del(plugin, "a");
        assertEquals(Map.of(8080, chainOf("b").name()), owners(), "A's DEL deleted only its own 9090");
        assertNull(table().chain(T.table, chainOf("a").name()));
    }

    @Test
    void aTakeoverRacingThePreviousOwnersDelReadsAgain() throws Exception {
        add(plugin, "a", bound(8080));
        PortmapPlugin other = new FakeHost(host.nft).plugin();
        // B's first batch fails on A's key; B reads A's record; before B's takeover batch, A's DEL runs.
        host.runner.beforeNextApply(kernel -> host.runner.beforeNextApply(k -> del(other, "a")));
        add(plugin, "b", bound(8080));
        assertEquals(Map.of(8080, chainOf("b").name()), owners());
        assertNull(table().chain(T.table, chainOf("a").name()));
    }

    @Test
    void gcRacingATakeoverLeavesTheNewOwner() throws Exception {
        add(plugin, "stale", bound(8080, 9090));
        host.runner.beforeNextApply(kernel -> add(new FakeHost(kernel).plugin(), "b", bound(8080)));
        plugin.gc(Requests.invocation(Command.GC, "", "{\"cniVersion\":\"1.1.0\",\"name\":\"" + NET + "\",\"type\":\"portmap\","
                + "\"cni.dev/valid-attachments\":[{\"containerID\":\"b\",\"ifname\":\"eth0\"}]}"));
        assertEquals(Map.of(8080, chainOf("b").name()), owners());
        assertNull(table().chain(T.table, chainOf("stale").name()));
    }

    @Test
    void delFindsElementsItsRecordDoesNotNameAndElementsRemovedByHand() throws Exception {
        add(plugin, "a", bound(8080, 9090));
        Chain a = chainOf("a");
        // By hand: 9090's element removed; an element for 7070 sent to A's chain, and a rule with
        // an earlier build's comment (no key), neither in A's record.
        host.nft.apply(Nft.batch()
                .delete(T.hostipV4.elements(SetElement.of("198.51.100.1", "tcp", 9090)))
                .add(T.hostipV4.elements(SetElement.of("198.51.100.1", "tcp", 7070).mapsTo(Verdict.goTo(a))))
                .add(Rule.in(a, Statement.match(dev.jcni.core.os.nft.Expr.TCP_DPORT, 7070), Verdict.ACCEPT)
                        .withComment(new Attachment(NET, "a", "eth0").comment()))
                .build());
        host.runner.lists.clear();
        try (CapturedLog log = new CapturedLog(PortmapPlugin.NAME, new PortmapPlugin(), true)) {
            del(plugin, "a");
            assertTrue(log.has("INFO", "DEL of a/eth0 of network net1: its chain is referenced beyond its record; scanning the maps"),
                    log.toString());
        }
        assertEquals(Map.of(), owners());
        assertNull(table().chain(T.table, a.name()));
        assertTrue(host.runner.lists.contains("nft list map inet cni_hostport hostip_hostports_v4"),
                "the refused record-only batch (EBUSY) made it scan: " + host.runner.lists);
    }

    @Test
    void everyMarkBitHasOneMasqueradeRuleInItsOwnChain() throws Exception {
        for (int round = 0; round < 3; round++) {
            add(plugin, "a" + round, "[{\"hostPort\":" + (8000 + round) + ",\"containerPort\":80}]");
            plugin.add(Requests.invocation(Command.ADD, "b" + round, config(NET, "[{\"hostPort\":" + (9000 + round) + ",\"containerPort\":80}]",
                    "\"markMasqBit\":20")));
        }
        NftListing l = table();
        assertEquals(List.of(T.masqueradeRule(13).statements()), statements(l.rules(T.masqueradeChain(13))));
        assertEquals(List.of(T.masqueradeRule(20).statements()), statements(l.rules(T.masqueradeChain(20))));
        Chain bit20 = l.chain(T.table, "masquerade-bit20");
        assertNotNull(bit20);
        assertEquals("postrouting", bit20.hook());
    }

    private static List<List<Statement>> statements(List<Rule> rules) {
        List<List<Statement>> out = new ArrayList<>();
        for (Rule r : rules) {
            out.add(r.statements());
        }
        return out;
    }

    @Test
    void checkReadsNoMapWhileAllIsWell() throws Exception {
        add(plugin, "a", bound(8080));
        for (int i = 0; i < 10; i++) {
            add(plugin, "other" + i, bound(30000 + i));
        }
        host.runner.lists.clear();
        plugin.check(Requests.invocation(Command.CHECK, "a", config(NET, bound(8080), "")));
        for (String l : host.runner.lists) {
            assertTrue(l.startsWith("nft list chain "), "CHECK read " + l);
        }
        assertEquals(2, host.nft.checks().size(), "two dry runs: every key there, every key ours");
    }

    @Test
    void aDelWhoseChainIsRemovedMeanwhileReadsAgainAndSucceeds() throws Exception {
        add(plugin, "a", bound(8080));
        // DEL's batch meets the chain gone (GC by another process): it reads again, finds nothing, succeeds.
        host.runner.beforeNextApply(k -> k.apply(Nft.batch()
                .delete(T.hostipV4.elements(SetElement.of("198.51.100.1", "tcp", 8080)))
                .flush(chainOf("a")).delete(chainOf("a")).build()));
        del(plugin, "a");
        assertEquals(Map.of(), owners());
        assertEquals(2, host.runner.lists.size(), "read, refused (ENOENT), read again: gone");
    }

    @Test
    void aDelWhoseRecordNamesAKeyThatGoesElsewhereScansAfterTheSecondRefusal() throws Exception {
        add(plugin, "a", bound(8080, 9090));
        add(plugin, "b", bound(7070));
        // By hand: 8080's element now goes to B's chain, and A's record (its rules) still names it.
        host.nft.apply(Nft.batch()
                .delete(T.hostipV4.elements(SetElement.of("198.51.100.1", "tcp", 8080)))
                .add(T.hostipV4.elements(SetElement.of("198.51.100.1", "tcp", 8080).mapsTo(Verdict.goTo(chainOf("b")))))
                .build());
        host.runner.applies = 0;
        try (CapturedLog log = new CapturedLog(PortmapPlugin.NAME, new PortmapPlugin(), true)) {
            del(plugin, "a");
            assertTrue(log.has("INFO", "DEL of a/eth0 of network net1: its record names a key that goes elsewhere; scanning the maps"),
                    log.toString());
        }
        // The class comment's protocol: a first EEXIST reads the record again, a second one in a row scans.
        assertEquals(3, host.runner.applies, "refused, read again and refused, then the scan's batch");
        assertEquals(Map.of(7070, chainOf("b").name(), 8080, chainOf("b").name()), owners());
        assertNull(table().chain(T.table, chainOf("a").name()));
    }

    @Test
    void aTakeoverKeepsThePreviousOwnersEmptiedChainWhileAnUnrecordedElementGoesThere() throws Exception {
        add(plugin, "a", bound(8080));
        // By hand: an element for 7070 sent to A's chain, which A's record does not name.
        host.nft.apply(Nft.batch().add(T.hostipV4.elements(SetElement.of("198.51.100.1", "tcp", 7070).mapsTo(Verdict.goTo(chainOf("a")))))
                .build());
        try (CapturedLog log = new CapturedLog(PortmapPlugin.NAME, new PortmapPlugin(), true)) {
            add(plugin, "b", bound(8080));
            assertTrue(log.has("INFO", "ADD of b/eth0 of network net1: a previous owner's chain is still referenced; it stays for its own DEL"),
                    log.toString());
        }
        assertEquals(Map.of(7070, chainOf("a").name(), 8080, chainOf("b").name()), owners());
        assertNotNull(table().chain(T.table, chainOf("a").name()), "emptied of its rules, but still referenced");
        del(plugin, "a");
        assertEquals(Map.of(8080, chainOf("b").name()), owners());
        assertNull(table().chain(T.table, chainOf("a").name()));
    }

    private void strictAdd(String cid, String mappings) throws Exception {
        plugin.add(Requests.invocation(Command.ADD, cid, config(NET, mappings, ""), Map.of(ConflictPolicy.VARIABLE, "strict")));
    }

    private static String comment(String cid) {
        return "\"" + new Attachment(NET, cid, "eth0").comment() + "\"";
    }

    @Test
    void aStrictReAddNamesOnlyTheOtherOwnerNotItself() throws Exception {
        add(plugin, "a", bound(8080));
        add(plugin, "c", bound(9090));
        CniException e = assertThrows(CniException.class, () -> strictAdd("a", bound(8080, 9090)));
        assertEquals("tcp/198.51.100.1:9090 is mapped by " + comment("c") + " (node policy JCNI_PORTMAP_CONFLICT=strict)", e.details());
    }

    @Test
    void strictNamesOnlyTheAnyAddressKeyABoundKeyWouldNarrow() throws Exception {
        add(plugin, "a", "[{\"hostPort\":8080,\"containerPort\":80}]");
        add(plugin, "c", "[{\"hostPort\":9090,\"containerPort\":80}]");
        CniException e = assertThrows(CniException.class, () -> strictAdd("b", bound(8080)));
        assertEquals("tcp/8080 (IPV4) is mapped by " + comment("a") + " (node policy JCNI_PORTMAP_CONFLICT=strict)", e.details());
    }

    @Test
    void everyVerbGivesUpAfterEightRefusalsInARow() throws Exception {
        add(plugin, "a", bound(8080));
        add(plugin, "stale", bound(9090));
        NftNotFoundException gone = new NftNotFoundException("apply", Errno.ENOENT, "No such file or directory", null, "");
        host.runner.refuseEvery = gone;
        String gc = "{\"cniVersion\":\"1.1.0\",\"name\":\"" + NET + "\",\"type\":\"portmap\","
                + "\"cni.dev/valid-attachments\":[{\"containerID\":\"a\",\"ifname\":\"eth0\"}]}";
        try (CapturedLog log = new CapturedLog(PortmapPlugin.NAME, new PortmapPlugin(), true)) {
            host.runner.applies = 0;
            CniException add = assertThrows(CniException.class, () -> add(plugin, "b", bound(7070)));
            assertEquals(CniException.TRY_AGAIN_LATER, add.code());
            assertEquals(8, host.runner.applies);
            assertTrue(log.has("INFO", "ADD of b/eth0 of network net1 met a concurrent change, reading again: " + gone.getMessage()), log.toString());

            host.runner.applies = 0;
            CniException del = assertThrows(CniException.class, () -> del(plugin, "a"));
            assertEquals(CniException.TRY_AGAIN_LATER, del.code());
            assertEquals("8 attempts met concurrent changes", del.details());
            assertEquals(8, host.runner.applies);
            assertTrue(log.has("INFO", "DEL of a/eth0 of network net1 met a concurrent change, reading again: " + gone.getMessage()), log.toString());

            host.runner.applies = 0;
            CniException collect = assertThrows(CniException.class, () -> plugin.gc(Requests.invocation(Command.GC, "", gc)));
            assertEquals(CniException.TRY_AGAIN_LATER, collect.code());
            assertEquals(8, host.runner.applies);
            assertTrue(log.has("INFO", "GC met a concurrent change, reading again: " + gone.getMessage()), log.toString());
        }
        host.runner.refuseEvery = null;
        try (CapturedLog log = new CapturedLog(PortmapPlugin.NAME, new PortmapPlugin(), true)) {
            plugin.gc(Requests.invocation(Command.GC, "", gc));
            assertTrue(log.has("INFO", "GC: removed 1 stale attachment chain(s) of network net1: [" + chainOf("stale").name() + "]"),
                    log.toString());
        }
        assertEquals(Map.of(8080, chainOf("a").name()), owners());
    }
}
