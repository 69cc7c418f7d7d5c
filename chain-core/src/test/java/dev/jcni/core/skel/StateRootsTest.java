package dev.jcni.core.skel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.protocol.CniException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateRootsTest {
    @TempDir
    Path tmp;

    private StateRoots roots(String value) {
        return StateRoots.of(NodePolicy.fromEnvironment(Map.of(StateRoots.VARIABLE, value)));
    }

    @Test
    void theReferenceDefaultsAreWithinTheDefaultRoots() throws Exception {
        StateRoots defaults = StateRoots.of(NodePolicy.DEFAULTS);
        assertEquals(List.of("/run/cni", "/var/lib/cni"), defaults.roots());
        assertEquals("/run/cni/tuning", defaults.confine("/run/cni/tuning", "dataDir"));
        assertEquals("/var/lib/cni/networks", defaults.confine("/var/lib/cni/networks", "ipam.dataDir"));
        assertEquals("/run/cni", defaults.confine("/run/cni", "dataDir"), "a root itself");
    }

    @Test
    void aPlaceOutsideEveryRootIsRefusedNamingFieldValueAndRoots() {
        StateRoots defaults = StateRoots.of(NodePolicy.DEFAULTS);
        for (String dir : List.of("/etc", "/", "/run", "/run/cnix", "/run/nologin", "/var/lib")) {
            CniException e = assertThrows(CniException.class, () -> defaults.confine(dir, "ipam.dataDir"), dir);
            assertEquals(CniException.INVALID_CONFIG, e.code());
            assertEquals("invalid value \"" + dir + "\" for \"ipam.dataDir\": outside the node's state directories", e.msg());
            assertTrue(e.details().contains("JCNI_STATE_ROOTS allows [/run/cni, /var/lib/cni]"), e.details());
        }
    }

    @Test
    void dotComponentsAreRefusedEvenWhenTheyWouldStayInside() {
        StateRoots defaults = StateRoots.of(NodePolicy.DEFAULTS);
        for (String dir : List.of("/run/cni/../../etc", "/run/cni/a/../b", "/run/cni/./t")) {
            CniException e = assertThrows(CniException.class, () -> defaults.confine(dir, "dataDir"), dir);
            assertTrue(e.details().contains("\"..\""), e.details());
        }
    }

    @Test
    void aLinkInsideARootThatLeadsOutIsRefused() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("root"));
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        Files.createSymbolicLink(root.resolve("escape"), outside);
        Files.createSymbolicLink(root.resolve("dangling"), tmp.resolve("nothing-here"));
        StateRoots r = roots(root.toString());
        assertEquals(root + "/plain/deeper", r.confine(root + "/plain/deeper", "dataDir"), "not yet existing below a root");
        assertThrows(CniException.class, () -> r.confine(root + "/escape", "dataDir"));
        assertThrows(CniException.class, () -> r.confine(root + "/escape/new", "dataDir"), "a missing directory below the link");
        assertThrows(CniException.class, () -> r.confine(root + "/dangling/x", "dataDir"));
    }

    @Test
    void theNodeChoosesItsRootsAndRelativeEntriesCountForNothing() throws Exception {
        StateRoots r = roots("relative/dir::" + tmp);
        assertEquals(List.of(tmp.toString()), r.roots());
        assertEquals(tmp + "/x", r.confine(tmp + "/x", "dataDir"));
        assertThrows(CniException.class, () -> r.confine("/run/cni/tuning", "dataDir"), "the defaults no longer apply");
    }
}
