package dev.jcni.core.os.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one process runner, against small shell scripts. No root needed. */
class ProcessRunnerTest {
    private static final Duration LONG = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final ProcessRunner runner = new ProcessRunner(20, Duration.ofMillis(50));

    private Path script(String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    /** The environment the script's shell was exec'd with: /proc/PID/environ, before the shell adds PWD and friends. */
    private static final String DUMP_ENVIRON = "tr '\\0' '\\n' < /proc/$$/environ";

    private static Map<String, String> parseEnv(String text) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (!line.isEmpty()) {
                int eq = line.indexOf('=');
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return env;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void argvAndStdinArePassedExactly() throws Exception {
        Path p = script("echo-args", "printf '[%s]\\n' \"$@\"; cat >&2");
        byte[] stdin = {'a', 0, '\n', (byte) 0xff, '"', 'z'};
        ProcessRunner.Outcome o = runner.run(List.of(p.toString(), "two words", "", "$HOME", "*", "a\"b"), Map.of(), stdin, LONG);
        assertEquals(0, o.exitCode());
        assertEquals("[two words]\n[]\n[$HOME]\n[*]\n[a\"b]\n", text(o.stdout()));
        assertArrayEquals(stdin, o.stderr(), "stdin reaches the program byte for byte (echoed on stderr)");
        assertFalse(o.timedOut());
        assertTrue(o.pid() > 0);
    }

    @Test
    void aGivenEnvironmentIsTheWholeEnvironment() throws Exception {
        Path p = script("env", DUMP_ENVIRON);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", "ADD");
        env.put("SPACED", "two words");
        env.put("EMPTY", "");
        env.put("EQUALS", "a=b;c=d");
        ProcessRunner.Outcome o = runner.run(List.of(p.toString()), env, null, LONG);
        assertEquals(env, parseEnv(text(o.stdout())), "no PATH, HOME or anything else of the JVM's");
    }

    @Test
    void aNullEnvironmentInheritsTheJvmsOwn() throws Exception {
        Path p = script("env", DUMP_ENVIRON);
        ProcessRunner.Outcome o = runner.run(List.of(p.toString()), null, null, LONG);
        assertEquals(System.getenv(), parseEnv(text(o.stdout())));
    }

    @Test
    void nullStdinIsDevNullAndOutputGoesThroughPrivateFilesThatAreRemoved() throws Exception {
        Path p = script("fds", "readlink /proc/$$/fd/0; for fd in 1 2; do f=$(readlink /proc/$$/fd/$fd); "
                + "echo \"$f $(stat -c %a \"$f\")\"; done; echo oops >&2; exit 3");
        ProcessRunner.Outcome o = runner.run(List.of(p.toString()), Map.of(), null, LONG);
        assertEquals(3, o.exitCode());
        assertEquals("oops\n", text(o.stderr()), "stderr apart from stdout");
        String[] lines = text(o.stdout()).split("\n");
        assertEquals("/dev/null", lines[0]);
        for (int i = 1; i <= 2; i++) {
            String[] fileAndMode = lines[i].split(" ");
            assertEquals("600", fileAndMode[1], "mode of " + fileAndMode[0]);
            assertFalse(Files.exists(Path.of(fileAndMode[0])), fileAndMode[0] + " is removed afterwards");
        }
    }

    @Test
    void theStdinFileIsPrivateToo() throws Exception {
        Path p = script("stdin-mode", "stat -c %a \"$(readlink /proc/$$/fd/0)\"");
        ProcessRunner.Outcome o = runner.run(List.of(p.toString()), Map.of(), "secret".getBytes(StandardCharsets.UTF_8), LONG);
        assertEquals("600\n", text(o.stdout()));
    }

    @Test
    void theDeadlineKillsTheWholeTree() throws Exception {
        Path pids = dir.resolve("pids");
        // The plugin starts a child (a subshell) which starts a grandchild, then all of them hang.
        Path p = script("hang", "echo $$ > '" + pids + ".root'\n"
                + "( sleep 60 & echo $! > '" + pids + ".grandchild'; wait ) &\n"
                + "echo $! > '" + pids + ".child'\n"
                + "while [ ! -s '" + pids + ".grandchild' ]; do sleep 0.01; done\n"
                + "echo started\n"
                + "sleep 60");
        long start = System.nanoTime();
        ProcessRunner.Outcome o = runner.run(List.of(p.toString()), Map.of(), null, Duration.ofMillis(700));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(o.timedOut());
        assertEquals(137, o.exitCode(), "ended by SIGKILL");
        assertEquals("started\n", text(o.stdout()), "what it printed before the deadline is kept");
        assertTrue(tookMs >= 600 && tookMs < 10_000, "took " + tookMs + " ms");
        assertEquals(readPid(pids + ".root"), o.pid());
        assertGone(readPid(pids + ".root"));
        assertGone(readPid(pids + ".child"));
        assertGone(readPid(pids + ".grandchild"));
    }

    @Test
    void aBackgroundChildHoldingStdoutDoesNotDelayTheReturn() throws Exception {
        Path pid = dir.resolve("bg.pid");
        Path p = script("leaves-child", "sleep 30 & echo $! > '" + pid + "'; echo done");
        long start = System.nanoTime();
        ProcessRunner.Outcome o = runner.run(List.of(p.toString()), Map.of(), null, LONG);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        try {
            assertFalse(o.timedOut());
            assertEquals(0, o.exitCode());
            assertEquals("done\n", text(o.stdout()));
            assertTrue(tookMs < 5_000, "waited for the background child: " + tookMs + " ms");
            assertTrue(ProcessHandle.of(readPid(pid.toString())).map(ProcessHandle::isAlive).orElse(false),
                    "the child is still running (else the test proves nothing)");
        } finally {
            ProcessHandle.of(readPid(pid.toString())).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void textFileBusyIsRetriedUntilTheWriterCloses() throws Exception {
        Path p = script("busy", "echo ran");
        FileOutputStream writer = new FileOutputStream(p.toFile(), true);
        Thread closer = new Thread(() -> {
            try {
                Thread.sleep(400);
                writer.close();
            } catch (Exception ignored) {
                // the exec below then keeps failing and the test fails on its own
            }
        });
        closer.start();
        long start = System.nanoTime();
        ProcessRunner.Outcome o = runner.run(List.of(p.toString()), Map.of(), null, LONG);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        closer.join();
        assertEquals("ran\n", text(o.stdout()));
        assertTrue(tookMs >= 350, "ran before the writer closed, so nothing was busy: " + tookMs + " ms");
    }

    @Test
    void textFileBusyWithoutRetriesFails() throws Exception {
        Path p = script("busy", "echo ran");
        FileOutputStream writer = new FileOutputStream(p.toFile(), true);
        try {
            IOException e = assertThrows(IOException.class,
                    () -> new ProcessRunner(0, Duration.ZERO).run(List.of(p.toString()), Map.of(), null, LONG));
            assertTrue(e.getMessage().contains("Text file busy"), e.getMessage());
        } finally {
            writer.close();
        }
    }

    @Test
    void aFileBusyForeverFailsAfterExactlyTheRetriesGiven() throws Exception {
        Path p = script("busy", "echo ran");
        try (FileOutputStream writer = new FileOutputStream(p.toFile(), true)) {
            ProcessRunner twoRetries = new ProcessRunner(2, Duration.ofMillis(500));
            long start = System.nanoTime();
            IOException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> assertThrows(IOException.class, () -> twoRetries.run(List.of(p.toString()), Map.of(), null, LONG)));
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(e.getMessage().contains("Text file busy"), e.getMessage());
            // Two pauses of 500 ms: a third retry would take 1.5 s.
            assertTrue(tookMs >= 950 && tookMs < 1_450, "two retries took " + tookMs + " ms");
        }
    }

    @Test
    void anInterruptDuringTheTextBusyPauseEndsTheRetriesAndIsKept() throws Exception {
        Path p = script("busy", "echo ran");
        try (FileOutputStream writer = new FileOutputStream(p.toFile(), true)) {
            Thread.currentThread().interrupt();
            IOException e = assertThrows(IOException.class,
                    () -> new ProcessRunner(5, Duration.ofSeconds(5)).run(List.of(p.toString()), Map.of(), null, LONG));
            assertTrue(Thread.interrupted(), "the interrupt status is restored for the caller");
            assertTrue(e.getMessage().contains("Text file busy"), e.getMessage());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aMissingProgramIsAnIoException() {
        IOException e = assertThrows(IOException.class,
                () -> runner.run(List.of(dir.resolve("nope").toString()), Map.of(), null, LONG));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }

    @Test
    void anInterruptedCallerKillsTheProgram() throws Exception {
        Path pid = dir.resolve("int.pid");
        Path p = script("hang", "echo $$ > '" + pid + "'; sleep 60");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                runner.run(List.of(p.toString()), Map.of(), null, LONG);
            } catch (Throwable t) {
                thrown.set(t);
                interruptKept.set(Thread.currentThread().isInterrupted());
            }
        });
        caller.start();
        for (int i = 0; i < 200 && !Files.exists(pid); i++) {
            Thread.sleep(20);
        }
        Thread.sleep(100);
        caller.interrupt();
        caller.join(10_000);
        assertTrue(thrown.get() instanceof InterruptedIOException, String.valueOf(thrown.get()));
        assertTrue(interruptKept.get(), "the caller's interrupt status is restored for its own callers");
        assertGone(readPid(pid.toString()));
    }

    private final java.util.concurrent.atomic.AtomicBoolean interruptKept = new java.util.concurrent.atomic.AtomicBoolean();

    @Test
    void onlyTextFileBusyIsRetried() throws Exception {
        ProcessRunner slowRetries = new ProcessRunner(1, Duration.ofSeconds(2));
        long start = System.nanoTime();
        assertThrows(IOException.class, () -> slowRetries.run(List.of(dir.resolve("nope").toString()), Map.of(), null, LONG));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMs < 1_500, "a missing program was retried: " + tookMs + " ms");
    }

    @Test
    void theStdinFileIsGoneAfterwardsAndElapsedIsTheRun() throws Exception {
        Path p = script("stdin-path", "readlink /proc/$$/fd/0; sleep 0.2");
        ProcessRunner.Outcome o = runner.run(List.of(p.toString()), Map.of(), "x".getBytes(StandardCharsets.UTF_8), LONG);
        Path stdinFile = Path.of(text(o.stdout()).trim());
        assertTrue(stdinFile.isAbsolute(), text(o.stdout()));
        assertFalse(Files.exists(stdinFile), stdinFile + " is left behind");
        assertTrue(o.elapsed().toMillis() >= 150 && o.elapsed().toMillis() < 20_000, "elapsed " + o.elapsed());
    }

    private static long readPid(String file) throws IOException {
        for (int i = 0; i < 100; i++) {
            String s = Files.exists(Path.of(file)) ? Files.readString(Path.of(file)).trim() : "";
            if (!s.isEmpty()) {
                return Long.parseLong(s);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("no pid in " + file);
    }

    /** Neither running nor a zombie: /proc has no entry left. */
    static void assertGone(long pid) throws Exception {
        Path stat = Path.of("/proc/" + pid + "/stat");
        for (int i = 0; i < 50 && Files.exists(stat); i++) {
            Thread.sleep(100);
        }
        if (Files.exists(stat)) {
            List<String> lines = new ArrayList<>(Files.readAllLines(stat));
            throw new AssertionError("process " + pid + " is still there: " + lines);
        }
    }
}
