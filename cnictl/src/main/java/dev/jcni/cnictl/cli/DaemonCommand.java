package dev.jcni.cnictl.cli;

import dev.jcni.core.daemon.DaemonClient;
import dev.jcni.core.daemon.ProtocolException;
import dev.jcni.core.daemon.Wire;
import dev.jcni.core.os.OsException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;

/**
 * {@code cnictl daemon status|stop}: a control request to the node daemon at {@code JCNI_SOCKET}
 * (default {@code /run/jcni/jcnid.sock}), docs/daemon-protocol.md. {@code status} prints its
 * JSON; {@code stop} makes it drain (finish what it accepted, then exit) and prints
 * {@code {"stopping":true}}. Exit 0 when the daemon answered, 1 when none answers there or it
 * declined, 2 for wrong usage.
 */
final class DaemonCommand {
    /** Each read of the answer; a daemon answers control requests at once. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private DaemonCommand() {}

    static int run(CommandLine cl, Map<String, String> env, PrintStream out, PrintStream err) throws CommandLine.UsageException {
        if (cl.positional.size() != 1 || !(cl.positional.get(0).equals("status") || cl.positional.get(0).equals("stop"))) {
            throw new CommandLine.UsageException("daemon needs status or stop");
        }
        String verb = cl.positional.get(0);
        String socket = Wire.socketPath(env.get(Wire.SOCKET_VARIABLE));
        DaemonClient.Answer answer;
        try {
            // Control requests are not checked against the build: stopping an older daemon must work.
            answer = DaemonClient.control(socket, verb, "", TIMEOUT);
        } catch (OsException e) {
            err.println("cnictl daemon " + verb + ": no daemon answers at " + socket + ": " + e.getMessage());
            return 1;
        } catch (ProtocolException e) {
            err.println("cnictl daemon " + verb + ": the daemon at " + socket + " gave no valid answer: " + e.getMessage());
            return 1;
        }
        if (!answer.accepted()) {
            err.println("cnictl daemon " + verb + ": declined (" + Wire.reasonName(answer.reason()) + "): " + answer.message());
            return 1;
        }
        byte[] text = answer.stdout();
        out.write(text, 0, text.length);
        if (text.length == 0 || text[text.length - 1] != '\n') {
            out.println();
        }
        return 0;
    }
}
