package dev.jcni.it.hostlocal;

import dev.jcni.it.support.TestNetns;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the host-local launcher test classes start from: one sandbox per class (host-local never
 * enters it, but ADD and CHECK must name one) with the {@link HostLocalExec} that runs the
 * launchers in it, and a fresh data directory for each test. The statics belong to the class
 * that is running: JUnit runs these classes one after another here (no parallel execution is
 * configured), each opening its own sandbox before its first test and closing it after its last.
 * Each subclass keeps its own class-level {@code @Timeout}.
 */
abstract class HostLocalSandboxTest {
    private static TestNetns sandbox;
    static HostLocalExec exec;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void openSandbox() {
        sandbox = TestNetns.create();
        exec = new HostLocalExec(sandbox);
    }

    @AfterAll
    static void closeSandbox() {
        if (sandbox != null) {
            sandbox.close();
            sandbox = null;
            exec = null;
        }
    }
}
