package dev.jcni.core.skel;

import dev.jcni.core.os.NativeLibraries;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The process entry point shared by every plugin's {@code main}: the only place that reads the
 * real environment and stdin, writes stdout and ends the process.
 */
public final class PluginMain {
    private PluginMain() {}

    public static void run(String pluginName, CniPlugin plugin) {
        String command = System.getenv("CNI_COMMAND");
        if ("ADD".equals(command) || "DEL".equals(command) || "CHECK".equals(command)) {
            // These verbs enter the sandbox: bind libc while the request is parsed and validated.
            NativeLibraries.preloadInBackground();
        }
        byte[] stdin;
        try {
            stdin = readAll(System.in);
        } catch (IOException e) {
            // Code 5 is the spec's I/O failure; written by hand since nothing else ran yet.
            writeAndHalt(("{\"code\":5,\"msg\":\"error reading from stdin\",\"details\":\"" + e.getMessage()
                    .replace("\\", "\\\\").replace("\"", "\\\"") + "\"}\n").getBytes(), 1);
            return;
        }
        Skel.Outcome outcome = new Skel(pluginName, plugin).run(System.getenv(), stdin);
        Log.timing("done, exit " + outcome.exitCode());
        writeAndHalt(outcome.stdout(), outcome.exitCode());
    }

    private static byte[] readAll(InputStream in) throws IOException {
        // A closed or absent stdin (some callers of VERSION) reads as empty.
        return in.readAllBytes();
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
