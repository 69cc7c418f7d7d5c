package dev.jcni.core.invoke;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.testing.CapturedLog;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Why a delegate is exec'ed instead of run in-process is in the debug log, word for word (and a broken declaration is a warning). */
class InProcessPluginsLogTest {
    private static final String TYPE = InProcessPluginsTest.TYPE;
    private static final String CLASS = InProcessPluginsTest.CLASS;
    private static final String CP = InProcessPluginsTest.CP;

    @TempDir
    Path root;

    private InProcessPlugins plugins() throws Exception {
        Path resources = Files.createDirectories(root.resolve("res/META-INF/jcni/plugins"));
        Files.writeString(resources.resolve(TYPE), CLASS + "\n");
        Files.writeString(resources.resolve("not-a-plugin"), String.class.getName());
        Files.writeString(resources.resolve("gone"), "dev.jcni.NoSuchPlugin");
        Files.writeString(resources.resolve("blank"), " \n");
        return new InProcessPlugins(new URLClassLoader(new URL[] {root.resolve("res").toUri().toURL()}, getClass().getClassLoader()), CP);
    }

    private Path launcher(String file, String name, String main, String classPath) throws Exception {
        Path p = Files.createDirectories(root.resolve("bin")).resolve(file);
        Files.writeString(p, LauncherScriptTest.launcher(name, main, classPath));
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void eachReasonToExecIsLogged() throws Exception {
        InProcessPlugins plugins = plugins();
        Path undeclared = launcher("renamed", "renamed", CLASS, CP);
        Path blank = launcher("blank", "blank", CLASS, CP);
        Path otherName = launcher("other-name", "host-local", CLASS, CP);
        Path otherMain = launcher("other-main", TYPE, "dev.jcni.Other", CP);
        Path otherPath = launcher("other-path", TYPE, CLASS, "/elsewhere/a.jar");
        Path wrapper = Files.writeString(root.resolve("bin/wrapper"), "#!/bin/sh\nexec /bin/true \"$@\"\n");
        Path notPlugin = launcher("not-a-plugin", "not-a-plugin", String.class.getName(), CP);
        Path gone = launcher("gone", "gone", "dev.jcni.NoSuchPlugin", CP);
        try (CapturedLog log = new CapturedLog("delegator", new EchoIpam(), true)) {
            assertNull(plugins.pluginFor("renamed", undeclared));
            assertNull(plugins.pluginFor("blank", blank));
            assertNull(plugins.pluginFor(TYPE, otherName));
            assertNull(plugins.pluginFor(TYPE, otherMain));
            assertNull(plugins.pluginFor(TYPE, otherPath));
            assertNull(plugins.pluginFor(TYPE, wrapper));
            assertNull(plugins.pluginFor("not-a-plugin", notPlugin));
            assertNull(plugins.pluginFor("gone", gone));
            String text = log.toString();
            assertTrue(log.has("DEBUG", "delegate renamed: not a plugin of this class path, exec"), text);
            assertTrue(log.has("DEBUG", "delegate blank: not a plugin of this class path, exec"), text);
            assertTrue(log.has("DEBUG", "delegate " + TYPE + ": " + otherName + " launches host-local (" + CLASS + "), exec"), text);
            assertTrue(log.has("DEBUG", "delegate " + TYPE + ": " + otherMain + " launches " + TYPE + " (dev.jcni.Other), exec"), text);
            assertTrue(log.has("DEBUG", "delegate " + TYPE + ": " + otherPath + " runs a class path that is not within ours, exec"), text);
            assertTrue(log.has("DEBUG", "delegate " + TYPE + ": " + wrapper + " is not a jcni launcher, exec"), text);
            assertTrue(log.has("WARN", "delegate not-a-plugin: java.lang.String is no CniPlugin; exec"), text);
            assertTrue(log.has("WARN", "delegate gone: cannot load dev.jcni.NoSuchPlugin (java.lang.ClassNotFoundException: dev.jcni.NoSuchPlugin); exec"), text);
        }
    }
}
