package dev.jcni.core.os.sysctl;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.internal.Native;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes {@code /proc/sys}. The {@code net} subtree belongs to the calling thread's
 * network namespace, so container sysctls are read and written inside
 * {@link dev.jcni.core.os.netns.NetNs#run}.
 *
 * <p>Each value is read with a single read(2): integer sysctls return EOF for any read at an
 * offset &gt; 0, and {@code /proc} reports size 0, so the JDK's {@code Files.readString} reads
 * {@code "99"} as {@code "9"}.
 */
public final class Sysctl {
    private static final String ROOT = "/proc/sys/";
    /** Far larger than any single sysctl value under /proc/sys/net. */
    private static final int READ_BUFFER = 16 * 1024;

    private Sysctl() {}

    /**
     * The file for {@code key}: {@code /proc/sys/} joined with {@link #slashSeparated(String) the
     * key's path} and cleaned like Go's {@code filepath.Join}, so {@code ..} may climb out of
     * {@code /proc/sys}. A caller that must stay in the network subtree uses
     * {@link #netRelativePath(String)} first.
     */
    public static Path path(String key) {
        return Path.of(absolutePath(key));
    }

    /**
     * The key's path below /proc/sys, slash-separated. Keys use '.' or '/' separators and the
     * first separator found decides: if it is '.', dots and slashes are swapped (so
     * {@code net.ipv4.conf.eth0/100.rp_filter} names {@code net/ipv4/conf/eth0.100/rp_filter}); if
     * it is '/', the key is used as is. Same rule as the reference plugins. Nothing is cleaned
     * or checked here: substitute placeholders (a plugin's {@code IFNAME}) in the result, then
     * check it with {@link #netRelativePath(String)}.
     */
    public static String slashSeparated(String key) {
        int dot = key.indexOf('.');
        int slash = key.indexOf('/');
        boolean dotsSeparate = dot >= 0 && (slash < 0 || dot < slash);
        if (!dotsSeparate) {
            return key;
        }
        char[] c = key.toCharArray();
        for (int i = 0; i < c.length; i++) {
            if (c[i] == '.') {
                c[i] = '/';
            } else if (c[i] == '/') {
                c[i] = '.';
            }
        }
        return new String(c);
    }

    /**
     * The rule that keeps a sysctl inside the network subtree, which is what a network namespace
     * isolates: the cleaned path below /proc/sys of the slash-separated {@code relativePath}
     * (e.g. {@code net/ipv4/conf/eth0/rp_filter}) when it names something strictly below
     * {@code /proc/sys/net}; null when it is empty, absolute, {@code net} itself, or climbs
     * elsewhere with {@code ..} ({@code net/../kernel/hostname}). Paths are cleaned as text, not
     * through {@code java.nio.file}, so no locale or file system takes part.
     */
    public static String netRelativePath(String relativePath) {
        if (relativePath == null || relativePath.isEmpty() || relativePath.startsWith("/")) {
            return null;
        }
        String absolute = clean(ROOT + relativePath);
        String netRoot = ROOT + "net/";
        if (!absolute.startsWith(netRoot) || absolute.length() == netRoot.length()) {
            return null;
        }
        return absolute.substring(ROOT.length());
    }

    private static String absolutePath(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("sysctl key is empty");
        }
        return clean(ROOT + slashSeparated(key));
    }

    /** Go's filepath.Clean for an absolute path: no empty or "." elements, ".." removes one (never above /). */
    static String clean(String absolute) {
        List<String> parts = new ArrayList<>();
        for (String part : absolute.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
                continue;
            }
            parts.add(part);
        }
        return "/" + String.join("/", parts);
    }

    /** The value of {@code key} with its trailing newline removed. NotFoundException if there is no such sysctl. */
    public static String read(String key) throws OsException {
        String p = absolutePath(key);
        String operation = "read sysctl " + key + " (" + p + ")";
        int fd = Native.open(p, Native.O_RDONLY | Native.O_CLOEXEC, operation);
        try {
            byte[] buf = new byte[READ_BUFFER];
            int n = Native.read(fd, buf, buf.length, operation);
            if (n > 0 && buf[n - 1] == '\n') {
                n--;
            }
            return new String(buf, 0, n, StandardCharsets.UTF_8);
        } finally {
            Native.close(fd);
        }
    }

    /**
     * Writes {@code value} (as given, no newline added) with a single write(2), as the reference
     * does. The kernel rejects bad values with EINVAL (InvalidArgumentException).
     */
    public static void write(String key, String value) throws OsException {
        String p = absolutePath(key);
        String operation = "write sysctl " + key + " (" + p + ") = " + value;
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        // No O_CREAT and no O_TRUNC: /proc files cannot be created, and a missing key must be ENOENT.
        int fd = Native.open(p, Native.O_WRONLY | Native.O_CLOEXEC, operation);
        try {
            int n = Native.write(fd, bytes, bytes.length, operation);
            if (n != bytes.length) {
                throw OsException.fromErrno(operation, Errno.EIO, "short write: " + n + " of " + bytes.length + " bytes");
            }
        } finally {
            Native.close(fd);
        }
    }
}
