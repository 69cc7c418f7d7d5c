package dev.jcni.core.os.process;

import java.io.File;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs one program to completion: an argument vector, an environment, bytes on stdin, a
 * deadline; gives back its exit code and everything it printed. The one process runner of jcni:
 * the runtime execs plugins with it, a plugin execs its delegate (IPAM) with it, the demo and the
 * tests run {@code ip}, {@code tc} and friends with it. It knows nothing of CNI.
 *
 * <p>stdin, stdout and stderr go through private (0600) temporary files, not pipes. With pipes,
 * a program that leaves a background child holding stdout makes the reader wait for that child
 * (the classic Go {@code cmd.Wait} hang); with files the caller waits only for the program's own
 * exit, no reader thread is needed, and a chatty program never blocks on a full pipe. Nothing
 * another user can read holds a request or its answer, even for a moment.
 *
 * <p>At the deadline the program and every process it started are killed (SIGKILL), so a hung
 * program leaves nothing running; the program itself is reaped, so no zombie remains.
 * "Text file busy" at exec (the binary is being written, e.g. replaced by a package update) is
 * retried after a pause, as libcni does (5 times, 1 s apart, by default).
 *
 * <p>Never call this from inside {@code NetNs.run}: the child would be forked from the thread
 * that entered the namespace, and the JDK's process reaper thread, started on the first exec,
 * would be born in that namespace and stay there. Exec from an ordinary thread; a program that
 * must act in a namespace is given its path (as a plugin gets CNI_NETNS) or wrapped in
 * {@code ip netns exec}.
 *
 * <p>No lambdas or streams: a plugin that delegates to IPAM loads this class on its start path.
 * Thread-safe: it holds only its settings.
 */
public final class ProcessRunner {
    /** libcni's text-busy policy: 5 retries, 1 s apart. */
    public static final int DEFAULT_TEXT_BUSY_RETRIES = 5;
    public static final Duration DEFAULT_TEXT_BUSY_DELAY = Duration.ofSeconds(1);

    private static final File DEV_NULL = new File("/dev/null");
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    /**
     * What happened to the program.
     *
     * @param exitCode its exit status; 128 + n when a signal n ended it (137 after the deadline's SIGKILL)
     * @param stdout   everything it (and any child sharing its stdout until it exited) printed
     * @param stderr   likewise for stderr
     * @param elapsed  from the successful start to its exit (or to its reaping after the kill)
     * @param timedOut true when the deadline passed and the process tree was killed
     * @param pid      its process id, for messages ("pid 4242 and its children were killed")
     */
    public record Outcome(int exitCode, byte[] stdout, byte[] stderr, Duration elapsed, boolean timedOut, long pid) {}

    private final int textBusyRetries;
    private final Duration textBusyDelay;

    /** libcni's text-busy policy (5 retries, 1 s apart). */
    public ProcessRunner() {
        this(DEFAULT_TEXT_BUSY_RETRIES, DEFAULT_TEXT_BUSY_DELAY);
    }

    /**
     * @param textBusyRetries how many more times to try an exec that failed with ETXTBSY (0: never)
     * @param textBusyDelay   the pause before each retry
     */
    public ProcessRunner(int textBusyRetries, Duration textBusyDelay) {
        if (textBusyRetries < 0 || textBusyDelay.isNegative()) {
            throw new IllegalArgumentException("text-busy retries and delay must not be negative");
        }
        this.textBusyRetries = textBusyRetries;
        this.textBusyDelay = textBusyDelay;
    }

    /**
     * Runs {@code argv} and waits for it, at most {@code timeout}.
     *
     * @param argv    the program (a path, or a name looked up on this JVM's PATH) and its arguments; no shell
     * @param env     the program's whole environment, exactly (nothing else is added), or null to
     *                inherit this JVM's environment
     * @param stdin   what the program reads on stdin, or null for /dev/null
     * @param timeout the deadline, after which the program and its descendants are SIGKILLed
     * @return the outcome, also when the program failed or timed out
     * @throws IOException the program could not be started (not found, not executable, still
     *                     text-busy after the retries), the temporary files failed, or the caller
     *                     was interrupted ({@link InterruptedIOException}, after killing the tree)
     */
    public Outcome run(List<String> argv, Map<String, String> env, byte[] stdin, Duration timeout) throws IOException {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("no program to run");
        }
        Path in = stdin == null ? null : Files.createTempFile("jcni-stdin-", "", OWNER_ONLY);
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("jcni-stdout-", "", OWNER_ONLY);
            err = Files.createTempFile("jcni-stderr-", "", OWNER_ONLY);
            ProcessBuilder pb = new ProcessBuilder(argv)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            if (in == null) {
                pb.redirectInput(DEV_NULL);
            } else {
                Files.write(in, stdin);
                pb.redirectInput(in.toFile());
            }
            if (env != null) {
                Map<String, String> childEnv = pb.environment();
                childEnv.clear();
                childEnv.putAll(env);
            }
            Process process = startRetryingTextBusy(pb);
            long start = System.nanoTime();
            boolean timedOut = waitOrKill(process, timeout, argv.get(0));
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            return new Outcome(process.exitValue(), Files.readAllBytes(out), Files.readAllBytes(err), elapsed, timedOut,
                    process.pid());
        } finally {
            deleteQuietly(in);
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Waits for the deadline; past it, kills the tree and reaps. True when it had to kill. */
    private static boolean waitOrKill(Process process, Duration timeout, String program) throws IOException {
        try {
            if (process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return false;
            }
            killTree(process.toHandle());
            process.waitFor();
            return true;
        } catch (InterruptedException e) {
            killTree(process.toHandle());
            Thread.currentThread().interrupt();
            InterruptedIOException ie = new InterruptedIOException("interrupted while waiting for " + program
                    + " (pid " + process.pid() + "), which was killed");
            ie.initCause(e);
            throw ie;
        }
    }

    private Process startRetryingTextBusy(ProcessBuilder pb) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                return pb.start();
            } catch (IOException e) {
                if (!isTextBusy(e) || attempt >= textBusyRetries) {
                    throw e;
                }
                try {
                    Thread.sleep(textBusyDelay.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** The JDK reports a failed exec as "Cannot run program …: error=26, Text file busy". */
    private static boolean isTextBusy(IOException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("error=26,") || m.contains("Text file busy");
    }

    /**
     * SIGKILLs {@code root} and all its descendants. Each process's children are listed before it
     * is killed, because once a parent dies its children are re-parented and no longer show up
     * under it; killing top-down means a killed parent cannot start new children meanwhile. A
     * child forked between the listing and its parent's death escapes: the JDK offers no way to
     * freeze a tree, and a plugin that forks at the very moment of its deadline is a rare case.
     */
    static void killTree(ProcessHandle root) {
        List<ProcessHandle> children = new ArrayList<>();
        Iterator<ProcessHandle> it = root.children().iterator();
        while (it.hasNext()) {
            children.add(it.next());
        }
        root.destroyForcibly();
        for (ProcessHandle child : children) {
            killTree(child);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // A private file in the temp directory; the OS cleans it eventually.
        }
    }
}
