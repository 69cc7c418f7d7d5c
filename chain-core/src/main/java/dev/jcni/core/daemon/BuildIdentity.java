package dev.jcni.core.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The build identity of an installation (docs/daemon-protocol.md): SHA-256 over the
 * concatenated bytes of the jars in {@code bin/lib/}, taken in byte order of their file names,
 * its first 16 lowercase hex digits. The jars are the regular files directly in that directory
 * whose names end in {@code .jar} (symbolic links followed; subdirectories such as
 * {@code native/}, {@code cache/} and {@code jvm/} are not looked into). The launcher has the
 * same number compiled in; same jars on disk, same identity.
 */
public final class BuildIdentity {
    private BuildIdentity() {}

    /** The identity of the jars in {@code libDir}. */
    public static String of(Path libDir) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
        byte[] buffer = new byte[64 * 1024];
        for (Path jar : jars(libDir)) {
            try (InputStream in = Files.newInputStream(jar)) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    sha.update(buffer, 0, n);
                }
            }
        }
        StringBuilder hex = new StringBuilder(Wire.BUILD_LENGTH);
        for (byte b : sha.digest()) {
            if (hex.length() == Wire.BUILD_LENGTH) {
                break;
            }
            hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return hex.toString();
    }

    /** The jars that make the identity, in the order they are hashed. */
    public static List<Path> jars(Path libDir) throws IOException {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(libDir)) {
            for (Path p : entries) {
                if (p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)) {
                    jars.add(p);
                }
            }
        }
        jars.sort(new Comparator<Path>() {
            @Override
            public int compare(Path a, Path b) {
                return Arrays.compareUnsigned(a.getFileName().toString().getBytes(StandardCharsets.UTF_8),
                        b.getFileName().toString().getBytes(StandardCharsets.UTF_8));
            }
        });
        return jars;
    }

    /**
     * The directory of the jar {@code c} was loaded from (for an installed jcni: {@code bin/lib}),
     * or null when it was not loaded from a jar (classes in a build's {@code target/classes}).
     */
    public static Path libraryOf(Class<?> c) {
        return libraryOf(c, System.getProperty("java.class.path", ""));
    }

    /**
     * {@link #libraryOf(Class)}, the jar looked up by name in {@code classPath} first: a class
     * mapped from an AOT cache reports the location its jar had when the cache was trained, and
     * the JVM maps a cache for a class path of the same jars in another directory (a copy of an
     * installation): the class path the JVM runs with says where the jar is now.
     */
    static Path libraryOf(Class<?> c, String classPath) {
        CodeSource source = c.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return null;
        }
        try {
            Path location = Path.of(source.getLocation().toURI());
            String jar = location.getFileName().toString();
            if (!jar.endsWith(".jar")) {
                return null;
            }
            for (String entry : classPath.split(":")) {
                Path p = entry.isEmpty() ? null : Path.of(entry);
                if (p != null && p.getFileName() != null && p.getFileName().toString().equals(jar) && Files.isRegularFile(p)) {
                    return p.toAbsolutePath().getParent();
                }
            }
            if (!Files.isRegularFile(location)) {
                return null;
            }
            return location.toAbsolutePath().getParent();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
