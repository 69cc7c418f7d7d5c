package dev.jcni.cnictl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.daemon.Hello;
import dev.jcni.core.daemon.Reply;
import dev.jcni.core.daemon.Wire;
import dev.jcni.core.os.socket.ReceivedMessage;
import dev.jcni.core.os.socket.SeqpacketListener;
import dev.jcni.core.os.socket.SeqpacketSocket;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** cnictl daemon status|stop against a scripted daemon on a socket in a test directory. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DaemonCommandTest {
    @TempDir
    Path tmp;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return new Cnictl(env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(args);
    }

    private Map<String, String> env(String socket) {
        Map<String, String> env = new HashMap<>();
        env.put(Wire.SOCKET_VARIABLE, socket);
        return env;
    }

    /** Answers one connection with {@code replies} and records the HELLO it got. */
    private Thread daemon(SeqpacketListener l, AtomicReference<Hello> got, byte[]... replies) {
        Thread t = new Thread(() -> {
            try (SeqpacketSocket c = l.accept(20_000)) {
                ReceivedMessage m = c.receive(Wire.MAX_MESSAGE, 4);
                m.closeDescriptors();
                got.set(Hello.decode(m.data()));
                for (byte[] r : replies) {
                    c.send(r);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        t.start();
        return t;
    }

    @Test
    void statusPrintsTheDaemonsAnswerAndExitsZero() throws Exception {
        String socket = tmp.resolve("d/jcnid.sock").toString();
        byte[] json = "{\"pid\":1}".getBytes(StandardCharsets.UTF_8);
        AtomicReference<Hello> got = new AtomicReference<>();
        try (SeqpacketListener l = SeqpacketListener.bind(socket, 4)) {
            Thread t = daemon(l, got, Reply.encodeAccepted(), Reply.encodeResult(0, json.length, 0), Reply.encodeData(json, 0, json.length));
            assertEquals(0, run(env(socket), "daemon", "status"), err.toString(StandardCharsets.UTF_8));
            t.join();
        }
        assertEquals("{\"pid\":1}\n", out.toString(StandardCharsets.UTF_8));
        assertEquals(Wire.KIND_CONTROL, got.get().kind());
        assertEquals("status", got.get().plugin());
    }

    @Test
    void stopSendsTheStopVerb() throws Exception {
        String socket = tmp.resolve("d/jcnid.sock").toString();
        byte[] json = "{\"stopping\":true}\n".getBytes(StandardCharsets.UTF_8);
        AtomicReference<Hello> got = new AtomicReference<>();
        try (SeqpacketListener l = SeqpacketListener.bind(socket, 4)) {
            Thread t = daemon(l, got, Reply.encodeAccepted(), Reply.encodeResult(0, json.length, 0), Reply.encodeData(json, 0, json.length));
            assertEquals(0, run(env(socket), "daemon", "stop"));
            t.join();
        }
        assertEquals("stop", got.get().plugin());
        assertEquals("{\"stopping\":true}\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void noDaemonIsExitOneAndSaysWhere() {
        String socket = tmp.resolve("nobody.sock").toString();
        assertEquals(1, run(env(socket), "daemon", "status"));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("no daemon answers at " + socket), e);
        assertTrue(e.contains("ENOENT"), e);
    }

    @Test
    void aDeclineIsExitOne() throws Exception {
        String socket = tmp.resolve("d/jcnid.sock").toString();
        try (SeqpacketListener l = SeqpacketListener.bind(socket, 4)) {
            Thread t = daemon(l, new AtomicReference<>(), Reply.encodeDeclined(Wire.DECLINED_PEER, "uid 65534 is not allowed"));
            assertEquals(1, run(env(socket), "daemon", "status"));
            t.join();
        }
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("declined (peer not allowed): uid 65534 is not allowed"));
    }

    @Test
    void anythingButStatusOrStopIsUsage() {
        assertEquals(2, run(env("/tmp/x"), "daemon"));
        assertEquals(2, run(env("/tmp/x"), "daemon", "restart"));
        assertEquals(2, run(env("/tmp/x"), "daemon", "status", "extra"));
    }
}
