package dev.jcni.cnictl.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime against scripted fake plugins: cni-protocol.md §5.4.2–§5.4.12. */
class CniRuntimeTest {
    @TempDir
    Path root;
    FakePlugins fakes;
    Path cacheDir;
    List<PluginExecution> executions;
    CniRuntime runtime;

    static final String RESULT_A = "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"br0\"},{\"name\":\"eth0\",\"sandbox\":\"/n\"}],"
            + "\"ips\":[{\"address\":\"10.1.0.2/24\",\"gateway\":\"10.1.0.1\",\"interface\":1}],\"routes\":[{\"dst\":\"0.0.0.0/0\"}]}";
    static final String RESULT_B = "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"br0\"},{\"name\":\"eth0\",\"sandbox\":\"/n\"}],"
            + "\"ips\":[{\"address\":\"10.1.0.2/24\",\"gateway\":\"10.1.0.1\",\"interface\":1}],\"routes\":[{\"dst\":\"0.0.0.0/0\"}],"
            + "\"dns\":{\"nameservers\":[\"10.1.0.1\"]}}";

    @BeforeEach
    void setUp() throws Exception {
        fakes = new FakePlugins(root);
        fakes.install("a", "b", "c");
        cacheDir = root.resolve("cache");
        executions = new ArrayList<>();
        runtime = runtime(Duration.ofSeconds(20));
    }

    private CniRuntime runtime(Duration timeout) {
        return CniRuntime.builder()
                .pluginPath(List.of(fakes.bin()))
                .cacheDir(cacheDir)
                .timeout(timeout)
                .environment(Map.of("PATH", System.getenv("PATH"), "JCNI_INHERITED", "from-runtime", "CNI_IFNAME", "overridden"))
                .observer(executions::add)
                .textFileBusyRetry(5, Duration.ofMillis(200))
                .build();
    }

    static NetworkConfigList list(String version, String extra, String... types) throws CniException {
        StringBuilder sb = new StringBuilder("{\"cniVersion\":\"" + version + "\",\"name\":\"net\"" + extra + ",\"plugins\":[");
        for (int i = 0; i < types.length; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"type\":\"").append(types[i])
                    .append("\",\"capabilities\":{\"portMappings\":").append(types[i].equals("b")).append("},\"custom\":\"")
                    .append(types[i]).append("\"}");
        }
        return ConfigLoader.fromBytes(sb.append("]}").toString().getBytes(StandardCharsets.UTF_8), "test");
    }

    static RuntimeConf rt(String containerId) throws Exception {
        return new RuntimeConf(containerId, "/var/run/netns/test", "eth0",
                List.of(new RuntimeConf.Arg("IgnoreUnknown", "1"), new RuntimeConf.Arg("K8S_POD_NAME", "pod")),
                (ObjectNode) Json.parse("{\"portMappings\":[{\"hostPort\":8080,\"containerPort\":80,\"protocol\":\"tcp\"}],"
                        + "\"bandwidth\":{\"ingressRate\":1000}}"));
    }

    private Path cacheFile(String containerId) {
        return cacheDir.resolve("results/net-" + containerId + "-eth0");
    }

    // ------------------------------------------------------------------ ADD

    @Test
    void addRunsPluginsInOrderChainingEachResult() throws Exception {
        fakes.stdout("a", "ADD", RESULT_A).stdout("b", "ADD", RESULT_B);
        CniRuntime.AddResult result = runtime.add(list("1.0.0", "", "a", "b", "c"), rt("ctr1"));
        assertEquals(List.of("a ADD", "b ADD", "c ADD"), fakes.callSummary());
        List<FakePlugins.Call> calls = fakes.calls();
        assertFalse(calls.get(0).request().has("prevResult"));
        assertEquals(Json.parse(RESULT_A), calls.get(1).request().get("prevResult"));
        assertEquals(Json.parse(RESULT_B), calls.get(2).request().get("prevResult"));
        // c printed a result without cniVersion: it is taken to be the config's.
        assertEquals("1.0.0", result.json().get("cniVersion").textValue());
        assertEquals("c0", result.result().interfaces().get(0).name());
        // Only b declares portMappings, so only b gets runtimeConfig; nobody declares bandwidth.
        assertFalse(calls.get(0).request().has("runtimeConfig"));
        assertEquals(Json.parse("{\"portMappings\":[{\"hostPort\":8080,\"containerPort\":80,\"protocol\":\"tcp\"}]}"),
                calls.get(1).request().get("runtimeConfig"));
        assertEquals("b", calls.get(1).request().get("custom").textValue());
        assertEquals("net", calls.get(1).request().get("name").textValue());
        assertTrue(Files.exists(cacheFile("ctr1")));
        assertEquals(3, executions.size());
        assertEquals(dev.jcni.core.skel.Command.ADD, executions.get(0).command());
        assertTrue(executions.get(0).elapsed().toNanos() > 0);
    }

    @Test
    void environmentCarriesTheCniVariablesOverTheInheritedOnes() throws Exception {
        runtime.add(list("1.0.0", "", "a"), rt("ctr1"));
        Map<String, String> env = fakes.calls().get(0).env();
        assertEquals("ADD", env.get("CNI_COMMAND"));
        assertEquals("ctr1", env.get("CNI_CONTAINERID"));
        assertEquals("/var/run/netns/test", env.get("CNI_NETNS"));
        assertEquals("eth0", env.get("CNI_IFNAME"), "the runtime's value wins over an inherited one");
        assertEquals("IgnoreUnknown=1;K8S_POD_NAME=pod", env.get("CNI_ARGS"));
        assertEquals(fakes.bin().toString(), env.get("CNI_PATH"));
        assertEquals("from-runtime", env.get("JCNI_INHERITED"));
    }

    @Test
    void addFailureNamesThePluginKeepsItsErrorAndStops() throws Exception {
        fakes.stdout("b", "ADD", "{\"code\":11,\"msg\":\"busy\",\"details\":\"try later\"}").exit("b", "ADD", 1);
        PluginFailure e = assertThrows(PluginFailure.class, () -> runtime.add(list("1.0.0", "", "a", "b", "c"), rt("ctr1")));
        assertEquals(11, e.code());
        assertEquals("busy", e.pluginMsg());
        assertEquals("try later", e.details());
        assertEquals("b", e.pluginType());
        assertEquals(dev.jcni.core.skel.Command.ADD, e.command());
        assertTrue(e.getMessage().startsWith("plugin type=\"b\" failed (add): busy"), e.getMessage());
        assertEquals(List.of("a ADD", "b ADD"), fakes.callSummary());
        assertFalse(Files.exists(cacheFile("ctr1")), "no cache after a failed ADD");
    }

    @Test
    void errorsAreReadWithOrWithoutCniVersionAndFromStderrWhenStdoutIsEmpty() throws Exception {
        fakes.stdout("a", "ADD", "{\"cniVersion\":\"1.0.0\",\"code\":7,\"msg\":\"bad config\"}").exit("a", "ADD", 1);
        CniException withVersion = assertThrows(CniException.class, () -> runtime.add(list("1.0.0", "", "a"), rt("c1")));
        assertEquals(7, withVersion.code());

        fakes.stdout("a", "ADD", "").stderr("a", "ADD", "panic: something\nline 2").exit("a", "ADD", 2);
        CniException fromStderr = assertThrows(CniException.class, () -> runtime.add(list("1.0.0", "", "a"), rt("c1")));
        assertTrue(fromStderr.getMessage().contains("netplugin failed: \"panic: something\\nline 2\": exit status 2"),
                fromStderr.getMessage());

        fakes.stderr("a", "ADD", "");
        CniException nothing = assertThrows(CniException.class, () -> runtime.add(list("1.0.0", "", "a"), rt("c1")));
        assertTrue(nothing.getMessage().contains("netplugin failed with no error message: exit status 2"), nothing.getMessage());

        fakes.stdout("a", "ADD", "not json");
        CniException garbage = assertThrows(CniException.class, () -> runtime.add(list("1.0.0", "", "a"), rt("c1")));
        assertTrue(garbage.getMessage().contains("error parsing its diagnostic message"), garbage.getMessage());
    }

    @Test
    void addOutputMustBeAResultButNullIsAnEmptyOne() throws Exception {
        fakes.stdout("a", "ADD", "");
        CniException empty = assertThrows(CniException.class, () -> runtime.add(list("1.0.0", "", "a"), rt("c1")));
        assertTrue(empty.getMessage().contains("failed to unmarshal raw result"), empty.getMessage());
        assertEquals("the plugin printed nothing", empty.details());
        fakes.stdout("a", "ADD", "{\"cniVersion\":");
        CniException garbage = assertThrows(CniException.class, () -> runtime.add(list("1.0.0", "", "a"), rt("c1")));
        assertFalse(garbage.details().isEmpty() || garbage.details().equals("the plugin printed nothing"), garbage.details());
        fakes.stdout("a", "ADD", "[]");
        assertEquals("expected a JSON object, got []",
                assertThrows(CniException.class, () -> runtime.add(list("1.0.0", "", "a"), rt("c1"))).details());
        fakes.stdout("a", "ADD", "null");
        CniRuntime.AddResult r = runtime.add(list("1.0.0", "", "a"), rt("c1"));
        assertEquals("1.0.0", r.json().get("cniVersion").textValue());
        assertTrue(r.result().interfaces().isEmpty());
    }

    @Test
    void aResultOfAnotherVersionFamilyIsAcceptedAndPassedOnAsIs() throws Exception {
        String v040 = "{\"cniVersion\":\"0.4.0\",\"ips\":[{\"version\":\"4\",\"address\":\"10.0.0.2/24\"}]}";
        fakes.stdout("a", "ADD", v040);
        runtime.add(list("1.0.0", "", "a", "b"), rt("c1"));
        assertEquals(Json.parse(v040), fakes.calls().get(1).request().get("prevResult"));
    }

    @Test
    void addValidatesContainerIdNetworkAndIfNameBeforeRunningAnything() throws Exception {
        NetworkConfigList l = list("1.0.0", "", "a");
        assertEquals(CniException.INVALID_ENVIRONMENT,
                assertThrows(CniException.class, () -> runtime.add(l, RuntimeConf.of("-bad", "/n", "eth0"))).code());
        assertThrows(CniException.class, () -> runtime.add(l, RuntimeConf.of("ok", "/n", "way-too-long-ifname")));
        assertThrows(CniException.class, () -> runtime.add(l, RuntimeConf.of("ok", "/n", "a:b")));
        assertThrows(CniException.class, () -> runtime.add(l, RuntimeConf.of("", "/n", "eth0")));
        assertEquals(List.of(), fakes.callSummary());
    }

    // ------------------------------------------------------------------ DEL

    @Test
    void delRunsInReverseWithTheCachedResultAndCachedArguments() throws Exception {
        fakes.stdout("c", "ADD", RESULT_B);
        NetworkConfigList l = list("1.0.0", "", "a", "b", "c");
        runtime.add(l, rt("ctr1"));
        fakes.clearCalls();
        // The caller passes no capability or CNI args (like cnitool del without CAP_ARGS).
        runtime.del(l, RuntimeConf.of("ctr1", "/var/run/netns/test", "eth0"));
        assertEquals(List.of("c DEL", "b DEL", "a DEL"), fakes.callSummary());
        for (FakePlugins.Call call : fakes.calls()) {
            assertEquals(Json.parse(RESULT_B), call.request().get("prevResult"), call.plugin());
            assertEquals("IgnoreUnknown=1;K8S_POD_NAME=pod", call.env().get("CNI_ARGS"));
        }
        // portmap-like b gets its mappings back from the cache.
        assertEquals(8080, fakes.calls().get(1).request().get("runtimeConfig").get("portMappings").get(0).get("hostPort").intValue());
        assertFalse(Files.exists(cacheFile("ctr1")), "cache removed after a successful DEL");
    }

    /**
     * Issue 8: the cached config is standard base64, as Go's encoding/json writes a []byte. An
     * encoder with the URL-safe alphabet passed the golden test, whose base64 holds neither '+'
     * nor '/'. Here it holds both; the config, CNI_ARGS and capability arguments must come back
     * for a DEL whose caller passes none (podman's teardown through GetNetworkListCachedConfig).
     */
    @Test
    void aCachedConfigWithPlusAndSlashInItsBase64TearsDownWithTheCachedArguments() throws Exception {
        NetworkConfigList l = list("1.0.0", ",\"comment\":\"???>>>~~~???>>>~~~\"", "a", "b");
        runtime.add(l, rt("ctr1"));
        String stored = Json.parse(Files.readAllBytes(cacheFile("ctr1"))).get("config").textValue();
        assertTrue(stored.contains("+") && stored.contains("/"), "the case must hold both characters: " + stored);
        // The JDK's standard decoder is the oracle: Go's decoder accepts nothing else.
        assertEquals(new String(l.bytes(), StandardCharsets.UTF_8),
                new String(java.util.Base64.getDecoder().decode(stored), StandardCharsets.UTF_8));

        NetworkConfigList cached = runtime.cachedConfig("net", RuntimeConf.of("ctr1", "", "eth0"));
        assertNotNull(cached, "the cached config could not be read back");
        assertEquals(new String(l.bytes(), StandardCharsets.UTF_8), new String(cached.bytes(), StandardCharsets.UTF_8));
        fakes.clearCalls();
        runtime.del(cached, RuntimeConf.of("ctr1", "/var/run/netns/test", "eth0"));
        assertEquals(List.of("b DEL", "a DEL"), fakes.callSummary());
        FakePlugins.Call b = fakes.calls().get(0);
        assertEquals(Json.parse("{\"portMappings\":[{\"hostPort\":8080,\"containerPort\":80,\"protocol\":\"tcp\"}]}"),
                b.request().get("runtimeConfig"));
        assertEquals("IgnoreUnknown=1;K8S_POD_NAME=pod", b.env().get("CNI_ARGS"));
        assertEquals("b0", b.request().get("prevResult").get("interfaces").get(0).get("name").textValue(),
                "the cached result is the prevResult");
        assertFalse(Files.exists(cacheFile("ctr1")));
    }

    @Test
    void callerSuppliedArgumentsWinOverCachedOnes() throws Exception {
        NetworkConfigList l = list("1.0.0", "", "b");
        runtime.add(l, rt("ctr1"));
        fakes.clearCalls();
        RuntimeConf mine = new RuntimeConf("ctr1", "/n", "eth0", List.of(new RuntimeConf.Arg("X", "1")),
                (ObjectNode) Json.parse("{\"portMappings\":[]}"));
        runtime.del(l, mine);
        assertEquals("X=1", fakes.calls().get(0).env().get("CNI_ARGS"));
        assertEquals(0, fakes.calls().get(0).request().get("runtimeConfig").get("portMappings").size());
    }

    @Test
    void delBelow040SendsNoPrevResult() throws Exception {
        NetworkConfigList l = list("0.3.1", "", "a", "b");
        runtime.add(l, rt("ctr1"));
        fakes.clearCalls();
        runtime.del(l, rt("ctr1"));
        for (FakePlugins.Call call : fakes.calls()) {
            assertFalse(call.request().has("prevResult"));
        }
    }

    @Test
    void corruptOrEmptyCacheDoesNotBlockDel() throws Exception {
        NetworkConfigList l = list("1.0.0", "", "a", "b");
        Files.createDirectories(cacheFile("ctr1").getParent());
        Files.write(cacheFile("ctr1"), new byte[0]);
        runtime.del(l, rt("ctr1"));
        assertEquals(List.of("b DEL", "a DEL"), fakes.callSummary());
        assertFalse(fakes.calls().get(0).request().has("prevResult"));
        assertFalse(Files.exists(cacheFile("ctr1")));
    }

    /** Another thread must get the host-wide lock after each verb: a verb that kept it would stop every GC, or every ADD. */
    private void assertLockIsFree(String after) throws Exception {
        java.util.concurrent.FutureTask<Void> gc = new java.util.concurrent.FutureTask<>(() -> {
            RuntimeLock.forCacheDir(cacheDir).exclusive().close();
            return null;
        });
        Thread t = new Thread(gc);
        t.setDaemon(true);
        t.start();
        try {
            gc.get(3, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the runtime lock is still held after " + after);
        }
    }

    @Test
    void everyVerbReleasesTheRuntimeLock() throws Exception {
        NetworkConfigList l = list("1.1.0", "", "a");
        runtime.add(l, rt("ctr1"));
        assertLockIsFree("ADD");
        runtime.check(l, rt("ctr1"));
        runtime.del(l, rt("ctr1"));
        assertLockIsFree("DEL");
        runtime.gc(l, List.of());
        assertLockIsFree("GC");
        fakes.stdout("a", "DEL", "{\"code\":100,\"msg\":\"no\"}").exit("a", "DEL", 1);
        runtime.add(l, rt("ctr2"));
        assertThrows(CniException.class, () -> runtime.del(l, rt("ctr2")));
        assertLockIsFree("a failed DEL");
        assertThrows(CniException.class, () -> runtime.gc(l, List.of()));
        assertLockIsFree("a failed GC");
        assertEquals(cacheDir, runtime.cache().cacheDir());
    }

    @Test
    void anUnusableCacheIsDroppedEvenWhenTheDelFails() throws Exception {
        NetworkConfigList l = list("1.0.0", "", "a");
        Files.createDirectories(cacheFile("ctr1").getParent());
        Files.write(cacheFile("ctr1"), new byte[0]);
        fakes.stdout("a", "DEL", "{\"code\":100,\"msg\":\"no\"}").exit("a", "DEL", 1);
        assertThrows(CniException.class, () -> runtime.del(l, rt("ctr1")));
        assertFalse(Files.exists(cacheFile("ctr1")), "an unusable entry blocks nothing, and a retried DEL must not trip over it");
    }

    @Test
    void theObserverSeesEachExecsInputAndOutput() throws Exception {
        fakes.stdout("a", "ADD", RESULT_A);
        runtime.add(list("1.0.0", "", "a"), rt("ctr1"));
        PluginExecution add = executions.get(0);
        assertEquals(RESULT_A, add.stdoutText());
        assertEquals("a", Json.parse(add.stdinText().getBytes(StandardCharsets.UTF_8)).get("type").textValue());
        assertEquals("net", Json.parse(add.stdinText().getBytes(StandardCharsets.UTF_8)).get("name").textValue());
    }

    @Test
    void aDelErrorStopsTheChainAndKeepsTheCache() throws Exception {
        NetworkConfigList l = list("1.0.0", "", "a", "b", "c");
        runtime.add(l, rt("ctr1"));
        fakes.clearCalls();
        fakes.stdout("b", "DEL", "{\"code\":100,\"msg\":\"cannot delete\"}").exit("b", "DEL", 1);
        PluginFailure e = assertThrows(PluginFailure.class, () -> runtime.del(l, rt("ctr1")));
        assertTrue(e.getMessage().startsWith("plugin type=\"b\" failed (delete): cannot delete"), e.getMessage());
        assertEquals(List.of("c DEL", "b DEL"), fakes.callSummary());
        assertTrue(Files.exists(cacheFile("ctr1")), "the cache stays so the DEL can be retried");
    }

    @Test
    void delWithoutAnyCacheSucceeds() throws Exception {
        runtime.del(list("1.0.0", "", "a"), RuntimeConf.of("never-added", "", "eth0"));
        assertEquals(List.of("a DEL"), fakes.callSummary());
        assertEquals("", fakes.calls().get(0).env().get("CNI_NETNS"));
    }

    @Test
    void aLegacyCacheFileStillFeedsPrevResult() throws Exception {
        Files.createDirectories(cacheFile("ctr1").getParent());
        Files.writeString(cacheFile("ctr1"), "{\"cniVersion\":\"0.4.0\",\"ips\":[{\"version\":\"4\",\"address\":\"10.1.2.3/24\"}]}");
        runtime.del(list("1.0.0", "", "a"), rt("ctr1"));
        JsonNode prev = fakes.calls().get(0).request().get("prevResult");
        assertEquals("1.0.0", prev.get("cniVersion").textValue(), "converted to the list version");
        assertEquals("10.1.2.3/24", prev.get("ips").get(0).get("address").textValue());
    }

    // ------------------------------------------------------------------ CHECK

    @Test
    void checkBelow040IsAnErrorEvenWithDisableCheck() throws Exception {
        CniException e = assertThrows(CniException.class,
                () -> runtime.check(list("0.3.1", ",\"disableCheck\":true", "a"), rt("ctr1")));
        assertTrue(e.getMessage().contains("configuration version \"0.3.1\" does not support the CHECK command"), e.getMessage());
        assertEquals(List.of(), fakes.callSummary());
    }

    @Test
    void disableCheckRunsNothing() throws Exception {
        runtime.check(list("1.0.0", ",\"disableCheck\":\"true\"", "a", "b"), rt("ctr1"));
        assertEquals(List.of(), fakes.callSummary());
    }

    @Test
    void checkRunsForwardWithTheCachedResult() throws Exception {
        fakes.stdout("b", "ADD", RESULT_B);
        NetworkConfigList l = list("1.0.0", "", "a", "b");
        runtime.add(l, rt("ctr1"));
        fakes.clearCalls();
        runtime.check(l, rt("ctr1"));
        assertEquals(List.of("a CHECK", "b CHECK"), fakes.callSummary());
        assertEquals(Json.parse(RESULT_B), fakes.calls().get(0).request().get("prevResult"));
        assertEquals("CHECK", fakes.calls().get(0).env().get("CNI_COMMAND"));
        fakes.clearCalls();
        // Without arguments from the caller, CHECK gets the ADD's from the cache, as DEL does.
        runtime.check(l, RuntimeConf.of("ctr1", "/var/run/netns/test", "eth0"));
        assertEquals(8080, fakes.calls().get(1).request().get("runtimeConfig").get("portMappings").get(0).get("hostPort").intValue());
        assertEquals("IgnoreUnknown=1;K8S_POD_NAME=pod", fakes.calls().get(1).env().get("CNI_ARGS"));

        fakes.clearCalls();
        fakes.stdout("a", "CHECK", "{\"code\":101,\"msg\":\"drift\"}").exit("a", "CHECK", 1);
        CniException e = assertThrows(CniException.class, () -> runtime.check(l, rt("ctr1")));
        assertEquals(101, e.code());
        assertEquals(List.of("a CHECK"), fakes.callSummary(), "stops at the first error");
    }

    @Test
    void checkWithAnInvalidCacheIsAnError() throws Exception {
        Files.createDirectories(cacheFile("ctr1").getParent());
        Files.write(cacheFile("ctr1"), new byte[0]);
        CniException e = assertThrows(CniException.class, () -> runtime.check(list("1.0.0", "", "a"), rt("ctr1")));
        assertTrue(e.getMessage().contains("cached result"), e.getMessage());
        assertEquals(List.of(), fakes.callSummary());
    }

    // ------------------------------------------------------------------ GC

    @Test
    void gcDeletesStaleAttachmentsKeepsValidOnesThenGcsEveryPlugin() throws Exception {
        NetworkConfigList l = list("1.1.0", "", "a", "b");
        runtime.add(l, rt("live"));
        runtime.add(l, new RuntimeConf("stale", "/var/run/netns/stale", "eth0", List.of(new RuntimeConf.Arg("S", "1")),
                (ObjectNode) Json.parse("{\"portMappings\":[{\"hostPort\":9}]}")));
        runtime.add(list("1.1.0", "", "a").withPlugins(l.plugins()), rt("x")); // same network, same chain
        fakes.clearCalls();
        runtime.gc(l, List.of(new GcAttachment("live", "eth0"), new GcAttachment("x", "eth0")));
        assertEquals(List.of("b DEL", "a DEL", "a GC", "b GC"), fakes.callSummary());
        List<FakePlugins.Call> calls = fakes.calls();
        assertEquals("stale", calls.get(0).env().get("CNI_CONTAINERID"));
        assertEquals("/var/run/netns/stale", calls.get(0).env().get("CNI_NETNS"));
        assertEquals("S=1", calls.get(0).env().get("CNI_ARGS"));
        assertEquals(9, calls.get(0).request().get("runtimeConfig").get("portMappings").get(0).get("hostPort").intValue());
        JsonNode gcReq = calls.get(2).request();
        JsonNode expected = Json.parse("[{\"containerID\":\"live\",\"ifname\":\"eth0\"},{\"containerID\":\"x\",\"ifname\":\"eth0\"}]");
        assertEquals(expected, gcReq.get("cni.dev/valid-attachments"));
        assertEquals(expected, gcReq.get("cni.dev/attachments"));
        assertEquals("", calls.get(2).env().get("CNI_CONTAINERID"));
        assertEquals("", calls.get(2).env().get("CNI_NETNS"));
        assertEquals("", calls.get(2).env().get("CNI_IFNAME"));
        assertEquals(fakes.bin().toString(), calls.get(2).env().get("CNI_PATH"));
        assertTrue(Files.exists(cacheFile("live")));
        assertFalse(Files.exists(cacheFile("stale")));
    }

    @Test
    void gcWithoutAListDeletesEveryAttachmentOfThatNetworkOnly() throws Exception {
        NetworkConfigList l = list("1.1.0", "", "a");
        runtime.add(l, rt("one"));
        NetworkConfigList other = ConfigLoader.fromBytes(
                "{\"cniVersion\":\"1.1.0\",\"name\":\"other\",\"plugins\":[{\"type\":\"c\"}]}".getBytes(StandardCharsets.UTF_8), "t");
        runtime.add(other, rt("two"));
        fakes.clearCalls();
        runtime.gc(l, null);
        assertEquals(List.of("a DEL", "a GC"), fakes.callSummary());
        assertFalse(fakes.calls().get(1).request().has("cni.dev/valid-attachments"));
        assertTrue(Files.exists(cacheDir.resolve("results/other-two-eth0")));
    }

    @Test
    void gcBelow110OnlyDeletesStaleAttachments() throws Exception {
        NetworkConfigList l = list("1.0.0", "", "a");
        runtime.add(l, rt("one"));
        fakes.clearCalls();
        runtime.gc(l, List.of());
        assertEquals(List.of("a DEL"), fakes.callSummary());
    }

    @Test
    void disableGcDoesNothing() throws Exception {
        NetworkConfigList l = list("1.1.0", ",\"disableGC\":true", "a");
        runtime.add(l, rt("one"));
        fakes.clearCalls();
        runtime.gc(l, null);
        assertEquals(List.of(), fakes.callSummary());
        assertTrue(Files.exists(cacheFile("one")));
    }

    @Test
    void gcErrorsAreCollectedAndDoNotStopOtherPlugins() throws Exception {
        NetworkConfigList l = list("1.1.0", "", "a", "b", "c");
        fakes.stdout("a", "GC", "{\"code\":100,\"msg\":\"a broke\"}").exit("a", "GC", 1);
        fakes.stdout("b", "GC", "{\"code\":101,\"msg\":\"b broke\"}").exit("b", "GC", 1);
        CniException e = assertThrows(CniException.class, () -> runtime.gc(l, List.of()));
        assertEquals(List.of("a GC", "b GC", "c GC"), fakes.callSummary());
        assertTrue(e.details().contains("a broke") && e.details().contains("b broke"), e.details());
        assertTrue(e.details().startsWith("failed to GC plugin a: "), "no separator before the first: " + e.details());
        assertEquals(1, e.details().split("; failed to GC plugin ", -1).length - 1, e.details());
        assertEquals("GC of network \"net\" had 2 errors", e.msg());
        assertEquals(100, e.code(), "the first error's code");
        assertEquals(2, e.getSuppressed().length);
    }

    // ------------------------------------------------------------------ STATUS

    @Test
    void statusBelow110RunsNothing() throws Exception {
        runtime.status(list("1.0.0", "", "a", "b"));
        assertEquals(List.of(), fakes.callSummary());
    }

    @Test
    void statusReturnsTheFirstErrorWithItsCode() throws Exception {
        NetworkConfigList l = list("1.1.0", "", "a", "b", "c");
        runtime.status(l);
        assertEquals(List.of("a STATUS", "b STATUS", "c STATUS"), fakes.callSummary());
        assertEquals("", fakes.calls().get(0).env().get("CNI_CONTAINERID"));
        assertFalse(fakes.calls().get(0).request().has("runtimeConfig"));
        fakes.clearCalls();
        fakes.stdout("b", "STATUS", "{\"code\":50,\"msg\":\"not ready\"}").exit("b", "STATUS", 1);
        CniException e = assertThrows(CniException.class, () -> runtime.status(l));
        assertEquals(50, e.code());
        assertEquals(List.of("a STATUS", "b STATUS"), fakes.callSummary());
    }

    // ------------------------------------------------------------------ VERSION

    @Test
    void versionProbeAndItsLegacyFallbacks() throws Exception {
        PluginVersionInfo modern = runtime.version("a");
        assertTrue(modern.supports("1.1.0"));
        FakePlugins.Call call = fakes.calls().get(0);
        assertEquals("dummy", call.env().get("CNI_NETNS"));
        assertEquals("dummy", call.env().get("CNI_IFNAME"));
        assertEquals("dummy", call.env().get("CNI_PATH"));
        assertEquals("", call.env().get("CNI_CONTAINERID"));
        assertEquals(Json.parse("{\"cniVersion\":\"1.1.0\"}"), call.request());

        fakes.stdout("a", "VERSION", "{\"code\":4,\"msg\":\"unknown CNI_COMMAND: VERSION\"}").exit("a", "VERSION", 1);
        assertEquals(List.of("0.1.0"), runtime.version("a").supportedVersions());

        fakes.stdout("b", "VERSION", "{\"cniVersion\":\"0.2.0\"}");
        assertEquals(List.of("0.1.0", "0.2.0"), runtime.version("b").supportedVersions());

        fakes.stdout("c", "VERSION", "{\"supportedVersions\":[\"1.0.0\"]}");
        CniException missing = assertThrows(CniException.class, () -> runtime.version("c"));
        assertTrue(missing.getMessage().contains("missing field cniVersion"), missing.getMessage());

        fakes.stdout("c", "VERSION", "{\"cniVersion\":\"0.3.0\"}");
        assertThrows(CniException.class, () -> runtime.version("c"));
    }

    @Test
    void validateChecksEveryPluginSupportsTheListVersion() throws Exception {
        fakes.stdout("b", "VERSION", "{\"cniVersion\":\"0.2.0\"}");
        assertEquals(List.of("portMappings"), runtime.validate(list("0.2.0", "", "a", "b")));
        assertEquals(List.of(), runtime.validate(list("0.2.0", "", "a")), "a declares portMappings false");
        CniException e = assertThrows(CniException.class, () -> runtime.validate(list("1.0.0", "", "a", "b", "missing")));
        assertTrue(e.details().contains("plugin b does not support config version \"1.0.0\""), e.details());
        assertTrue(e.details().contains("failed to find plugin \"missing\""), e.details());
    }

    // ------------------------------------------------------------------ lookup, timeouts, exec

    @Test
    void aMissingPluginFailsEveryVerbBeforeAnythingRuns() throws Exception {
        NetworkConfigList l = list("1.1.0", "", "a", "missing");
        RuntimeConf r = rt("ctr1");
        assertTrue(assertThrows(CniException.class, () -> runtime.add(l, r)).getMessage()
                .contains("failed to find plugin \"missing\""));
        assertThrows(CniException.class, () -> runtime.del(l, r));
        assertThrows(CniException.class, () -> runtime.check(l, r));
        assertThrows(CniException.class, () -> runtime.status(l));
        assertFalse(fakes.callSummary().contains("a ADD"));
        assertFalse(fakes.callSummary().contains("a DEL"));
        CniException gc = assertThrows(CniException.class, () -> runtime.gc(l, List.of()));
        assertTrue(gc.getMessage().contains("missing"), gc.getMessage());
        assertEquals(List.of("a STATUS", "a GC"), fakes.callSummary(), "STATUS stops at the missing plugin; GC goes on");
    }

    @Test
    void aHungPluginIsKilledWithItsChildrenAndNamed() throws Exception {
        Path pids = root.resolve("pids");
        fakes.script("b", "ADD", "echo $$ > '" + pids + ".plugin'; sleep 60 & echo $! > '" + pids + ".child'; sleep 60");
        CniRuntime quick = runtime(Duration.ofMillis(700));
        long start = System.nanoTime();
        CniException e = assertThrows(CniException.class, () -> quick.add(list("1.0.0", "", "a", "b", "c"), rt("ctr1")));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMs < 10_000, "took " + tookMs + " ms");
        assertEquals(CniException.TRY_AGAIN_LATER, e.code());
        assertTrue(e.getMessage().contains("plugin \"b\" timed out"), e.getMessage());
        assertEquals(List.of("a ADD", "b ADD"), fakes.callSummary());
        assertTrue(executions.get(1).timedOut());
        long plugin = Long.parseLong(Files.readString(Path.of(pids + ".plugin")).trim());
        long child = Long.parseLong(Files.readString(Path.of(pids + ".child")).trim());
        assertGone(plugin);
        assertGone(child);
        assertFalse(Files.exists(cacheFile("ctr1")));
    }

    /** Neither running nor a zombie: /proc has no entry left (or only for a reused pid, which is not ours). */
    private static void assertGone(long pid) throws Exception {
        Path stat = Path.of("/proc/" + pid + "/stat");
        for (int i = 0; i < 50 && Files.exists(stat); i++) {
            Thread.sleep(100);
        }
        if (Files.exists(stat)) {
            String s = Files.readString(stat);
            String state = s.substring(s.lastIndexOf(')') + 2, s.lastIndexOf(')') + 3);
            throw new AssertionError("process " + pid + " is still there in state " + state + ": " + s);
        }
    }

    @Test
    void textFileBusyIsRetried() throws Exception {
        Path plugin = fakes.bin().resolve("a");
        java.io.FileOutputStream writer = new java.io.FileOutputStream(plugin.toFile(), true);
        Thread closer = new Thread(() -> {
            try {
                Thread.sleep(500);
                writer.close();
            } catch (Exception ignored) {
                // the test fails on its own if the file stays busy
            }
        });
        closer.start();
        runtime.add(list("1.0.0", "", "a"), rt("ctr1"));
        closer.join();
        assertEquals(List.of("a ADD"), fakes.callSummary());
    }

    @Test
    void pluginStderrReachesTheObserverOnSuccess() throws Exception {
        fakes.stderr("a", "ADD", "a note for the log");
        runtime.add(list("1.0.0", "", "a"), rt("ctr1"));
        assertEquals("a note for the log", executions.get(0).stderrText());
        assertEquals(fakes.bin().resolve("a"), executions.get(0).binary());
    }

    @Test
    void cachedResultAndCachedConfigAreAvailableAfterAdd() throws Exception {
        fakes.stdout("a", "ADD", RESULT_A);
        NetworkConfigList l = list("1.0.0", "", "a");
        runtime.add(l, rt("ctr1"));
        assertEquals(Json.parse(RESULT_A).get("ips"), runtime.cachedResult(l, rt("ctr1")).get("ips"));
        NetworkConfigList cached = runtime.cachedConfig("net", rt("ctr1"));
        assertNotNull(cached);
        assertEquals("a", cached.plugins().get(0).type());
        assertNull(runtime.cachedResult(l, rt("other")));
    }
}
