package dev.jcni.core.invoke;

import dev.jcni.core.os.OsException;
import dev.jcni.core.os.fs.FileRead;
import dev.jcni.core.os.fs.UntrustedFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The jcni launcher script an executable stands for, read as untrusted input: either the
 * executable is one of our launcher scripts itself ({@link LauncherScript}), or it is our native
 * launcher ({@code bin/<plugin>}, launcher/jcni-launch.c), which stands for the script beside it,
 * {@code <its directory>/lib/jvm/<its file name>}: the in-process path it execs, and the build
 * the daemon it forwards to serves (the daemon refuses another build). Either way the script
 * says which main class would run from which class path.
 *
 * <p>The native launcher is recognised by its first bytes: the ELF magic, and the marker
 * {@value #NATIVE_MARKER} within the first {@value #MARKER_WINDOW} bytes (an ELF note the linker
 * places right after the headers; docs/daemon-protocol.md). Its name is its real file name (after
 * symbolic links), as the launcher itself takes it from {@code /proc/self/exe}.
 *
 * <p>Every file is read by {@link UntrustedFiles}: no symbolic link as the last component, no
 * blocking open, a regular file of our user that others cannot write, and at most
 * {@value #MAX_SCRIPT_BYTES} bytes of it (of the native launcher, only that prefix).
 *
 * @param script  the launcher script, or null when the executable is no launcher of ours
 * @param problem why not, for a log line; null when {@code script} is set
 */
record LauncherFile(LauncherScript script, String problem) {
    /** The bytes by which a native launcher is recognised (launcher/jcni-launch.c's ELF note). */
    static final String NATIVE_MARKER = "JCNI-NATIVE-LAUNCHER-1";
    /** How far into the file the marker must be. */
    static final int MARKER_WINDOW = 4096;
    static final int MAX_SCRIPT_BYTES = 16 * 1024;
    private static final byte[] ELF_MAGIC = {0x7f, 'E', 'L', 'F'};
    private static final byte[] MARKER_BYTES = NATIVE_MARKER.getBytes(StandardCharsets.US_ASCII);

    /** What {@code executable} (a path found on CNI_PATH, maybe a symbolic link) is. */
    static LauncherFile read(Path executable) {
        Path real;
        FileRead head;
        try {
            real = executable.toRealPath();
            head = UntrustedFiles.readPrefix(real.toString(), MAX_SCRIPT_BYTES + 1);
        } catch (IOException | OsException e) {
            return notOurs("cannot be read (" + e.getMessage() + ")");
        }
        if (head.kind() != FileRead.Kind.CONTENT) {
            return notOurs("is not read: " + head.reason());
        }
        byte[] bytes = head.content();
        if (isNativeLauncher(bytes)) {
            return ofNative(real);
        }
        if (bytes.length > MAX_SCRIPT_BYTES) {
            return notOurs("is larger than " + MAX_SCRIPT_BYTES + " bytes");
        }
        LauncherScript script = LauncherScript.parse(bytes);
        return script == null ? notOurs("is not a jcni launcher") : new LauncherFile(script, null);
    }

    /** The script beside the native launcher at {@code real}: {@code lib/jvm/<name>}. */
    private static LauncherFile ofNative(Path real) {
        Path dir = real.getParent();
        Path script = (dir == null ? Path.of("/") : dir).resolve("lib").resolve("jvm").resolve(real.getFileName().toString());
        FileRead read;
        try {
            read = UntrustedFiles.read(script.toString(), MAX_SCRIPT_BYTES);
        } catch (OsException e) {
            return notOurs("is our native launcher, but " + script + " cannot be read (" + e.getMessage() + ")");
        }
        if (read.kind() != FileRead.Kind.CONTENT) {
            return notOurs("is our native launcher, but " + script + (read.isAbsent() ? " is missing" : " is not read: " + read.reason()));
        }
        LauncherScript parsed = LauncherScript.parse(read.content());
        if (parsed == null) {
            return notOurs("is our native launcher, but " + script + " is not a jcni launcher script");
        }
        return new LauncherFile(parsed, null);
    }

    /** ELF, with the marker in the first {@value #MARKER_WINDOW} bytes. */
    static boolean isNativeLauncher(byte[] head) {
        if (head.length < ELF_MAGIC.length) {
            return false;
        }
        for (int i = 0; i < ELF_MAGIC.length; i++) {
            if (head[i] != ELF_MAGIC[i]) {
                return false;
            }
        }
        int end = Math.min(head.length, MARKER_WINDOW) - MARKER_BYTES.length;
        for (int at = ELF_MAGIC.length; at <= end; at++) {
            int k = 0;
            while (k < MARKER_BYTES.length && head[at + k] == MARKER_BYTES[k]) {
                k++;
            }
            if (k == MARKER_BYTES.length) {
                return true;
            }
        }
        return false;
    }

    private static LauncherFile notOurs(String problem) {
        return new LauncherFile(null, problem);
    }
}
