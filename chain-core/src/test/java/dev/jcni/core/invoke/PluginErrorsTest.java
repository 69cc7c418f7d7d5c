package dev.jcni.core.invoke;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.os.process.ProcessRunner;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.skel.Command;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What a failed exec means, as libcni's pkg/invoke reads it (the runtime and delegation share it). */
class PluginErrorsTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anErrorObjectKeepsItsCodeMsgAndDetails() {
        CniException e = PluginErrors.fromOutput(1, b("{\"code\":11,\"msg\":\"busy\",\"details\":\"later\"}"), b("ignored"));
        assertEquals(11, e.code());
        assertEquals("busy", e.msg());
        assertEquals("later", e.details());
        CniException bare = PluginErrors.fromOutput(1, b("{\"msg\":null,\"details\":null,\"code\":\"x\"}"), b(""));
        assertEquals(0, bare.code(), "Go's unknown code");
        assertEquals("", bare.msg());
        assertEquals("", bare.details());
    }

    @Test
    void withoutAnErrorObjectTheStderrOrTheStatusIsTheError() {
        assertEquals("netplugin failed with no error message: exit status 2", PluginErrors.fromOutput(2, b(" \n"), b("\t\r\n")).msg());
        assertEquals("netplugin failed: \"panic: x\\nline 2\": exit status 3",
                PluginErrors.fromOutput(3, b(""), b("panic: x\nline 2")).msg());
    }

    @Test
    void anUnreadableErrorSaysSo() {
        CniException garbage = PluginErrors.fromOutput(1, b("not json"), b(""));
        assertEquals(0, garbage.code());
        assertTrue(garbage.msg().startsWith("netplugin failed but error parsing its diagnostic message \"not json\": "), garbage.msg());
        assertEquals("netplugin failed but error parsing its diagnostic message \"[1]\": not a JSON object",
                PluginErrors.fromOutput(1, b("[1]"), b("")).msg());
    }

    @Test
    void blankIsOnlySpaceTabAndLineEnds() {
        assertTrue(PluginErrors.isBlank(b("")));
        assertTrue(PluginErrors.isBlank(b(" \t\r\n")));
        for (String s : new String[] {"x", " x", "\n{}", "\f", "\u000b"}) {
            assertFalse(PluginErrors.isBlank(b(s)), s);
        }
    }

    @Test
    void aTimeoutNamesTheDeadlineInSecondsOrMilliseconds() {
        ProcessRunner.Outcome hung = new ProcessRunner.Outcome(137, b(""), b(""), Duration.ofSeconds(60), true, 4242);
        Path binary = Path.of("/opt/cni/bin/host-local");
        CniException whole = assertThrows(CniException.class,
                () -> PluginExec.stdoutOrError(hung, Command.ADD, "host-local", binary, Duration.ofSeconds(60)));
        assertEquals(CniException.TRY_AGAIN_LATER, whole.code());
        assertEquals("plugin \"host-local\" timed out", whole.msg());
        assertEquals("ADD did not finish within 60s; /opt/cni/bin/host-local (pid 4242) and its child processes were killed",
                whole.details());
        CniException part = assertThrows(CniException.class,
                () -> PluginExec.stdoutOrError(hung, Command.DEL, "host-local", binary, Duration.ofMillis(1500)));
        assertTrue(part.details().startsWith("DEL did not finish within 1500ms; "), part.details());
    }

    @Test
    void anExitOtherThanZeroIsTheErrorItPrintsAndZeroIsTheOutput() throws Exception {
        Path binary = Path.of("/opt/cni/bin/x");
        ProcessRunner.Outcome failed = new ProcessRunner.Outcome(1, b("{\"code\":7,\"msg\":\"bad\"}"), b(""), Duration.ZERO, false, 1);
        assertEquals(7, assertThrows(CniException.class,
                () -> PluginExec.stdoutOrError(failed, Command.ADD, "x", binary, Duration.ofSeconds(1))).code());
        ProcessRunner.Outcome ok = new ProcessRunner.Outcome(0, b("{}"), b(""), Duration.ZERO, false, 1);
        assertArrayEquals(b("{}"), PluginExec.stdoutOrError(ok, Command.ADD, "x", binary, Duration.ofSeconds(1)));
    }
}
