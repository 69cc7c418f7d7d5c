package dev.jcni.core.skel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.protocol.CniException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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

    /** Descriptors of this process open on the namespace {@code nsLink} names ("net:[inode]"). */
    private static int descriptorsOn(String nsLink) throws Exception {
        int n = 0;
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals(nsLink)) {
                        n++;
                    }
                } catch (java.io.IOException closedMeanwhile) {
                    // the listing's own descriptor
                }
            }
        }
        return n;
    }

    @Test
    void delClosesTheNamespaceItOpened() throws Exception {
        String own = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        int before = descriptorsOn(own);
        for (int i = 0; i < 3; i++) {
            assertEquals(Sandbox.Presence.HOST, Sandbox.runIfSandbox(in("/proc/self/ns/net"), () -> null));
        }
        assertEquals(before, descriptorsOn(own), "a namespace descriptor was left open");
    }

    @Test
    void addRunsTheTaskInTheNamedNamespaceAndClosesIt() throws Exception {
        // Entering a namespace takes CAP_SYS_ADMIN: as root (CI) the task runs in the one named,
        // here this process's own; without root setns(2) refuses and that is a plugin failure.
        boolean root = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
        String own = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        int before = descriptorsOn(own);
        for (int i = 0; i < 3; i++) {
            if (root) {
                assertEquals(own, Sandbox.run(in("/proc/self/ns/net"),
                        () -> {
                            try {
                                return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
                            } catch (java.io.IOException e) {
                                return e.toString();
                            }
                        }));
            } else {
                CniException e = assertThrows(CniException.class, () -> Sandbox.run(in("/proc/self/ns/net"), () -> "ran"));
                assertEquals(CniException.PLUGIN_FAILURE, e.code());
            }
        }
        assertEquals(before, descriptorsOn(own), "a namespace descriptor was left open");
    }

    @Test
    void delSaysWhyItTreatsANamespaceAsGone() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Log.redirect(new PrintStream(err, true, StandardCharsets.UTF_8));
        Log.configure("fake", null, true);
        Log.setContext("");
        try {
            Path file = Files.writeString(tmp.resolve("netns"), "");
            Sandbox.runIfSandbox(in("/run/netns/jcni-never"), () -> null);
            Sandbox.runIfSandbox(in(file.toString()), () -> null);
        } finally {
            Log.configure("fake", null, false);
            Log.redirect(System.err);
        }
        String log = err.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("fake: INFO sandbox namespace /run/netns/jcni-never is gone\n"), log);
        assertTrue(log.contains("fake: WARN cannot open sandbox namespace " + tmp.resolve("netns") + ": "), log);
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
