package dev.jcni.core.os.nft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * Each batch of the reference's worked example (nftables-and-peers.md, appendix), built with the
 * model, equals the appendix JSON as a tree (object key order ignored; anonymous-set element
 * order ignored, see {@link Fixtures#setsUnordered}).
 */
class GoldenBatchTest {
    private final WorkedExample ex = new WorkedExample();

    private static void assertSameBatch(String resource, NftBatch built) {
        JsonNode expected = Fixtures.setsUnordered(Fixtures.tree(resource));
        JsonNode actual = Fixtures.setsUnordered(Fixtures.parse(built.toJson()));
        // Command by command first, so a failure names the command that differs.
        assertEquals(expected.get("nftables").size(), actual.get("nftables").size(), resource + ": number of commands");
        for (int i = 0; i < expected.get("nftables").size(); i++) {
            assertEquals(expected.get("nftables").get(i), actual.get("nftables").get(i), resource + " command " + i);
        }
        assertEquals(expected, actual);
    }

    @Test
    void base() {
        assertSameBatch("00-base.json", ex.base());
    }

    @Test
    void addContainerA() {
        assertSameBatch("10-add-container-a.json", ex.addContainerA());
    }

    @Test
    void baseAndAddContainerAIsBothBatchesInOrder() {
        JsonNode combined = Fixtures.parse(ex.baseAndAddContainerA().toJson()).get("nftables");
        JsonNode base = Fixtures.tree("00-base.json").get("nftables");
        JsonNode addA = Fixtures.tree("10-add-container-a.json").get("nftables");
        assertEquals(base.size() + addA.size(), combined.size(), "number of commands");
        for (int i = 0; i < combined.size(); i++) {
            JsonNode expected = i < base.size() ? base.get(i) : addA.get(i - base.size());
            assertEquals(Fixtures.setsUnordered(expected), Fixtures.setsUnordered(combined.get(i)), "command " + i);
        }
    }

    @Test
    void deleteContainerA() {
        assertSameBatch("20-del-container-a.json", ex.deleteContainerA());
    }

    @Test
    void conflictingContainerB() {
        assertSameBatch("30-add-container-b-conflict.json", ex.addContainerBConflicting());
    }

    @Test
    void takeoverByContainerB() {
        assertSameBatch("35-add-container-b-takeover.json", ex.addContainerBTakingOver());
    }

    @Test
    void deleteChainOnly() {
        assertSameBatch("40-bad-delete-chain-only.json", ex.deleteChainAOnly());
    }

    @Test
    void listTable() {
        assertEquals(Fixtures.tree("50-list-table.json"), Fixtures.parse(ex.listTable().toJson()));
        assertEquals("nft list table inet cni_hostport", ex.listTable().describe());
    }

    @Test
    void theModelSortsAnonymousSetsAsNftListsThem() {
        // The appendix sends {"set":["127.0.0.1","10.0.0.2"]}; nft 1.0.6 lists it back sorted,
        // so the model sends it sorted and a CHECK comparing with the listing sees equal rules.
        JsonNode rule = Fixtures.parse(ex.addContainerA().toJson()).get("nftables").get(2).get("add").get("rule");
        assertEquals("[\"10.0.0.2\",\"127.0.0.1\"]", rule.get("expr").get(0).get("match").get("right").get("set").toString());
    }

    @Test
    void treesHandedOutAreCopies() {
        NftBatch batch = ex.addContainerA();
        String before = batch.toJson();
        com.fasterxml.jackson.databind.node.ObjectNode tree = batch.toTree();
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("nftables").get(2).get("add").get("rule").get("expr").get(0)
                .get("match")).put("op", "!=");
        batch.commands().get(2).toJson().removeAll();
        ((com.fasterxml.jackson.databind.node.ObjectNode) ((Rule) batch.commands().get(2).object()).statements().get(0).toJson()).removeAll();
        assertEquals(before, batch.toJson());
    }

    @Test
    void setsUnorderedIsNotVacuous() {
        // The comparison helper must still see a real difference inside a set.
        JsonNode a = Fixtures.parse("{\"set\":[\"10.0.0.2\",\"127.0.0.1\"]}");
        JsonNode b = Fixtures.parse("{\"set\":[\"10.0.0.3\",\"127.0.0.1\"]}");
        assertNotEquals(Fixtures.setsUnordered(a), Fixtures.setsUnordered(b));
        assertTrue(ex.base().toJson().startsWith("{\"nftables\":[{\"add\":{\"table\":"));
    }
}
