package dev.jcni.core.skel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.protocol.CniException;
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

/**
 * A request another plugin of the process delegated ({@code runNested}): answered as {@code run}
 * answers it, the delegate logging under its own name, the caller's log as it was afterwards.
 */
class SkelNestedTest {
    @TempDir
    Path tmp;
    private ByteArrayOutputStream stderr;

    @BeforeEach
    void capture() {
        stderr = new ByteArrayOutputStream();
        Log.redirect(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        Log.configure("fake", null, false);
        Log.setContext("");
        Log.redirect(System.err);
    }

    /** Logs a warning and answers DEL, or fails ADD with a CNI error. */
    static final class Inner implements CniPlugin {
        @Override public String about() { return "inner"; }
        @Override public List<String> supportedVersions() { return List.of("1.0.0"); }
        @Override public Result add(Invocation inv) throws CniException { throw new CniException(11, "busy", "try later"); }
        @Override public void check(Invocation inv) { }
        @Override public void del(Invocation inv) { Log.warn("inner warning"); Log.info("inner info"); }
        @Override public void gc(Invocation inv) { }
        @Override public void status(Invocation inv) { }
    }

    private Map<String, String> env(String command, String logFile) {
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", "c1");
        env.put("CNI_NETNS", "");
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", "/opt/cni/bin");
        env.put("JCNI_LOCK_DIR", tmp.resolve("locks").toString());
        if (logFile != null) {
            env.put("JCNI_LOG_FILE", logFile);
        }
        return env;
    }

    private static final byte[] CONF = "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"x\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void theDelegateLogsAsItselfAndTheCallersLogComesBack() throws Exception {
        Path callerLog = tmp.resolve("caller.log");
        Path innerLog = tmp.resolve("inner.log");
        Log.configure("bridge", callerLog.toString(), false);
        Log.setContext("ADD c1/eth0");
        Skel.Outcome o = new Skel("host-local", new Inner()).runNested(env("DEL", innerLog.toString()), CONF);
        assertEquals(0, o.exitCode());
        Log.warn("outer warning");
        Log.info("outer info");
        String err = stderr.toString(StandardCharsets.UTF_8);
        assertTrue(err.contains("host-local: WARN [DEL c1/eth0] inner warning"), err);
        assertTrue(err.contains("bridge: WARN [ADD c1/eth0] outer warning"), err);
        List<String> caller = Files.readAllLines(callerLog);
        assertEquals(2, caller.size(), caller.toString());
        assertTrue(caller.get(1).endsWith("bridge: INFO [ADD c1/eth0] outer info"), caller.toString());
        List<String> inner = Files.readAllLines(innerLog);
        assertTrue(inner.get(inner.size() - 1).endsWith("host-local: INFO [DEL c1/eth0] inner info"), inner.toString());
    }

    @Test
    void aFailureIsTheSameAnswerRunGives() {
        Skel.Outcome nested = new Skel("host-local", new Inner()).runNested(env("ADD", null), CONF);
        Map<String, String> e = env("ADD", null);
        e.put("CNI_NETNS", "/proc/self/ns/net");
        e.put("CNI_NETNS_OVERRIDE", "1");
        Skel.Outcome viaNested = new Skel("host-local", new Inner()).runNested(e, CONF);
        Skel.Outcome direct = new Skel("host-local", new Inner()).run(e, CONF);
        assertEquals(1, nested.exitCode());
        assertEquals(new String(direct.stdout(), StandardCharsets.UTF_8), new String(viaNested.stdout(), StandardCharsets.UTF_8));
        assertTrue(new String(viaNested.stdout(), StandardCharsets.UTF_8).contains("\"code\" : 11"));
    }
}
