package dev.jcni.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.protocol.CniArgs;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.protocol.JsonFields;
import dev.jcni.core.protocol.Result;
import dev.jcni.core.skel.Command;
import dev.jcni.core.skel.Invocation;
import dev.jcni.core.skel.NodePolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real IPAM port, {@link Ipam#delegated}, against a scripted IPAM plugin on CNI_PATH that
 * records each call's verb, environment and stdin: the bridge hands its whole config and its
 * request on, under the node policy it runs under, for every verb.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IpamDelegationTest {
    static final String CONFIG = "{\"cniVersion\":\"1.1.0\",\"name\":\"net\",\"type\":\"bridge\",\"bridge\":\"br0\","
            + "\"ipam\":{\"type\":\"fake-ipam\",\"subnet\":\"10.1.0.0/24\"}}";
    static final String RESULT = "{\"cniVersion\":\"1.1.0\",\"ips\":[{\"address\":\"10.1.0.5/24\",\"gateway\":\"10.1.0.1\"}]}";

    @TempDir
    Path root;
    Path bin;
    Path records;

    @BeforeEach
    void setUp() throws Exception {
        bin = Files.createDirectories(root.resolve("bin"));
        records = Files.createDirectories(root.resolve("records"));
        String script = "#!/bin/sh\n"
                + "R='" + records + "'\n"
                + "echo \"$CNI_COMMAND\" >> \"$R/calls.log\"\n"
                + "n=$(wc -l < \"$R/calls.log\" | tr -d ' ')\n"
                + "tr '\\0' '\\n' < /proc/$$/environ > \"$R/$n.env\"\n"
                + "cat > \"$R/$n.stdin\"\n"
                + "if [ \"$CNI_COMMAND\" = ADD ]; then echo '" + RESULT + "'; fi\n"
                + "exit 0\n";
        Path file = bin.resolve("fake-ipam");
        Files.writeString(file, script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Invocation invocation(Command command) throws Exception {
        Json.Document document = Json.parseDocument(CONFIG.getBytes(StandardCharsets.UTF_8));
        ObjectNode config = document.object();
        return new Invocation(command, "ctr1", "/run/netns/x", "eth0", CniArgs.parse(null), List.of(bin.toString()),
                JsonFields.of(config, JsonFields.Source.NETWORK_CONFIG, document.duplicateKeys()), "1.1.0", "net",
                NodePolicy.fromEnvironment(Map.of("JCNI_LOCK_DIR", root.resolve("locks").toString())));
    }

    private List<String> calls() throws Exception {
        return Files.readAllLines(records.resolve("calls.log"));
    }

    @Test
    void everyVerbReachesThePluginWithTheWholeConfigAndTheNodePolicy() throws Exception {
        Ipam ipam = Ipam.delegated();
        ipam.requireAvailable(invocation(Command.ADD), "fake-ipam");
        Result r = ipam.add(invocation(Command.ADD), "fake-ipam");
        assertEquals("10.1.0.5/24", r.ips().get(0).address().toString());
        ipam.check(invocation(Command.CHECK), "fake-ipam");
        ipam.del(invocation(Command.DEL), "fake-ipam");
        ipam.gc(invocation(Command.GC), "fake-ipam");
        ipam.status(invocation(Command.STATUS), "fake-ipam");
        assertEquals(List.of("ADD", "CHECK", "DEL", "GC", "STATUS"), calls());
        for (int n = 1; n <= 5; n++) {
            assertEquals(Json.parse(CONFIG.getBytes(StandardCharsets.UTF_8)), Json.parse(Files.readAllBytes(records.resolve(n + ".stdin"))),
                    "call " + n + " got the bridge's config as it came");
            List<String> env = Files.readAllLines(records.resolve(n + ".env"));
            assertTrue(env.contains("JCNI_LOCK_DIR=" + root.resolve("locks")), "call " + n + ": " + env);
            assertTrue(env.contains("CNI_CONTAINERID=ctr1") && env.contains("CNI_IFNAME=eth0"), "call " + n + ": " + env);
        }
    }

    @Test
    void aPluginMissingFromThePathIsFoundMissingBeforeAnyCall() throws Exception {
        CniException e = assertThrows(CniException.class, () -> Ipam.delegated().requireAvailable(invocation(Command.ADD), "no-such-ipam"));
        assertTrue(e.getMessage().contains("no-such-ipam"), e.getMessage());
        assertTrue(Files.notExists(records.resolve("calls.log")));
    }
}
