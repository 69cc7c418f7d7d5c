package dev.jcni.core.skel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.protocol.CniArgs;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.protocol.JsonFields;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidAttachmentsTest {
    private static ValidAttachments of(String extra) throws Exception {
        String conf = "{\"cniVersion\":\"1.1.0\",\"name\":\"net\",\"type\":\"t\"" + extra + "}";
        Invocation inv = new Invocation(Command.GC, "", "", "", CniArgs.parse(""), List.of(),
                JsonFields.of(Json.parseObject(conf.getBytes(java.nio.charset.StandardCharsets.UTF_8)), JsonFields.Source.NETWORK_CONFIG), "1.1.0", "net");
        return ValidAttachments.of(inv);
    }

    @Test
    void listedPairsAndContainersAreFoundAndNothingElse() throws Exception {
        ValidAttachments v = of(",\"cni.dev/valid-attachments\":[{\"containerID\":\"a\",\"ifname\":\"eth0\"},"
                + "{\"containerID\":\"b\"},{\"ifname\":\"eth9\"}]");
        assertEquals(List.of(new ValidAttachments.Entry("a", "eth0"), new ValidAttachments.Entry("b", null)), v.entries());
        assertTrue(v.contains("a", "eth0"));
        assertFalse(v.contains("a", "eth1"));
        assertFalse(v.contains("b", "eth0"), "an entry without ifname names the container only");
        assertTrue(v.containsContainer("b"));
        assertFalse(v.containsContainer("c"));
        assertFalse(v.contains("", "eth9"), "an entry without containerID names nothing");
    }

    @Test
    void theNewKeyWinsAndTheOlderIsReadWhenItIsAbsent() throws Exception {
        ValidAttachments both = of(",\"cni.dev/valid-attachments\":[{\"containerID\":\"new\",\"ifname\":\"e\"}],"
                + "\"cni.dev/attachments\":[{\"containerID\":\"old\",\"ifname\":\"e\"}]");
        assertTrue(both.contains("new", "e"));
        assertFalse(both.contains("old", "e"));
        ValidAttachments older = of(",\"cni.dev/attachments\":[{\"containerID\":\"old\",\"ifname\":\"e\"}]");
        assertTrue(older.contains("old", "e"));
    }

    @Test
    void anAbsentOrNullListMeansNone() throws Exception {
        assertEquals(List.of(), of("").entries());
        assertEquals(List.of(), of(",\"cni.dev/valid-attachments\":null").entries());
    }

    @Test
    void aListThatIsNotAnArrayIsTheConfigsError() {
        CniException e = assertThrows(CniException.class, () -> of(",\"cni.dev/valid-attachments\":{\"containerID\":\"a\"}"));
        assertEquals(CniException.INVALID_CONFIG, e.code());
        assertTrue(e.getMessage().contains("cni.dev/valid-attachments"), e.getMessage());
        CniException entry = assertThrows(CniException.class, () -> of(",\"cni.dev/valid-attachments\":[\"a\"]"));
        assertEquals(CniException.INVALID_CONFIG, entry.code());
    }

    @Test
    void aRequestWithoutAListWarnsThatEverythingCountsAsStale() throws Exception {
        try (dev.jcni.core.testing.CapturedLog log = new dev.jcni.core.testing.CapturedLog("gc", new dev.jcni.core.invoke.EchoIpam(), false)) {
            assertTrue(of("").entries().isEmpty());
            assertTrue(log.has("WARN", "GC request lists no valid attachments: every attachment of network net counts as stale"),
                    log.toString());
        }
    }
}
