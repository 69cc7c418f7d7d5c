package dev.jcni.it.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcni.core.daemon.Wire;
import dev.jcni.it.support.Cmd;
import dev.jcni.it.support.JcnidProcess;
import dev.jcni.it.support.PluginRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * deploy/systemd/jcnid.socket and jcnid.service: they parse ({@code systemd-analyze verify}, with
 * no warning at all, since unknown keys are only warned about), and they say what jcnid relies on:
 * one SOCK_SEQPACKET socket at the launchers' default path, root only in a 0700 directory, the
 * same JCNI_SOCKET for the service, bin/jcnid in the foreground without arguments, SIGTERM to
 * jcnid alone, the runtime directory kept on stop.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeployUnitsTest {
    static final Path UNITS = PluginRunner.OUR_BIN.getParent().resolve("deploy/systemd");

    /** Each key's values in file order ("Environment" may repeat), by "Section.Key". */
    static Map<String, List<String>> parse(Path unit) throws IOException {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        String section = "";
        for (String raw : Files.readAllLines(unit, StandardCharsets.UTF_8)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1);
                continue;
            }
            int eq = line.indexOf('=');
            assertTrue(eq > 0, unit + ": not KEY=VALUE: " + raw);
            keys.computeIfAbsent(section + "." + line.substring(0, eq).strip(), k -> new ArrayList<>()).add(line.substring(eq + 1).strip());
        }
        return keys;
    }

    static String one(Map<String, List<String>> keys, String key) {
        List<String> v = keys.get(key);
        assertTrue(v != null && v.size() == 1, key + " once: " + v);
        return v.get(0);
    }

    @Test
    void theSocketUnitListensWhereLaunchersConnectRootOnly() throws Exception {
        Map<String, List<String>> socket = parse(UNITS.resolve("jcnid.socket"));
        assertEquals(Wire.DEFAULT_SOCKET, one(socket, "Socket.ListenSequentialPacket"));
        assertEquals("0600", one(socket, "Socket.SocketMode"));
        assertEquals("0700", one(socket, "Socket.DirectoryMode"));
        assertEquals("root", one(socket, "Socket.SocketUser"));
        for (String other : List.of("ListenStream", "ListenDatagram", "Accept", "ListenFIFO")) {
            assertFalse(socket.containsKey("Socket." + other), "jcnid takes exactly one SEQPACKET socket, no " + other);
        }
        assertEquals("jcnid.service", one(socket, "Unit.PartOf"));
        assertEquals("sockets.target", one(socket, "Install.WantedBy"));
    }

    @Test
    void theServiceRunsJcnidInTheForegroundWithTheSameSocketAndDeletesNothingOnStop() throws Exception {
        Map<String, List<String>> service = parse(UNITS.resolve("jcnid.service"));
        String exec = one(service, "Service.ExecStart");
        assertTrue(exec.endsWith("/bin/jcnid"), "bin/jcnid with no argument: " + exec);
        assertEquals("exec", one(service, "Service.Type"), "the foreground process is the service (no forking)");
        assertTrue(service.get("Service.Environment").contains("JCNI_SOCKET=" + Wire.DEFAULT_SOCKET), service.toString());
        assertEquals("SIGTERM", one(service, "Service.KillSignal"));
        assertEquals("mixed", one(service, "Service.KillMode"));
        assertEquals("jcni", one(service, "Service.RuntimeDirectory"));
        assertEquals("0700", one(service, "Service.RuntimeDirectoryMode"));
        assertEquals("yes", one(service, "Service.RuntimeDirectoryPreserve"), "stopping must not delete /run/jcni and the socket");
        assertFalse(service.containsKey("Service.ExecStop") || service.containsKey("Service.ExecStopPost"), "nothing runs on stop");
        assertEquals("jcnid.socket", one(service, "Unit.Requires"));
    }

    @Test
    void systemdAnalyzeVerifiesBothUnitsWithoutAWarning() throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        assumeTrue(Files.isExecutable(analyze), "needs systemd-analyze (package systemd)");
        // verify checks that ExecStart exists: a copy pointing at this build's bin/jcnid.
        Path dir = Files.createTempDirectory(JcnidProcess.newDirectory(), "units-");
        Files.copy(UNITS.resolve("jcnid.socket"), dir.resolve("jcnid.socket"));
        String service = Files.readString(UNITS.resolve("jcnid.service"), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("jcnid.service"), service.replace("ExecStart=/opt/jcni/bin/jcnid", "ExecStart=" + JcnidProcess.JCNID));
        Cmd.Result r = Cmd.run(Duration.ofSeconds(60), analyze.toString(), "verify", "--man=no",
                dir.resolve("jcnid.socket").toString(), dir.resolve("jcnid.service").toString());
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertEquals("", r.stderr().strip(), "no unknown key, no bad value");
    }
}
