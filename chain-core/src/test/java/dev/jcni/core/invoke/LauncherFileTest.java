package dev.jcni.core.invoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An executable on CNI_PATH stands for a launcher script when it is one, or when it is our native
 * launcher with a script at lib/jvm/<its name> beside it; nothing else does.
 */
class LauncherFileTest {
    static final String MAIN = "dev.jcni.hostlocal.HostLocalPlugin";

    @TempDir
    Path root;
    Path bin;

    @BeforeEach
    void setUp() throws Exception {
        bin = Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(bin.resolve("lib/jvm"));
    }

    /** An ELF file of {@code size} bytes with the marker at {@code markerAt} (no marker when negative). */
    static byte[] elf(int size, int markerAt) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) 0x90);
        b[0] = 0x7f;
        b[1] = 'E';
        b[2] = 'L';
        b[3] = 'F';
        if (markerAt >= 0) {
            byte[] m = (LauncherFile.NATIVE_MARKER + " build=0123456789abcdef").getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(m, 0, b, markerAt, m.length);
        }
        return b;
    }

    private Path file(Path p, byte[] content) throws Exception {
        Files.write(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private Path script(String name, String header) throws Exception {
        return file(bin.resolve("lib/jvm").resolve(name),
                LauncherScriptTest.launcher(header, MAIN, LauncherScriptTest.CP).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aScriptStandsForItself() throws Exception {
        Path p = file(bin.resolve("cnictl"), LauncherScriptTest.launcher("host-local", MAIN, LauncherScriptTest.CP)
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(new LauncherScript("host-local", MAIN, LauncherScriptTest.CP), LauncherFile.read(p).script());
    }

    @Test
    void theNativeLauncherStandsForTheScriptBesideIt() throws Exception {
        // As large as the static launcher: only a prefix is read.
        Path exe = file(bin.resolve("host-local"), elf(800_000, 0x2d4));
        script("host-local", "host-local");
        LauncherFile f = LauncherFile.read(exe);
        assertEquals(new LauncherScript("host-local", MAIN, LauncherScriptTest.CP), f.script(), f.problem());
        Path link = Files.createSymbolicLink(root.resolve("ipam"), exe);
        assertEquals("host-local", LauncherFile.read(link).script().name(),
                "behind a link, the real file's name picks the script, as /proc/self/exe does for the launcher");
    }

    @Test
    void theMarkerIsLookedForInTheFirstFourKilobytesOfAnElfFile() {
        assertTrue(LauncherFile.isNativeLauncher(elf(5000, 4096 - LauncherFile.NATIVE_MARKER.length())));
        assertFalse(LauncherFile.isNativeLauncher(elf(5000, 4097 - LauncherFile.NATIVE_MARKER.length())), "one byte too far");
        assertFalse(LauncherFile.isNativeLauncher(elf(5000, -1)), "no marker");
        byte[] notElf = elf(5000, 100);
        notElf[1] = 'X';
        assertFalse(LauncherFile.isNativeLauncher(notElf), "not ELF");
        assertFalse(LauncherFile.isNativeLauncher(new byte[] {0x7f, 'E', 'L'}), "shorter than the magic");
        byte[] cut = Arrays.copyOf(elf(5000, 100), 100 + LauncherFile.NATIVE_MARKER.length() - 1);
        assertFalse(LauncherFile.isNativeLauncher(cut), "half a marker at the end");
    }

    @Test
    void aNativeLauncherWithoutItsScriptStandsForNothing() throws Exception {
        Path exe = file(bin.resolve("host-local"), elf(40_000, 0x300));
        LauncherFile missing = LauncherFile.read(exe);
        assertNull(missing.script());
        assertTrue(missing.problem().contains("lib/jvm/host-local is missing"), missing.problem());

        Files.writeString(bin.resolve("lib/jvm/host-local"), "#!/bin/sh\nexec /usr/bin/env \"$@\"\n");
        assertTrue(LauncherFile.read(exe).problem().contains("is not a jcni launcher script"), LauncherFile.read(exe).problem());

        Path s = script("host-local", "host-local");
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertTrue(LauncherFile.read(exe).problem().contains("writable by every user"), LauncherFile.read(exe).problem());

        Files.delete(s);
        Files.createSymbolicLink(s, root.resolve("elsewhere"));
        assertTrue(LauncherFile.read(exe).problem().contains("symbolic link"), LauncherFile.read(exe).problem());
    }

    @Test
    void otherFilesStandForNothing() throws Exception {
        Path far = file(bin.resolve("far"), elf(40_000, 10_000));
        script("far", "far");
        assertEquals("is larger than 16384 bytes", LauncherFile.read(far).problem(), "the marker beyond the window: no native launcher");
        Path text = file(bin.resolve("text"), ("#!/bin/sh\n# " + LauncherFile.NATIVE_MARKER + "\nexec /bin/true\n").getBytes(StandardCharsets.UTF_8));
        script("text", "text");
        assertEquals("is not a jcni launcher", LauncherFile.read(text).problem(), "the marker alone does not make a native launcher");
        Path writable = file(bin.resolve("open"), elf(40_000, 0x300));
        script("open", "open");
        Files.setPosixFilePermissions(writable, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertTrue(LauncherFile.read(writable).problem().contains("writable by every user"));
        assertTrue(LauncherFile.read(bin.resolve("absent")).problem().startsWith("cannot be read"));
    }
}
