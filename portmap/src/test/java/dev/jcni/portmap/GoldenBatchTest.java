package dev.jcni.portmap;

import static dev.jcni.portmap.Requests.config;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jcni.core.skel.Command;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The exact JSON sent to nftables for an ADD (dual-stack, tcp + hostIP-bound udp, a condition)
 * and the DEL after it, compared with reviewed golden files in src/test/resources/golden.
 */
class GoldenBatchTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode golden(String name) throws Exception {
        try (InputStream in = GoldenBatchTest.class.getResourceAsStream("/golden/" + name)) {
            return JSON.readTree(in);
        }
    }

    @Test
    void addAndDelBatches() throws Exception {
        FakeHost host = new FakeHost();
        PortmapPlugin plugin = host.plugin();
        String mappings = "[{\"hostPort\":8080,\"containerPort\":80,\"protocol\":\"tcp\"},"
                + "{\"hostPort\":5353,\"containerPort\":53,\"protocol\":\"udp\",\"hostIP\":\"198.51.100.1\"}]";
        plugin.add(Requests.invocation(Command.ADD, "c1", config("net1", mappings, "\"conditionsV4\":[\"iifname != \\\"eth9\\\"\"]")));
        plugin.del(Requests.invocation(Command.DEL, "c1", "{\"cniVersion\":\"1.0.0\",\"name\":\"net1\",\"type\":\"portmap\"}"));
        List<String> batches = host.nft.batches();
        assertEquals(2, batches.size(), "one batch for the ADD, one for the DEL (lists are not batches)");
        assertEquals(golden("add.json"), JSON.readTree(batches.get(0)));
        assertEquals(golden("del.json"), JSON.readTree(batches.get(1)));
    }
}
