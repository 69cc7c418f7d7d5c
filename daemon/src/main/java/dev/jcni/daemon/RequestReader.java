package dev.jcni.daemon;

import dev.jcni.core.daemon.Hello;
import dev.jcni.core.daemon.ProtocolException;
import dev.jcni.core.daemon.Wire;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.socket.Descriptor;
import dev.jcni.core.os.socket.ReceivedMessage;
import dev.jcni.core.os.socket.SeqpacketSocket;
import java.util.List;

/**
 * Reads one request off a connection: HELLO (at most {@value Wire#MAX_MESSAGE} bytes, exactly
 * the descriptors its kind and flags call for) and the STDIN chunks adding up to exactly its
 * stdin length. Every read waits at most the socket's receive timeout. Anything else, a timeout
 * included, is a {@link ProtocolException} (decline 6, or 1 for another protocol version), and
 * every descriptor received is closed: none is ever left open.
 */
final class RequestReader {
    /**
     * Room for more descriptors than a request may carry, so that extras are seen (and closed)
     * rather than silently dropped by the kernel.
     */
    static final int DESCRIPTOR_ROOM = 16;

    private RequestReader() {}

    static Request read(SeqpacketSocket c) throws ProtocolException {
        ReceivedMessage m = receive(c, "HELLO");
        long helloNanos = System.nanoTime();
        List<Descriptor> descriptors = m.descriptors();
        try {
            if (m.endOfStream()) {
                throw malformed("the connection closed before a HELLO");
            }
            if (m.truncated()) {
                throw malformed("HELLO longer than " + Wire.MAX_MESSAGE + " bytes");
            }
            if (m.controlTruncated() || descriptors.size() > Wire.MAX_DESCRIPTORS) {
                throw malformed("more than " + Wire.MAX_DESCRIPTORS + " descriptors with the HELLO");
            }
            Hello hello = Hello.decode(m.data());
            if (descriptors.size() != hello.expectedDescriptors()) {
                throw malformed("HELLO with " + descriptors.size() + " descriptors, " + hello.expectedDescriptors() + " expected");
            }
            byte[] stdin = readStdin(c, hello.stdinLength());
            Request request = new Request(hello, descriptors, stdin, helloNanos);
            descriptors = null;
            return request;
        } finally {
            if (descriptors != null) {
                for (Descriptor d : descriptors) {
                    d.close();
                }
            }
        }
    }

    private static byte[] readStdin(SeqpacketSocket c, long length) throws ProtocolException {
        byte[] stdin = new byte[(int) length];
        int read = 0;
        while (read < stdin.length) {
            ReceivedMessage m = receive(c, "STDIN");
            m.closeDescriptors();
            if (!m.descriptors().isEmpty() || m.controlTruncated()) {
                throw malformed("descriptors with a STDIN chunk");
            }
            if (m.endOfStream()) {
                throw malformed("stdin ended after " + read + " of " + length + " bytes");
            }
            if (m.truncated()) {
                throw malformed("a STDIN chunk longer than " + Wire.MAX_MESSAGE + " bytes");
            }
            int n = m.data().length;
            if (n > stdin.length - read) {
                throw malformed("stdin longer than the " + length + " bytes announced");
            }
            System.arraycopy(m.data(), 0, stdin, read, n);
            read += n;
        }
        return stdin;
    }

    private static ReceivedMessage receive(SeqpacketSocket c, String what) throws ProtocolException {
        try {
            return c.receive(Wire.MAX_MESSAGE, DESCRIPTOR_ROOM);
        } catch (OsException e) {
            throw malformed(SeqpacketSocket.timedOut(e) ? "no " + what + " in time" : "reading " + what + ": " + e.getMessage());
        }
    }

    private static ProtocolException malformed(String message) {
        return new ProtocolException(Wire.DECLINED_MALFORMED, message);
    }
}
