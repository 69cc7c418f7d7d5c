package dev.jcni.core.invoke;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What a jcni JVM launcher script (written by deploy/package-bin.sh: {@code bin/lib/jvm/<name>}
 * for a plugin, behind its native launcher {@code bin/<name>}, see {@link LauncherFile}; and
 * {@code bin/<name>} for a tool) would run, read from its text: the executable's name, its main
 * class and its class path. Only a script of
 * exactly the launcher's shape is recognised: the shebang, the header naming the executable, the
 * fixed lines that set the JVM's locale and drop option variables, comments, and one final
 * {@code exec JAVA FLAGS... -cp CLASSPATH MAIN "$@"}. Anything else (another line of shell, a
 * wrapper, a binary) is not a launcher, and the caller execs it as it would any plugin.
 *
 * <p>Why the text decides: running a plugin in-process instead of exec'ing its launcher is the
 * same only if the launcher would start exactly that main class from exactly these jars. A
 * script that does anything more is run as what it is.
 *
 * @param name      the executable's name from the header ({@code host-local})
 * @param mainClass the class after the class path
 * @param classPath the {@code -cp} argument, as written
 */
record LauncherScript(String name, String mainClass, String classPath) {
    private static final String SHEBANG = "#!/bin/sh";
    private static final String HEADER_END = ": launcher written by deploy/package-bin.sh";
    /** The launcher's own lines between its header and its exec, besides comments. */
    private static final List<String> FIXED_LINES = List.of(
            "unset JAVA_TOOL_OPTIONS JDK_JAVA_OPTIONS _JAVA_OPTIONS CLASSPATH",
            "JCNI_CALLER_LC_ALL=${LC_ALL+set:$LC_ALL}",
            "JCNI_CALLER_LC_ALL=${JCNI_CALLER_LC_ALL:-unset}",
            "LC_ALL=C.UTF-8",
            "export JCNI_CALLER_LC_ALL LC_ALL");
    private static final String ARGUMENTS = "\"$@\"";

    /** The launcher {@code content} describes, or null when it is not one. */
    static LauncherScript parse(byte[] content) {
        String text = new String(content, StandardCharsets.UTF_8);
        if (text.indexOf('\r') >= 0 || text.indexOf('\0') >= 0) {
            return null;
        }
        String[] lines = text.split("\n");
        if (lines.length < 3 || !lines[0].equals(SHEBANG)) {
            return null;
        }
        String name = headerName(lines[1]);
        if (name == null) {
            return null;
        }
        // split drops trailing empty strings: the last line is the exec (a final newline is fine).
        int last = lines.length - 1;
        for (int i = 2; i < last; i++) {
            if (!lines[i].startsWith("#") && !FIXED_LINES.contains(lines[i])) {
                return null;
            }
        }
        return fromExec(name, lines[last]);
    }

    /** {@code # jcni NAME: launcher written by ...}: the name, or null. */
    private static String headerName(String line) {
        String prefix = "# jcni ";
        int end = line.indexOf(HEADER_END);
        if (!line.startsWith(prefix) || end <= prefix.length()) {
            return null;
        }
        String name = line.substring(prefix.length(), end);
        return name.indexOf(' ') >= 0 || name.indexOf('/') >= 0 ? null : name;
    }

    /** {@code exec JAVA FLAGS -cp CLASSPATH MAIN "$@"}, tokens separated by single spaces. */
    private static LauncherScript fromExec(String name, String line) {
        String[] t = line.split(" ", -1);
        int n = t.length;
        if (n < 5 || !t[0].equals("exec") || !t[1].startsWith("/") || !t[n - 1].equals(ARGUMENTS) || !t[n - 4].equals("-cp")) {
            return null;
        }
        for (String token : t) {
            if (token.isEmpty()) {
                return null;
            }
        }
        for (int i = 2; i < n - 4; i++) {
            if (!t[i].startsWith("-")) {
                return null;  // an argument that is no JVM option: not the launcher's exec
            }
        }
        return new LauncherScript(name, t[n - 2], t[n - 3]);
    }
}
