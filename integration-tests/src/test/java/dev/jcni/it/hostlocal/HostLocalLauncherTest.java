package dev.jcni.it.hostlocal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.it.support.PluginRunner;
import dev.jcni.it.support.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * bin/host-local as a runtime (or a delegating bridge) runs it: every result version, GC and
 * STATUS through the protocol, DEL without a namespace, and bad input that leaves no trace.
 */
@RequiresRoot
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class HostLocalLauncherTest extends HostLocalSandboxTest {
    private String conf(String version, String ranges, String extra) {
        return HostLocalExec.conf(version, "launch", HostLocalExec.ipam(dataDir, ranges, extra));
    }

    @Test
    void everyVersionGetsItsResultShape() throws Exception {
        String ranges = "[[{\"subnet\":\"10.50.0.0/24\"}],[{\"subnet\":\"fd50::/64\"}]]";
        String[] versions = {"0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"};
        for (int i = 0; i < versions.length; i++) {
            String conf = conf(versions[i], ranges, ",\"routes\":[{\"dst\":\"0.0.0.0/0\"}]");
            JsonNode r = exec.add(HostLocalExec.OURS, conf, "v" + i);
            assertEquals(versions[i], r.path("cniVersion").asText());
            String v4 = "10.50.0." + (2 + i) + "/24";
            if (versions[i].startsWith("0.1") || versions[i].startsWith("0.2")) {
                assertEquals(v4, r.path("ip4").path("ip").asText(), r.toString());
                assertEquals("fd50::" + (2 + i) + "/64", r.path("ip6").path("ip").asText());
                assertEquals("0.0.0.0/0", r.path("ip4").path("routes").path(0).path("dst").asText());
            } else {
                assertEquals(v4, r.path("ips").path(0).path("address").asText(), r.toString());
                assertEquals("10.50.0.1", r.path("ips").path(0).path("gateway").asText());
                assertFalse(r.path("ips").path(0).has("interface"), "IPAM names no interface");
                assertEquals(!versions[i].startsWith("1."), r.path("ips").path(0).has("version"));
            }
            exec.run(HostLocalExec.OURS, "DEL", conf, "v" + i).assertOk();
        }
    }

    @Test
    void delWithoutNamespaceTwiceAndForUnknownContainers() throws Exception {
        String conf = conf("1.0.0", "[[{\"subnet\":\"10.51.0.0/24\"}]]", "");
        exec.add(HostLocalExec.OURS, conf, "d1");
        for (String who : new String[] {"d1", "d1", "never-added"}) {
            PluginRunner.Run r = exec.run(HostLocalExec.OURS, "DEL", conf, who).assertOk();
            assertEquals("", r.stdout());
        }
        assertEquals(Set.of("lock", "last_reserved_ip.0"), HostLocalExec.store(dataDir.resolve("launch")).keySet());
    }

    @Test
    void gcReleasesLeasesOfAttachmentsThatAreGone() throws Exception {
        String conf = conf("1.1.0", "[[{\"subnet\":\"10.52.0.0/24\"}]]", "");
        exec.add(HostLocalExec.OURS, conf, "live");
        exec.add(HostLocalExec.OURS, conf, "dead");
        if (HostLocalExec.referenceInstalled()) {
            // The reference speaks 1.0.0 at most: its lease in the same store, for the same network.
            exec.add(HostLocalExec.REFERENCE, conf.replace("\"1.1.0\"", "\"1.0.0\""), "ref-dead");
        }
        String gc = conf.substring(0, conf.length() - 1) + ",\"cni.dev/valid-attachments\":[{\"containerID\":\""
                + exec.id("live") + "\",\"ifname\":\"eth0\"}]}";
        exec.run(HostLocalExec.OURS, "GC", gc, null, null, null).assertOk();
        Map<String, String> store = HostLocalExec.store(dataDir.resolve("launch"));
        assertEquals(exec.id("live") + "\r\neth0", store.get("10.52.0.2"));
        assertFalse(store.containsKey("10.52.0.3"));
        assertFalse(store.containsKey("10.52.0.4"));
        assertEquals(3, store.size(), "the live lease, the lock and the round-robin record: " + store.keySet());
    }

    @Test
    void statusReportsAnExhaustedPoolWithCode50() throws Exception {
        String conf = conf("1.1.0", "[[{\"subnet\":\"10.53.0.0/30\"}]]", "");
        exec.run(HostLocalExec.OURS, "STATUS", conf, null, null, null).assertOk();
        exec.add(HostLocalExec.OURS, conf, "only");
        JsonNode e = HostLocalExec.error(exec.run(HostLocalExec.OURS, "STATUS", conf, null, null, null));
        assertEquals(50, e.path("code").asInt());
        assertEquals("host-local cannot serve ADD: no IP addresses available in range set: 10.53.0.1-10.53.0.2", e.path("msg").asText());
        exec.run(HostLocalExec.OURS, "DEL", conf, "only").assertOk();
        exec.run(HostLocalExec.OURS, "STATUS", conf, null, null, null).assertOk();
    }

    @Test
    void badInputLeavesNoTrace() throws Exception {
        String[] bad = {
            conf("1.0.0", "[[{\"subnet\":\"10.54.0.0/33\"}]]", ""),
            conf("1.0.0", "[[{\"subnet\":\"10.54.0.0/24\"}],[{\"subnet\":\"10.54.0.128/25\"}]]", ""),
            conf("1.0.0", "[[{\"subnet\":\"10.54.0.0/24\"}]]", ",\"resolvConf\":\"/dev/zero\""),
            conf("0.2.0", "[[{\"subnet\":\"10.54.0.0/24\"}],[{\"subnet\":\"10.55.0.0/24\"}]]", ""),
            conf("1.0.0", "[[{\"subnet\":\"10.54.0.0/24\"}]]", ",\"dataDir\":\"relative/dir\""),
        };
        for (String conf : bad) {
            JsonNode e = HostLocalExec.error(exec.run(HostLocalExec.OURS, "ADD", conf, "bad"));
            assertEquals(7, e.path("code").asInt(), e.toString());
        }
        String good = conf("1.0.0", "[[{\"subnet\":\"10.54.0.0/24\"}]]", "");
        assertEquals(4, HostLocalExec.error(exec.run(HostLocalExec.OURS, "ADD", good, "bad", "eth0", "IP=10.54.0.x")).path("code").asInt());
        assertEquals(7, HostLocalExec.error(exec.run(HostLocalExec.OURS, "ADD", good, "bad", "eth0", "IP=10.99.0.9")).path("code").asInt());
        try (var entries = Files.list(dataDir)) {
            assertTrue(entries.findAny().isEmpty(), "no store directory, no lock, no lease");
        }
    }

    @Test
    void resolvConfFillsDns() throws Exception {
        Path resolv = Files.writeString(dataDir.resolve("resolv.conf"), "nameserver 10.56.0.53\ndomain example.test\noptions ndots:2\n");
        Files.setPosixFilePermissions(resolv, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        openToOthers(dataDir);
        String conf = conf("1.0.0", "[[{\"subnet\":\"10.56.0.0/24\"}]]", ",\"resolvConf\":\"" + resolv + "\"");
        JsonNode r = exec.add(HostLocalExec.OURS, conf, "dns");
        assertEquals("10.56.0.53", r.path("dns").path("nameservers").path(0).asText());
        assertEquals("example.test", r.path("dns").path("domain").asText());
        assertEquals("ndots:2", r.path("dns").path("options").path(0).asText());
        exec.run(HostLocalExec.OURS, "DEL", conf, "dns").assertOk();
    }

    /** The test's directories are private to root; a resolv.conf must be readable by everyone, so its directories must be enterable. */
    private static void openToOthers(Path dir) throws Exception {
        for (Path p = dir; p != null && !p.equals(Path.of("/tmp")) && !p.equals(Path.of("/")); p = p.getParent()) {
            Set<java.nio.file.attribute.PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
            Files.setPosixFilePermissions(p, perms);
        }
    }
}
