package dev.jcni.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.jcni.core.daemon.Wire;
import dev.jcni.core.skel.AttachmentLock;
import dev.jcni.core.skel.StateRoots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * deploy/kubernetes/jcnid-daemonset.yaml against the facts of the code it deploys (no cluster
 * here: the manifest is read as YAML). A change of a default in the code (the socket, the state
 * roots, the launchers' deadline) that the manifest does not follow fails here.
 */
class DaemonSetManifestTest {
    private static final Path MANIFEST = Path.of("..", "deploy", "kubernetes", "jcnid-daemonset.yaml");

    private JsonNode manifest;
    private JsonNode pod;
    private JsonNode jcnid;

    @BeforeEach
    void read() throws Exception {
        manifest = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(MANIFEST));
        pod = manifest.path("spec").path("template").path("spec");
        jcnid = container(pod.path("containers"), "jcnid");
    }

    private static JsonNode container(JsonNode list, String name) {
        for (JsonNode c : list) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no container " + name + " in " + list);
    }

    /** hostPath of each volume, by volume name. */
    private Map<String, String> hostPaths() {
        Map<String, String> paths = new HashMap<>();
        for (JsonNode v : pod.path("volumes")) {
            paths.put(v.path("name").asText(), v.path("hostPath").path("path").asText(null));
        }
        return paths;
    }

    /** Container mount path to host path, for the mounts of {@code container} that are hostPaths. */
    private Map<String, String> mounts(JsonNode container) {
        Map<String, String> byPath = new HashMap<>();
        Map<String, String> hostPaths = hostPaths();
        for (JsonNode m : container.path("volumeMounts")) {
            byPath.put(m.path("mountPath").asText(), hostPaths.get(m.path("name").asText()));
        }
        return byPath;
    }

    /** Whether {@code path} lies on a mount of the host's same path, writable unless {@code readOnly}. */
    private boolean sharedWithTheHost(JsonNode container, String path, boolean writable) {
        for (JsonNode m : container.path("volumeMounts")) {
            String at = m.path("mountPath").asText();
            String host = hostPaths().get(m.path("name").asText());
            boolean covers = path.equals(at) || path.startsWith(at.endsWith("/") ? at : at + "/");
            if (covers && at.equals(host) && (!writable || !m.path("readOnly").asBoolean(false))) {
                return true;
            }
        }
        return false;
    }

    private static String env(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (e.path("name").asText().equals(name)) {
                return e.path("value").asText();
            }
        }
        return null;
    }

    @Test
    void itIsADaemonSetRunningBinJcnid() {
        assertEquals("apps/v1", manifest.path("apiVersion").asText());
        assertEquals("DaemonSet", manifest.path("kind").asText());
        JsonNode command = jcnid.path("command");
        assertEquals(1, command.size(), "bin/jcnid takes no arguments: " + command);
        assertTrue(command.get(0).asText().endsWith("/bin/jcnid"), command.toString());
        assertTrue(sharedWithTheHost(jcnid, command.get(0).asText(), false), "bin/jcnid is the host's installation, at its path");
        String selected = manifest.path("spec").path("selector").path("matchLabels").path("app.kubernetes.io/name").asText();
        assertEquals("jcnid", selected);
        assertEquals(selected, manifest.path("spec").path("template").path("metadata").path("labels").path("app.kubernetes.io/name").asText(),
                "the pods carry the selector's label");
    }

    @Test
    void theSocketIsTheLaunchersDefaultOnAHostMount() {
        String socket = env(jcnid, Wire.SOCKET_VARIABLE);
        assertEquals(Wire.socketPath(null), socket, "the launchers on the host connect to the default path");
        String dir = Path.of(socket).getParent().toString();
        assertTrue(sharedWithTheHost(jcnid, dir, true), "the socket's directory " + dir + " is the host's, writable: " + mounts(jcnid));
        JsonNode init = container(pod.path("initContainers"), "install-launchers");
        assertTrue(sharedWithTheHost(init, dir, true), "the init container makes " + dir + " 0700: " + mounts(init));
        assertTrue(init.path("command").toString().contains("chmod 0700 " + dir), init.path("command").toString());
    }

    @Test
    void theStateRootsAndTheLockDirectoryAreTheHostsWritable() {
        for (String root : StateRoots.DEFAULT_ROOTS.split(":")) {
            assertTrue(sharedWithTheHost(jcnid, root, true), root + ": " + mounts(jcnid));
        }
        assertTrue(sharedWithTheHost(jcnid, AttachmentLock.DEFAULT_DIR.toString(), true), "attachment locks: " + mounts(jcnid));
        assertFalse(sharedWithTheHost(jcnid, "/run/netns", false), "no /run/netns: namespaces come as descriptors");
    }

    @Test
    void itIsPrivilegedAsRootWithoutTheHostsNetworkOrPids() {
        assertTrue(jcnid.path("securityContext").path("privileged").asBoolean(false));
        assertEquals(0, jcnid.path("securityContext").path("runAsUser").asInt(-1));
        assertFalse(pod.path("hostNetwork").asBoolean(false));
        assertFalse(pod.path("hostPID").asBoolean(false));
        for (JsonNode m : jcnid.path("volumeMounts")) {
            assertTrue(m.path("mountPropagation").isMissingNode(), "no mount propagation: " + m);
        }
    }

    @Test
    void theGracePeriodCoversADrainUpToTheLaunchersDeadline() {
        assertTrue(pod.path("terminationGracePeriodSeconds").asLong() >= RequestDeadline.DEFAULT_SECONDS,
                "grace " + pod.path("terminationGracePeriodSeconds") + " s");
        assertEquals(330, pod.path("terminationGracePeriodSeconds").asLong(), "as the systemd unit's TimeoutStopSec");
    }

    @Test
    void theProbesAskTheDaemonItsStatusThroughCnictl() {
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
            JsonNode command = jcnid.path(probe).path("exec").path("command");
            List<String> words = new ArrayList<>();
            for (JsonNode w : command) {
                words.add(w.asText());
            }
            assertEquals(3, words.size(), probe + ": " + words);
            assertTrue(words.get(0).endsWith("/bin/cnictl") && sharedWithTheHost(jcnid, words.get(0), false), probe + ": " + words);
            assertEquals(List.of("daemon", "status"), words.subList(1, 3), probe);
        }
    }

    @Test
    void theInitContainerLinksEveryPluginLauncherIntoTheHostsPluginDirectory() throws Exception {
        JsonNode init = container(pod.path("initContainers"), "install-launchers");
        assertTrue(sharedWithTheHost(init, "/opt/cni/bin", true), mounts(init).toString());
        String script = init.path("command").get(2).asText();
        String jcnidBin = Path.of(jcnid.path("command").get(0).asText()).getParent().toString();
        PluginRegistry served = PluginRegistry.scan(System.getProperty("java.class.path"), getClass().getClassLoader(),
                new DaemonLog(new java.io.PrintStream(java.io.OutputStream.nullOutputStream())));
        assertEquals(5, served.types().size(), "every plugin module is on jcnid's class path: " + served);
        for (String plugin : served.types()) {
            assertTrue(script.matches("(?s).*for p in [^;\n]*\\b" + plugin + "\\b.*"), plugin + " in " + script);
        }
        assertTrue(script.contains("ln -sfn " + jcnidBin + "/$p /opt/cni/bin/$p"), "symbolic links to the launchers beside bin/jcnid: " + script);
        for (JsonNode c : pod.path("containers")) {
            assertEquals("IMAGE", c.path("image").asText(), "the image is the operator's placeholder");
        }
    }
}
