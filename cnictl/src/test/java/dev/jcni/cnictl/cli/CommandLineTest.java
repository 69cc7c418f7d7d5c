package dev.jcni.cnictl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
    void aLoneDashIsAnArgumentAndAnEmptyOptionNameIsNoOption() throws Exception {
        assertEquals(List.of("net", "-"), parse(Map.of(), "add", "net", "-").positional);
        assertEquals("unknown option --=x",
                assertThrows(CommandLine.UsageException.class, () -> parse(Map.of(), "add", "--=x")).getMessage());
        assertEquals("-i", parse(Map.of(), "add", "--ifname=-i", "n", "/ns").ifName, "an inline value may start with a dash");
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
        assertTrue(assertThrows(CommandLine.UsageException.class, () -> parse(Map.of(), "--timeout", "0", "version", "x"))
                .getMessage().contains("--timeout needs a number of seconds"));
    }

    /**
     * Issue 6, point 9: --timeout 99999999999999999999 passed validation, ran a plugin and then
     * died with an ArithmeticException stack trace. A timeout is checked when it is parsed, from
     * the option or from $JCNI_TIMEOUT, and bounded: more than a millisecond, at most a day.
     */
    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999", "86400.5", "1e10", "NaN", "Infinity", "-Infinity", "0.0004", "-1",
            "0", "abc", "0x10", " 5"})
    void anUnboundedOrMeaninglessTimeoutIsAUsageErrorAtOnce(String value) {
        CommandLine.UsageException e = assertThrows(CommandLine.UsageException.class,
                () -> parse(Map.of(), "add", "--timeout", value, "net", "/ns"));
        assertTrue(e.getMessage().contains("between 0.001 and 86400"), e.getMessage());
        assertThrows(CommandLine.UsageException.class, () -> parse(Map.of("JCNI_TIMEOUT", value), "add", "net", "/ns"));
    }

    @Test
    void theBoundsThemselvesAreFine() throws Exception {
        assertEquals(Duration.ofDays(1), parse(Map.of(), "--timeout", "86400", "version", "x").timeout(Duration.ZERO));
        assertEquals(Duration.ofMillis(1), parse(Map.of(), "--timeout", "0.001", "version", "x").timeout(Duration.ZERO));
        assertEquals(Duration.ofSeconds(60), parse(Map.of("JCNI_TIMEOUT", ""), "version", "x").timeout(Duration.ofSeconds(60)),
                "an empty JCNI_TIMEOUT means the default");
    }
}
