package dev.jcni.cnictl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** cnictl's argument parsing: option forms, positions, environment defaults. */
class CommandLineTest {
    private static CommandLine parse(Map<String, String> env, String... args) throws Exception {
        return CommandLine.parse(args, env);
    }

    @Test
    void optionsTakeTheNextArgumentOrAnInlineValueAnywhere() throws Exception {
        CommandLine cl = parse(Map.of(), "--cache-dir=/c", "add", "-i", "net1", "mynet", "--timeout", "2.5", "/ns", "-v");
        assertEquals("add", cl.command);
        assertEquals(List.of("mynet", "/ns"), cl.positional);
        assertEquals("/c", cl.cacheDir);
        assertEquals("net1", cl.ifName);
        assertEquals(Duration.ofMillis(2500), cl.timeout(Duration.ofSeconds(60)));
        assertTrue(cl.verbose);
    }

    @Test
    void demoOptions() throws Exception {
        CommandLine cl = parse(Map.of(), "demo", "--conflist", "/a.conflist", "--bin=/b", "--system-plugins", "/s",
                "--host-port=18080");
        assertEquals("/a.conflist", cl.conflist);
        assertEquals("/b", cl.binDir);
        assertEquals("/s", cl.systemPluginDir);
        assertEquals("18080", cl.hostPort);
    }

    @Test
    void environmentGivesTheDefaults() throws Exception {
        CommandLine cl = parse(Map.of("CNI_IFNAME", "net9", "JCNI_CACHE_DIR", "/cache", "JCNI_TIMEOUT", "7"), "del", "n", "/ns");
        assertEquals("net9", cl.ifName);
        assertEquals("/cache", cl.cacheDir);
        assertEquals(Duration.ofSeconds(7), cl.timeout(Duration.ofSeconds(60)));
        CommandLine none = parse(Map.of(), "del", "n", "/ns");
        assertEquals("eth0", none.ifName);
        assertNull(none.cacheDir);
        assertEquals(Duration.ofSeconds(60), none.timeout(Duration.ofSeconds(60)));
    }

    @Test
    void noCommandOrHelpFlagMeansHelp() throws Exception {
        assertEquals("help", parse(Map.of()).command);
        assertEquals("help", parse(Map.of(), "add", "--help").command);
    }

    @Test
    void usageErrorsNameTheOption() throws Exception {
        assertEquals("--ifname needs a value",
                assertThrows(CommandLine.UsageException.class, () -> parse(Map.of(), "add", "--ifname")).getMessage());
        assertEquals("unknown option --bogus",
                assertThrows(CommandLine.UsageException.class, () -> parse(Map.of(), "--bogus=1")).getMessage());
        CommandLine zero = parse(Map.of(), "--timeout", "0", "version", "x");
        assertTrue(assertThrows(CommandLine.UsageException.class, () -> zero.timeout(Duration.ZERO)).getMessage()
                .contains("positive number of seconds"));
    }
}
