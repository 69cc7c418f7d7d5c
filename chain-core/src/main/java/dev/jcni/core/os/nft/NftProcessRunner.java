package dev.jcni.core.os.nft;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.process.ProcessRunner;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * nftables through the {@code nft} program: every batch and every list is one
 * {@code nft -j -f -} with the JSON document on stdin, run by the project's
 * {@link ProcessRunner} (deadline, private files for the streams).
 *
 * <p><b>Namespace: host-namespace only.</b> The child is forked from the calling thread, but a
 * process must never be started from inside {@code NetNs.run}: the JDK's process reaper thread,
 * created by such a start, would be born in the sandbox's namespace and stay there. This runner
 * therefore acts in the namespace the JVM's ordinary threads are in (for portmap and bridge: the
 * host's), and a call from a thread that has entered another namespace is refused with an
 * IllegalStateException rather than run. To change another namespace's ruleset, use
 * {@link LibNftablesRunner} inside {@code NetNs.run}, or give this runner a wrapper that moves
 * the child only, e.g. {@code ip netns exec NAME} (what the integration tests do).
 *
 * <p>{@code nft} is looked for in {@code /usr/sbin}, {@code /sbin} and {@code /usr/bin}, never on
 * PATH: runtimes exec plugins with a minimal environment. It runs with an environment of
 * {@code LC_ALL=C} only, so its messages are the English strerror texts {@link NftErrors}
 * classifies whatever locale the runtime passed.
 */
public final class NftProcessRunner extends NftJsonRunner {
    /** The name {@link NftRunners#OVERRIDE_PROPERTY} selects this runner by. */
    public static final String NAME = "process";
    /** Where Debian's nftables package (and others) put nft, in the order searched. */
    public static final List<Path> LOCATIONS = List.of(Path.of("/usr/sbin/nft"), Path.of("/sbin/nft"), Path.of("/usr/bin/nft"));
    /** Long enough for a ruleset of thousands of elements on a loaded machine. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** nft's whole environment. */
    static final Map<String, String> ENVIRONMENT = Map.of("LC_ALL", "C");

    private static final Path THREAD_NAMESPACE = Path.of("/proc/thread-self/ns/net");
    private static final Path PROCESS_NAMESPACE = Path.of("/proc/self/ns/net");

    private final Path nft;
    private final List<String> wrapper;
    private final ProcessRunner processes;
    private final Duration timeout;

    /** {@code nft} at {@code nft}, run directly, with the default deadline. */
    public NftProcessRunner(Path nft) {
        this(nft, List.of(), new ProcessRunner(), DEFAULT_TIMEOUT);
    }

    /**
     * @param nft the nft executable
     * @param wrapper words put before nft's own command line, e.g. {@code ip netns exec NAME};
     *                empty to run nft directly
     * @param processes the process runner
     * @param timeout how long one nft may take before it is killed
     */
    public NftProcessRunner(Path nft, List<String> wrapper, ProcessRunner processes, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("nft timeout must be positive: " + timeout);
        }
        this.nft = nft;
        this.wrapper = List.copyOf(wrapper);
        this.processes = processes;
        this.timeout = timeout;
    }

    /** The first executable of {@link #LOCATIONS}, or null when nftables is not installed. */
    public static Path locate() {
        return locate(LOCATIONS);
    }

    static Path locate(List<Path> candidates) {
        for (Path p : candidates) {
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** The backend named {@value #NAME}: available when {@link #locate()} finds nft. */
    public static NftBackend backend() {
        return new NftBackend() {
            @Override
            public String name() {
                return NAME;
            }

            @Override
            public String unavailabilityCause() {
                return locate() == null ? "no executable nft in " + LOCATIONS + " (Debian package nftables)" : null;
            }

            @Override
            public NftRunner open() throws NftException {
                Path nft = locate();
                if (nft == null) {
                    // Removed between the probe and now (a package upgrade, say).
                    throw NftErrors.runnerFailure("open the nft process runner", null, Errno.ENOENT, unavailabilityCause());
                }
                return new NftProcessRunner(nft);
            }

            @Override
            public String toString() {
                return NAME + " (nft -j -f -)";
            }
        };
    }

    /** The command line: the wrapper, then {@code nft -j -f -}. */
    List<String> argv() {
        return argv(false);
    }

    /** With {@code dryRun}: {@code nft -c -j -f -}, checked by the kernel and not committed. */
    List<String> argv(boolean dryRun) {
        List<String> argv = new ArrayList<>(wrapper);
        argv.add(nft.toString());
        if (dryRun) {
            argv.add("-c");
        }
        argv.add("-j");
        argv.add("-f");
        argv.add("-");
        return argv;
    }

    @Override
    Reply send(String operation, String json, boolean dryRun) throws NftException {
        requireProcessNamespace(operation);
        ProcessRunner.Outcome o;
        try {
            o = processes.run(argv(dryRun), ENVIRONMENT, json.getBytes(StandardCharsets.UTF_8), timeout);
        } catch (InterruptedIOException e) {
            throw NftErrors.runnerFailure(operation, json, Errno.EINTR, e.getMessage());
        } catch (IOException e) {
            throw NftErrors.runnerFailure(operation, json, startErrno(e), "cannot run " + nft + ": " + e.getMessage());
        }
        if (o.timedOut()) {
            throw NftErrors.runnerFailure(operation, json, Errno.ETIMEDOUT, nft + " did not finish within " + timeout.toMillis()
                    + " ms; pid " + o.pid() + " and its children were killed");
        }
        String error = new String(o.stderr(), StandardCharsets.UTF_8);
        if (o.exitCode() != 0 && error.isBlank()) {
            error = nft + " exited with status " + o.exitCode() + " and printed no error";
        }
        return new Reply(o.exitCode(), new String(o.stdout(), StandardCharsets.UTF_8), error);
    }

    /**
     * Refuses to fork from a thread that entered another network namespace (see the class
     * comment). Compares the calling thread's namespace with the main thread's.
     */
    static void requireProcessNamespace(String operation) {
        String thread;
        String process;
        try {
            thread = Files.readSymbolicLink(THREAD_NAMESPACE).toString();
            process = Files.readSymbolicLink(PROCESS_NAMESPACE).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return; // No /proc to tell: nothing to refuse on.
        }
        if (!thread.equals(process)) {
            throw new IllegalStateException(operation + ": the nft process runner acts in the host namespace only, and this"
                    + " thread is in another one (" + thread + ", the process in " + process + "); inside NetNs.run use the"
                    + " libnftables runner");
        }
    }

    /** The errno of a failed exec, from the JDK's "error=2, No such file or directory"; EIO if none. */
    static int startErrno(IOException e) {
        String m = String.valueOf(e.getMessage());
        int at = m.indexOf("error=");
        if (at >= 0) {
            int end = at + "error=".length();
            int n = 0;
            boolean digits = false;
            while (end < m.length() && Character.isDigit(m.charAt(end)) && n < 100000) {
                n = n * 10 + (m.charAt(end) - '0');
                end++;
                digits = true;
            }
            if (digits && n > 0) {
                return n;
            }
        }
        return Errno.EIO;
    }

    @Override
    public String toString() {
        return NAME + " (" + String.join(" ", argv()) + ")";
    }
}
