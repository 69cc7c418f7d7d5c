package dev.jcni.bandwidth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AttachmentTest {
    private final Attachment a = new Attachment("net1", "ctr1", "eth0");

    @Test
    void ifbNamesAreFifteenCharactersPerDirection() {
        String e = a.ifbName(Direction.EGRESS);
        String i = a.ifbName(Direction.INGRESS);
        assertTrue(e.matches("bwe[0-9a-f]{12}"), e);
        assertTrue(i.matches("bwi[0-9a-f]{12}"), i);
        assertEquals(e.substring(3), i.substring(3));
        assertEquals(e.substring(3), a.hash().substring(0, 12));
        // SHA-512 of "net1\0ctr1\0eth0", computed with sha512sum.
        assertEquals("bwe" + "ee3bb16d17c7", e);
    }

    @Test
    void everyPartOfTheAttachmentChangesTheName() {
        String e = a.ifbName(Direction.EGRESS);
        assertNotEquals(e, new Attachment("net2", "ctr1", "eth0").ifbName(Direction.EGRESS));
        assertNotEquals(e, new Attachment("net1", "ctr2", "eth0").ifbName(Direction.EGRESS));
        assertNotEquals(e, new Attachment("net1", "ctr1", "eth1").ifbName(Direction.EGRESS), "two interfaces of one pod");
        // Separators keep ("net1c", "tr1") apart from ("net1", "ctr1").
        assertNotEquals(e, new Attachment("net1c", "tr1", "eth0").ifbName(Direction.EGRESS));
    }

    @Test
    void theReferencesNameForItsIfb() {
        // reference-baseline.md: network rbbench, container rb-1 -> bwp809b40138518.
        assertEquals("bwp809b40138518", new Attachment("rbbench", "rb-1", "eth0").referenceIfbName());
        assertEquals("bwp809b40138518", new Attachment("rbbench", "rb-1", "net1").referenceIfbName(), "no ifname in it");
    }

    @Test
    void theAliasNamesNetworkAndAttachmentAndReadsBack() {
        String alias = a.alias();
        assertEquals("jcni-bandwidth " + Attachment.networkHash("net1") + " " + a.hash() + " ctr1/eth0", alias);
        Attachment.Owner o = Attachment.owner(alias);
        assertEquals(Attachment.networkHash("net1"), o.networkHash());
        assertEquals(a.hash(), o.attachmentHash());
        assertTrue(o.names(a.ifbName(Direction.EGRESS)));
        assertTrue(o.names(a.ifbName(Direction.INGRESS)));
        assertFalse(o.names(new Attachment("net1", "ctr2", "eth0").ifbName(Direction.EGRESS)));
        assertTrue(a.owns(alias));
        assertFalse(new Attachment("net1", "ctr1", "eth1").owns(alias));
        assertFalse(new Attachment("net2", "ctr1", "eth0").owns(alias));
    }

    @Test
    void foreignAliasesAreNobodys() {
        assertNull(Attachment.owner(null));
        assertNull(Attachment.owner(""));
        assertNull(Attachment.owner("uplink to the rack"));
        assertNull(Attachment.owner("jcni-bandwidth"));
        assertNull(Attachment.owner("jcni-bandwidth 123 456 x/y"));
        assertNull(Attachment.owner("jcni-bandwidth " + "G".repeat(16) + " " + a.hash()), "not hex");
        assertNull(Attachment.owner("jcni-bandwidthx " + Attachment.networkHash("n") + " " + a.hash()));
        assertFalse(a.owns("something else"));
    }

    @Test
    void aLongContainerIdIsCutToTheKernelsLimit() {
        Attachment long1 = new Attachment("net1", "c".repeat(300), "eth0");
        String alias = long1.alias();
        assertEquals(255, alias.getBytes(StandardCharsets.UTF_8).length);
        assertTrue(long1.owns(alias), "what identifies the owner comes first and is never cut");
    }

    @Test
    void theHashesAloneNameTheOwnerTheReadableTailIsForPeople() {
        Attachment.Owner o = Attachment.owner("jcni-bandwidth " + Attachment.networkHash("net1") + " " + a.hash());
        assertEquals(new Attachment.Owner(Attachment.networkHash("net1"), a.hash()), o);
    }

    @Test
    void anAliasOfExactlyTheKernelsLimitIsKeptWhole() {
        // 65 bytes before the tail: "jcni-bandwidth", 16 hex, 32 hex and three spaces.
        Attachment limit = new Attachment("net1", "c".repeat(185), "eth0");
        assertEquals(255, limit.alias().getBytes(StandardCharsets.UTF_8).length);
        assertTrue(limit.alias().endsWith("c/eth0"), limit.alias());
    }
}
