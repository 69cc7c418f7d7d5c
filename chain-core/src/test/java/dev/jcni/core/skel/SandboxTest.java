package dev.jcni.core.skel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jcni.core.protocol.CniException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CNI mapping of namespace failures; entering a real sandbox is the root tests' part. */
class SandboxTest {
    @TempDir
    Path tmp;

    private static Invocation in(String netns) {
        return new Invocation(Command.ADD, "c", netns, "eth0", null, List.of(), null, "1.0.0", "n");
    }

    @Test
    void aMissingNamespaceIsCode4NamingIt() {
        CniException e = assertThrows(CniException.class, () -> Sandbox.run(in("/run/netns/jcni-never"), () -> "ran"));
        assertEquals(CniException.INVALID_ENVIRONMENT, e.code());
        assertEquals("CNI_NETNS \"/run/netns/jcni-never\" does not exist", e.msg());
        assertEquals(CniException.INVALID_ENVIRONMENT, assertThrows(CniException.class, () -> Sandbox.run(in(""), () -> "ran")).code());
    }

    @Test
    void somethingThatIsNotANamespaceIsAPluginFailure() throws Exception {
        Path file = Files.writeString(tmp.resolve("netns"), "");
        CniException e = assertThrows(CniException.class, () -> Sandbox.run(in(file.toString()), () -> "ran"));
        assertEquals(CniException.PLUGIN_FAILURE, e.code());
        assertEquals("cannot enter the sandbox namespace " + file, e.msg());
    }

    @Test
    void delNeverEntersTheHostsOwnNamespaceWhateverItsSpelling() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("own"), Path.of("/proc/self/ns/net"));
        for (String own : new String[] {"/proc/self/ns/net", "/proc/thread-self/ns/net", "/proc/" + ProcessHandle.current().pid()
                + "/ns/net", link.toString()}) {
            AtomicBoolean ran = new AtomicBoolean();
            assertEquals(Sandbox.Presence.HOST, Sandbox.runIfSandbox(in(own), () -> {
                ran.set(true);
                return null;
            }), own);
            assertFalse(ran.get(), own);
        }
    }

    @Test
    void delTreatsMissingEmptyAndNonNamespacesAsGone() throws Exception {
        Path file = Files.writeString(tmp.resolve("netns"), "");
        for (String gone : new String[] {"", "/run/netns/jcni-never", file.toString()}) {
            assertEquals(Sandbox.Presence.GONE, Sandbox.runIfSandbox(in(gone), () -> {
                throw new AssertionError("ran in " + gone);
            }), gone);
        }
    }
}
