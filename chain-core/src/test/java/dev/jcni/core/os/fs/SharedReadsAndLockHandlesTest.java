package dev.jcni.core.os.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.os.OsException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** readWorldReadable's remaining refusals and bounds, and that neither it nor a refused lock file leaves a descriptor open. */
class SharedReadsAndLockHandlesTest {
    @TempDir
    Path dir;

    @BeforeEach
    void everyUserMayEnter() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Path shared(String name, String content) throws Exception {
        Path f = Files.writeString(dir.resolve(name), content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        return f;
    }

    /** Descriptors of this process open on {@code file} (the oracle: /proc/self/fd). */
    private static int openOn(Path file) throws Exception {
        int open = 0;
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    open += Files.readSymbolicLink(fd).equals(file) ? 1 : 0;
                } catch (java.io.IOException closedMeanwhile) {
                    // the listing's own descriptor
                }
            }
        }
        return open;
    }

    @Test
    void anEmptyFileFitsABoundOfZero() throws Exception {
        assertEquals(0, UntrustedFiles.readWorldReadable(shared("empty", "").toString(), 0).content().length);
    }

    @Test
    void aPathThroughARegularFileCannotBeResolved() throws Exception {
        Path f = shared("resolv.conf", "nameserver 10.0.0.1\n");
        FileRead r = UntrustedFiles.readWorldReadable(f + "/x", 64);
        assertTrue(r.isRefused(), r.toString());
        assertTrue(r.reason().startsWith("cannot be resolved: "), r.reason());
    }

    @Test
    void aSocketIsRefusedAtTheOpen() throws Exception {
        Path sock = dir.resolve("sock");
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(sock));
            Files.setPosixFilePermissions(sock, PosixFilePermissions.fromString("rw-rw-rw-"));
            FileRead r = UntrustedFiles.readWorldReadable(sock.toString(), 64);
            assertTrue(r.isRefused(), r.toString());
            assertEquals("changed while it was opened", r.reason());
        }
    }

    @Test
    void sharedReadsLeaveNoDescriptorOpen() throws Exception {
        Path f = shared("resolv.conf", "nameserver 10.0.0.1\n");
        for (int i = 0; i < 3; i++) {
            assertEquals(20, UntrustedFiles.readWorldReadable(f.toString(), 64).content().length);
            assertTrue(UntrustedFiles.readWorldReadable(f.toString(), 5).isRefused());
        }
        assertEquals(0, openOn(f));
    }

    @Test
    void aRefusedLockFileIsClosedAgain() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        for (int i = 0; i < 3; i++) {
            assertThrows(OsException.class, () -> Flock.open(fifo.toString()));
        }
        assertEquals(0, openOn(fifo));
    }

    @Test
    void aLockShowsItsPathAndWhetherItIsHeld() throws Exception {
        String path = dir.resolve("lock").toString();
        try (Flock lock = Flock.open(path)) {
            assertEquals(path, lock.path());
            assertEquals("flock " + path, lock.toString());
            assertTrue(lock.tryLockExclusive());
            assertEquals("flock " + path + " (held)", lock.toString());
        }
    }
}
