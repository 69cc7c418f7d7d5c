package dev.jcni.core.os.socket;

import dev.jcni.core.os.OsException;
import dev.jcni.core.os.internal.DescriptorNumbers;
import dev.jcni.core.os.internal.Native;
import dev.jcni.core.os.internal.SocketCalls;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One connected AF_UNIX {@code SOCK_SEQPACKET} socket: each {@link #send} is one message and each
 * {@link #receive} reads exactly one, boundaries kept, descriptors travelling with a message as
 * {@code SCM_RIGHTS}. Every descriptor is close-on-exec; a send to a peer that went away is an
 * error (EPIPE), never a SIGPIPE.
 *
 * <p>Blocking by default; {@link #receiveTimeout} and {@link #sendTimeout} bound each call
 * ({@code SO_RCVTIMEO}/{@code SO_SNDTIMEO}), after which it fails with EAGAIN
 * ({@link #timedOut}). Meant for one thread at a time: close it when no call is in progress.
 */
public final class SeqpacketSocket implements AutoCloseable {
    /** Messages dropped by {@link #discardPending} are read into this much (a longer one is cut, and dropped all the same). */
    private static final int DISCARD_BUFFER = 64 * 1024;
    private final int fd;
    private boolean closed;

    SeqpacketSocket(int fd) {
        this.fd = fd;
    }

    /**
     * Connects to the socket file at {@code path}.
     *
     * @throws OsException ENOENT (no such file), ECONNREFUSED (nobody listens: a stale file),
     *         EACCES, ENAMETOOLONG (over {@value SocketCalls#MAX_PATH_BYTES} bytes) ...
     */
    public static SeqpacketSocket connect(String path) throws OsException {
        String operation = "connect to " + path;
        int fd = SocketCalls.seqpacketSocket(operation);
        try {
            SocketCalls.connect(fd, path.getBytes(StandardCharsets.UTF_8), operation);
            return new SeqpacketSocket(fd);
        } catch (OsException | RuntimeException e) {
            Native.close(fd);
            throw e;
        }
    }

    /** Two sockets connected to each other (socketpair(2)): for tests, and for talking to a child. */
    public static SeqpacketSocket[] pair() throws OsException {
        int[] fds = SocketCalls.seqpacketPair("socketpair(AF_UNIX, SOCK_SEQPACKET)");
        return new SeqpacketSocket[] {new SeqpacketSocket(fds[0]), new SeqpacketSocket(fds[1])};
    }

    /** True if {@code path} fits a socket address ({@value SocketCalls#MAX_PATH_BYTES} bytes of UTF-8, no NUL). */
    public static boolean fitsAddress(String path) {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        return bytes.length > 0 && bytes.length <= SocketCalls.MAX_PATH_BYTES && path.indexOf('\0') < 0;
    }

    /** True if {@code e} is a receive or send that waited past its timeout. */
    public static boolean timedOut(OsException e) {
        return e.errno() == dev.jcni.core.os.Errno.EAGAIN;
    }

    /** The peer's credentials as of its connect(2) (SO_PEERCRED). */
    public PeerCredentials peer() throws OsException {
        long[] c = SocketCalls.peerCredentials(fd(), "getsockopt(SO_PEERCRED)");
        return new PeerCredentials(c[0], c[1], c[2]);
    }

    /** Each later receive waits at most {@code timeout} (zero: for ever). */
    public void receiveTimeout(Duration timeout) throws OsException {
        SocketCalls.setTimeout(fd(), SocketCalls.SO_RCVTIMEO, timeout.toMillis(), "setsockopt(SO_RCVTIMEO)");
    }

    /** Each later send waits at most {@code timeout} for room (zero: for ever). */
    public void sendTimeout(Duration timeout) throws OsException {
        SocketCalls.setTimeout(fd(), SocketCalls.SO_SNDTIMEO, timeout.toMillis(), "setsockopt(SO_SNDTIMEO)");
    }

    /**
     * Reads one message of at most {@code maxBytes}, with room for {@code maxDescriptors}
     * descriptors (more are reported as {@code controlTruncated}, the kernel having closed what
     * did not fit). The received descriptors are the caller's to close.
     */
    public ReceivedMessage receive(int maxBytes, int maxDescriptors) throws OsException {
        SocketCalls.Received r = SocketCalls.receive(fd(), maxBytes, maxDescriptors, "recvmsg");
        List<Descriptor> descriptors = new ArrayList<>(r.descriptors.length);
        for (int d : r.descriptors) {
            descriptors.add(new Descriptor(d));
        }
        return new ReceivedMessage(r.data, descriptors, r.truncated, r.controlTruncated);
    }

    /**
     * Reads and drops what the peer has sent and we have not read, without waiting, at most
     * {@code maxMessages} messages (their descriptors closed); returns how many. Closing a local
     * socket with unread messages makes the peer's next receive fail with ECONNRESET even when
     * our last message is waiting for it: call this before closing a connection whose request was
     * not read to the end (an early refusal), so the peer reads the refusal.
     */
    public int discardPending(int maxMessages) {
        int n = 0;
        try {
            while (n < maxMessages) {
                SocketCalls.Received r = SocketCalls.receive(fd(), DISCARD_BUFFER, 8, true, "recvmsg");
                for (int d : r.descriptors) {
                    Native.close(d);
                }
                if (r.data.length == 0 && !r.truncated) {
                    break;
                }
                n++;
            }
        } catch (OsException e) {
            // EAGAIN: nothing (more) pending; anything else: nothing to drain either
        }
        return n;
    }

    /** Sends {@code data} as one message. */
    public void send(byte[] data) throws OsException {
        send(data, data.length, List.of());
    }

    /**
     * Sends {@code data[0..length)} as one message, with {@code pass} attached (the receiver gets
     * its own copies; ours stay open).
     */
    public void send(byte[] data, int length, List<Descriptor> pass) throws OsException {
        int[] numbers = new int[pass.size()];
        for (int i = 0; i < numbers.length; i++) {
            numbers[i] = DescriptorNumbers.of(pass.get(i));
        }
        int sent = SocketCalls.send(fd(), data, length, numbers, "sendmsg");
        if (sent != length) {
            // SEQPACKET sends whole messages or fails; anything else is a kernel we do not know.
            throw new IllegalStateException("sendmsg sent " + sent + " of " + length + " bytes of one message");
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Native.close(fd);
        }
    }

    private synchronized int fd() {
        if (closed) {
            throw new IllegalStateException("socket is closed");
        }
        return fd;
    }
}
