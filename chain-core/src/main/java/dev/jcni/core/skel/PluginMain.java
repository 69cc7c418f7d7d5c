package dev.jcni.core.skel;

import dev.jcni.core.os.NativeLibraries;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Json;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The process entry point shared by every plugin's {@code main}: the only place that reads the
 * real environment and stdin, writes stdout and ends the process.
 *
 * <p>The request itself is answered by {@link #handle}, which the node daemon calls too, with the
 * environment and stdin a launcher forwarded: one code path for both.
 *
 * <p>Whatever happens, stdout gets CNI error JSON and the exit code is 1: stdin is read up to
 * {@link #MAX_STDIN} bytes (a runaway or hostile stdin such as {@code /dev/zero} would otherwise
 * run the JVM out of memory with nothing on stdout), and if even the skel's own error handling
 * fails, a fixed error object prepared at class load is written.
 */
public final class PluginMain {
    /**
     * The most stdin a request may have: 16 MiB, hundreds of times a large config (a GC
     * request listing every attachment of a full node is well under a megabyte).
     */
    static final int MAX_STDIN = 16 << 20;
    /**
     * Set by the native launcher when the node daemon failed after accepting an ADD or CHECK
     * (docs/daemon-protocol.md): the value says why.
     */
    public static final String DAEMON_FAILURE = "JCNI_DAEMON_FAILURE";
    static final String DAEMON_FAILURE_MSG = "the jcni daemon failed during the request; try again";
    /** Prepared before anything can go wrong: writing it allocates nothing. */
    private static final byte[] LAST_RESORT = "{\"code\":999,\"msg\":\"internal error\"}\n".getBytes(StandardCharsets.US_ASCII);

    private PluginMain() {}

    public static void run(String pluginName, CniPlugin plugin) {
        String command = System.getenv("CNI_COMMAND");
        if ("ADD".equals(command) || "DEL".equals(command) || "CHECK".equals(command)) {
            // These verbs enter the sandbox: bind libc while the request is parsed and validated.
            NativeLibraries.preloadInBackground();
        }
        Skel.Outcome outcome = handle(pluginName, plugin, System.getenv(), System.in);
        Log.timing("done, exit " + outcome.exitCode());
        writeAndHalt(outcome.stdout(), outcome.exitCode());
    }

    /**
     * One request, answered as a plugin process answers it: the one entry both the plugin
     * process ({@link #run}) and the node daemon call, so the two give the same answer for the
     * same input. {@code environment} is the environment as the launcher script hands it to the
     * JVM (the caller's locale is restored here, {@link CallerEnvironment}); stdin is read up to
     * the bound. With {@value #DAEMON_FAILURE} in the environment nothing runs: the answer is
     * code 11 ({@link #daemonFailure}). Never throws: if even the error handling fails, a fixed
     * error object prepared at class load is answered.
     */
    public static Skel.Outcome handle(String pluginName, CniPlugin plugin, Map<String, String> environment, InputStream stdin) {
        try {
            Map<String, String> env = CallerEnvironment.of(environment);
            String failure = env.get(DAEMON_FAILURE);
            if (failure != null) {
                return daemonFailure(pluginName, plugin, env, stdin, failure);
            }
            return respond(pluginName, plugin, env, stdin);
        } catch (Throwable t) {
            return new Skel.Outcome(1, LAST_RESORT);
        }
    }

    /**
     * The launcher's answer when the node daemon accepted an ADD or CHECK and then failed
     * (died, hung past the deadline): the verb may have run, so it is not run again here; the
     * runtime gets code 11 (try again later) and retries or cleans up with DEL.
     */
    private static Skel.Outcome daemonFailure(String pluginName, CniPlugin plugin, Map<String, String> env, InputStream in,
            String why) {
        byte[] stdin;
        try {
            stdin = in.readNBytes(MAX_STDIN + 1);
        } catch (IOException e) {
            stdin = new byte[0];
        }
        CniException e = new CniException(CniException.TRY_AGAIN_LATER, DAEMON_FAILURE_MSG, why);
        return new Skel(pluginName, plugin).refuse(env, stdin, e);
    }

    /** The answer to one request read from {@code in} (the caller's environment already restored); never throws. */
    static Skel.Outcome respond(String pluginName, CniPlugin plugin, Map<String, String> env, InputStream in) {
        try {
            byte[] stdin;
            try {
                stdin = in.readNBytes(MAX_STDIN + 1);
            } catch (IOException e) {
                return error(new CniException(CniException.IO_FAILURE, "error reading from stdin", String.valueOf(e.getMessage())));
            }
            if (stdin.length > MAX_STDIN) {
                if ("VERSION".equals(env.get("CNI_COMMAND"))) {
                    stdin = new byte[0];  // VERSION ignores stdin; it must answer anyway
                } else {
                    return error(new CniException(CniException.DECODING_FAILURE, "network config on stdin is too large",
                            "more than " + MAX_STDIN + " bytes; a network config is a few kilobytes"));
                }
            }
            return new Skel(pluginName, plugin).run(env, stdin);
        } catch (Throwable t) {
            // Skel.run answers every failure of a verb itself; this is its own failure (say, no
            // memory left to report an OutOfMemoryError).
            return new Skel.Outcome(1, LAST_RESORT);
        }
    }

    private static Skel.Outcome error(CniException e) {
        Log.error(e.getMessage());
        return new Skel.Outcome(1, Json.writePretty(e.toJson(null)));
    }

    private static void writeAndHalt(byte[] bytes, int code) {
        try {
            FileOutputStream out = new FileOutputStream(FileDescriptor.out);
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            System.err.println("cannot write to stdout: " + e.getMessage());
            code = 1;
        }
        System.err.flush();
        // halt, not exit: nothing is left to clean up, and System.exit initialises the JDK's
        // logging machinery on recent JDKs, which costs start-up time.
        Runtime.getRuntime().halt(code);
    }
}
