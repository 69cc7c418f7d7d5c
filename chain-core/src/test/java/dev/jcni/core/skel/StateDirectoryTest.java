package dev.jcni.core.skel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.os.fs.FileRead;
import dev.jcni.core.protocol.CniException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirectoryTest {
    @TempDir
    Path tmp;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void writeCreatesAMissingDirectory0700AndFiles0600() throws Exception {
        Path dir = tmp.resolve("a/b/state");
        StateDirectory state = new StateDirectory(dir.toString(), 1024);
        state.write("c1_eth0.json", bytes("{\"mtu\":1500}"));
        assertEquals("rwx------", mode(dir));
        assertEquals("rw-------", mode(dir.resolve("c1_eth0.json")));
        assertArrayEquals(bytes("{\"mtu\":1500}"), state.read("c1_eth0.json").content());
        assertEquals(List.of("c1_eth0.json"), state.list(".json"), "no temporary file is left behind");
        assertEquals(1, Files.list(dir).count());
    }

    @Test
    void overwriteKeepsTheFileItFindsAndWritesOneItDoesNot() throws Exception {
        Path dir = tmp.resolve("hints");
        StateDirectory state = new StateDirectory(dir.toString(), 1024);
        state.overwrite("last_reserved_ip.0", "10.0.0.9".getBytes(StandardCharsets.US_ASCII));
        Path f = dir.resolve("last_reserved_ip.0");
        assertEquals("rw-------", mode(f), "made as write() makes a file");
        Object inode = Files.getAttribute(f, "unix:ino");
        state.overwrite("last_reserved_ip.0", "10.0.0.10".getBytes(StandardCharsets.US_ASCII));
        assertEquals("10.0.0.10", Files.readString(f));
        assertEquals(inode, Files.getAttribute(f, "unix:ino"), "rewritten in place");
        Path target = Files.writeString(tmp.resolve("elsewhere"), "keep");
        Files.delete(f);
        Files.createSymbolicLink(f, target);
        state.overwrite("last_reserved_ip.0", "10.0.0.11".getBytes(StandardCharsets.US_ASCII));
        assertEquals("keep", Files.readString(target), "a link there is replaced, never followed");
        assertFalse(Files.isSymbolicLink(f));
        assertEquals("10.0.0.11", Files.readString(f));
    }

    @Test
    void writeNeverChangesTheModeOfADirectoryThatExists() throws Exception {
        // A network config names the data directory: a link to a host directory (/bin is one to
        // /usr/bin on merged-usr hosts) once made the plugin chmod that directory 0700.
        Path hostDir = Files.createDirectory(tmp.resolve("host-dir"));
        Files.setPosixFilePermissions(hostDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), hostDir);
        new StateDirectory(link.toString(), 1024).write("c1_eth0.json", bytes("{}"));
        assertEquals("rwxr-xr-x", mode(hostDir), "the linked directory keeps its mode");
        new StateDirectory(hostDir.toString(), 1024).write("c2_eth0.json", bytes("{}"));
        assertEquals("rwxr-xr-x", mode(hostDir), "an existing directory keeps its mode");
    }

    @Test
    void writeReplacesWhatIsThereWithoutFollowingIt() throws Exception {
        StateDirectory state = new StateDirectory(tmp.toString(), 1024);
        Path outside = Files.writeString(tmp.resolve("outside"), "keep");
        Files.createSymbolicLink(tmp.resolve("c1_eth0.json"), outside);
        state.write("c1_eth0.json", bytes("new"));
        assertEquals("keep", Files.readString(outside), "the link's target is untouched");
        assertFalse(Files.isSymbolicLink(tmp.resolve("c1_eth0.json")));
        assertArrayEquals(bytes("new"), state.read("c1_eth0.json").content());
    }

    @Test
    void readIsAbsentRefusedOrContentAndNeverHangs() throws Exception {
        StateDirectory state = new StateDirectory(tmp.toString(), 16);
        assertTrue(state.read("none.json").isAbsent());
        assertEquals(0, new ProcessBuilder("mkfifo", tmp.resolve("fifo.json").toString()).start().waitFor());
        FileRead fifo = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> state.read("fifo.json"));
        assertTrue(fifo.isRefused() && fifo.reason().contains("FIFO"), fifo.toString());
        Files.write(tmp.resolve("big.json"), new byte[17]);
        assertTrue(state.read("big.json").isRefused());
        Files.createSymbolicLink(tmp.resolve("zero.json"), Path.of("/dev/zero"));
        assertTrue(state.read("zero.json").reason().contains("symbolic link"));
    }

    @Test
    void namesCannotLeaveTheDirectory() {
        StateDirectory state = new StateDirectory(tmp.toString(), 16);
        for (String bad : new String[] {"", ".", "..", "../x", "a/b", "x\0y", "/x", "\0x", "x/"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> state.file(bad), bad);
            assertEquals("not a state file name: \"" + bad + "\"", e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new StateDirectory("relative/dir", 16));
    }

    @Test
    void listOfAMissingDirectoryIsEmptyAndDeleteOfAMissingFileSucceeds() throws Exception {
        StateDirectory state = new StateDirectory(tmp.resolve("absent").toString(), 16);
        assertEquals(List.of(), state.list(".json"));
        assertTrue(state.delete("x.json"));
        assertFalse(Files.exists(tmp.resolve("absent")), "reading and deleting create nothing");
    }

    @Test
    void listHoldsOnlyTheSuffixAndNoTemporaryFiles() throws Exception {
        StateDirectory state = new StateDirectory(tmp.toString(), 16);
        assertEquals(tmp, state.dir());
        state.write("b.json", bytes("{}"));
        Files.writeString(tmp.resolve(".tmp-123.json"), "{}");
        Files.writeString(tmp.resolve("c.txt"), "x");
        Files.writeString(tmp.resolve("a.json"), "{}");
        List<String> listed = new java.util.ArrayList<>(state.list(".json"));
        java.util.Collections.sort(listed);
        assertEquals(List.of("a.json", "b.json"), listed);
    }

    @Test
    void existsSeesAnythingWithoutFollowingIt() throws Exception {
        StateDirectory state = new StateDirectory(tmp.toString(), 16);
        assertFalse(state.exists("a.json"));
        Files.createSymbolicLink(tmp.resolve("a.json"), tmp.resolve("nowhere"));
        assertTrue(state.exists("a.json"), "a dangling link is something");
    }

    @Test
    void aDeleteThatCannotHappenIsLoggedAndFalse() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Log.redirect(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            Files.writeString(Files.createDirectories(tmp.resolve("full.json")).resolve("inside"), "x");
            StateDirectory state = new StateDirectory(tmp.toString(), 16);
            assertFalse(state.delete("full.json"));
            assertTrue(Files.exists(tmp.resolve("full.json/inside")));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot remove state file " + tmp.resolve("full.json")),
                    err.toString(StandardCharsets.UTF_8));
            Files.writeString(tmp.resolve("plain.json"), "x");
            assertTrue(state.delete("plain.json"));
            assertFalse(Files.exists(tmp.resolve("plain.json")));
        } finally {
            Log.redirect(System.err);
        }
    }

    @Test
    void aWriteThatCannotHappenIsAPluginFailure() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        StateDirectory state = new StateDirectory(file.resolve("sub").toString(), 16);
        CniException e = assertThrows(CniException.class, () -> state.write("a.json", bytes("{}")));
        assertEquals(CniException.PLUGIN_FAILURE, e.code());
        assertEquals("failed to save state file " + file.resolve("sub/a.json"), e.msg());
    }
}
