package dev.jcni.core.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which jars make the identity, and in which order. */
class BuildIdentityTest {
    @TempDir
    Path lib;

    @Test
    void isTheFirstSixteenHexDigitsOfSha256OverTheJarsInFileNameByteOrder() throws Exception {
        Files.writeString(lib.resolve("b.jar"), "BBB");
        Files.writeString(lib.resolve("a.jar"), "AA");
        Files.writeString(lib.resolve("Z.jar"), "z"); // 'Z' (0x5a) sorts before 'a' (0x61) by bytes
        Files.writeString(lib.resolve("notes.txt"), "not a jar");
        Files.createDirectories(lib.resolve("jvm.jar")); // a directory, whatever its name
        Files.createDirectories(lib.resolve("native")).resolve("x.jar");
        Files.writeString(lib.resolve("native/x.jar"), "in a subdirectory");
        // printf 'zAABBB' | sha256sum
        assertEquals("8753221243f3885c", BuildIdentity.of(lib));
        assertEquals(List.of(lib.resolve("Z.jar"), lib.resolve("a.jar"), lib.resolve("b.jar")), BuildIdentity.jars(lib));
    }

    @Test
    void changesWhenAnyJarChanges() throws Exception {
        Files.writeString(lib.resolve("a.jar"), "AA");
        String before = BuildIdentity.of(lib);
        Files.write(lib.resolve("a.jar"), "AB".getBytes(StandardCharsets.UTF_8));
        assertNotEquals(before, BuildIdentity.of(lib));
    }

    @Test
    void classesOutsideAJarHaveNoLibraryDirectory() {
        assertNull(BuildIdentity.libraryOf(BuildIdentityTest.class));
    }

    /** An AOT-mapped class reports where its jar was at training; the running class path says where it is now. */
    @Test
    void theLibraryIsWhereTheClassPathHasTheClasssJar() throws Exception {
        Class<?> fromJar = com.fasterxml.jackson.databind.JsonNode.class;
        Path real = Path.of(fromJar.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertEquals(real.getParent(), BuildIdentity.libraryOf(fromJar, "/nonexistent/a.jar"));
        Path copy = Files.createDirectories(lib.resolve("copy"));
        Files.writeString(copy.resolve(real.getFileName().toString()), "a jar of the same name");
        assertEquals(copy, BuildIdentity.libraryOf(fromJar, "/nonexistent/a.jar::" + copy.resolve(real.getFileName().toString())));
        Path notAFile = Files.createDirectories(lib.resolve("dir").resolve(real.getFileName().toString()));
        assertEquals(real.getParent(), BuildIdentity.libraryOf(fromJar, notAFile.toString()));
    }
}
