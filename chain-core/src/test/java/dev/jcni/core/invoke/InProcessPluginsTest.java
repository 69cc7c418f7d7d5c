package dev.jcni.core.invoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.os.process.ProcessRunner;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Result;
import dev.jcni.core.skel.Command;
import dev.jcni.core.skel.NodePolicy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which delegates run in-process: only our launcher of a declared plugin type, starting the
 * declared class from exactly our class path; everything else is exec'ed. In-process answers are
 * read as the exec's would be.
 */
class InProcessPluginsTest {
    static final String TYPE = "echo-ipam";
    static final String CLASS = EchoIpam.class.getName();
    static final String CP = "/opt/jcni/bin/lib/a.jar:/opt/jcni/bin/lib/b.jar";

    @TempDir
    Path root;
    Path bin;
    ClassLoader loader;

    @BeforeEach
    void setUp() throws Exception {
        Path resources = Files.createDirectories(root.resolve("res/META-INF/jcni/plugins"));
        Files.writeString(resources.resolve(TYPE), CLASS + "\n");
        Files.writeString(resources.resolve("not-a-plugin"), String.class.getName());
        loader = new URLClassLoader(new URL[] {root.resolve("res").toUri().toURL()}, getClass().getClassLoader());
        bin = Files.createDirectories(root.resolve("bin"));
        launcher(TYPE, TYPE, CLASS, CP);
    }

    private Path launcher(String file, String name, String main, String classPath) throws Exception {
        Path p = bin.resolve(file);
        Files.writeString(p, LauncherScriptTest.launcher(name, main, classPath));
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private InProcessPlugins plugins(String classPath) {
        return new InProcessPlugins(loader, classPath);
    }

    @Test
    void ourLauncherOfADeclaredTypeRunsInProcess() throws Exception {
        assertInstanceOf(EchoIpam.class, plugins(CP).pluginFor(TYPE, bin.resolve(TYPE)));
        Path link = Files.createSymbolicLink(root.resolve("linked"), bin.resolve(TYPE));
        assertInstanceOf(EchoIpam.class, plugins(CP).pluginFor(TYPE, link), "links on CNI_PATH are followed, as the exec would");
    }

    @Test
    void ourNativeLauncherRunsInProcessWhenTheScriptBesideItWould() throws Exception {
        Files.createDirectories(bin.resolve("lib/jvm"));
        Path exe = bin.resolve("native-ipam");
        Files.write(exe, LauncherFileTest.elf(100_000, 0x2d4));
        Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path script = bin.resolve("lib/jvm/native-ipam");
        Files.writeString(script, LauncherScriptTest.launcher(TYPE, CLASS, CP));
        assertInstanceOf(EchoIpam.class, plugins(CP).pluginFor(TYPE, exe));
        Files.writeString(script, LauncherScriptTest.launcher(TYPE, CLASS, CP + ":/tmp/other.jar"));
        assertNull(plugins(CP).pluginFor(TYPE, exe), "the script runs a jar that is not on our class path");
        Files.writeString(script, LauncherScriptTest.launcher("host-local", CLASS, CP));
        assertNull(plugins(CP).pluginFor(TYPE, exe), "the script launches another executable");
        Files.delete(script);
        assertNull(plugins(CP).pluginFor(TYPE, exe), "no script beside it");
    }

    @Test
    void anythingElseIsExeced() throws Exception {
        assertNull(plugins("/opt/jcni/bin/lib/a.jar").pluginFor(TYPE, bin.resolve(TYPE)), "a jar we do not have");
        assertNull(plugins("/opt/jcni/bin/lib/a.jar:/elsewhere/b.jar").pluginFor(TYPE, bin.resolve(TYPE)), "another b.jar");
        launcher("renamed", TYPE, CLASS, CP);
        assertNull(plugins(CP).pluginFor("renamed", bin.resolve("renamed")), "not a declared type");
        launcher("other-main", TYPE, "dev.jcni.Other", CP);
        assertNull(plugins(CP).pluginFor(TYPE, bin.resolve("other-main")), "another main class");
        launcher("other-name", "host-local", CLASS, CP);
        assertNull(plugins(CP).pluginFor(TYPE, bin.resolve("other-name")), "the launcher of another executable");
        Path writable = launcher("writable", TYPE, CLASS, CP);
        Files.setPosixFilePermissions(writable, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertNull(plugins(CP).pluginFor(TYPE, writable), "a launcher others may write is not trusted to be ours");
        Files.writeString(bin.resolve("wrapper"), "#!/bin/sh\nexec '" + bin.resolve(TYPE) + "' \"$@\"\n");
        assertNull(plugins(CP).pluginFor(TYPE, bin.resolve("wrapper")));
        launcher("not-a-plugin", "not-a-plugin", String.class.getName(), CP);
        assertNull(plugins(CP).pluginFor("not-a-plugin", bin.resolve("not-a-plugin")), "a class that is no CniPlugin");
        assertNull(InProcessPlugins.NONE.pluginFor(TYPE, bin.resolve(TYPE)));
    }

    @Test
    void aClassPathWiderThanTheLaunchersRunsItInProcess() throws Exception {
        // The node daemon: its class path holds every plugin's jar, the launcher's a few of them.
        String wider = "/opt/jcni/bin/lib/daemon.jar:/opt/jcni/bin/lib/b.jar:/opt/jcni/bin/lib/./x/../a.jar:/opt/jcni/bin/lib/c.jar";
        assertInstanceOf(EchoIpam.class, plugins(wider).pluginFor(TYPE, bin.resolve(TYPE)));
        launcher("empty-entry", TYPE, CLASS, CP + ":");
        assertNull(plugins(wider).pluginFor(TYPE, bin.resolve("empty-entry")), "an empty entry is the working directory");
    }

    /**
     * A stand-in for the C launcher: an ELF header, the marker where the launcher's ELF note puts
     * it (right after the headers, in the first 4 KiB), then the rest of a binary.
     */
    private Path nativeLauncher(String name, boolean withMarker) throws Exception {
        java.io.ByteArrayOutputStream elf = new java.io.ByteArrayOutputStream();
        elf.write(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        elf.write(new byte[0x2c8]);
        if (withMarker) {
            elf.write("JCNI-NATIVE-LAUNCHER-1 build=0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        }
        elf.write(new byte[20_000]);
        Path p = bin.resolve(name);
        Files.write(p, elf.toByteArray());
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private void fallbackScript(String file, String name, String main, String classPath) throws Exception {
        Path jvm = Files.createDirectories(bin.resolve("lib/jvm"));
        Path p = jvm.resolve(file);
        Files.writeString(p, LauncherScriptTest.launcher(name, main, classPath));
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void ourNativeLauncherCountsByTheScriptItFallsBackTo() throws Exception {
        Path nativeOne = nativeLauncher("native-ipam", true);
        fallbackScript("native-ipam", TYPE, CLASS, CP);
        assertInstanceOf(EchoIpam.class, plugins(CP).pluginFor(TYPE, nativeOne));
        Path link = Files.createSymbolicLink(root.resolve("elsewhere"), nativeOne);
        assertInstanceOf(EchoIpam.class, plugins(CP).pluginFor(TYPE, link), "the script beside the real file, not the link");
    }

    @Test
    void aNativeLauncherIsExecedUnlessItsScriptQualifies() throws Exception {
        Path noScript = nativeLauncher("no-script", true);
        assertNull(plugins(CP).pluginFor(TYPE, noScript), "no lib/jvm/<name> beside it");
        Path otherScript = nativeLauncher("other-script", true);
        fallbackScript("other-script", TYPE, CLASS, CP + ":/tmp/unknown.jar");
        assertNull(plugins(CP).pluginFor(TYPE, otherScript), "its script runs jars we do not have");
        Path otherMain = nativeLauncher("other-main-native", true);
        fallbackScript("other-main-native", TYPE, "dev.jcni.Other", CP);
        assertNull(plugins(CP).pluginFor(TYPE, otherMain));
        Path unmarked = nativeLauncher("unmarked", false);
        fallbackScript("unmarked", TYPE, CLASS, CP);
        assertNull(plugins(CP).pluginFor(TYPE, unmarked), "an ELF file without the marker is some other program");
        Path writableScript = nativeLauncher("writable-script", true);
        fallbackScript("writable-script", TYPE, CLASS, CP);
        Files.setPosixFilePermissions(bin.resolve("lib/jvm/writable-script"), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertNull(plugins(CP).pluginFor(TYPE, writableScript), "a script others may write is not trusted");
    }

    @Test
    void theNodeCanTurnItOff() {
        assertSame(InProcessPlugins.NONE, InProcessPlugins.forNode(NodePolicy.fromEnvironment(Map.of(InProcessPlugins.POLICY, "0"))));
        assertSame(InProcessPlugins.NONE, InProcessPlugins.forNode(NodePolicy.fromEnvironment(Map.of(InProcessPlugins.POLICY, "false"))));
        assertNull(InProcessPlugins.forNode(NodePolicy.DEFAULTS).pluginFor(TYPE, bin.resolve(TYPE)),
                "on by default; this launcher names another class path than the test JVM's");
    }

    private static final byte[] CONFIG = ("{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"type\":\"bridge\","
            + "\"ipam\":{\"type\":\"echo-ipam\",\"subnet\":\"10.7.0.0/24\"}}").getBytes(StandardCharsets.UTF_8);

    @Test
    void theDelegatorAnswersInProcessAsTheExecWould(@TempDir Path locks) throws Exception {
        // The launcher names a JVM and class path that do not exist: an exec could only fail.
        Delegator d = new Delegator(new ProcessRunner(0, Duration.ZERO), Duration.ofSeconds(5), plugins(CP));
        DelegateRequest r = new DelegateRequest(Command.ADD, "ctr7", "/proc/self/ns/net", "eth0", "", List.of(bin.toString()),
                Map.of("CNI_NETNS_OVERRIDE", "1", "JCNI_LOCK_DIR", locks.toString()));
        Result lease = d.add(TYPE, CONFIG, r);
        assertEquals("10.7.0.5/24", lease.ips().get(0).address().toString());
        assertEquals(List.of("ctr7"), lease.dns().search(), "the request's container ID reached the delegate");
        assertEquals("1.0.0", lease.cniVersion());
        CniException busy = assertThrows(CniException.class, () -> d.del(TYPE, CONFIG, r));
        assertEquals(11, busy.code());
        assertEquals("busy", busy.msg());
        assertEquals("try later", busy.details());
        CniException drift = assertThrows(CniException.class, () -> d.check(TYPE, CONFIG, r));
        assertEquals(101, drift.code());
        CniException missing = assertThrows(CniException.class, () -> d.add("absent", CONFIG, r));
        assertEquals("failed to find plugin \"absent\" in path [" + bin + "]", missing.getMessage());
    }

    @Test
    void anInProcessDelegationIsLogged(@TempDir Path locks) throws Exception {
        Delegator d = new Delegator(new ProcessRunner(0, Duration.ZERO), Duration.ofSeconds(5), plugins(CP));
        DelegateRequest r = new DelegateRequest(Command.ADD, "ctr7", "/proc/self/ns/net", "eth0", "", List.of(bin.toString()),
                Map.of("CNI_NETNS_OVERRIDE", "1", "JCNI_LOCK_DIR", locks.toString()));
        try (dev.jcni.core.testing.CapturedLog log = new dev.jcni.core.testing.CapturedLog("bridge", new EchoIpam(), true)) {
            d.add(TYPE, CONFIG, r);
            assertTrue(log.has("DEBUG", "delegate " + TYPE + " ADD: in-process, in place of " + bin.resolve(TYPE)), log.toString());
        }
    }
}
