package dev.jcni.core.daemon;

import dev.jcni.core.os.OsException;
import dev.jcni.core.os.socket.Descriptor;
import dev.jcni.core.os.socket.ReceivedMessage;
import dev.jcni.core.os.socket.SeqpacketSocket;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;

/**
 * The client side of one request: sends HELLO (with its descriptors) and the STDIN chunks, and
 * reads the answer: DECLINED, or ACCEPTED and then RESULT with its DATA. What {@code cnictl
 * daemon} and the tests speak; the native launcher does the same in C.
 */
public final class DaemonClient {
    /** What the daemon answered. */
    public record Answer(boolean accepted, int reason, String message, int exitCode, byte[] stdout, byte[] stderr) {
        static Answer declined(int reason, String message) {
            return new Answer(false, reason, message, 0, new byte[0], new byte[0]);
        }
    }

    private DaemonClient() {}

    /** Connects to {@code socketPath} and makes one request there. */
    public static Answer request(String socketPath, Hello hello, List<Descriptor> descriptors, byte[] stdin, Duration timeout)
            throws OsException, ProtocolException {
        try (SeqpacketSocket s = SeqpacketSocket.connect(socketPath)) {
            return exchange(s, hello, descriptors, stdin, timeout);
        }
    }

    /** A control request ({@code status}, {@code stop}): no descriptors, no stdin. */
    public static Answer control(String socketPath, String verb, String build, Duration timeout) throws OsException, ProtocolException {
        Hello hello = new Hello(Wire.KIND_CONTROL, build, verb, List.of(), List.of(), 0, 0);
        return request(socketPath, hello, List.of(), new byte[0], timeout);
    }

    /** One request over a connected socket; each read waits at most {@code timeout}. */
    public static Answer exchange(SeqpacketSocket s, Hello hello, List<Descriptor> descriptors, byte[] stdin, Duration timeout)
            throws OsException, ProtocolException {
        s.receiveTimeout(timeout);
        byte[] first = hello.encode();
        s.send(first, first.length, descriptors);
        for (int offset = 0; offset < stdin.length; offset += Wire.MAX_MESSAGE) {
            int n = Math.min(Wire.MAX_MESSAGE, stdin.length - offset);
            byte[] chunk = new byte[n];
            System.arraycopy(stdin, offset, chunk, 0, n);
            s.send(chunk);
        }
        return readAnswer(s);
    }

    /** Reads ACCEPTED or DECLINED, then (accepted) RESULT and its DATA chunks, checking every length. */
    public static Answer readAnswer(SeqpacketSocket s) throws OsException, ProtocolException {
        Reply first = next(s);
        if (first.type() == Wire.DECLINED) {
            return Answer.declined(first.reason(), first.message());
        }
        if (first.type() != Wire.ACCEPTED) {
            throw ProtocolException.malformed("expected ACCEPTED or DECLINED, got type " + first.type());
        }
        Reply result = next(s);
        if (result.type() != Wire.RESULT) {
            throw ProtocolException.malformed("expected RESULT, got type " + result.type());
        }
        long total = result.stdoutLength() + result.stderrLength();
        if (total > Integer.MAX_VALUE - 8) {
            throw ProtocolException.malformed("RESULT announces " + total + " bytes");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Math.min(total, 1 << 20));
        while (bytes.size() < total) {
            Reply data = next(s);
            if (data.type() != Wire.DATA) {
                throw ProtocolException.malformed("expected DATA, got type " + data.type());
            }
            if (bytes.size() + (long) data.data().length > total) {
                throw ProtocolException.malformed("DATA beyond the announced " + total + " bytes");
            }
            bytes.write(data.data(), 0, data.data().length);
        }
        byte[] all = bytes.toByteArray();
        byte[] out = new byte[(int) result.stdoutLength()];
        byte[] err = new byte[(int) result.stderrLength()];
        System.arraycopy(all, 0, out, 0, out.length);
        System.arraycopy(all, out.length, err, 0, err.length);
        return new Answer(true, 0, "", (int) result.exitCode(), out, err);
    }

    private static Reply next(SeqpacketSocket s) throws OsException, ProtocolException {
        ReceivedMessage m = s.receive(Wire.MAX_MESSAGE, Wire.MAX_DESCRIPTORS);
        m.closeDescriptors();
        if (m.endOfStream()) {
            throw ProtocolException.malformed("the daemon closed the connection");
        }
        if (m.truncated()) {
            throw ProtocolException.malformed("a reply longer than " + Wire.MAX_MESSAGE + " bytes");
        }
        return Reply.decode(m.data());
    }
}
