package dev.jcni.core.skel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log (issue 6, hole 2): every line stays one line whatever a value holds, and the node's log
 * file is opened only when it is plainly a log: absent (then created 0600) or a regular file of
 * ours with one link, in a directory others cannot swap it in, never on a kernel file system,
 * never a FIFO (which would hang the plugin).
 */
class LogTest {
    @TempDir
    Path tmp;
    private ByteArrayOutputStream stderr;

    @BeforeEach
    void capture() {
        stderr = new ByteArrayOutputStream();
        Log.redirect(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        Log.configure("fake", null, false);
        Log.setContext("");
    }

    @AfterEach
    void restore() {
        Log.configure("fake", null, false);
        Log.setContext("");
        Log.redirect(System.err);
    }

    private String err() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aValueCannotForgeALine() throws Exception {
        Path file = tmp.resolve("plugin.log");
        Log.configure("fake", file.toString(), false);
        String forged = "2026-01-01T00:00:00Z fake: ERROR forged";
        Log.error("CNI_NETNS \"/x\n" + forged + "\r\u0085\u2028\u2029\u001b[31m\u007f\t\"");
        List<String> lines = Files.readAllLines(file);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).endsWith("CNI_NETNS \"/x\\n" + forged + "\\r\\x85\\u2028\\u2029\\x1b[31m\\x7f\\t\""), lines.get(0));
        assertEquals(1, err().split("\n", -1).length - 1, err());
        assertFalse(err().contains("\r"), err());
    }

    @Test
    void switchingTheFileClosesTheFirstAndLogsToTheSecond() throws Exception {
        Path first = tmp.resolve("first.log");
        Path second = tmp.resolve("second.log");
        Log.configure("fake", first.toString(), false);
        Log.warn("one");
        Log.configure("fake", first.toString(), false);
        Log.warn("two");
        assertEquals(1, descriptorsOn(first), "configuring the same file again opens it once");
        Log.configure("fake", second.toString(), false);
        Log.warn("three");
        assertEquals(0, descriptorsOn(first), "the first file is still open");
        Log.configure("fake", null, false);
        Log.warn("four");
        assertEquals(0, descriptorsOn(second), "the second file is still open");
        assertEquals(2, Files.readAllLines(first).size());
        assertTrue(Files.readAllLines(first).get(1).endsWith("fake: WARN two"));
        List<String> inSecond = Files.readAllLines(second);
        assertEquals(1, inSecond.size(), inSecond.toString());
        assertTrue(inSecond.get(0).endsWith("fake: WARN three"), inSecond.toString());
    }

    /** Descriptors of this process open on {@code file}. */
    private static int descriptorsOn(Path file) throws Exception {
        int n = 0;
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    if (Files.readSymbolicLink(fd).equals(file)) {
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
    void debugLinesNeedDebug() {
        Log.debug("hidden");
        assertEquals("", err());
        Log.configure("fake", null, true);
        Log.setContext("ADD c/eth0");
        Log.debug("shown");
        Log.info("also shown with debug");
        assertEquals("fake: DEBUG [ADD c/eth0] shown\nfake: INFO [ADD c/eth0] also shown with debug\n", err());
    }

    @Test
    void everyTypeOfFileHasAName() {
        assertEquals("a symbolic link", LogFile.typeName(0120777));
        assertEquals("a FIFO", LogFile.typeName(0010644));
        assertEquals("a character device", LogFile.typeName(0020666));
        assertEquals("a block device", LogFile.typeName(0060660));
        assertEquals("a directory", LogFile.typeName(0040755));
        assertEquals("a socket", LogFile.typeName(0140755));
        assertEquals("a file of mode 100644", LogFile.typeName(0100644));
    }

    @Test
    void plainTextIsLeftAlone() {
        String text = "sysctl net.ipv4.conf.eth0.rp_filter: 1 -> 2 (\u00e9, \\n stays as typed)";
        assertEquals(text, Log.escape(text));
    }

    @Test
    void anAbsentFileIsCreatedPrivateAndGetsInfoLines() throws Exception {
        Path file = tmp.resolve("plugin.log");
        Log.configure("fake", file.toString(), false);
        Log.info("first");
        Log.info("second");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(1).endsWith("fake: INFO second"), lines.get(1));
        assertEquals("", err(), "info lines are not for stderr");
    }

    @Test
    void anExistingLogIsAppendedTo() throws Exception {
        Path file = Files.writeString(tmp.resolve("plugin.log"), "earlier line\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        Log.configure("fake", file.toString(), false);
        Log.warn("later");
        List<String> lines = Files.readAllLines(file);
        assertEquals("earlier line", lines.get(0));
        assertTrue(lines.get(1).endsWith("fake: WARN later"), lines.toString());
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), "an existing file keeps its mode");
    }

    @Test
    void aSymbolicLinkIsNotFollowed() throws Exception {
        Path target = Files.writeString(tmp.resolve("host-file"), "precious\n");
        Path link = Files.createSymbolicLink(tmp.resolve("plugin.log"), target);
        assertRefused(link, "a symbolic link");
        assertEquals("precious\n", Files.readString(target));
    }

    @Test
    void aDanglingSymbolicLinkCreatesNothing() throws Exception {
        Path target = tmp.resolve("created-through-the-link");
        Path link = Files.createSymbolicLink(tmp.resolve("plugin.log"), target);
        assertRefused(link, "a symbolic link");
        assertFalse(Files.exists(target));
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aFifoIsRefusedWithoutWaitingForAReader() throws Exception {
        Path fifo = tmp.resolve("plugin.log");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor());
        assertRefused(fifo, "a FIFO");
    }

    @Test
    void aDeviceOrADirectoryIsRefused() throws Exception {
        assertRefused(Path.of("/dev/null"), "a character device");
        assertRefused(Files.createDirectory(tmp.resolve("dir")), "a directory");
    }

    @Test
    void kernelSettingsAreNeverALog() throws Exception {
        String before = Files.readString(Path.of("/proc/self/comm"));
        assertRefused(Path.of("/proc/self/comm"), "kernel settings");
        assertRefused(Path.of("/proc/sys/kernel/jcni-test-new-file"), "kernel settings");
        assertEquals(before, Files.readString(Path.of("/proc/self/comm")));
        // The file system decides, not the spelling: /proc reached through another path.
        Path procThroughLink = Files.createSymbolicLink(tmp.resolve("proc"), Path.of("/proc/self"));
        assertRefused(procThroughLink.resolve("comm"), "kernel file system (proc)");
        // A new file there is refused for its directory's file system, before anything is created.
        assertRefused(procThroughLink.resolve("jcni-new-file"), "kernel file system (proc)");
    }

    @Test
    void aHardLinkIsRefused() throws Exception {
        Path original = Files.writeString(tmp.resolve("original"), "precious\n");
        Path link = Files.createLink(tmp.resolve("plugin.log"), original);
        assertRefused(link, "2 hard links");
        assertEquals("precious\n", Files.readString(original));
    }

    @Test
    void aDirectoryOthersMayWriteIsRefusedUnlessSticky() throws Exception {
        Path open = Files.createDirectory(tmp.resolve("open"));
        Files.setAttribute(open, "unix:mode", 0777);
        assertRefused(open.resolve("plugin.log"), "its directory " + open + " is writable by others and not sticky (mode 777)");
        assertFalse(Files.exists(open.resolve("plugin.log")));

        Path sticky = Files.createDirectory(tmp.resolve("sticky"));
        Files.setAttribute(sticky, "unix:mode", 01777);
        Log.configure("fake", sticky.resolve("plugin.log").toString(), false);
        Log.info("in a sticky directory, as /tmp");
        assertEquals(1, Files.readAllLines(sticky.resolve("plugin.log")).size());
    }

    @Test
    void someoneElsesFileIsRefused() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to give a file away");
        Path file = Files.writeString(tmp.resolve("plugin.log"), "");
        Files.setAttribute(file, "unix:uid", 65534);
        assertRefused(file, "owned by uid 65534");
        assertEquals(0, Files.size(file));
    }

    /** Refused with a warning on stderr naming why; logging goes on, on stderr alone. */
    private void assertRefused(Path path, String why) throws Exception {
        stderr.reset();
        Log.configure("fake", path.toString(), false);
        String warning = err();
        assertTrue(warning.contains("ignoring JCNI_LOG_FILE \"" + path + "\"") && warning.contains(why), warning);
        assertEquals(1, warning.split("\n", -1).length - 1, warning);
        Log.error("still logged");
        assertTrue(err().contains("fake: ERROR still logged"), err());
    }
}
