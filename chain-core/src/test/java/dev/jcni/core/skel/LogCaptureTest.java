package dev.jcni.core.skel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node-daemon request's own log: its lines, name, context and file, apart from every other request's and the process's. */
class LogCaptureTest {
    @TempDir
    Path tmp;
    private ByteArrayOutputStream process;

    @BeforeEach
    void setUp() {
        process = new ByteArrayOutputStream();
        Log.redirect(new PrintStream(process, true, StandardCharsets.UTF_8));
        Log.configure("proc", null, false);
        Log.setContext("");
    }

    @AfterEach
    void tearDown() {
        Log.configure("fake", null, false);
        Log.redirect(System.err);
    }

    private static String text(ByteArrayOutputStream b) {
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aCapturedRequestsLinesGoToItsStreamAndNotTheProcesss() {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        try (Log.Capture c = Log.capture(new PrintStream(request, true, StandardCharsets.UTF_8))) {
            Log.configure("tuning", null, false);
            Log.setContext("ADD c1/eth0");
            Log.warn("inside");
            Log.info("not on stderr without debug");
        }
        Log.warn("outside");
        assertEquals("tuning: WARN [ADD c1/eth0] inside\n", text(request));
        assertEquals("proc: WARN outside\n", text(process), "the process's name and context were not touched");
    }

    @Test
    void closingANestedCaptureGivesTheLogBackToTheOuterOne() {
        ByteArrayOutputStream outer = new ByteArrayOutputStream();
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        try (Log.Capture o = Log.capture(new PrintStream(outer, true, StandardCharsets.UTF_8))) {
            Log.configure("bridge", null, false);
            try (Log.Capture i = Log.capture(new PrintStream(inner, true, StandardCharsets.UTF_8))) {
                Log.configure("host-local", null, false);
                Log.warn("nested");
            }
            Log.warn("after the nested one");
        }
        assertEquals("host-local: WARN nested\n", text(inner));
        assertEquals("bridge: WARN after the nested one\n", text(outer));
        assertEquals("", text(process), "nothing reached the process's own log");
    }

    @Test
    void concurrentRequestsNeverMixTheirLinesAndTheirThreadsInherit() throws Exception {
        int requests = 8;
        ByteArrayOutputStream[] streams = new ByteArrayOutputStream[requests];
        Thread[] threads = new Thread[requests];
        CountDownLatch allCapturing = new CountDownLatch(requests);
        for (int i = 0; i < requests; i++) {
            int n = i;
            streams[i] = new ByteArrayOutputStream();
            threads[i] = new Thread(() -> {
                try (Log.Capture c = Log.capture(new PrintStream(streams[n], true, StandardCharsets.UTF_8))) {
                    Log.configure("p" + n, null, false);
                    allCapturing.countDown();
                    allCapturing.await();
                    for (int k = 0; k < 50; k++) {
                        Log.warn("line " + k);
                    }
                    // A thread the request starts (a namespace task, a helper) logs into the request.
                    Thread helper = new Thread(() -> Log.error("from a helper"));
                    helper.start();
                    helper.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        for (int i = 0; i < requests; i++) {
            List<String> lines = text(streams[i]).lines().toList();
            assertEquals(51, lines.size(), text(streams[i]));
            for (int k = 0; k < 50; k++) {
                assertEquals("p" + i + ": WARN line " + k, lines.get(k));
            }
            assertEquals("p" + i + ": ERROR from a helper", lines.get(50));
        }
        assertEquals("", text(process));
    }

    @Test
    void aRequestsLogFileIsItsOwnAndClosedWithTheCapture() throws Exception {
        Path file = tmp.resolve("req.log");
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        try (Log.Capture c = Log.capture(new PrintStream(request, true, StandardCharsets.UTF_8))) {
            Log.configure("tuning", file.toString(), false);
            Log.info("to the file only");
            assertEquals(1, openDescriptorsOn(file));
        }
        assertEquals(0, openDescriptorsOn(file), "the capture closes the request's file");
        Log.info("process line, no file");
        List<String> lines = Files.readAllLines(file);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).endsWith(" tuning: INFO to the file only"), lines.get(0));
        assertEquals("", text(request));
    }

    @Test
    void aNestedDelegateInsideACaptureLogsUnderItsNameAndTheCallersComesBack() {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        try (Log.Capture c = Log.capture(new PrintStream(request, true, StandardCharsets.UTF_8))) {
            Log.configure("bridge", null, false);
            Log.setContext("ADD c/eth0");
            Log.Saved saved = Log.save();
            Log.configure("host-local", null, false);
            Log.warn("delegate");
            Log.restore(saved);
            Log.warn("caller");
        }
        assertEquals("host-local: WARN delegate\nbridge: WARN [ADD c/eth0] caller\n", text(request));
    }

    private static long openDescriptorsOn(Path file) throws Exception {
        long n = 0;
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).equals(file)) {
                        n++;
                    }
                } catch (java.io.IOException gone) {
                    // closed meanwhile
                }
            }
        }
        return n;
    }

    @Test
    void aRequestsPhaseListenerHearsEveryPhaseWithoutDebugAndOnlyItsOwn() throws Exception {
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        try (Log.Capture c = Log.capture(new PrintStream(request, true, StandardCharsets.UTF_8), heard::add)) {
            Log.configure("bridge", null, false);
            Log.timing("veth pair");
            Thread child = new Thread(() -> Log.timing("IPAM ADD"));
            child.start();
            child.join();
        }
        Log.timing("outside");
        try (Log.Capture other = Log.capture(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            Log.timing("another request");
        }
        assertEquals(List.of("veth pair", "IPAM ADD"), heard);
        assertEquals("", text(request), "no debug line without JCNI_DEBUG");
    }
}
