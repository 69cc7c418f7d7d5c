package dev.jcni.it.hostile;

/**
 * Something a case puts on disk before the process runs: a state file with hostile content, a
 * FIFO where a file is expected, a device, a link to a host file, a directory, a bind mount. Paths
 * are {@link Text}s, so they may name the workspace's places and hold bytes that are no UTF-8.
 * Parent directories are created as needed (mode 0755).
 *
 * @param kind    what to make
 * @param path    where
 * @param content a file's bytes (FILE), the link target (SYMLINK, HARDLINK), the mount source (BIND)
 * @param mode    permission bits for FILE and DIR; -1 for the default (0600 file, 0700 directory)
 * @param owner   uid for FILE, DIR, FIFO; -1 for root
 */
public record Plant(Kind kind, Text path, Text content, int mode, int owner) {
    public enum Kind {
        FILE, DIR, FIFO,
        /** {@code mknod c 1 5}: a second /dev/zero, somewhere a file is expected. */
        ZERO_DEVICE,
        SYMLINK, HARDLINK,
        /** {@code mount --bind content path}; unmounted when the workspace goes. */
        BIND
    }

    public static Plant file(String path, String content) {
        return new Plant(Kind.FILE, Text.of(path), Text.of(content), -1, -1);
    }

    public static Plant file(String path, Text content) {
        return new Plant(Kind.FILE, Text.of(path), content, -1, -1);
    }

    public static Plant file(Text path, String content) {
        return new Plant(Kind.FILE, path, Text.of(content), -1, -1);
    }

    public static Plant file(Text path, Text content) {
        return new Plant(Kind.FILE, path, content, -1, -1);
    }

    public static Plant dir(String path) {
        return new Plant(Kind.DIR, Text.of(path), null, -1, -1);
    }

    public static Plant dir(Text path) {
        return new Plant(Kind.DIR, path, null, -1, -1);
    }

    public static Plant fifo(String path) {
        return new Plant(Kind.FIFO, Text.of(path), null, -1, -1);
    }

    public static Plant zeroDevice(String path) {
        return new Plant(Kind.ZERO_DEVICE, Text.of(path), null, -1, -1);
    }

    public static Plant symlink(String path, String target) {
        return new Plant(Kind.SYMLINK, Text.of(path), Text.of(target), -1, -1);
    }

    public static Plant hardlink(String path, String existing) {
        return new Plant(Kind.HARDLINK, Text.of(path), Text.of(existing), -1, -1);
    }

    public static Plant bind(Text path, String source) {
        return new Plant(Kind.BIND, path, Text.of(source), -1, -1);
    }

    /** The same plant with these permission bits. */
    public Plant mode(int bits) {
        return new Plant(kind, path, content, bits, owner);
    }

    /** The same plant owned by {@code uid}. */
    public Plant owner(int uid) {
        return new Plant(kind, path, content, mode, uid);
    }

    @Override
    public String toString() {
        String what = switch (kind) {
            case FILE -> "file " + path + (content == null ? "" : " = " + content);
            case SYMLINK -> "symlink " + path + " -> " + content;
            case HARDLINK -> "hard link " + path + " = " + content;
            case BIND -> "bind mount " + content + " at " + path;
            default -> kind.name().toLowerCase(java.util.Locale.ROOT) + " " + path;
        };
        return what + (mode >= 0 ? " mode " + Integer.toOctalString(mode) : "") + (owner >= 0 ? " uid " + owner : "");
    }
}
