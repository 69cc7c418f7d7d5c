package dev.jcni.it.hostile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Files as a {@link State}: for each path, never following a link, its type, permissions, owner
 * and, for a regular file, its size and a hash of its content (a symbolic link: its target). A
 * directory inside the workspace is walked; one outside it (a host directory a case names) is
 * described, not walked, so watching {@code /etc} costs one stat.
 */
final class FileState {
    /** Larger files are described by size alone (nothing the suite plants is that large). */
    private static final long HASHED_MAX = 1 << 20;

    private FileState() {}

    /** The trees under {@code root}'s {@code relativeDirs}, keyed "file REL". */
    static State ofTrees(Path root, List<String> relativeDirs) {
        return ofTrees(root, relativeDirs, false);
    }

    /**
     * The same, but when {@code filesOnly} without the directories themselves: a plugin's state
     * directory that a failed request created and left empty is not state it left behind.
     */
    static State ofTrees(Path root, List<String> relativeDirs, boolean filesOnly) {
        Map<String, String> m = new TreeMap<>();
        for (String rel : relativeDirs) {
            Path dir = root.resolve(rel);
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                if (!filesOnly) {
                    m.put("file " + rel, State.ABSENT);
                }
                continue;
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    String d = describe(p);
                    if (!filesOnly || !d.startsWith("dir ")) {
                        m.put("file " + root.relativize(p), d);
                    }
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                m.put("file " + rel, "(unreadable: " + e + ")");
            }
        }
        return State.of(m);
    }

    /** Single paths (host files a case names), keyed "path P". */
    static State ofPaths(List<Path> paths) {
        Map<String, String> m = new TreeMap<>();
        for (Path p : paths) {
            m.put("path " + p, describe(p));
        }
        return State.of(m);
    }

    static String describe(Path p) {
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return State.ABSENT;
        } catch (IOException e) {
            return "(unreadable: " + e.getClass().getSimpleName() + ")";
        }
        String owner = " uid " + a.owner().getName();
        String mode = " " + PosixFilePermissions.toString(a.permissions());
        if (a.isSymbolicLink()) {
            try {
                return "symlink -> " + Files.readSymbolicLink(p) + owner;
            } catch (IOException e) {
                return "symlink (unreadable)" + owner;
            }
        }
        if (a.isDirectory()) {
            return "dir" + mode + owner;
        }
        if (a.isRegularFile()) {
            return "file" + mode + owner + " size " + a.size() + (a.size() <= HASHED_MAX ? " sha256 " + hash(p) : "");
        }
        return (a.isOther() ? "special" : "other") + mode + owner;
    }

    private static String hash(Path p) {
        try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest(), 0, 8);
        } catch (IOException e) {
            return "(unreadable)";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
