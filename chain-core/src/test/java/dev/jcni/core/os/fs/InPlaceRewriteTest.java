package dev.jcni.core.os.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.os.internal.Native;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** In-place rewrites against the real kernel: what is rewritten keeps its inode, what is not ours is left exactly as it was. */
class InPlaceRewriteTest {
    private static final Duration NO_HANG = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private static boolean rewrite(Path p, String content) {
        return assertTimeoutPreemptively(NO_HANG, () -> InPlaceRewrite.rewrite(p.toString(), content.getBytes(StandardCharsets.US_ASCII)));
    }

    private static Object inode(Path p) throws Exception {
        return Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void aFileOfOursGetsTheNewContentInTheSameInode() throws Exception {
        Path f = dir.resolve("last_reserved_ip.0");
        Files.writeString(f, "10.1.2.100");
        Object before = inode(f);
        assertTrue(rewrite(f, "10.1.2.7"));
        assertEquals("10.1.2.7", Files.readString(f), "shorter content leaves nothing of the longer one");
        assertTrue(rewrite(f, "fd00::1234:5678"));
        assertEquals("fd00::1234:5678", Files.readString(f));
        assertEquals(before, inode(f));
        assertTrue(rewrite(f, ""));
        assertEquals(0, Files.size(f));
    }

    @Test
    void nothingThereIsNotCreated() {
        Path f = dir.resolve("absent");
        assertFalse(rewrite(f, "x"));
        assertFalse(Files.exists(f, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aSymbolicLinkIsNeitherFollowedNorChanged() throws Exception {
        Path target = Files.writeString(dir.resolve("target"), "keep");
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        assertFalse(rewrite(link, "x"));
        assertEquals("keep", Files.readString(target));
        assertTrue(Files.isSymbolicLink(link));
    }

    @Test
    void aFifoADirectoryAndADeviceAreLeftWithoutBlocking() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        assertFalse(rewrite(fifo, "x"));
        assertFalse(rewrite(dir, "x"));
        assertFalse(rewrite(Path.of("/dev/null"), "x"));
    }

    @Test
    void aFileOfAnotherOwnerOrWritableByEveryoneIsLeftAsItWas() throws Exception {
        Path open = Files.writeString(dir.resolve("open"), "keep");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertFalse(rewrite(open, "x"));
        assertEquals("keep", Files.readString(open));
        if (Native.geteuid() == 0) {
            Path foreign = Files.writeString(dir.resolve("foreign"), "keep");
            Files.setAttribute(foreign, "unix:uid", 65534);
            assertFalse(rewrite(foreign, "x"));
            assertEquals("keep", Files.readString(foreign));
        }
    }
}
