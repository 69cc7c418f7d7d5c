package dev.jcni.core.invoke;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.os.process.ProcessRunner;
import dev.jcni.core.protocol.CniArgs;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.protocol.JsonFields;
import dev.jcni.core.protocol.Result;
import dev.jcni.core.protocol.ResultCodec;
import dev.jcni.core.skel.Command;
import dev.jcni.core.skel.Invocation;
import dev.jcni.core.skel.NodePolicy;
import dev.jcni.core.skel.Log;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delegation against a scripted fake IPAM plugin that records its environment and stdin. */
class DelegatorTest {
    static final byte[] CONFIG = ("{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"type\":\"bridge\","
            + "\"ipam\":{\"type\":\"fake-ipam\",\"subnet\":\"10.1.0.0/24\"}}").getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path root;
    Path bin;
    Path records;
    Path behaviour;
    DelegateRequest request;
    Delegator delegator;

    @BeforeEach
    void setUp() throws IOException {
        bin = Files.createDirectories(root.resolve("bin"));
        records = Files.createDirectories(root.resolve("records"));
        behaviour = Files.createDirectories(root.resolve("behaviour"));
        install(bin, "fake-ipam");
        request = new DelegateRequest(Command.ADD, "ctr1", "/run/netns/ns1", "eth0", "IgnoreUnknown=1;K8S_POD_NAME=p=q",
                List.of(root.resolve("empty").toString(), bin.toString()), Map.of());
        delegator = new Delegator(new ProcessRunner(0, Duration.ZERO), Duration.ofSeconds(20));
    }

    /**
     * The fake: records CNI_COMMAND, the environment it was exec'd with (/proc/PID/environ: before
     * the shell adds PWD and the like) and stdin; answers with the behaviour files of the verb.
     */
    private Path install(Path dir, String name) throws IOException {
        String script = "#!/bin/sh\n"
                + "R='" + records + "'; B='" + behaviour + "'\n"
                + "echo \"" + name + " $CNI_COMMAND\" >> \"$R/calls.log\"\n"
                + "n=$(wc -l < \"$R/calls.log\" | tr -d ' ')\n"
                + "tr '\\0' '\\n' < /proc/$$/environ > \"$R/$n.env\"\n"
                + "cat > \"$R/$n.stdin\"\n"
                + "c=$CNI_COMMAND\n"
                + "[ -f \"$B/$c.sh\" ] && . \"$B/$c.sh\"\n"
                + "[ -f \"$B/$c.stderr\" ] && cat \"$B/$c.stderr\" >&2\n"
                + "[ -f \"$B/$c.stdout\" ] && cat \"$B/$c.stdout\"\n"
                + "if [ -f \"$B/$c.exit\" ]; then exit $(cat \"$B/$c.exit\"); fi\n"
                + "exit 0\n";
        Path file = dir.resolve(name);
        Files.writeString(file, script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private void answer(Command verb, String stdout, int exit) throws IOException {
        Files.writeString(behaviour.resolve(verb + ".stdout"), stdout);
        Files.writeString(behaviour.resolve(verb + ".exit"), Integer.toString(exit));
    }

    private List<String> calls() throws IOException {
        Path log = records.resolve("calls.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private Map<String, String> envOfCall(int n) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String l : Files.readAllLines(records.resolve(n + ".env"))) {
            int eq = l.indexOf('=');
            env.put(l.substring(0, eq), l.substring(eq + 1));
        }
        return env;
    }

    private static final String RESULT_040 = "{\"cniVersion\":\"0.4.0\","
            + "\"ips\":[{\"version\":\"4\",\"address\":\"10.1.0.5/24\",\"gateway\":\"10.1.0.1\"}],"
            + "\"routes\":[{\"dst\":\"0.0.0.0/0\"}],\"dns\":{\"nameservers\":[\"10.1.0.1\"]}}";

    // ------------------------------------------------------------------ environment and stdin

    @Test
    void theDelegateGetsTheVerbTheRequestAndNothingOfTheCallingProcess() throws Exception {
        answer(Command.ADD, RESULT_040, 0);
        delegator.add("fake-ipam", CONFIG, request);
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("CNI_COMMAND", "ADD");
        expected.put("CNI_CONTAINERID", "ctr1");
        expected.put("CNI_NETNS", "/run/netns/ns1");
        expected.put("CNI_IFNAME", "eth0");
        expected.put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAME=p=q");
        expected.put("CNI_PATH", root.resolve("empty") + ":" + bin);
        assertEquals(expected, envOfCall(1), "exactly these: no PATH, HOME or other variable of the test JVM");
        assertArrayEquals(CONFIG, Files.readAllBytes(records.resolve("1.stdin")), "the config reaches stdin unchanged");
    }

    @Test
    void eachDelegationSetsItsOwnVerb() throws Exception {
        answer(Command.ADD, RESULT_040, 0);
        DelegateRequest del = new DelegateRequest(Command.DEL, "ctr1", "", "eth0", "", List.of(bin.toString()), Map.of());
        delegator.add("fake-ipam", CONFIG, del);
        delegator.del("fake-ipam", CONFIG, del);
        delegator.check("fake-ipam", CONFIG, del);
        delegator.gc("fake-ipam", CONFIG, del);
        delegator.status("fake-ipam", CONFIG, del);
        assertEquals(List.of("fake-ipam ADD", "fake-ipam DEL", "fake-ipam CHECK", "fake-ipam GC", "fake-ipam STATUS"), calls());
        assertEquals("", envOfCall(2).get("CNI_NETNS"), "an empty CNI_NETNS (DEL) is passed as empty");
    }

    @Test
    void extraVariablesAreAddedOnlyWhenAsked() throws Exception {
        delegator.del("fake-ipam", CONFIG, request.withEnv("CNI_NETNS_OVERRIDE", "1"));
        Map<String, String> env = envOfCall(1);
        assertEquals("1", env.get("CNI_NETNS_OVERRIDE"));
        assertEquals("DEL", env.get("CNI_COMMAND"));
        assertEquals(7, env.size(), env.toString());
    }

    @Test
    void extraVariablesCannotReplaceRequestVariables() {
        assertThrows(IllegalArgumentException.class, () -> request.withEnv("CNI_COMMAND", "DEL"));
        assertThrows(IllegalArgumentException.class, () -> request.withEnv("CNI_PATH", "/tmp"));
    }

    @Test
    void aRequestIsBuiltFromAnInvocationWithTheRawCniArgs() throws Exception {
        String rawArgs = "IgnoreUnknown=1;;K8S_POD_NAME=a;K8S_POD_NAME=b";
        Invocation inv = new Invocation(Command.CHECK, "ctr9", "/proc/1/ns/net", "net1", CniArgs.parse(rawArgs),
                List.of("/opt/cni/bin", "/usr/lib/cni"), JsonFields.of(Json.parseObject(CONFIG), JsonFields.Source.NETWORK_CONFIG), "1.0.0", "net");
        DelegateRequest r = DelegateRequest.of(inv);
        assertEquals(new DelegateRequest(Command.CHECK, "ctr9", "/proc/1/ns/net", "net1", rawArgs,
                List.of("/opt/cni/bin", "/usr/lib/cni"), Map.of()), r);
        assertEquals("/opt/cni/bin:/usr/lib/cni", r.environment(Command.DEL).get("CNI_PATH"));
        assertEquals(rawArgs, r.environment(Command.DEL).get("CNI_ARGS"), "duplicates and empty segments kept");
    }

    @Test
    void theDelegateRunsUnderTheCallersNodePolicyAndNothingElseOfItsEnvironment() throws Exception {
        NodePolicy node = NodePolicy.fromEnvironment(Map.of("JCNI_STATE_ROOTS", "/srv/state", "JCNI_LOG_FILE", "/var/log/j.log",
                "PATH", "/usr/bin", "HOME", "/root"));
        Invocation inv = new Invocation(Command.ADD, "ctr9", "/proc/1/ns/net", "net1", CniArgs.parse(""),
                List.of("/opt/cni/bin"), JsonFields.of(Json.parseObject(CONFIG), JsonFields.Source.NETWORK_CONFIG), "1.0.0",
                "net", node);
        Map<String, String> env = DelegateRequest.of(inv).environment(Command.ADD);
        assertEquals("/srv/state", env.get("JCNI_STATE_ROOTS"));
        assertEquals("/var/log/j.log", env.get("JCNI_LOG_FILE"));
        assertFalse(env.containsKey("PATH"));
        assertFalse(env.containsKey("HOME"));
        assertEquals(8, env.size(), env.toString());
    }

    // ------------------------------------------------------------------ lookup

    @Test
    void aBadOrMissingTypeFailsBeforeAnythingRuns() throws Exception {
        CniException bad = assertThrows(CniException.class, () -> delegator.add("../bin/fake-ipam", CONFIG, request));
        assertEquals("invalid plugin name: ../bin/fake-ipam", bad.msg());
        CniException missing = assertThrows(CniException.class, () -> delegator.add("host-local", CONFIG, request));
        assertEquals(CniException.INVALID_CONFIG, missing.code());
        assertEquals("failed to find plugin \"host-local\" in path [" + root.resolve("empty") + " " + bin + "]",
                missing.msg());
        assertEquals(List.of(), calls());
    }

    @Test
    void theFirstMatchOnThePathRuns() throws Exception {
        Path early = Files.createDirectories(root.resolve("early"));
        Path first = early.resolve("fake-ipam");
        Files.writeString(first, "#!/bin/sh\necho '{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.9.9.9/32\"}]}'\n");
        Files.setPosixFilePermissions(first, PosixFilePermissions.fromString("rwxr-xr-x"));
        answer(Command.ADD, RESULT_040, 0);
        Result r = delegator.add("fake-ipam", CONFIG,
                new DelegateRequest(Command.ADD, "c", "/n", "eth0", "", List.of(early.toString(), bin.toString()), Map.of()));
        assertEquals("{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.9.9.9/32\"}]}",
                Json.toString(ResultCodec.toJson(r, "1.0.0")));
        assertEquals(List.of(), calls(), "the second copy on the path never ran");
    }

    // ------------------------------------------------------------------ results

    @Test
    void anOlderResultIsReadByItsOwnVersion() throws Exception {
        answer(Command.ADD, RESULT_040, 0);
        Result r = delegator.add("fake-ipam", CONFIG, request);
        assertEquals("0.4.0", r.cniVersion());
        assertEquals("{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.1.0.5/24\",\"gateway\":\"10.1.0.1\"}],"
                + "\"routes\":[{\"dst\":\"0.0.0.0/0\"}],\"dns\":{\"nameservers\":[\"10.1.0.1\"]}}",
                Json.toString(ResultCodec.toJson(r, "1.0.0")));
    }

    @Test
    void aResultWithoutVersionIsReadByTheConfigsVersion() throws Exception {
        // A 0.2.0-shaped answer: only a 0.2.0 reading finds its address.
        answer(Command.ADD, "{\"ip4\":{\"ip\":\"10.1.0.7/24\"}}", 0);
        byte[] config020 = "{\"cniVersion\":\"0.2.0\",\"name\":\"net\"}".getBytes(StandardCharsets.UTF_8);
        Result r = delegator.add("fake-ipam", config020, request);
        assertEquals("{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.1.0.7/24\"}]}",
                Json.toString(ResultCodec.toJson(r, "1.0.0")));
    }

    @Test
    void aResultWithoutVersionIsReadAsTheConfigs100() throws Exception {
        // A 1.0.0-shaped answer: read as 0.1.0 it would hold no address at all.
        answer(Command.ADD, "{\"ips\":[{\"address\":\"10.1.0.9/24\"}]}", 0);
        Result r = delegator.add("fake-ipam", CONFIG, request);
        assertEquals("10.1.0.9/24", r.ips().get(0).address().toString());
    }

    @Test
    void aConfigWithoutATextVersionReadsTheResultAs010() throws Exception {
        answer(Command.ADD, "{\"ip4\":{\"ip\":\"10.1.0.8/24\"}}", 0);
        for (String config : List.of("{\"name\":\"net\"}", "{\"cniVersion\":2,\"name\":\"net\"}", "{\"cniVersion\":null,\"name\":\"net\"}")) {
            Result r = delegator.add("fake-ipam", config.getBytes(StandardCharsets.UTF_8), request);
            assertEquals("{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.1.0.8/24\"}]}",
                    Json.toString(ResultCodec.toJson(r, "1.0.0")), config);
        }
    }

    @Test
    void emptyOrGarbageOutputOfAnAddIsAnError() throws Exception {
        answer(Command.ADD, "", 0);
        CniException empty = assertThrows(CniException.class, () -> delegator.add("fake-ipam", CONFIG, request));
        assertEquals(CniException.DECODING_FAILURE, empty.code());
        assertEquals("delegate \"fake-ipam\" printed no valid result", empty.msg());
        assertTrue(empty.details().contains("printed nothing"), empty.details());

        answer(Command.ADD, "lease granted", 0);
        CniException garbage = assertThrows(CniException.class, () -> delegator.add("fake-ipam", CONFIG, request));
        assertEquals(CniException.DECODING_FAILURE, garbage.code());
        assertEquals("delegate \"fake-ipam\" printed no valid result", garbage.msg());

        answer(Command.ADD, "[\"10.1.0.5/24\"]", 0);
        CniException notAnObject = assertThrows(CniException.class, () -> delegator.add("fake-ipam", CONFIG, request));
        assertEquals(CniException.DECODING_FAILURE, notAnObject.code());
        assertTrue(notAnObject.msg().startsWith("invalid result from delegate \"fake-ipam\": "), notAnObject.msg());
    }

    @Test
    void aNullResultIsEmpty() throws Exception {
        answer(Command.ADD, "null", 0);
        Result r = delegator.add("fake-ipam", CONFIG, request);
        assertEquals(List.of(), r.ips());
        assertEquals(List.of(), r.interfaces());
    }

    @Test
    void verbsOtherThanAddIgnoreTheirOutput() throws Exception {
        answer(Command.DEL, "whatever", 0);
        delegator.del("fake-ipam", CONFIG, request);
        assertEquals(List.of("fake-ipam DEL"), calls());
    }

    // ------------------------------------------------------------------ errors

    @Test
    void aDelegatesErrorKeepsItsCodeMsgAndDetails() throws Exception {
        String error = "{\"cniVersion\":\"1.0.0\",\"code\":11,\"msg\":\"no IP addresses available in range set\","
                + "\"details\":\"10.1.0.2-10.1.0.3\"}";
        for (Command verb : List.of(Command.ADD, Command.DEL, Command.CHECK, Command.GC, Command.STATUS)) {
            answer(verb, error, 1);
        }
        List<CniException> errors = new ArrayList<>();
        errors.add(assertThrows(CniException.class, () -> delegator.add("fake-ipam", CONFIG, request)));
        errors.add(assertThrows(CniException.class, () -> delegator.del("fake-ipam", CONFIG, request)));
        errors.add(assertThrows(CniException.class, () -> delegator.check("fake-ipam", CONFIG, request)));
        errors.add(assertThrows(CniException.class, () -> delegator.gc("fake-ipam", CONFIG, request)));
        errors.add(assertThrows(CniException.class, () -> delegator.status("fake-ipam", CONFIG, request)));
        for (CniException e : errors) {
            assertEquals(11, e.code());
            assertEquals("no IP addresses available in range set", e.msg());
            assertEquals("10.1.0.2-10.1.0.3", e.details());
        }
    }

    @Test
    void aFailureWithoutErrorObjectCarriesItsStderr() throws Exception {
        answer(Command.DEL, "", 2);
        Files.writeString(behaviour.resolve("DEL.stderr"), "store is read-only\n");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Log.redirect(new PrintStream(captured, true, StandardCharsets.UTF_8));
        CniException e;
        try {
            e = assertThrows(CniException.class, () -> delegator.del("fake-ipam", CONFIG, request));
        } finally {
            Log.redirect(System.err);
        }
        assertEquals("netplugin failed: \"store is read-only\\n\": exit status 2", e.msg());
        assertEquals("", captured.toString(StandardCharsets.UTF_8), "the stderr that is the error is not logged a second time");
    }

    @Test
    void aHungDelegateIsKilledAtTheDeadline() throws Exception {
        Files.writeString(behaviour.resolve("ADD.sh"), "sleep 60\n");
        Delegator quick = new Delegator(new ProcessRunner(0, Duration.ZERO), Duration.ofMillis(500));
        long start = System.nanoTime();
        CniException e = assertThrows(CniException.class, () -> quick.add("fake-ipam", CONFIG, request));
        assertTrue((System.nanoTime() - start) / 1_000_000 < 10_000);
        assertEquals(CniException.TRY_AGAIN_LATER, e.code());
        assertEquals("plugin \"fake-ipam\" timed out", e.msg());
        assertTrue(e.details().startsWith("ADD did not finish within 500ms"), e.details());
    }

    @Test
    void whatADelegatePrintsOnStderrReachesTheCallersLog() throws Exception {
        answer(Command.DEL, "", 0);
        Files.writeString(behaviour.resolve("DEL.stderr"), "lease 10.1.0.5 was already gone\n");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Log.redirect(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            delegator.del("fake-ipam", CONFIG, request);
        } finally {
            Log.redirect(System.err);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("delegate fake-ipam DEL: lease 10.1.0.5 was already gone"), log);
    }
}
