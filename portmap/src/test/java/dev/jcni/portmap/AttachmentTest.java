package dev.jcni.portmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.skel.NodePolicy;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The names and comments an attachment's nftables state carries. */
class AttachmentTest {
    @Test
    void commentsShowPrintableAsciiOnlyAndNeverAQuote() {
        // nft keeps comments as printable text in double quotes: '!' (0x21) and '~' (0x7e) are the ends of the range.
        String c = new Attachment("net1", "a!~ \u007f\"\u00e9b", "eth0").comment();
        assertTrue(c.endsWith(" a!~????b/eth0"), c);
    }

    @Test
    void aCommentIsAtMost128Characters() {
        String c = new Attachment("net1", "c".repeat(200), "eth0").comment();
        assertEquals(128, c.length());
        assertTrue(c.startsWith(Attachment.networkTag("net1") + " ccc"), c);
    }

    @Test
    void onlyOurCommentsRecordAKey() {
        assertNull(Attachment.recordedKey(null));
        assertNull(Attachment.recordedKey("KUBE-HOSTPORTS tcp/8080/v4 x"), "not ours");
        assertNull(Attachment.recordedKey(Attachment.networkTag("net1") + " c1/eth0"), "an element's comment: no key");
        assertEquals("tcp/8080/v4", Attachment.recordedKey(Attachment.networkTag("net1") + " tcp/8080/v4 c1/eth0"));
    }

    @Test
    void takeoverIsTheDefaultPolicy() throws Exception {
        assertSame(ConflictPolicy.TAKEOVER, ConflictPolicy.of(NodePolicy.fromEnvironment(Map.of())));
        assertSame(ConflictPolicy.STRICT, ConflictPolicy.of(NodePolicy.fromEnvironment(Map.of(ConflictPolicy.VARIABLE, " Strict "))));
    }
}
