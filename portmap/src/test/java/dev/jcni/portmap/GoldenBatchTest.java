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
 * The exact JSON sent to nftables, compared with reviewed golden files in
 * src/test/resources/golden: an ADD (dual-stack, tcp + hostIP-bound udp, a condition) and the
 * DEL after it; and a takeover, the batch that moves one key from A to B together with A's
 * record of it.
 */
class GoldenBatchTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BARE = "{\"cniVersion\":\"1.0.0\",\"name\":\"net1\",\"type\":\"portmap\"}";

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
        plugin.del(Requests.invocation(Command.DEL, "c1", BARE));
        List<String> batches = host.nft.batches();
        assertEquals(2, batches.size(), "one batch for the ADD, one for the DEL (lists are not batches)");
        assertEquals(golden("add.json"), JSON.readTree(batches.get(0)));
        assertEquals(golden("del.json"), JSON.readTree(batches.get(1)));
    }

    /**
     * A maps tcp/8080 and tcp/9090 on 198.51.100.1, B then maps tcp/8080 there: B's first batch
     * is refused (EEXIST), and its second deletes A's two rules of tcp/8080 by handle and the
     * element, and adds B's chain, rules and element. A keeps tcp/9090, so its chain stays.
     */
    @Test
    void takeoverBatch() throws Exception {
        FakeHost host = new FakeHost();
        PortmapPlugin plugin = host.plugin();
        String a = "[{\"hostPort\":8080,\"containerPort\":80,\"hostIP\":\"198.51.100.1\"},"
                + "{\"hostPort\":9090,\"containerPort\":90,\"hostIP\":\"198.51.100.1\"}]";
        String b = "[{\"hostPort\":8080,\"containerPort\":81,\"hostIP\":\"198.51.100.1\"}]";
        plugin.add(Requests.invocation(Command.ADD, "a", config("net1", a, "")));
        plugin.add(Requests.invocation(Command.ADD, "b", config("net1", b, "")));
        List<String> batches = host.nft.batches();
        assertEquals(3, batches.size(), "A's ADD, B's refused first batch, B's takeover");
        assertEquals(golden("takeover.json"), JSON.readTree(batches.get(2)));
    }
}
