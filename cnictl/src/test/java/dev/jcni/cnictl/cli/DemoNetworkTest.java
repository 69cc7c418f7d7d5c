package dev.jcni.cnictl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.net.IpPrefix;
import dev.jcni.core.protocol.Json;
import dev.jcni.cnictl.runtime.ConfigLoader;
import dev.jcni.cnictl.runtime.NetworkConfigList;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The template conflist made one run's own. Subnets are taken from 10.252.0.0/16, which no test
 * host routes (checked), so what moves them is the claims the test writes.
 */
class DemoNetworkTest {
    private static final String TEMPLATE = """
            {"cniVersion":"1.0.0","name":"jcni-demo","plugins":[
              {"type":"bridge","bridge":"jcni-demo0","isGateway":true,
               "ipam":{"type":"host-local","ranges":[[{"subnet":"%s"}]],"dataDir":"/run/jcni-demo/host-local"}},
              {"type":"portmap","capabilities":{"portMappings":true}},
              {"type":"tuning","dataDir":"/run/jcni-demo/tuning","mtu":1400}]}
            """;

    @TempDir
    Path dir;
    DemoSandbox run;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(HostCommands.which("ip") != null, "needs ip(8) to read the host's routes");
        assumeTrue(DemoNetwork.whyUsed(IpPrefix.parse("10.252.0.0/16"), Set.of()) == null, "this host uses 10.252.0.0/16");
        DemoRuns runs = new DemoRuns(new DemoConsole(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)),
                dir.resolve("base"), Map.of());
        Files.createDirectories(dir.resolve("base"));
        run = runs.newRun();
    }

    private NetworkConfigList template(String subnet) throws Exception {
        Path file = dir.resolve("template.conflist");
        Files.writeString(file, TEMPLATE.formatted(subnet));
        return ConfigLoader.fromFile(file);
    }

    private static JsonNode plugin(JsonNode conf, int i) {
        return conf.path("plugins").get(i);
    }

    @Test
    void theRunsNamesAndDirectoriesReplaceTheTemplates() throws Exception {
        DemoNetwork own = DemoNetwork.makeOwn(template("10.252.77.0/24"), run, Set.of());
        JsonNode conf = Json.parse(Files.readAllBytes(own.file()));
        assertEquals(run.runDir().resolve(DemoSandbox.NETWORK_CONFLIST), own.file());
        assertEquals("jcni-demo-" + run.id(), conf.path("name").asText());
        assertEquals("jcni-br-" + run.id(), plugin(conf, 0).path("bridge").asText());
        assertEquals(run.runDir().resolve("host-local").toString(), plugin(conf, 0).path("ipam").path("dataDir").asText());
        assertEquals(run.runDir().resolve("tuning").toString(), plugin(conf, 2).path("dataDir").asText());
        assertEquals("10.252.77.0/24", plugin(conf, 0).path("ipam").path("ranges").get(0).get(0).path("subnet").asText());
        assertEquals(List.of("10.252.77.0/24"), own.subnets());
        assertEquals(List.of(), own.notes());
        assertEquals(true, plugin(conf, 0).path("isGateway").asBoolean(), "everything else is kept");
        assertEquals(1400, plugin(conf, 2).path("mtu").asInt());
    }

    @Test
    void aClaimedSubnetMovesToTheNextFreeOne() throws Exception {
        DemoNetwork own = DemoNetwork.makeOwn(template("10.252.77.0/24"), run, Set.of("10.252.77.0/24", "10.252.78.0/25"));
        JsonNode conf = Json.parse(Files.readAllBytes(own.file()));
        assertEquals("10.252.79.0/24", plugin(conf, 0).path("ipam").path("ranges").get(0).get(0).path("subnet").asText());
        assertEquals(List.of("10.252.79.0/24"), own.subnets());
        assertTrue(own.notes().get(0).contains("instead of the conflist's 10.252.77.0/24"), own.notes().toString());
    }

    @Test
    void theSearchWrapsAroundInsideTheSlash16() throws Exception {
        DemoNetwork own = DemoNetwork.makeOwn(template("10.252.255.0/24"), run, Set.of("10.252.255.0/24"));
        assertEquals(List.of("10.252.0.0/24"), own.subnets());
    }

    @Test
    void noFreeSubnetIsAFailureNamingTheReason() throws Exception {
        Demo.Failure f = assertThrows(Demo.Failure.class,
                () -> DemoNetwork.makeOwn(template("10.252.77.0/24"), run, Set.of("10.252.0.0/16")));
        assertTrue(f.getMessage().contains("claimed by another demo running now"), f.getMessage());
    }

    @Test
    void aRangeWithMoreThanASubnetIsNotMoved() throws Exception {
        Path file = dir.resolve("gw.conflist");
        Files.writeString(file, TEMPLATE.formatted("10.252.77.0/24").replace("\"subnet\":\"10.252.77.0/24\"",
                "\"subnet\":\"10.252.77.0/24\",\"gateway\":\"10.252.77.1\""));
        Demo.Failure f = assertThrows(Demo.Failure.class,
                () -> DemoNetwork.makeOwn(ConfigLoader.fromFile(file), run, Set.of("10.252.77.0/24")));
        assertTrue(f.getMessage().contains("pass --conflist with another subnet"), f.getMessage());
    }

    @Test
    void aSubnetHoldingAHostAddressIsUsed() throws Exception {
        // Every host has 127.0.0.1: a route in the local table falls inside 127.0.0.0/24.
        String why = DemoNetwork.whyUsed(IpPrefix.parse("127.0.0.0/24"), Set.of());
        assertNotNull(why);
        assertTrue(why.contains("127.0.0.1"), why);
        assertNull(DemoNetwork.whyUsed(IpPrefix.parse("10.252.1.0/24"), Set.of()));
    }
}
