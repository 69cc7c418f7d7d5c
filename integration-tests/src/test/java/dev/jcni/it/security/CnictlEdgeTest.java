package dev.jcni.it.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.it.support.Cmd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, point 9, through the real {@code bin/cnictl}: a timeout beyond a day is a usage error
 * before any plugin runs, a FIFO among the configs is skipped rather than waited on, and the
 * plugins cnictl runs get the caller's locale, not the one the launcher gives the JVM.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CnictlEdgeTest {
    @TempDir
    Path root;
    private Path netd;
    private Map<String, String> env;

    @BeforeEach
    void setUp() throws Exception {
        Path bin = Files.createDirectories(root.resolve("bin"));
        netd = Files.createDirectories(root.resolve("net.d"));
        // Records its environment per verb; ADD answers a small result.
        Files.writeString(bin.resolve("recorder"), "#!/bin/sh\nenv > '" + root + "'/$CNI_COMMAND.env\ncat >/dev/null\n"
                + "[ \"$CNI_COMMAND\" = ADD ] && echo '{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.9.0.2/24\"}]}'\nexit 0\n");
        Files.setPosixFilePermissions(bin.resolve("recorder"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(netd.resolve("10-net.conflist"), "{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"plugins\":[{\"type\":\"recorder\"}]}");
        env = new HashMap<>();
        env.put("PATH", Shell.quote("/usr/sbin:/usr/bin:/sbin:/bin"));
        env.put("NETCONFPATH", Shell.quote(netd.toString()));
        env.put("CNI_PATH", Shell.quote(bin.toString()));
        env.put("JCNI_CACHE_DIR", Shell.quote(root.resolve("cache").toString()));
    }

    private Shell.Run cnictl(String args) {
        return Shell.run(Shell.plugin("cnictl", env) + " " + args);
    }

    @Test
    void aTimeoutBeyondADayIsAUsageErrorBeforeAnyPluginRuns() {
        Shell.Run r = cnictl("--timeout 99999999999999999999 add net /var/run/netns/edge");
        assertEquals(2, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("--timeout needs a number of seconds"), r.stderr());
        assertFalse(r.stderr().contains("Exception"), "no stack trace: " + r.stderr());
        assertFalse(Files.exists(root.resolve("ADD.env")), "a plugin ran before the usage error");
    }

    @Test
    void aFifoAmongTheConfigsIsSkippedWithAWarning() {
        Cmd.check("mkfifo", netd.resolve("00-fifo.conflist").toString());
        Shell.Run r = cnictl("add net /var/run/netns/edge").assertOk();
        assertTrue(r.stderr().contains("skipping " + netd.resolve("00-fifo.conflist") + ": not a regular file"), r.stderr());
    }

    @Test
    void pluginsGetTheCallersLocale() throws Exception {
        cnictl("add net /var/run/netns/edge").assertOk();
        String recorded = Files.readString(root.resolve("ADD.env"));
        assertFalse(recorded.contains("LC_ALL="), "the launcher's LC_ALL leaked to the plugin: " + recorded);
        assertFalse(recorded.contains("JCNI_CALLER_LC_ALL"), recorded);

        env.put("LC_ALL", "POSIX");
        cnictl("del net /var/run/netns/edge").assertOk();
        assertTrue(Files.readString(root.resolve("DEL.env")).contains("LC_ALL=POSIX\n"), Files.readString(root.resolve("DEL.env")));
    }
}
