package dev.jcni.it.daemon;

import dev.jcni.it.support.JcnidProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.daemon.DaemonClient;
import dev.jcni.core.protocol.Json;
import dev.jcni.it.support.Cmd;
import dev.jcni.it.support.PluginRunner;
import dev.jcni.it.support.PrivateHost;
import dev.jcni.it.support.RequiresRoot;
import dev.jcni.it.support.TestNetns;
import dev.jcni.it.support.TestRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A caller in another network namespace than the daemon's (a runtime in a private host): its
 * request's host-side work lands in the caller's namespace, its sandbox work in the passed
 * sandbox, and nothing in the daemon's (the test's) namespace.
 */
@RequiresRoot
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DaemonNamespaceTest {
    private JcnidProcess daemon;
    private PrivateHost host;
    private TestNetns sandbox;
    private Path work;

    @BeforeEach
    void setUp() throws Exception {
        daemon = JcnidProcess.start(Map.of());
        host = PrivateHost.create();
        sandbox = TestNetns.create();
        work = Files.createTempDirectory(TestRun.current().scratch(), "daemon-ns-");
    }

    @AfterEach
    void tearDown() {
        if (sandbox != null) {
            sandbox.close();
        }
        if (host != null) {
            host.close();
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    private Map<String, String> env(String command, String container) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", container);
        env.put("CNI_NETNS", sandbox.path());
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", PluginRunner.OUR_BIN.toString());
        env.put("JCNI_LOCK_DIR", work.resolve("locks").toString());
        env.put("JCNI_STATE_ROOTS", PluginRunner.TEST_STATE_ROOTS);
        return env;
    }

    @Test
    void bridgesHostSideLandsInTheCallersNamespace() throws Exception {
        String bridge = "jbd" + sandbox.suffix().substring(0, 8);
        String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"dn-" + sandbox.suffix() + "\",\"type\":\"bridge\",\"bridge\":\"" + bridge
                + "\",\"isGateway\":true,\"ipam\":{\"type\":\"host-local\",\"dataDir\":\"" + work.resolve("ipam")
                + "\",\"ranges\":[[{\"subnet\":\"10.35.0.0/24\"}]]}}";
        String container = "dn-" + sandbox.suffix();
        DaemonClient.Answer added = LauncherStandIn.requestFrom(host.path(), daemon.socket, "bridge", env("ADD", container),
                conf.getBytes(StandardCharsets.UTF_8));
        assertTrue(added.accepted(), added.message());
        assertEquals(0, added.exitCode(), new String(added.stdout(), StandardCharsets.UTF_8) + new String(added.stderr(), StandardCharsets.UTF_8));
        JsonNode result = Json.parse(added.stdout());
        assertEquals(bridge, result.path("interfaces").path(0).path("name").asText());
        assertEquals("10.35.0.2/24", result.path("ips").path(0).path("address").asText());
        String hostVeth = result.path("interfaces").path(1).path("name").asText();

        assertTrue(host.linkExists(bridge), "the bridge is in the caller's namespace");
        assertTrue(host.linkExists(hostVeth), "so is the veth's host end");
        assertFalse(Cmd.run(Cmd.DEFAULT_TIMEOUT, "ip", "link", "show", "dev", bridge).ok(), "nothing in the daemon's namespace");
        assertFalse(Cmd.run(Cmd.DEFAULT_TIMEOUT, "ip", "link", "show", "dev", hostVeth).ok());
        assertEquals("10.35.0.2/24", sandbox.ip("-o", "-4", "addr", "show", "dev", "eth0").replaceAll("(?s).*inet (\\S+).*", "$1"),
                "the sandbox's end has its address");
        assertTrue(host.netns().ip("-o", "-4", "addr", "show", "dev", bridge).contains("10.35.0.1/24"), "isGateway on the caller's bridge");

        DaemonClient.Answer deleted = LauncherStandIn.requestFrom(host.path(), daemon.socket, "bridge", env("DEL", container),
                conf.getBytes(StandardCharsets.UTF_8));
        assertEquals(0, deleted.exitCode(), new String(deleted.stdout(), StandardCharsets.UTF_8));
        assertFalse(host.linkExists(hostVeth), "DEL from the caller's namespace removed the veth there");
        assertFalse(Files.exists(work.resolve("ipam").resolve("dn-" + sandbox.suffix()).resolve("10.35.0.2")), "and released the lease");
    }

    @Test
    void aCallerInTheDaemonsOwnNamespaceRunsWithoutEnteringAnother() throws Exception {
        String conf = "{\"cniVersion\":\"1.1.0\",\"name\":\"st\",\"type\":\"host-local\",\"ipam\":{\"type\":\"host-local\",\"dataDir\":\""
                + work.resolve("ipam") + "\",\"ranges\":[[{\"subnet\":\"10.36.0.0/24\"}]]}}";
        Map<String, String> env = env("STATUS", "");
        env.remove("CNI_NETNS");
        DaemonClient.Answer a = LauncherStandIn.request(daemon.socket, "host-local", env, conf.getBytes(StandardCharsets.UTF_8));
        assertEquals(0, a.exitCode(), new String(a.stdout(), StandardCharsets.UTF_8));
        assertTrue(daemon.awaitLog("host-local STATUS - exit 0").contains("host-local STATUS - exit 0"));
    }
}
