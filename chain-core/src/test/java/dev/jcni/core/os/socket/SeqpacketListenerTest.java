package dev.jcni.core.os.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.internal.SocketCalls;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A listening socket in a private directory: bind, accept, stale files, ownership of the file. No root needed. */
class SeqpacketListenerTest {
    @TempDir
    Path tmp;

    @Test
    void bindsInAPrivateDirectoryItCreatesAndAcceptsAConnection() throws Exception {
        Path dir = tmp.resolve("run/jcni");
        Path sock = dir.resolve("jcnid.sock");
        try (SeqpacketListener l = SeqpacketListener.bind(sock.toString(), 8)) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)));
            assertTrue(l.ownsFile());
            try (SeqpacketSocket client = SeqpacketSocket.connect(sock.toString());
                 SeqpacketSocket server = l.accept(2000)) {
                assertNotNull(server);
                client.send("ping".getBytes(StandardCharsets.US_ASCII));
                assertEquals("ping", new String(server.receive(64, 2).data(), StandardCharsets.US_ASCII));
                assertEquals(ProcessHandle.current().pid(), server.peer().pid());
            }
        }
        assertFalse(Files.exists(sock, LinkOption.NOFOLLOW_LINKS), "the listener removes the file it made");
    }

    @Test
    void acceptWithNothingPendingReturnsNullAfterTheWait() throws Exception {
        try (SeqpacketListener l = SeqpacketListener.bind(tmp.resolve("d/s").toString(), 8)) {
            long start = System.nanoTime();
            assertNull(l.accept(100));
            assertTrue((System.nanoTime() - start) / 1_000_000 >= 90);
        }
    }

    @Test
    void aStaleSocketFileIsReplaced() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("d"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path sock = dir.resolve("s");
        // A daemon that died: its socket file stays, nobody listens.
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(sock));
        }
        assertTrue(Files.exists(sock, LinkOption.NOFOLLOW_LINKS));
        assertEquals(Errno.ECONNREFUSED, assertThrows(OsException.class, () -> SeqpacketSocket.connect(sock.toString())).errno());
        try (SeqpacketListener l = SeqpacketListener.bind(sock.toString(), 8);
             SeqpacketSocket client = SeqpacketSocket.connect(sock.toString())) {
            assertNotNull(l.accept(2000));
        }
    }

    @Test
    void aLiveSocketIsLeftAloneAndBindFails() throws Exception {
        Path sock = tmp.resolve("d/s");
        try (SeqpacketListener first = SeqpacketListener.bind(sock.toString(), 8)) {
            OsException e = assertThrows(OsException.class, () -> SeqpacketListener.bind(sock.toString(), 8));
            assertEquals(Errno.EADDRINUSE, e.errno());
            try (SeqpacketSocket client = SeqpacketSocket.connect(sock.toString())) {
                assertNotNull(first.accept(2000), "the first listener still serves its file");
            }
        }
    }

    @Test
    void somethingElseAtThePathIsNeverRemoved() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("d"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path file = Files.writeString(dir.resolve("s"), "precious");
        OsException e = assertThrows(OsException.class, () -> SeqpacketListener.bind(file.toString(), 8));
        assertEquals(Errno.EEXIST, e.errno());
        assertEquals("precious", Files.readString(file));
    }

    @Test
    void aDirectoryOthersCanEnterIsRefused() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("d"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        OsException e = assertThrows(OsException.class, () -> SeqpacketListener.bind(dir.resolve("s").toString(), 8));
        assertEquals(Errno.EACCES, e.errno());
        assertTrue(e.getMessage().contains("755"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("s")));
    }

    @Test
    void aSymbolicLinkAsTheDirectoryIsRefused() throws Exception {
        Path real = Files.createDirectory(tmp.resolve("real"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        OsException e = assertThrows(OsException.class, () -> SeqpacketListener.bind(link.resolve("s").toString(), 8));
        assertEquals(Errno.ENOTDIR, e.errno());
    }

    @Test
    void aPathTooLongForSunPathIsRefusedBeforeAnythingIsMade() {
        Path dir = tmp.resolve("x".repeat(120));
        OsException e = assertThrows(OsException.class, () -> SeqpacketListener.bind(dir.resolve("s").toString(), 8));
        assertEquals(Errno.ENAMETOOLONG, e.errno());
        assertFalse(Files.exists(dir));
    }

    @Test
    void aListenerRemovesOnlyTheFileItMade() throws Exception {
        Path sock = tmp.resolve("d/s");
        SeqpacketListener old = SeqpacketListener.bind(sock.toString(), 8);
        Files.delete(sock);
        try (SeqpacketListener newer = SeqpacketListener.bind(sock.toString(), 8)) {
            old.close();
            assertTrue(Files.exists(sock, LinkOption.NOFOLLOW_LINKS), "the newer listener's file stays");
            try (SeqpacketSocket client = SeqpacketSocket.connect(sock.toString())) {
                assertNotNull(newer.accept(2000));
            }
        }
    }

    @Test
    void removeFileLetsQueuedConnectionsBeAcceptedButNewOnesFindNoSocket() throws Exception {
        Path sock = tmp.resolve("d/s");
        try (SeqpacketListener l = SeqpacketListener.bind(sock.toString(), 8);
             SeqpacketSocket queued = SeqpacketSocket.connect(sock.toString())) {
            l.removeFile();
            assertEquals(Errno.ENOENT, assertThrows(OsException.class, () -> SeqpacketSocket.connect(sock.toString())).errno());
            try (SeqpacketSocket accepted = l.accept(2000)) {
                assertNotNull(accepted);
            }
        }
    }

    @Test
    void anInheritedListeningSocketIsAcceptedAndOwnsNoFile() throws Exception {
        Path sock = tmp.resolve("d/s");
        try (SeqpacketListener bound = SeqpacketListener.bind(sock.toString(), 8)) {
            int fd = SocketCalls.seqpacketSocket("test");
            SocketCalls.bind(fd, tmp.resolve("d/inherited").toString().getBytes(StandardCharsets.UTF_8), "test");
            SocketCalls.listen(fd, 4, "test");
            try (SeqpacketListener inherited = SeqpacketListener.inherit(fd)) {
                assertFalse(inherited.ownsFile());
                try (SeqpacketSocket client = SeqpacketSocket.connect(tmp.resolve("d/inherited").toString())) {
                    assertNotNull(inherited.accept(2000));
                }
            }
            assertTrue(Files.exists(tmp.resolve("d/inherited"), LinkOption.NOFOLLOW_LINKS), "an inherited socket's file is not ours");
        }
    }

    @Test
    void anInheritedDescriptorThatDoesNotListenIsRefused() throws Exception {
        int[] pair = SocketCalls.seqpacketPair("test");
        try {
            OsException e = assertThrows(OsException.class, () -> SeqpacketListener.inherit(pair[0]));
            assertEquals(Errno.EINVAL, e.errno());
        } finally {
            dev.jcni.core.os.internal.Native.close(pair[0]);
            dev.jcni.core.os.internal.Native.close(pair[1]);
        }
    }
}
