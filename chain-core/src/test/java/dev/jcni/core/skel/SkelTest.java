package dev.jcni.core.skel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.net.AddressFormatException;
import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.CniVersion;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.protocol.JsonFields;
import dev.jcni.core.protocol.Result;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The plugin side of the protocol, against a recording fake plugin (cni-protocol.md §5.1). */
class SkelTest {
    /** Records what reached it; ADD answers with a one-interface result. */
    static final class RecordingPlugin implements CniPlugin {
        Invocation last;
        CniException failWith;
        Throwable crashWith;
        /** Runs inside the verb, after the invocation is recorded. */
        Verb during;

        @Override public String about() { return "fake plugin for tests"; }
        @Override public List<String> supportedVersions() { return CniVersion.ALL; }

        @Override
        public Result add(Invocation inv) throws CniException {
            record(inv);
            // Always the internal model's version, whatever was requested: the skel must convert
            // it, so a test of the printed version cannot pass on the plugin's echo.
            return new Result(CniVersion.CURRENT, List.of(new Result.Interface("eth0", "02:00:00:00:00:01", null, inv.netns(), null, null)),
                    List.of(new Result.IpConfig(prefix("10.1.0.5/24"), ip("10.1.0.1"), 0, null)), List.of(), null);
        }

        @Override public void check(Invocation inv) throws CniException { record(inv); }
        @Override public void del(Invocation inv) throws CniException { record(inv); }
        @Override public void gc(Invocation inv) throws CniException { record(inv); }
        @Override public void status(Invocation inv) throws CniException { record(inv); }

        private void record(Invocation inv) throws CniException {
            last = inv;
            if (during != null) {
                during.run(inv);
            }
            if (crashWith instanceof Error) {
                throw (Error) crashWith;
            }
            if (crashWith != null) {
                throw (RuntimeException) crashWith;
            }
            if (failWith != null) {
                throw failWith;
            }
        }
    }

    /** Something a test makes the plugin do inside a verb. */
    interface Verb {
        void run(Invocation inv) throws CniException;
    }

    private static IpPrefix prefix(String text) {
        try {
            return IpPrefix.parse(text);
        } catch (AddressFormatException e) {
            throw new AssertionError(e);
        }
    }

    private static IpAddress ip(String text) {
        try {
            return IpAddress.parse(text);
        } catch (AddressFormatException e) {
            throw new AssertionError(e);
        }
    }

    @TempDir
    Path tmp;
    private RecordingPlugin plugin;
    private Skel skel;
    private ByteArrayOutputStream stderr;
    private Path sandbox;

    @BeforeEach
    void setUp() throws Exception {
        plugin = new RecordingPlugin();
        skel = new Skel("fake", plugin);
        stderr = new ByteArrayOutputStream();
        Log.redirect(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        // Any existing file that is not our own namespace passes the skel's namespace check.
        sandbox = Files.createFile(tmp.resolve("netns"));
    }

    @AfterEach
    void tearDown() {
        Log.redirect(System.err);
    }

    private Map<String, String> env(String command) {
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", "ctr-1");
        env.put("CNI_NETNS", sandbox.toString());
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", "/opt/cni/bin");
        env.put(AttachmentLock.DIR_ENV, tmp.resolve("locks").toString());
        return env;
    }

    private static String conf(String version) {
        return "{\"cniVersion\":\"" + version + "\",\"name\":\"net1\",\"type\":\"fake\",\"foo\":{\"bar\":1}}";
    }

    private Skel.Outcome run(Map<String, String> env, String stdin) {
        return skel.run(env, stdin.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode error(Skel.Outcome o) throws Exception {
        assertEquals(1, o.exitCode());
        String text = new String(o.stdout(), StandardCharsets.UTF_8);
        assertTrue(text.endsWith("}\n"), "an error answer is one JSON object and a newline: " + text);
        JsonNode e = Json.parse(o.stdout());
        assertTrue(e.get("code").isInt(), e.toString());
        assertTrue(!e.get("msg").asText().isEmpty(), e.toString());
        return e;
    }

    @Test
    void withoutCniCommandTheAboutTextGoesToStderrAndNothingToStdout() {
        Map<String, String> env = env("ADD");
        env.remove("CNI_COMMAND");
        Skel.Outcome o = run(env, "");
        assertEquals(0, o.exitCode());
        assertEquals(0, o.stdout().length);
        String err = stderr.toString(StandardCharsets.UTF_8);
        assertTrue(err.contains("fake plugin for tests") && err.contains("CNI protocol versions supported: 0.1.0"), err);
    }

    @Test
    void anUnknownCommandIsCode4NamingIt() throws Exception {
        JsonNode e = error(run(env("FOO"), conf("1.0.0")));
        assertEquals(4, e.get("code").intValue());
        assertEquals("unknown CNI_COMMAND: FOO", e.get("msg").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage{", "{\"cniVersion\":\"0.4.0\"}", "{\"cniVersion\":\"9.9.9\"}"})
    void versionAlwaysAnswersAndIgnoresTheEnvironment(String stdin) throws Exception {
        Skel.Outcome o = skel.run(Map.of("CNI_COMMAND", "VERSION"), stdin.getBytes(StandardCharsets.UTF_8));
        assertEquals(0, o.exitCode());
        JsonNode v = Json.parse(o.stdout());
        assertEquals(stdin.contains("0.4.0") ? "0.4.0" : "1.1.0", v.get("cniVersion").asText());
        assertEquals(7, v.get("supportedVersions").size());
        assertEquals('\n', o.stdout()[o.stdout().length - 1]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_PATH"})
    void addWithoutARequiredVariableIsCode4NamingIt(String variable) throws Exception {
        Map<String, String> env = env("ADD");
        env.remove(variable);
        JsonNode e = error(run(env, conf("1.0.0")));
        assertEquals(4, e.get("code").intValue());
        assertTrue(e.get("msg").asText().contains(variable), e.toString());
        assertNull(plugin.last);
    }

    /**
     * Issue 8: a variable set to the empty string is missing (Go's skel reads it with os.Getenv,
     * which cannot tell the two apart). An empty CNI_NETNS taken as present answered 999.
     */
    @ParameterizedTest
    @CsvSource({"ADD,CNI_CONTAINERID", "ADD,CNI_NETNS", "ADD,CNI_IFNAME", "ADD,CNI_PATH",
            "CHECK,CNI_CONTAINERID", "CHECK,CNI_NETNS", "CHECK,CNI_IFNAME", "CHECK,CNI_PATH",
            "DEL,CNI_CONTAINERID", "DEL,CNI_IFNAME", "DEL,CNI_PATH", "GC,CNI_PATH", "STATUS,CNI_PATH"})
    void aRequiredVariableSetToTheEmptyStringIsCode4AndThePluginIsNeverCalled(String command, String variable) throws Exception {
        Map<String, String> env = env(command);
        env.put(variable, "");
        JsonNode e = error(run(env, conf("1.1.0")));
        assertEquals(4, e.get("code").intValue());
        assertEquals("required env variables [" + variable + "] missing", e.get("msg").asText());
        assertNull(plugin.last, "the plugin was called");
    }

    @Test
    void everyRequiredVariableEmptyIsNamedAtOnce() throws Exception {
        Map<String, String> env = env("ADD");
        for (String variable : List.of("CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_PATH")) {
            env.put(variable, "");
        }
        JsonNode e = error(run(env, conf("1.0.0")));
        assertEquals("required env variables [CNI_CONTAINERID,CNI_NETNS,CNI_IFNAME,CNI_PATH] missing", e.get("msg").asText());
        assertNull(plugin.last);
    }

    @Test
    void anEmptyCniCommandPrintsTheAboutTextAndCallsNothing() {
        Skel.Outcome o = run(env(""), conf("1.0.0"));
        assertEquals(0, o.exitCode());
        assertEquals(0, o.stdout().length);
        assertTrue(stderr.toString(StandardCharsets.UTF_8).contains("fake plugin for tests"));
        assertNull(plugin.last);
    }

    @Test
    void allMissingVariablesAreNamedAtOnce() throws Exception {
        JsonNode e = error(run(Map.of("CNI_COMMAND", "ADD"), conf("1.0.0")));
        assertEquals("required env variables [CNI_CONTAINERID,CNI_NETNS,CNI_IFNAME,CNI_PATH] missing", e.get("msg").asText());
    }

    @Test
    void delWithoutANamespaceReachesThePlugin() {
        Map<String, String> env = env("DEL");
        env.remove("CNI_NETNS");
        assertEquals(0, run(env, conf("1.0.0")).exitCode());
        assertEquals("", plugin.last.netns());
        plugin.last = null;
        env.put("CNI_NETNS", "");
        assertEquals(0, run(env, conf("1.0.0")).exitCode(), "an empty CNI_NETNS is as absent as an unset one on DEL");
        assertEquals("", plugin.last.netns());
        env.put("CNI_NETNS", "/run/netns/long-gone");
        assertEquals(0, run(env, conf("1.0.0")).exitCode());
    }

    @Test
    void gcAndStatusNeedOnlyCommandAndPath() {
        for (String cmd : List.of("GC", "STATUS")) {
            Skel.Outcome o = skel.run(Map.of("CNI_COMMAND", cmd, "CNI_PATH", "/opt/cni/bin"), conf("1.1.0").getBytes(StandardCharsets.UTF_8));
            assertEquals(0, o.exitCode(), cmd);
            assertEquals(0, o.stdout().length);
            assertEquals(Command.valueOf(cmd), plugin.last.command());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"-abc", "a/b", "a b", ".x"})
    void invalidContainerIdsAreCode4(String id) throws Exception {
        Map<String, String> env = env("ADD");
        env.put("CNI_CONTAINERID", id);
        assertEquals(4, error(run(env, conf("1.0.0"))).get("code").intValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0123456789abcdef", ".", "..", "a/b", "a:b", "a b"})
    void invalidInterfaceNamesAreCode4(String name) throws Exception {
        Map<String, String> env = env("ADD");
        env.put("CNI_IFNAME", name);
        assertEquals(4, error(run(env, conf("1.0.0"))).get("code").intValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0123456789abcde", "e", "eth0.100", "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9x"})
    void interfaceNamesUpTo15BytesAreAccepted(String name) {
        Map<String, String> env = env("ADD");
        env.put("CNI_IFNAME", name);
        assertEquals(0, run(env, conf("1.0.0")).exitCode(), name);
        assertEquals(name, plugin.last.ifName());
    }

    @Test
    void anInterfaceNameIsMeasuredInBytes() throws Exception {
        Map<String, String> env = env("ADD");
        env.put("CNI_IFNAME", "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"); // 8 characters, 16 bytes
        JsonNode e = error(run(env, conf("1.0.0")));
        assertEquals(4, e.get("code").intValue());
        assertTrue(e.get("msg").asText().endsWith("longer than 15 bytes"), e.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "", "[]", "\"text\""})
    void stdinThatIsNotAJsonObjectIsCode6(String stdin) throws Exception {
        assertEquals(6, error(run(env("ADD"), stdin)).get("code").intValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"name\":\"\"}", "{\"name\":\"-bad\"}", "{\"name\":\"a/b\"}", "{\"name\":5}"})
    void aMissingOrInvalidNameIsCode7(String stdin) throws Exception {
        assertEquals(7, error(run(env("ADD"), stdin)).get("code").intValue());
    }

    @Test
    void anUnsupportedVersionIsCode1ListingSupportedOnes() throws Exception {
        JsonNode e = error(run(env("ADD"), conf("1.0.1")));
        assertEquals(1, e.get("code").intValue());
        assertTrue(e.get("details").asText().contains("1.1.0"), e.toString());
        assertEquals("1.0.1", e.get("cniVersion").asText());
    }

    @Test
    void aMissingVersionMeans010() {
        assertEquals(0, run(env("DEL"), "{\"name\":\"net1\"}").exitCode());
        assertEquals("0.1.0", plugin.last.cniVersion());
    }

    @Test
    void versionGatesForCheckGcAndStatus() throws Exception {
        assertEquals(1, error(run(env("CHECK"), conf("0.3.1"))).get("code").intValue());
        assertEquals(6, error(run(env("CHECK"), conf("abc"))).get("code").intValue());
        assertEquals(1, error(run(env("GC"), conf("1.0.0"))).get("code").intValue());
        assertEquals(1, error(run(env("STATUS"), conf("1.0.0"))).get("code").intValue());
        assertEquals(0, run(env("CHECK"), conf("0.4.0")).exitCode());
    }

    @Test
    void pluginErrorsArePrintedWithTheirCodeMessageAndDetails() throws Exception {
        plugin.failWith = new CniException(101, "drift", "mtu is 1500");
        JsonNode e = error(run(env("CHECK"), conf("1.0.0")));
        assertEquals(101, e.get("code").intValue());
        assertEquals("drift", e.get("msg").asText());
        assertEquals("mtu is 1500", e.get("details").asText());
        assertTrue(stderr.toString(StandardCharsets.UTF_8).contains("fake: ERROR [CHECK ctr-1/eth0] CHECK failed: drift; mtu is 1500"),
                stderr.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aCrashIsCode999WithTheTraceOnStderr() throws Exception {
        plugin.crashWith = new IllegalStateException("boom");
        JsonNode e = error(run(env("DEL"), conf("1.0.0")));
        assertEquals(999, e.get("code").intValue());
        assertEquals("internal error: java.lang.IllegalStateException: boom", e.get("msg").asText());
        String err = stderr.toString(StandardCharsets.UTF_8);
        assertTrue(err.contains("ERROR [DEL ctr-1/eth0] internal error: java.lang.IllegalStateException: boom"), err);
        assertTrue(err.contains("    at dev.jcni.core.skel.SkelTest.aCrashIsCode999WithTheTraceOnStderr("), "the trace goes to stderr: " + err);
    }

    @Test
    void addRefusesTheHostNamespaceUnlessOverridden() throws Exception {
        Map<String, String> env = env("ADD");
        env.put("CNI_NETNS", "/proc/self/ns/net");
        JsonNode e = error(run(env, conf("1.0.0")));
        assertEquals(8, e.get("code").intValue());
        assertNull(plugin.last);
        env.put("CNI_NETNS_OVERRIDE", "1");
        assertEquals(0, run(env, conf("1.0.0")).exitCode());
    }

    /** Only 1 and true (any case) turn the own-namespace check off; anything else leaves it on. */
    @ParameterizedTest
    @ValueSource(strings = {"0", "false", "", "yes", "on", "2", "01", " 1", "1 ", "true ", "truee", "enabled"})
    void otherNamespaceOverrideValuesKeepTheHostNamespaceRefused(String value) throws Exception {
        for (String command : List.of("ADD", "CHECK")) {
            Map<String, String> env = env(command);
            env.put("CNI_NETNS", "/proc/self/ns/net");
            env.put("CNI_NETNS_OVERRIDE", value);
            JsonNode e = error(run(env, conf("1.0.0")));
            assertEquals(8, e.get("code").intValue(), command + " with CNI_NETNS_OVERRIDE=\"" + value + "\"");
            assertNull(plugin.last);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "true", "TRUE", "True"})
    void theNamespaceOverrideEnablesTheHostNamespace(String value) throws Exception {
        for (String command : List.of("ADD", "CHECK")) {
            Map<String, String> env = env(command);
            env.put("CNI_NETNS", "/proc/self/ns/net");
            env.put("CNI_NETNS_OVERRIDE", value);
            assertEquals(0, run(env, conf("1.0.0")).exitCode(), command);
            assertEquals("/proc/self/ns/net", plugin.last.netns());
        }
    }

    /**
     * Our rule, pinned so that changing it is a decision: keys the plugin does not know are never
     * an error, with or without IgnoreUnknown. The Go library answers 999 "ARGS: unknown args
     * [...]" without IgnoreUnknown; but runtimes send CNI_ARGS to every plugin of a chain, so a
     * key meant for another plugin is normal (cni#560; reference/cni-protocol.md, CNI_ARGS).
     */
    @ParameterizedTest
    @ValueSource(strings = {"K8S_POD_NAME=web;FOO=bar", "IgnoreUnknown=1;K8S_POD_NAME=web;FOO=bar",
            "IgnoreUnknown=false;FOO=bar", "ignoreunknown=1;FOO=bar"})
    void unknownCniArgsAreAcceptedWithAndWithoutIgnoreUnknown(String cniArgs) throws Exception {
        for (String command : List.of("ADD", "CHECK", "DEL")) {
            plugin.last = null;
            Map<String, String> env = env(command);
            env.put("CNI_ARGS", cniArgs);
            Skel.Outcome o = run(env, conf("1.0.0"));
            assertEquals(0, o.exitCode(), command + " " + new String(o.stdout(), StandardCharsets.UTF_8));
            assertEquals("bar", plugin.last.args().get("FOO"));
            assertEquals(cniArgs, plugin.last.args().raw(), "passed on to delegates unchanged");
        }
    }

    @Test
    void aCniArgsPairWithoutEqualsIsCode4BeforeThePlugin() throws Exception {
        Map<String, String> env = env("ADD");
        env.put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAME");
        JsonNode e = error(run(env, conf("1.0.0")));
        assertEquals(4, e.get("code").intValue());
        assertTrue(e.get("msg").asText().contains("\"K8S_POD_NAME\""), e.toString());
        assertNull(plugin.last);
    }

    @Test
    void theEnvironmentsLogFileGetsTheLinesStderrDoesNot() throws Exception {
        Path logFile = tmp.resolve("plugin.log");
        plugin.failWith = new CniException(101, "drift", "mtu is 1500");
        Map<String, String> env = env("CHECK");
        env.put("JCNI_LOG_FILE", logFile.toString());
        run(env, conf("1.0.0"));
        String logged = Files.readString(logFile);
        assertTrue(logged.contains("drift; mtu is 1500"), logged);
        assertTrue(logged.contains("CHECK ctr-1/eth0"), "lines carry the verb and attachment: " + logged);
    }

    /**
     * Issue 6, hole 2: a network config (which a tenant may write) named a host file that the
     * plugin then created or appended to as root. The key is ignored, with one warning, and the
     * request goes on: conflists written for earlier builds carry it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"ADD", "CHECK", "DEL"})
    void aLogFileInTheNetworkConfigIsIgnoredWithOneWarning(String command) throws Exception {
        Path logFile = tmp.resolve("chosen-by-the-config.log");
        String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"net1\",\"type\":\"fake\",\"LogFile\":\"" + logFile + "\"}";
        Skel.Outcome o = run(env(command), conf);
        assertEquals(0, o.exitCode(), new String(o.stdout(), StandardCharsets.UTF_8));
        assertFalse(Files.exists(logFile), "the config's logFile was created");
        String err = stderr.toString(StandardCharsets.UTF_8);
        assertEquals(1, err.split("\n", -1).length - 1, err);
        assertTrue(err.contains("\"logFile\" is ignored") && err.contains("JCNI_LOG_FILE"), err);
    }

    @Test
    void aRefusedRequestDoesNotCreateTheConfigsLogFileEither() throws Exception {
        Path logFile = tmp.resolve("chosen-by-the-config.log");
        Map<String, String> env = env("ADD");
        env.put("CNI_NETNS", "/run/netns/jcni-does-not-exist");
        String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"net1\",\"logFile\":\"" + logFile + "\"}";
        assertEquals(4, error(run(env, conf)).get("code").intValue());
        assertFalse(Files.exists(logFile));
    }

    /**
     * Issue 6, point 5: whatever a verb throws, the answer is a CNI error on stdout (999, no
     * stack trace there), never an empty stdout from a dying JVM.
     */
    @ParameterizedTest
    @ValueSource(strings = {"OutOfMemoryError", "StackOverflowError", "AssertionError", "NoClassDefFoundError"})
    void anErrorInsideAVerbIsCode999WithoutAStackOnStdout(String kind) throws Exception {
        plugin.during = inv -> {
            switch (kind) {
                case "OutOfMemoryError":
                    long[] huge = new long[Integer.MAX_VALUE - 2]; // beyond any heap: a real OutOfMemoryError
                    throw new AssertionError("allocated " + huge.length);
                case "StackOverflowError":
                    recurse(0);
                    break;
                case "AssertionError":
                    throw new AssertionError("a broken invariant");
                default:
                    throw new NoClassDefFoundError("dev/jcni/Missing");
            }
        };
        Skel.Outcome o = run(env("ADD"), conf("1.0.0"));
        JsonNode e = error(o);
        assertEquals(999, e.get("code").intValue());
        assertTrue(e.get("msg").asText().contains(kind), e.toString());
        String stdout = new String(o.stdout(), StandardCharsets.UTF_8);
        assertFalse(stdout.contains("\tat ") || stdout.contains("    at "), stdout);
        assertTrue(stderr.toString(StandardCharsets.UTF_8).contains(kind), "the trace goes to stderr");
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }

    @ParameterizedTest
    @ValueSource(strings = {"\uFEFF", "UTF-16", "UTF-16LE", "UTF-32"})
    void stdinThatIsNotPlainUtf8IsCode6(String how) throws Exception {
        String conf = conf("1.0.0");
        byte[] stdin = how.equals("\uFEFF") ? (how + conf).getBytes(StandardCharsets.UTF_8)
                : conf.getBytes(java.nio.charset.Charset.forName(how));
        JsonNode e = error(skel.run(env("ADD"), stdin));
        assertEquals(6, e.get("code").intValue());
        assertNull(plugin.last);
    }

    /**
     * Issue 6, point 6: a CNI_NETNS the JVM could not decode (bytes that are not text in its
     * file name encoding) names some other path; acting on it could change the wrong namespace.
     */
    @Test
    void aNamespacePathThatWasNotTextIsCode4EvenIfSuchAFileExists() throws Exception {
        assumeTrue("UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding")), "needs a UTF-8 test JVM to make the file");
        Path decodedName = Files.createFile(tmp.resolve("ns-\uFFFD"));
        Map<String, String> env = env("ADD");
        env.put("CNI_NETNS", decodedName.toString());
        JsonNode e = error(run(env, conf("1.0.0")));
        assertEquals(4, e.get("code").intValue());
        assertTrue(e.get("msg").asText().contains("CNI_NETNS"), e.toString());
        assertNull(plugin.last);
    }

    @Test
    void anUndecodableNamespacePathIsRefusedWhereverTheReplacementCharacterIs() throws Exception {
        for (String netns : List.of("\uFFFD", "\uFFFD/ns", "/run/netns/\uFFFD")) {
            Map<String, String> env = env("ADD");
            env.put("CNI_NETNS", netns);
            JsonNode e = error(run(env, conf("1.0.0")));
            assertEquals(4, e.get("code").intValue(), netns);
            assertEquals("CNI_NETNS \"" + netns + "\" is not valid UTF-8", e.get("msg").asText());
        }
        assertNull(plugin.last);
    }

    @Test
    void aNullCniVersionMeans010AndANonStringIsCode6() throws Exception {
        assertEquals(0, run(env("DEL"), "{\"cniVersion\":null,\"name\":\"net1\"}").exitCode());
        assertEquals("0.1.0", plugin.last.cniVersion());
        plugin.last = null;
        for (String version : List.of("1", "true", "{}", "[\"1.0.0\"]")) {
            JsonNode e = error(run(env("DEL"), "{\"cniVersion\":" + version + ",\"name\":\"net1\"}"));
            assertEquals(6, e.get("code").intValue(), version);
            assertEquals("invalid cniVersion " + version.replace(" ", ""), e.get("msg").asText());
        }
        assertNull(plugin.last);
    }

    /** JCNI_DEBUG=1: debug lines with the time since start, on stderr, for where a request's time goes. */
    @Test
    void debugLinesTellTheTimeOfEachStep() throws Exception {
        Map<String, String> env = env("ADD");
        env.put("JCNI_DEBUG", "1");
        try {
            assertEquals(0, run(env, conf("1.0.0")).exitCode());
        } finally {
            Log.configure("fake", null, false);
        }
        String err = stderr.toString(StandardCharsets.UTF_8);
        long uptimeMs = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("fake: DEBUG \\[ADD ctr-1/eth0\\] \\+(\\d+)\\.(\\d) ms (request validated|attachment locked)\n").matcher(err);
        List<String> steps = new java.util.ArrayList<>();
        while (m.find()) {
            steps.add(m.group(3));
            double ms = Double.parseDouble(m.group(1) + "." + m.group(2));
            assertTrue(ms >= 0 && ms <= uptimeMs, "milliseconds since the log started, at most this JVM's uptime " + uptimeMs + ": " + ms);
        }
        assertEquals(List.of("request validated", "attachment locked"), steps, err);
    }

    @Test
    void withoutDebugThereAreNoDebugLines() {
        Map<String, String> env = env("ADD");
        env.put("JCNI_DEBUG", "0");
        assertEquals(0, run(env, conf("1.0.0")).exitCode());
        assertFalse(stderr.toString(StandardCharsets.UTF_8).contains("DEBUG"), stderr.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aConfigPathThatCannotBeAFileNameIsCode7() throws Exception {
        plugin.during = inv -> Path.of(inv.config().string("dataDir"));
        String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"net1\",\"dataDir\":\"/run/x\\ud800\"}";
        JsonNode e = error(run(env("ADD"), conf));
        assertEquals(7, e.get("code").intValue());
        assertTrue(e.get("msg").asText().contains("network config"), e.toString());
    }

    @Test
    void theVariableNamedIsTheOneThatCannotBeAFileNameNotAnotherInThePath() throws Exception {
        // The path holds CNI_CONTAINERID too, which sorts before CNI_IFNAME and is a fine file name.
        plugin.during = inv -> Path.of("/run/" + inv.containerId() + "/" + inv.ifName());
        Map<String, String> env = env("ADD");
        env.put("CNI_IFNAME", "e\ud800");
        JsonNode e = error(run(env, conf("1.0.0")));
        assertEquals(4, e.get("code").intValue());
        assertTrue(e.get("msg").asText().startsWith("CNI_IFNAME "), e.toString());
    }

    @Test
    void anEnvironmentPathThatCannotBeAFileNameIsCode4NamingTheVariable() throws Exception {
        plugin.during = inv -> Path.of("/proc/sys/net/ipv4/conf/" + inv.ifName() + "/forwarding");
        Map<String, String> env = env("ADD");
        env.put("CNI_IFNAME", "e\ud800");
        JsonNode e = error(run(env, conf("1.0.0")));
        assertEquals(4, e.get("code").intValue());
        assertTrue(e.get("msg").asText().contains("CNI_IFNAME"), e.toString());
    }

    /** Issue 6, point 8: the verb runs holding its attachment's lock, keyed with the plugin's name. */
    @ParameterizedTest
    @ValueSource(strings = {"ADD", "CHECK", "DEL"})
    void theVerbRunsUnderTheAttachmentsLock(String command) throws Exception {
        String lockDir = tmp.resolve("locks").toString();
        java.util.concurrent.atomic.AtomicInteger contended = new java.util.concurrent.atomic.AtomicInteger(-1);
        plugin.during = inv -> {
            try (AttachmentLock same = AttachmentLock.acquire(lockDir, "fake", "ctr-1", "eth0", java.time.Duration.ofMillis(100))) {
                contended.set(0);
            } catch (CniException e) {
                contended.set(e.code());
            }
            try (AttachmentLock delegate = AttachmentLock.acquire(lockDir, "other", "ctr-1", "eth0", java.time.Duration.ofMillis(100))) {
                // another plugin for the same attachment (a delegate) is not kept waiting
            }
        };
        assertEquals(0, run(env(command), conf("1.0.0")).exitCode());
        assertEquals(CniException.TRY_AGAIN_LATER, contended.get(), "the lock was not held during " + command);
        try (AttachmentLock after = AttachmentLock.acquire(lockDir, "fake", "ctr-1", "eth0", java.time.Duration.ofMillis(100))) {
            // released once the verb is done
        }
    }

    @Test
    void aRequestThatWaitsTooLongForTheLockIsCode11() throws Exception {
        skel = new Skel("fake", plugin, java.time.Duration.ofMillis(200));
        try (AttachmentLock held = AttachmentLock.acquire(tmp.resolve("locks").toString(), "fake", "ctr-1", "eth0",
                java.time.Duration.ofSeconds(5))) {
            JsonNode e = error(run(env("DEL"), conf("1.0.0")));
            assertEquals(11, e.get("code").intValue());
            assertNull(plugin.last, "the verb must not run unlocked");
        }
    }

    /**
     * Issue 6, point 5: the skel only stats CNI_NETNS. A FIFO there would block an open until a
     * writer came; the skel passes it on, and NetNs.open (non-blocking) tells it is no namespace.
     */
    @Test
    @org.junit.jupiter.api.Timeout(value = 20, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void theNamespaceCheckNeverOpensTheCallersPath() throws Exception {
        Path fifo = tmp.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
        for (String netns : List.of(fifo.toString(), "/dev/zero")) {
            Map<String, String> env = env("ADD");
            env.put("CNI_NETNS", netns);
            assertEquals(0, run(env, conf("1.0.0")).exitCode(), netns);
            assertEquals(netns, plugin.last.netns());
        }
    }

    @Test
    void aProcNamespaceLinkCountsAsExisting() throws Exception {
        // /proc/self/ns/net is a magic link: it names the test's own namespace, so the answer is
        // "own namespace" (8), not "does not exist" (4).
        Map<String, String> env = env("CHECK");
        env.put("CNI_NETNS", "/proc/" + ProcessHandle.current().pid() + "/ns/net");
        assertEquals(8, error(run(env, conf("1.0.0"))).get("code").intValue());
    }

    @Test
    void addWithAMissingNamespaceIsAClearError() throws Exception {
        Map<String, String> env = env("ADD");
        env.put("CNI_NETNS", "/run/netns/jcni-does-not-exist");
        JsonNode e = error(run(env, conf("1.0.0")));
        assertEquals(4, e.get("code").intValue());
        assertTrue(e.get("msg").asText().contains("/run/netns/jcni-does-not-exist"));
    }

    @Test
    void theInvocationCarriesEverythingAndKeepsUnknownFields() throws Exception {
        Map<String, String> env = env("ADD");
        env.put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAME=web;MAC=c2:00:00:00:00:01");
        env.put("CNI_PATH", "/a:/b");
        assertEquals(0, run(env, conf("0.4.0")).exitCode());
        Invocation inv = plugin.last;
        assertEquals("ctr-1", inv.containerId());
        assertEquals("eth0", inv.ifName());
        assertEquals(List.of("/a", "/b"), inv.path());
        assertEquals("c2:00:00:00:00:01", inv.args().get("MAC"));
        assertEquals(1, inv.config().node().get("foo").get("bar").intValue());
        assertEquals(1, inv.config().object("foo").integer("bar"));
        assertEquals("net1", inv.networkName());
        assertEquals(List.of(), inv.config().duplicateKeys());
        assertEquals(JsonFields.Source.NETWORK_CONFIG, inv.config().source());
    }

    @Test
    void repeatedKeysResolveAsGoDoesTravelWithTheConfigAndAreLogged() throws Exception {
        String stdin = "{\"cniVersion\":\"1.0.0\",\"name\":\"first\",\"type\":\"fake\",\"mtu\":1400,\"Name\":\"net2\","
                + "\"MTU\":1500,\"sysctl\":{\"a.b\":\"1\",\"a.b\":\"2\"}}";
        assertEquals(0, run(env("ADD"), stdin).exitCode());
        Invocation inv = plugin.last;
        assertEquals("net2", inv.networkName());
        assertEquals(List.of("Name", "MTU"), keys(inv.config().duplicateKeys()));
        assertEquals(List.of("a.b"), keys(inv.config().object("sysctl").duplicateKeys()));
        String err = stderr.toString(StandardCharsets.UTF_8);
        assertTrue(err.contains("\"MTU\" at line 1, column ") && err.contains("repeats \"mtu\" in another case"), err);
        assertTrue(err.contains("\"sysctl.a.b\" at line 1"), err);
    }

    @Test
    void repeatedKeysAreLoggedAFewLinesAtMost() {
        StringBuilder stdin = new StringBuilder("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"fake\"");
        for (int i = 0; i < 8; i++) {
            stdin.append(",\"k").append(i).append("\":1,\"k").append(i).append("\":2");
        }
        assertEquals(0, run(env("ADD"), stdin.append('}').toString()).exitCode());
        String err = stderr.toString(StandardCharsets.UTF_8);
        assertEquals(5, err.split("repeats the key", -1).length - 1, err);
        assertTrue(err.contains("\"k4\" at line 1") && !err.contains("\"k5\""), err);
        assertTrue(err.contains("network config: 3 more repeated keys"), err);
        assertEquals(8, plugin.last.config().duplicateKeys().size());
    }

    @Test
    void cniVersionAndNameAreFoundIgnoringCase() {
        String stdin = "{\"CNIVersion\":\"0.4.0\",\"NAME\":\"net3\",\"type\":\"fake\"}";
        assertEquals(0, run(env("ADD"), stdin).exitCode());
        assertEquals("0.4.0", plugin.last.cniVersion());
        assertEquals("net3", plugin.last.networkName());
    }

    private static List<String> keys(List<Json.DuplicateKey> duplicates) {
        List<String> keys = new java.util.ArrayList<>();
        for (Json.DuplicateKey d : duplicates) {
            keys.add(d.key());
        }
        return keys;
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"})
    void addPrintsTheResultInTheRequestVersion(String version) throws Exception {
        Skel.Outcome o = run(env("ADD"), conf(version));
        assertEquals(0, o.exitCode(), new String(o.stdout(), StandardCharsets.UTF_8));
        JsonNode r = Json.parse(o.stdout());
        assertEquals(version, r.get("cniVersion").asText());
        if (version.startsWith("0.1") || version.startsWith("0.2")) {
            assertEquals("10.1.0.5/24", r.get("ip4").get("ip").asText());
        } else {
            assertEquals("10.1.0.5/24", r.get("ips").get(0).get("address").asText());
            assertEquals(version.startsWith("0."), r.get("ips").get(0).has("version"));
        }
    }
}
