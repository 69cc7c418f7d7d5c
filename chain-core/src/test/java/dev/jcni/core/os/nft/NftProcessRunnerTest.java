package dev.jcni.core.os.nft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.process.ProcessRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NftProcessRunner against a stand-in {@code nft}: a shell script that records its arguments,
 * environment and stdin and answers with scripted output, error text and exit status. No root,
 * no kernel; the real nft is the root integration tests' business.
 */
class NftProcessRunnerTest {
    @TempDir
    Path dir;

    private Path nft;
    private final WorkedExample p = new WorkedExample();

    @BeforeEach
    void standIn() throws IOException {
        nft = dir.resolve("nft");
        Files.writeString(nft, "#!/bin/sh\n"
                + "d=$(dirname \"$0\")\n"
                + "printf '%s\\n' \"$@\" > \"$d/args\"\n"
                + "env | grep -v '^PWD=' | sort > \"$d/env\"\n"
                + "cat > \"$d/stdin\"\n"
                + "[ -f \"$d/sleep\" ] && sleep \"$(cat \"$d/sleep\")\"\n"
                + "[ -f \"$d/out\" ] && cat \"$d/out\"\n"
                + "[ -f \"$d/err\" ] && cat \"$d/err\" >&2\n"
                + "exit \"$(cat \"$d/status\" 2>/dev/null || echo 0)\"\n");
        Files.setPosixFilePermissions(nft, PosixFilePermissions.fromString("rwx------"));
    }

    private NftProcessRunner runner() {
        return new NftProcessRunner(nft, List.of(), new ProcessRunner(0, Duration.ZERO), Duration.ofSeconds(20));
    }

    private void answer(int status, String out, String err) throws IOException {
        Files.writeString(dir.resolve("status"), Integer.toString(status));
        Files.writeString(dir.resolve("out"), out);
        Files.writeString(dir.resolve("err"), err);
    }

    private String recorded(String name) throws IOException {
        return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
    }

    @Test
    void applyRunsNftJsonFromStdinWithACEnvironmentOnly() throws Exception {
        NftBatch b = p.addContainerA();
        runner().apply(b);
        assertEquals("-j\n-f\n-\n", recorded("args"));
        assertEquals(b.toJson(), recorded("stdin"));
        // Nothing inherited from the JVM (no PATH, HOME, LANG): only the locale that keeps
        // nft's strerror texts English for NftErrors.
        assertEquals("LC_ALL=C\n", recorded("env"));
    }

    @Test
    void checkIsNftDashC() throws Exception {
        NftBatch b = p.addContainerA();
        runner().check(b);
        assertEquals("-c\n-j\n-f\n-\n", recorded("args"));
        assertEquals(b.toJson(), recorded("stdin"));
        answer(1, "", "internal:0:0-0: Error: Could not process rule: File exists\n\n");
        NftExistsException e = assertThrows(NftExistsException.class, () -> runner().check(p.addContainerBConflicting()));
        assertEquals("nft check (3 commands)", e.operation());
    }

    @Test
    void listSendsTheListCommandOnStdinAndParsesStdout() throws Exception {
        answer(0, Fixtures.text("real-list-after-10.json"), "");
        NftListing l = runner().list(p.listTable());
        assertEquals("-j\n-f\n-\n", recorded("args"));
        assertEquals(p.listTable().toJson(), recorded("stdin"));
        assertEquals(6, l.rules(p.chainA).size());
        assertEquals("1.0.6", l.version());
    }

    @Test
    void nftsErrorTextIsClassified() throws Exception {
        String busy = "internal:0:0-0: Error: Could not process rule: Device or resource busy\n\n";
        answer(1, "", busy);
        NftBusyException e = assertThrows(NftBusyException.class, () -> runner().apply(p.deleteChainAOnly()));
        assertEquals("nft apply (1 command)", e.operation());
        assertEquals(busy, e.errorText());
        assertEquals(p.deleteChainAOnly().toJson(), e.batchJson());

        answer(1, "", "Error: No such file or directory\nlist table inet nosuch\n                ^^^^^^\n");
        NftNotFoundException missing = assertThrows(NftNotFoundException.class, () -> runner().list(ListTarget.table(Table.of(Family.INET, "nosuch"))));
        assertEquals("nft list table inet nosuch", missing.operation());

        answer(1, "", "internal:0:0-0: Error: Could not process rule: Operation not supported\n\n");
        NftException other = assertThrows(NftException.class, () -> runner().apply(p.base()));
        assertSame(NftException.class, other.getClass());
        assertEquals(Errno.EOPNOTSUPP, other.errno());
    }

    @Test
    void aSilentFailureStillSaysSomething() throws Exception {
        answer(3, "", "");
        NftException e = assertThrows(NftException.class, () -> runner().apply(p.base()));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().contains("exited with status 3 and printed no error"), e.getMessage());
    }

    @Test
    void aHungNftIsKilledAtTheDeadlineAndIsNoRulesetState() throws Exception {
        Files.writeString(dir.resolve("sleep"), "30");
        NftProcessRunner quick = new NftProcessRunner(nft, List.of(), new ProcessRunner(0, Duration.ZERO), Duration.ofMillis(300));
        long t0 = System.nanoTime();
        NftException e = assertThrows(NftException.class, () -> quick.apply(p.base()));
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "killed at the deadline, not after the sleep");
        assertSame(NftException.class, e.getClass());
        assertEquals(Errno.ETIMEDOUT, e.errno());
        assertTrue(e.getMessage().contains("did not finish within 300 ms"), e.getMessage());
    }

    @Test
    void aMissingProgramIsARunnerFailureNotAMissingObject() {
        NftProcessRunner gone = new NftProcessRunner(dir.resolve("no-nft"), List.of(), new ProcessRunner(0, Duration.ZERO), Duration.ofSeconds(5));
        NftException e = assertThrows(NftException.class, () -> gone.apply(p.deleteContainerA()));
        // A DEL treating NftNotFoundException as "already gone" must not see this as one.
        assertSame(NftException.class, e.getClass());
        assertEquals(Errno.ENOENT, e.errno());
        assertTrue(e.getMessage().startsWith("nft apply (5 commands): cannot run " + dir.resolve("no-nft")), e.getMessage());
    }

    @Test
    void aWrapperGoesInFrontOfNftsCommandLine() throws Exception {
        Files.setPosixFilePermissions(nft, PosixFilePermissions.fromString("rw-------"));
        NftProcessRunner wrapped = new NftProcessRunner(nft, List.of("/bin/sh"), new ProcessRunner(0, Duration.ZERO), Duration.ofSeconds(20));
        assertEquals(List.of("/bin/sh", nft.toString(), "-j", "-f", "-"), wrapped.argv());
        wrapped.apply(p.base());
        assertEquals("-j\n-f\n-\n", recorded("args"));
        assertEquals(p.base().toJson(), recorded("stdin"));
    }

    @Test
    void nftIsFoundInFixedPlacesNotOnPath() throws IOException {
        Path notExecutable = dir.resolve("a");
        Files.writeString(notExecutable, "");
        Path directory = Files.createDirectory(dir.resolve("b"));
        List<Path> order = new ArrayList<>(List.of(dir.resolve("missing"), notExecutable, directory, nft));
        assertEquals(nft, NftProcessRunner.locate(order));
        assertNull(NftProcessRunner.locate(order.subList(0, 3)));
        assertEquals(List.of(Path.of("/usr/sbin/nft"), Path.of("/sbin/nft"), Path.of("/usr/bin/nft")), NftProcessRunner.LOCATIONS);
    }

    @Test
    void startErrnoComesFromTheJdksMessage() {
        assertEquals(Errno.EACCES, NftProcessRunner.startErrno(new IOException("Cannot run program \"/x\": error=13, Permission denied")));
        assertEquals(Errno.EIO, NftProcessRunner.startErrno(new IOException("something else")));
    }
}
