package dev.jcni.core.os.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.os.internal.Native;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of file a hostile party could put where we read input, against the real kernel; no root needed. */
class UntrustedFilesTest {
    private static final Duration NO_HANG = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private FileRead read(Path p, int max) {
        return assertTimeoutPreemptively(NO_HANG, () -> UntrustedFiles.read(p.toString(), max));
    }

    private void assertRefused(FileRead r, String reasonPart) {
        assertEquals(FileRead.Kind.REFUSED, r.kind(), r.toString());
        assertTrue(r.reason().contains(reasonPart), r.reason());
        assertThrows(IllegalStateException.class, r::content);
    }

    @Test
    void aRegularFileOfOursIsRead() throws Exception {
        Path f = dir.resolve("ok.json");
        Files.writeString(f, "{\"mtu\":1500}");
        FileRead r = read(f, 64);
        assertEquals(FileRead.Kind.CONTENT, r.kind());
        assertArrayEquals("{\"mtu\":1500}".getBytes(StandardCharsets.UTF_8), r.content());
    }

    @Test
    void nothingThereIsAbsent() {
        FileRead r = read(dir.resolve("none"), 64);
        assertTrue(r.isAbsent(), r.toString());
    }

    @Test
    void exactlyTheBoundIsReadOneByteMoreIsRefused() throws Exception {
        Path f = dir.resolve("big");
        Files.write(f, new byte[20_000]);
        assertEquals(20_000, read(f, 20_000).content().length);
        assertRefused(read(f, 19_999), "larger than 19999 bytes");
        Path empty = Files.createFile(dir.resolve("empty"));
        assertEquals(0, read(empty, 0).content().length);
    }

    @Test
    void theBoundHoldsForFilesThatReportNoSize() {
        // /proc files stat as size 0; this one is ours and far longer than 100 bytes.
        assertRefused(read(Path.of("/proc/self/maps"), 100), "larger than 100 bytes");
    }

    @Test
    void aSymbolicLinkIsRefusedNotFollowed() throws Exception {
        Path target = dir.resolve("target");
        Files.writeString(target, "x");
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        assertRefused(read(link, 64), "symbolic link");
        assertRefused(read(Files.createSymbolicLink(dir.resolve("zero"), Path.of("/dev/zero")), 64), "symbolic link");
    }

    @Test
    void aFifoIsRefusedWithoutWaitingForAWriter() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        assertRefused(read(fifo, 64), "FIFO");
    }

    @Test
    void devicesDirectoriesAndSocketsAreRefused() throws Exception {
        assertRefused(read(Path.of("/dev/zero"), 64), "character device");
        assertRefused(read(dir, 64), "directory");
        Path socket = dir.resolve("sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            assertRefused(read(socket, 64), "not a regular file");
        }
    }

    @Test
    void aFileOfAnotherOwnerIsRefused() throws Exception {
        Path foreign;
        if (Native.geteuid() == 0) {
            foreign = dir.resolve("foreign");
            Files.writeString(foreign, "{}");
            Files.setAttribute(foreign, "unix:uid", 65534);
        } else {
            foreign = Path.of("/etc/passwd"); // root's, readable by all
        }
        assertRefused(read(foreign, 1 << 20), "owned by uid");
    }

    @Test
    void aFileEveryoneMayWriteIsRefused() throws Exception {
        Path f = dir.resolve("open");
        Files.writeString(f, "x");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertRefused(read(f, 64), "writable by every user (mode 666)");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw-r--"));
        assertEquals(FileRead.Kind.CONTENT, read(f, 64).kind(), "group-writable is the owner's business");
    }

    // readPrefix: a file recognised by its beginning (the native launcher's header).

    private FileRead readPrefix(Path p, int max) {
        return assertTimeoutPreemptively(NO_HANG, () -> UntrustedFiles.readPrefix(p.toString(), max));
    }

    @Test
    void aPrefixIsTheFilesFirstBytesWhateverItsSize() throws Exception {
        byte[] bytes = new byte[50_000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        Path f = Files.write(dir.resolve("big"), bytes);
        assertArrayEquals(java.util.Arrays.copyOf(bytes, 20_000), readPrefix(f, 20_000).content());
        assertArrayEquals(bytes, readPrefix(f, 60_000).content(), "a shorter file is read whole");
        assertArrayEquals(bytes, readPrefix(f, 50_000).content());
        assertEquals(0, readPrefix(f, 0).content().length);
        assertEquals(100, readPrefix(Path.of("/proc/self/maps"), 100).content().length, "a file that reports no size");
    }

    @Test
    void aPrefixIsReadUnderEveryOtherRule() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        assertRefused(readPrefix(fifo, 64), "FIFO");
        Path target = Files.writeString(dir.resolve("target"), "x");
        assertRefused(readPrefix(Files.createSymbolicLink(dir.resolve("link"), target), 64), "symbolic link");
        assertRefused(readPrefix(Path.of("/dev/zero"), 64), "character device");
        Path open = Files.writeString(dir.resolve("open"), "x");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertRefused(readPrefix(open, 64), "writable by every user");
        assertTrue(readPrefix(dir.resolve("none"), 64).isAbsent());
        assertThrows(IllegalArgumentException.class, () -> UntrustedFiles.readPrefix(target.toString(), -1));
    }

    @Test
    void aNegativeBoundIsABug() {
        assertThrows(IllegalArgumentException.class, () -> UntrustedFiles.read(dir.toString(), -1));
    }

    // readWorldReadable: a shared file a config names (resolvConf).

    private FileRead readShared(Path p, int max) {
        return assertTimeoutPreemptively(NO_HANG, () -> UntrustedFiles.readWorldReadable(p.toString(), max));
    }

    @Test
    void aWorldReadableFileIsReadWhoeverOwnsItAndThroughLinks() throws Exception {
        assertEquals(FileRead.Kind.CONTENT, readShared(Path.of("/etc/passwd"), 1 << 20).kind(), "root's, readable by all");
        Path f = dir.resolve("resolv.conf");
        Files.writeString(f, "nameserver 10.0.0.1\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), f);
        assertArrayEquals("nameserver 10.0.0.1\n".getBytes(StandardCharsets.UTF_8), readShared(link, 64).content());
        assertTrue(readShared(dir.resolve("none"), 64).isAbsent());
        assertTrue(readShared(Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("none")), 64).isAbsent());
    }

    @Test
    void aFileOthersMayNotReadIsRefusedEvenIfOurs() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path f = dir.resolve("secret");
        Files.writeString(f, "nameserver 10.0.0.1\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        assertRefused(readShared(f, 64), "not readable by every user (mode 640)");
    }

    @Test
    void aReadableFileInADirectoryOthersCannotEnterIsRefused() throws Exception {
        Path inner = Files.createDirectory(dir.resolve("private"));
        Path f = inner.resolve("resolv.conf");
        Files.writeString(f, "nameserver 10.0.0.1\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(inner, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertRefused(readShared(f, 64), "which not every user may enter (mode 700)");
    }

    @Test
    void sharedReadsRefuseDevicesFifosAndLargeFiles() throws Exception {
        assertRefused(readShared(Path.of("/dev/zero"), 64), "character device");
        assertRefused(readShared(Path.of("/dev/null"), 64), "character device");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", "-m", "644", fifo.toString()).start().waitFor());
        assertRefused(readShared(fifo, 64), "FIFO");
        Path big = dir.resolve("big");
        Files.write(big, new byte[100]);
        Files.setPosixFilePermissions(big, PosixFilePermissions.fromString("rw-r--r--"));
        assertRefused(readShared(big, 99), "larger than 99 bytes");
        assertEquals(100, readShared(big, 100).content().length);
    }

    @Test
    void aReadLeavesNoDescriptorOpen() throws Exception {
        Path file = Files.writeString(dir.resolve("state.json"), "{}");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        FileRead r = read(file, 100);
        assertArrayEquals("{}".getBytes(StandardCharsets.UTF_8), r.content());
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
        assertEquals(0, open, "the file is still open");
    }

    @Test
    void eachKindSaysWhatItIs() {
        FileRead absent = FileRead.absent("/a");
        FileRead refused = FileRead.refused("/r", "is a FIFO");
        FileRead content = FileRead.content("/c", new byte[3]);
        assertTrue(absent.isAbsent() && !absent.isRefused());
        assertTrue(refused.isRefused() && !refused.isAbsent());
        assertTrue(!content.isRefused() && !content.isAbsent());
        assertEquals("/a: absent", absent.toString());
        assertEquals("/r: refused, is a FIFO", refused.toString());
        assertEquals("/c: 3 bytes", content.toString());
        assertEquals("/r", refused.path());
        assertEquals("is a FIFO", refused.reason());
        assertThrows(IllegalStateException.class, refused::content);
    }
}
