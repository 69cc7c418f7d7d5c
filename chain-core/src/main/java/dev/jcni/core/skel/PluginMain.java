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
    /** Prepared before anything can go wrong: writing it allocates nothing. */
    private static final byte[] LAST_RESORT = "{\"code\":999,\"msg\":\"internal error\"}\n".getBytes(StandardCharsets.US_ASCII);

    private PluginMain() {}

    public static void run(String pluginName, CniPlugin plugin) {
        String command = System.getenv("CNI_COMMAND");
        if ("ADD".equals(command) || "DEL".equals(command) || "CHECK".equals(command)) {
            // These verbs enter the sandbox: bind libc while the request is parsed and validated.
            NativeLibraries.preloadInBackground();
        }
        Skel.Outcome outcome = respond(pluginName, plugin, CallerEnvironment.of(System.getenv()), System.in);
        Log.timing("done, exit " + outcome.exitCode());
        writeAndHalt(outcome.stdout(), outcome.exitCode());
    }

    /** The answer to one request read from {@code in}; never throws. */
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
