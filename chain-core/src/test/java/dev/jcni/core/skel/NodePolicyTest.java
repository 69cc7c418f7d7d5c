package dev.jcni.core.skel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.CniVersion;
import dev.jcni.core.protocol.Result;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodePolicyTest {
    @Test
    void onlyTheNodesVariablesAreKept() {
        NodePolicy p = NodePolicy.fromEnvironment(Map.of("JCNI_TUNING_ALLOWLIST", "/srv/allow.conf", "PATH", "/bin",
                "CNI_ARGS", "JCNI_TUNING_ALLOWLIST=/tmp/x", "JCNI_EMPTY", ""));
        assertEquals("/srv/allow.conf", p.get("JCNI_TUNING_ALLOWLIST", "/etc/default"));
        assertEquals("/etc/default", p.get("PATH", "/etc/default"), "not a node setting");
        assertEquals("/etc/default", p.get("JCNI_EMPTY", "/etc/default"), "empty means unset");
    }

    @Test
    void anEnvironmentWithoutSettingsIsTheDefaults() {
        assertSame(NodePolicy.DEFAULTS, NodePolicy.fromEnvironment(Map.of("HOME", "/root")));
        assertEquals("/etc/x", NodePolicy.DEFAULTS.get("JCNI_TUNING_ALLOWLIST", "/etc/x"));
    }

    @Test
    void anInvocationTakesAnotherPolicyAndKeepsTheRest() {
        Invocation inv = new Invocation(Command.DEL, "c", "/n", "eth0", null, List.of("/bin"), null, "1.0.0", "n", null);
        NodePolicy policy = NodePolicy.fromEnvironment(Map.of("JCNI_TUNING_ALLOWLIST", "/etc/allow"));
        Invocation other = inv.withNode(policy);
        assertSame(policy, other.node());
        assertEquals("c", other.containerId());
        assertEquals("/n", other.netns());
        assertEquals(List.of("/bin"), other.path());
        assertSame(NodePolicy.DEFAULTS, inv.node(), "the original is unchanged");
        assertEquals("NodePolicy{JCNI_TUNING_ALLOWLIST=/etc/allow}", policy.toString());
    }

    @Test
    void anInvocationWithoutAPolicyHasTheDefaults() {
        Invocation inv = new Invocation(Command.DEL, "c", "", "eth0", null, List.of(), null, "1.0.0", "n", null);
        assertSame(NodePolicy.DEFAULTS, inv.node());
    }

    /** A plugin that keeps the invocation the skel built. */
    private static final class Keeper implements CniPlugin {
        Invocation seen;

        @Override public String about() { return "keeper"; }
        @Override public List<String> supportedVersions() { return CniVersion.ALL; }
        @Override public Result add(Invocation inv) { seen = inv; return null; }
        @Override public void check(Invocation inv) { seen = inv; }
        @Override public void del(Invocation inv) { seen = inv; }
        @Override public void gc(Invocation inv) { seen = inv; }
        @Override public void status(Invocation inv) throws CniException { seen = inv; }
    }

    @Test
    void theSkelCarriesTheEnvironmentsPolicyToThePlugin() {
        Keeper plugin = new Keeper();
        Skel.Outcome o = new Skel("keeper", plugin).run(Map.of("CNI_COMMAND", "DEL", "CNI_CONTAINERID", "c1", "CNI_IFNAME", "eth0",
                "CNI_PATH", "/opt/cni/bin", "JCNI_TUNING_ALLOWLIST", "/srv/allow.conf"),
                "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"JCNI_TUNING_ALLOWLIST\":\"/tmp/evil\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(0, o.exitCode(), new String(o.stdout(), StandardCharsets.UTF_8));
        assertEquals("/srv/allow.conf", plugin.seen.node().get("JCNI_TUNING_ALLOWLIST", null));
    }
}
