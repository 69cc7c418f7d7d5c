package dev.jcni.bridge;

import dev.jcni.core.testing.CapturedLog;
import static dev.jcni.bridge.FakeKernel.prefix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jcni.core.net.MacAddress;
import dev.jcni.core.os.nft.Chain;
import dev.jcni.core.os.nft.FakeNftRunner;
import dev.jcni.core.os.nft.ListTarget;
import dev.jcni.core.os.nft.Nft;
import dev.jcni.core.os.nft.NftNotFoundException;
import dev.jcni.core.os.nft.NftSet;
import dev.jcni.core.os.nft.Rule;
import dev.jcni.core.os.nft.SetElement;
import dev.jcni.core.os.nft.Verdict;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The masquerade and spoof-check state: the reference's names and comments (hashes checked
 * against {@code sha512sum}), the exact batches (reviewed golden files), and what DEL and GC
 * remove, against the in-memory nftables.
 */
class FirewallTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    final FakeNftRunner nft = new FakeNftRunner();
    final Attachment a = new Attachment("jbsmoke", "c1", "eth0");

    private static JsonNode golden(String name) throws Exception {
        try (InputStream in = FirewallTest.class.getResourceAsStream("/golden/" + name)) {
            assertNotNull(in, "golden/" + name);
            return JSON.readTree(in);
        }
    }

    @Test
    void masqueradeCommentIsTheReferences() {
        // printf jbsmoke | sha512sum | cut -c1-16; printf eth0:c1 | sha512sum | cut -c1-16
        assertEquals("bb9fbe59d525acc5", Attachment.masqueradeNetworkHash("jbsmoke"));
        assertEquals("bb9fbe59d525acc5-f4d01f2ef4b92245", a.masqueradeInstance());
        assertEquals("bb9fbe59d525acc5-f4d01f2ef4b92245, net: jbsmoke, if: eth0, id: c1", a.masqueradeComment());
        String longId = "c".repeat(200);
        String cut = new Attachment("jbsmoke", longId, "eth0").masqueradeComment();
        assertEquals(128, cut.length(), "cut to nft's 128 bytes, as knftables cuts it");
        assertEquals("a\"b\u0001c".length() - 1, Attachment.shown("a\"b\u0001c").length());
        assertEquals("ab?c", Attachment.shown("a\"b\u0001c"));
    }

    @Test
    void spoofNamesAreDerivedAndTheirCommentRecordsThePortBeforeTheHumanPart() {
        // printf 'jbsmoke\0c1\0eth0' | sha512sum | cut -c1-20
        assertEquals("sc-f65d952e7be4268c10ab", a.spoofChain());
        assertEquals(23, a.spoofChain().length());
        String comment = new Attachment("jbsmoke", "x".repeat(200), "eth0").spoofRuleComment("veth1234abcd");
        assertEquals(128, comment.length());
        assertEquals("veth1234abcd", Attachment.portOf(comment), "the port survives the cut");
        assertEquals(null, Attachment.portOf("jcni:0123456789abcdef c1/eth0"));
        assertTrue(comment.startsWith(Attachment.spoofNetworkTag("jbsmoke") + " port="));
    }

    @Test
    void addAndDelBatchesAreTheGoldenOnes() throws Exception {
        new Masquerade(nft).add(a, List.of(prefix("10.201.0.2/24"), prefix("fd00:201::2/64")));
        new SpoofCheck(nft).add(a, "veth6b9e93f3", MacAddress.parse("fe:51:b0:41:49:a3"));
        new SpoofCheck(nft).remove(a);
        new Masquerade(nft).remove(a);
        List<String> batches = nft.batches();
        assertEquals(4, batches.size(), batches.toString());
        assertEquals(golden("masquerade-add.json"), JSON.readTree(batches.get(0)), batches.get(0));
        assertEquals(golden("spoofcheck-add.json"), JSON.readTree(batches.get(1)), batches.get(1));
        assertEquals(golden("spoofcheck-del.json"), JSON.readTree(batches.get(2)), batches.get(2));
        assertEquals(golden("masquerade-del.json"), JSON.readTree(batches.get(3)), batches.get(3));
    }

    private List<String> masqueradeComments() throws Exception {
        List<String> out = new ArrayList<>();
        try {
            for (Rule r : nft.list(ListTarget.chain(Masquerade.CHECKS)).rules(Masquerade.CHECKS)) {
                out.add(r.comment());
            }
        } catch (NftNotFoundException e) {
            // none
        }
        return out;
    }

    @Test
    void masqueradeAddReplacesTheAttachmentsOldRulesAndDelIsIdempotent() throws Exception {
        Masquerade m = new Masquerade(nft);
        m.add(a, List.of(prefix("10.201.0.2/24")));
        m.add(a, List.of(prefix("10.201.0.9/24")));
        assertEquals(1, masqueradeComments().size(), "an ADD without DEL leaves one rule per address, not two");
        m.add(new Attachment("jbsmoke", "c2", "eth0"), List.of(prefix("10.201.0.3/24")));
        m.remove(a);
        m.remove(a);
        assertEquals(List.of(new Attachment("jbsmoke", "c2", "eth0").masqueradeComment()), masqueradeComments());
        new Masquerade(new FakeNftRunner()).remove(a);
    }

    @Test
    void masqueradeGcKeepsValidAttachmentsAndOtherNetworks() throws Exception {
        Masquerade m = new Masquerade(nft);
        Attachment keep = new Attachment("net", "keep", "eth0");
        Attachment stale = new Attachment("net", "stale", "eth0");
        Attachment stranger = new Attachment("other", "stale", "eth0");
        for (Attachment x : List.of(keep, stale, stranger)) {
            m.add(x, List.of(prefix("10.1.0.2/24")));
        }
        assertEquals(1, m.collect("net", Set.of(keep.masqueradeInstance())));
        assertEquals(List.of(keep.masqueradeComment(), stranger.masqueradeComment()), masqueradeComments());
        assertEquals(0, m.collect("net", Set.of(keep.masqueradeInstance())));
    }

    @Test
    void spoofCheckTakesOverAStaleElementOfItsVeth() throws Exception {
        SpoofCheck s = new SpoofCheck(nft);
        Attachment gone = new Attachment("net", "gone", "eth0");
        s.add(gone, "veth00000001", MacAddress.parse("0a:00:00:00:00:01"));
        // gone's veth disappeared without DEL; the kernel hands its name to a new attachment.
        s.add(a, "veth00000001", MacAddress.parse("0a:00:00:00:00:02"));
        NftSet ports = nft.list(ListTarget.set(SpoofCheck.PORTS)).set(SpoofCheck.TABLE, "ports");
        assertEquals(1, ports.listedElements().size());
        assertEquals(a.spoofChain(), ports.listedElements().get(0).verdict().target());
        s.remove(gone);
        assertEquals(1, nft.list(ListTarget.set(SpoofCheck.PORTS)).set(SpoofCheck.TABLE, "ports").listedElements().size(),
                "the stale owner's DEL leaves the new owner's element");
        s.remove(a);
        assertEquals(0, nft.list(ListTarget.set(SpoofCheck.PORTS)).set(SpoofCheck.TABLE, "ports").listedElements().size());
    }

    @Test
    void spoofCheckDelFindsElementsItsRecordDoesNotName() throws Exception {
        SpoofCheck s = new SpoofCheck(nft);
        s.add(a, "veth00000001", MacAddress.parse("0a:00:00:00:00:01"));
        // An element added by hand (or by an earlier build) also going to the chain.
        Chain chain = SpoofCheck.chainOf(a);
        nft.apply(Nft.batch().add(SpoofCheck.PORTS.elements(SetElement.of("veth00000002").mapsTo(Verdict.goTo(chain)))).build());
        s.remove(a);
        assertEquals(0, nft.list(ListTarget.set(SpoofCheck.PORTS)).set(SpoofCheck.TABLE, "ports").listedElements().size());
        assertTrue(nft.list(ListTarget.table(SpoofCheck.TABLE)).chains(SpoofCheck.TABLE).stream()
                .noneMatch(c -> c.name().equals(chain.name())));
    }

    @Test
    void spoofCheckGcRemovesOnlyThisNetworksStaleAttachments() throws Exception {
        SpoofCheck s = new SpoofCheck(nft);
        Attachment keep = new Attachment("net", "keep", "eth0");
        Attachment stale = new Attachment("net", "stale", "eth0");
        Attachment stranger = new Attachment("other", "stale", "eth0");
        s.add(keep, "veth00000001", MacAddress.parse("0a:00:00:00:00:01"));
        s.add(stale, "veth00000002", MacAddress.parse("0a:00:00:00:00:02"));
        s.add(stranger, "veth00000003", MacAddress.parse("0a:00:00:00:00:03"));
        assertEquals(1, s.collect("net", Set.of(keep.spoofChain())));
        List<String> chains = new ArrayList<>();
        for (Chain c : nft.list(ListTarget.table(SpoofCheck.TABLE)).chains(SpoofCheck.TABLE)) {
            chains.add(c.name());
        }
        assertEquals(List.of("prerouting", keep.spoofChain(), stranger.spoofChain()), chains);
        assertEquals(2, nft.list(ListTarget.set(SpoofCheck.PORTS)).set(SpoofCheck.TABLE, "ports").listedElements().size());
    }

    // ------------------------------------------------------------------ races: read again, then give up

    private static NftNotFoundException gone() {
        return new NftNotFoundException("apply", dev.jcni.core.os.Errno.ENOENT, "No such file or directory", null, "");
    }

    @Test
    void masqueradeReadsAgainAfterAConcurrentChangeAndGivesUpAfterFiveAttempts() throws Exception {
        FlakyRunner once = new FlakyRunner(nft, gone(), 1);
        try (CapturedLog log = new CapturedLog(BridgePlugin.NAME, new BridgePlugin(), true)) {
            new Masquerade(once).add(a, List.of(prefix("10.201.0.2/24")));
            assertTrue(log.has("INFO", "masquerade rules of jbsmoke/c1/eth0 changed under us, reading again: " + gone().getMessage()),
                    log.toString());
        }
        assertEquals(2, once.applies);
        assertEquals(1, nft.list(ListTarget.chain(Masquerade.CHECKS)).rules(Masquerade.CHECKS).size());

        FlakyRunner always = new FlakyRunner(nft, gone(), Integer.MAX_VALUE);
        dev.jcni.core.protocol.CniException add = assertThrows(dev.jcni.core.protocol.CniException.class,
                () -> new Masquerade(always).add(a, List.of(prefix("10.201.0.2/24"))));
        assertEquals(dev.jcni.core.protocol.CniException.TRY_AGAIN_LATER, add.code());
        assertEquals("masquerade rules of jbsmoke/c1/eth0 kept changing", add.msg());
        assertEquals("5 attempts met concurrent changes: " + gone().getMessage(), add.details());
        assertEquals(5, always.applies);

        FlakyRunner removing = new FlakyRunner(nft, gone(), Integer.MAX_VALUE);
        assertThrows(dev.jcni.core.protocol.CniException.class, () -> new Masquerade(removing).remove(a));
        assertEquals(5, removing.applies);
        FlakyRunner removedOnce = new FlakyRunner(nft, gone(), 1);
        new Masquerade(removedOnce).remove(a);
        assertEquals(2, removedOnce.applies);
        assertEquals(0, nft.list(ListTarget.chain(Masquerade.CHECKS)).rules(Masquerade.CHECKS).size());
    }

    @Test
    void spoofCheckAddReadsAgainAndGivesUpAfterFiveAttempts() throws Exception {
        FlakyRunner once = new FlakyRunner(nft, gone(), 1);
        new SpoofCheck(once).add(a, "veth00000001", MacAddress.parse("0a:00:00:00:00:01"));
        assertEquals(2, once.applies);
        FlakyRunner always = new FlakyRunner(nft, gone(), Integer.MAX_VALUE);
        dev.jcni.core.protocol.CniException e = assertThrows(dev.jcni.core.protocol.CniException.class,
                () -> new SpoofCheck(always).add(a, "veth00000001", MacAddress.parse("0a:00:00:00:00:01")));
        assertEquals("spoof check of jbsmoke/c1/eth0 kept meeting concurrent changes", e.msg());
        assertEquals(5, always.applies);
    }

    @Test
    void spoofCheckDelAsksThePortMapOnlyAfterARefusalAndGivesUpAfterFiveAttempts() throws Exception {
        new SpoofCheck(nft).add(a, "veth00000001", MacAddress.parse("0a:00:00:00:00:01"));
        FlakyRunner always = new FlakyRunner(nft, gone(), Integer.MAX_VALUE);
        assertThrows(dev.jcni.core.protocol.CniException.class, () -> new SpoofCheck(always).remove(a));
        assertEquals(5, always.applies);

        // An element the record does not name: the record's batch is refused (EBUSY), the scan's is not.
        nft.apply(Nft.batch().add(SpoofCheck.PORTS.elements(SetElement.of("veth00000002").mapsTo(Verdict.goTo(SpoofCheck.chainOf(a)))))
                .build());
        FlakyRunner counting = new FlakyRunner(nft, gone(), 0);
        try (CapturedLog log = new CapturedLog(BridgePlugin.NAME, new BridgePlugin(), true)) {
            new SpoofCheck(counting).remove(a);
            assertTrue(log.lines().stream().anyMatch(l -> l.contains("INFO spoof check DEL of jbsmoke/c1/eth0: ")
                    && l.endsWith("; reading the port map")), log.toString());
        }
        assertEquals(2, counting.applies, "the record first: one refused batch, then the scan's");
        assertEquals(0, nft.list(ListTarget.set(SpoofCheck.PORTS)).set(SpoofCheck.TABLE, "ports").listedElements().size());
    }

    @Test
    void spoofCheckGcReadsAgainAndGivesUpAfterFiveAttempts() throws Exception {
        new SpoofCheck(nft).add(a, "veth00000001", MacAddress.parse("0a:00:00:00:00:01"));
        FlakyRunner always = new FlakyRunner(nft, gone(), Integer.MAX_VALUE);
        try (CapturedLog log = new CapturedLog(BridgePlugin.NAME, new BridgePlugin(), true)) {
            dev.jcni.core.protocol.CniException e = assertThrows(dev.jcni.core.protocol.CniException.class,
                    () -> new SpoofCheck(always).collect("jbsmoke", Set.of()));
            assertEquals("spoof check state of network jbsmoke kept changing", e.msg());
            assertTrue(log.has("INFO", "spoof check GC of network jbsmoke: " + gone().getMessage() + "; reading again"), log.toString());
        }
        assertEquals(5, always.applies);
    }

    @Test
    void aStaleElementTakenOverIsNoted() throws Exception {
        SpoofCheck s = new SpoofCheck(nft);
        s.add(new Attachment("net", "gone", "eth0"), "veth00000001", MacAddress.parse("0a:00:00:00:00:01"));
        try (CapturedLog log = new CapturedLog(BridgePlugin.NAME, new BridgePlugin(), true)) {
            s.add(a, "veth00000001", MacAddress.parse("0a:00:00:00:00:02"));
            assertTrue(log.has("INFO", "spoof check: the port map names veth00000001 already, for a veth gone without DEL; taking it over"),
                    log.toString());
        }
    }

    // ------------------------------------------------------------------ comments, byte for byte

    @Test
    void aCommentIsCutOnACharacterBoundaryAndOneOfExactly128BytesIsKept() {
        String exact = "x".repeat(128);
        assertEquals(exact, Attachment.cut(exact));
        // 127 ASCII bytes, then a 2-byte character across the 128th byte: the character goes whole.
        assertEquals("x".repeat(127), Attachment.cut("x".repeat(127) + "\u00e9y"));
        assertEquals("x".repeat(126) + "\u00e9", Attachment.cut("x".repeat(126) + "\u00e9y"), "a character ending at byte 128 stays");
    }

    @Test
    void thePortIsReadWhereverTheRecordIs() {
        assertEquals("veth1", Attachment.portOf(" port=veth1"));
        assertEquals("veth1", Attachment.portOf("jcni:x port=veth1 c1/eth0"));
        assertEquals(null, Attachment.portOf(null));
        assertEquals(null, Attachment.portOf("jcni:x port= c1/eth0"), "an empty port is none");
    }
}
