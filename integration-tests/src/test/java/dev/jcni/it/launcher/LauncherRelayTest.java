package dev.jcni.it.launcher;

import static dev.jcni.it.launcher.LauncherBeforeAcceptTest.CONFIG;
import static dev.jcni.it.launcher.LauncherBeforeAcceptTest.env;
import static dev.jcni.it.launcher.LauncherBeforeAcceptTest.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.jcni.core.os.process.ProcessRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A daemon's RESULT reaches the caller byte for byte: stdout, stderr and the exit code. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LauncherRelayTest {
    @TempDir
    Path dir;
    StandIn plugin;

    @BeforeEach
    void setUp() throws Exception {
        plugin = StandIn.create(dir, "tuning");
    }

    private void assertRelayed(byte[] stdout, byte[] stderr, int exit) throws Exception {
        Path d = dir.resolve("d-" + exit + "-" + stdout.length);
        Files.createDirectories(d);
        Path out = Files.write(d.resolve("out.bin"), stdout);
        Path err = Files.write(d.resolve("err.bin"), stderr);
        try (FakeJcnid daemon = FakeJcnid.start(d, "result", "--exit", String.valueOf(exit), "--stdout", out.toString(), "--stderr",
                err.toString())) {
            ProcessRunner.Outcome o = plugin.run(env("ADD", daemon.socket()), CONFIG);
            assertFalse(plugin.ran(), "served by the daemon, not in-process");
            assertEquals(exit, o.exitCode());
            assertEquals(stdout.length, o.stdout().length, "stdout length");
            assertArrayEquals(stdout, o.stdout(), "stdout");
            assertArrayEquals(stderr, o.stderr(), "stderr");
        }
    }

    @Test
    void binaryOutputSpanningManyMessagesAndEveryExitCode() throws Exception {
        byte[] everyByte = new byte[256 * 1200]; // 300 KiB: five DATA messages
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i;
        }
        assertRelayed(everyByte, random(70_000, 1), 42);
        assertRelayed(new byte[0], new byte[0], 0);
        assertRelayed("{\"code\":7,\"msg\":\"bad\"}".getBytes(StandardCharsets.UTF_8), new byte[] {0, 10, 13}, 1);
        assertRelayed(new byte[] {'\n'}, random(65_528, 2), 255); // stderr exactly one DATA message's payload
        assertRelayed(random(65_529, 3), new byte[0], 3);         // one byte more: two messages
    }

    /**
     * A caller that stops reading stdout (the runtime gave up) gets the daemon's exit code, as
     * from the JVM, which ignores SIGPIPE too: the launcher is not killed by the signal (141).
     */
    @Test
    void aClosedStdoutEndsTheLauncherWithTheExitCodeNotSigpipe() throws Exception {
        Path out = Files.write(dir.resolve("out.bin"), random(1 << 20, 4)); // more than a pipe holds
        try (FakeJcnid daemon = FakeJcnid.start(dir.resolve("d"), "result", "--exit", "42", "--stdout", out.toString())) {
            Map<String, String> env = env("ADD", daemon.socket());
            env.put("PATH", "/usr/bin:/bin");
            ProcessRunner.Outcome o = new ProcessRunner().run(List.of("/bin/bash", "-c",
                    "'" + plugin.launcher() + "' </dev/null | /bin/true; echo \"status ${PIPESTATUS[0]}\""), env, null,
                    Duration.ofSeconds(60));
            assertEquals("status 42\n", new String(o.stdout(), StandardCharsets.UTF_8));
            assertEquals(1, daemon.requests().size());
        }
    }
}
