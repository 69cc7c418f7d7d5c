package dev.jcni.core.os.socket;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.internal.Native;
import dev.jcni.core.os.internal.SocketCalls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A listening AF_UNIX {@code SOCK_SEQPACKET} socket: bound here to a socket file
 * ({@link #bind}), or inherited from systemd's socket activation ({@link #inherit}).
 *
 * <p>A bound listener owns its socket file: {@link #removeFile} (and {@link #close}) delete it,
 * but only while it is still the file this listener created (same device and inode), so a
 * newer daemon's socket at the same path is never removed. An inherited listener owns no file:
 * the socket unit does.
 */
public final class SeqpacketListener implements AutoCloseable {
    /** sd_listen_fds(3): the first descriptor a socket-activated service receives. */
    public static final int SYSTEMD_FIRST_DESCRIPTOR = 3;

    private final int fd;
    private final SocketFile file;
    private boolean closed;

    private SeqpacketListener(int fd, SocketFile file) {
        this.fd = fd;
        this.file = file;
    }

    /**
     * Binds a new listening socket at {@code path} and listens with {@code backlog}. Its
     * directory is created 0700 when missing and must otherwise be a directory of this user
     * that nobody else can enter (the socket file is made by bind(2) with the umask's mode, so
     * the directory is what keeps others out until it is made 0600). A socket file nobody
     * listens on (a daemon that died) is replaced; anything else at the path is an error.
     */
    public static SeqpacketListener bind(String path, int backlog) throws OsException {
        String operation = "listen at " + path;
        byte[] address = path.getBytes(StandardCharsets.UTF_8);
        if (!SeqpacketSocket.fitsAddress(path)) {
            throw OsException.fromErrno(operation, Errno.ENAMETOOLONG, "a socket path has 1 to " + SocketCalls.MAX_PATH_BYTES
                    + " bytes of UTF-8");
        }
        Path file = Path.of(path).toAbsolutePath();
        SocketFile.prepareDirectory(file.getParent(), operation);
        SocketFile.removeIfStale(file, operation);
        int fd = SocketCalls.seqpacketSocket(operation);
        try {
            SocketCalls.bind(fd, address, operation);
            SocketFile created = SocketFile.created(file, operation);
            SocketCalls.listen(fd, backlog, operation);
            return new SeqpacketListener(fd, created);
        } catch (OsException | RuntimeException e) {
            Native.close(fd);
            throw e;
        }
    }

    /**
     * The listening socket this process inherited as descriptor {@code fd} (from systemd: see
     * {@link #SYSTEMD_FIRST_DESCRIPTOR}); checked to be a listening AF_UNIX SEQPACKET socket, and
     * made close-on-exec so no child inherits it.
     */
    public static SeqpacketListener inherit(int fd) throws OsException {
        String operation = "inherited socket " + fd;
        if (SocketCalls.socketOption(fd, SocketCalls.SO_DOMAIN, operation) != SocketCalls.AF_UNIX
                || SocketCalls.socketOption(fd, SocketCalls.SO_TYPE, operation) != SocketCalls.SOCK_SEQPACKET) {
            throw OsException.fromErrno(operation, Errno.EINVAL, "not an AF_UNIX SOCK_SEQPACKET socket");
        }
        if (SocketCalls.socketOption(fd, SocketCalls.SO_ACCEPTCONN, operation) == 0) {
            throw OsException.fromErrno(operation, Errno.EINVAL, "not listening");
        }
        SocketCalls.setCloseOnExec(fd, operation);
        return new SeqpacketListener(fd, null);
    }

    /**
     * The next connection, waiting at most {@code waitMillis}; null when none came in that time
     * (so the caller can look at its own state between waits). A connection the peer abandoned
     * before it was accepted is skipped the same way.
     */
    public SeqpacketSocket accept(int waitMillis) throws OsException {
        int listening = fd();
        if (!SocketCalls.readable(listening, waitMillis, "poll listening socket")) {
            return null;
        }
        try {
            return new SeqpacketSocket(SocketCalls.accept(listening, "accept4"));
        } catch (OsException e) {
            if (e.errno() == Errno.ECONNABORTED || e.errno() == Errno.EAGAIN) {
                return null;
            }
            throw e;
        }
    }

    /** True if this listener created its socket file (and so may remove it). */
    public boolean ownsFile() {
        return file != null;
    }

    /**
     * Removes the socket file this listener created, if it is still that file: new connections
     * then find no socket. Connections already queued can still be accepted. Does nothing for
     * an inherited listener.
     */
    public synchronized void removeFile() {
        if (file != null) {
            file.removeIfOurs();
        }
    }

    /** Stops listening and removes the socket file as {@link #removeFile} does. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            removeFile();
            Native.close(fd);
        }
    }

    private synchronized int fd() {
        if (closed) {
            throw new IllegalStateException("listener is closed");
        }
        return fd;
    }
}
