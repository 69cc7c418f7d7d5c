package dev.jcni.it.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.it.support.PluginRunner;
import dev.jcni.it.support.RequiresRoot;
import dev.jcni.it.support.TestNetns;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A runtime starting sandboxes at once: 20 ADDs on one network, each its own bin/bridge process
 * (host-local in-process), one bridge created by whichever comes first, must give 20 different
 * addresses per family, a store that says exactly that, 20 ports, one gateway address and 20
 * masquerade rules; 20 DELs at once then leave none of it.
 */
@RequiresRoot
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class BridgeParallelTest extends BridgeLabTest {
    static final int PARALLEL = 20;

    @Test
    void twentyAddsAtOnceGetDistinctAddressesAndAConsistentStore() throws Exception {
        String conf = lab.conf("1.0.0", "jbr0", "[[{\"subnet\":\"10.34.0.0/24\"}],[{\"subnet\":\"fd00:34::/64\"}]]",
                ",\"isGateway\":true,\"ipMasq\":true,\"macspoofchk\":true");
        List<TestNetns> sandboxes = new ArrayList<>();
        for (int i = 0; i < PARALLEL; i++) {
            sandboxes.add(lab.sandbox());
        }
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        try {
            List<Future<PluginRunner.Run>> adds = new ArrayList<>();
            for (int i = 0; i < PARALLEL; i++) {
                int n = i;
                adds.add(pool.submit(() -> lab.run("ADD", conf, "p" + n, sandboxes.get(n))));
            }
            Set<String> v4 = new HashSet<>();
            Set<String> v6 = new HashSet<>();
            for (int i = 0; i < PARALLEL; i++) {
                JsonNode r = adds.get(i).get().assertOk().json();
                String a4 = r.get("ips").get(0).get("address").asText();
                String a6 = r.get("ips").get(1).get("address").asText();
                v4.add(a4);
                v6.add(a6);
                assertEquals(List.of(a4, a6), BridgeLab.addresses(sandboxes.get(i).name(), "eth0"), "sandbox " + i);
            }
            assertEquals(PARALLEL, v4.size(), v4.toString());
            assertEquals(PARALLEL, v6.size(), v6.toString());
            Map<String, String> leases = lab.leases();
            assertEquals(2 * PARALLEL, leases.size(), leases.keySet().toString());
            for (int i = 0; i < PARALLEL; i++) {
                int owned = 0;
                for (String text : leases.values()) {
                    owned += text.equals(lab.id("p" + i) + "\r\neth0") ? 1 : 0;
                }
                assertEquals(2, owned, "leases of p" + i);
            }
            assertEquals(PARALLEL, lab.ports("jbr0").size());
            assertEquals(List.of("10.34.0.1/24", "fd00:34::1/64"), BridgeLab.addresses(lab.host.name(), "jbr0"));
            String rules = lab.ruleset();
            assertEquals(2 * PARALLEL, count(rules, "masquerade comment"), rules);
            assertEquals(1, count(rules, "goto masq_checks"), "the shared chain once, however many wrote it");
            assertEquals(PARALLEL, count(rules, " : goto sc-"), rules);

            List<Future<PluginRunner.Run>> dels = new ArrayList<>();
            for (int i = 0; i < PARALLEL; i++) {
                int n = i;
                dels.add(pool.submit(() -> lab.run("DEL", conf, "p" + n, sandboxes.get(n))));
            }
            for (Future<PluginRunner.Run> d : dels) {
                d.get().assertOk();
            }
            assertEquals(Map.of(), lab.leases());
            assertEquals(List.of(), lab.ports("jbr0"));
            String after = lab.ruleset();
            assertEquals(0, count(after, "masquerade comment"), after);
            assertTrue(!after.contains("goto sc-"), after);
        } finally {
            pool.shutdownNow();
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
