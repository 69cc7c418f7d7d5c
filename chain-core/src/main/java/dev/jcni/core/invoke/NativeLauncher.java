package dev.jcni.core.invoke;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Recognises the fast path's native launcher ({@code bin/<plugin>}, a small C program, see
 * docs/daemon-protocol.md): an ELF file holding the marker {@value #MARKER}, which the launcher's
 * source embeds for exactly this purpose. Its in-process fallback is the JVM launcher script at
 * {@code <its directory>/lib/jvm/<its file name>}; what that script runs is what the native
 * launcher runs when no daemon answers, so delegation reads the script.
 */
final class NativeLauncher {
    /** Embedded in the native launcher's binary (docs/daemon-protocol.md); bump its number with the protocol. */
    static final String MARKER = "JCNI-NATIVE-LAUNCHER-1";
    private static final byte[] MARKER_BYTES = MARKER.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ELF = {0x7f, 'E', 'L', 'F'};

    private NativeLauncher() {}

    /** True if {@code content} is an ELF file that holds the marker. */
    static boolean isOne(byte[] content) {
        if (content.length < ELF.length) {
            return false;
        }
        for (int i = 0; i < ELF.length; i++) {
            if (content[i] != ELF[i]) {
                return false;
            }
        }
        return indexOf(content, MARKER_BYTES) >= 0;
    }

    /** The JVM launcher script a native launcher at {@code realPath} falls back to. */
    static Path scriptOf(Path realPath) {
        return realPath.resolveSibling("lib").resolve("jvm").resolve(realPath.getFileName());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
