package dev.jcni.daemon;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A request's stderr: every byte kept for the reply, and each complete line also written to the
 * daemon's log as it comes (so a hung request's last words are in the log too).
 */
final class RequestStderr extends OutputStream {
    private final ByteArrayOutputStream kept;
    private final DaemonLog log;
    private final long id;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    RequestStderr(ByteArrayOutputStream kept, DaemonLog log, long id) {
        this.kept = kept;
        this.log = log;
        this.id = id;
    }

    @Override
    public synchronized void write(int b) {
        kept.write(b);
        if (b == '\n') {
            emit();
        } else {
            line.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    /** The request is over: a last line without a newline is logged too. */
    synchronized void end() {
        if (line.size() > 0) {
            emit();
        }
    }

    private void emit() {
        log.requestLine(id, line.toString(StandardCharsets.UTF_8));
        line.reset();
    }
}
