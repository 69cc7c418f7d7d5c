package dev.jcni.core.os.socket;

import dev.jcni.core.os.OsException;
import dev.jcni.core.os.internal.DescriptorNumbers;
import dev.jcni.core.os.internal.Native;

/**
 * An open file descriptor this process owns: one that came with a socket message
 * ({@code SCM_RIGHTS}), or one opened to be sent with one. Closing it closes the descriptor;
 * closing again does nothing. The number itself stays inside the kernel layer
 * ({@link DescriptorNumbers}): other code passes the handle on (to a socket, or to
 * {@code NetNs.adopt}) and closes it.
 */
public final class Descriptor implements AutoCloseable {
    /** Read-only, never blocking on a FIFO, never becoming our terminal, closed on exec. */
    private static final int OPEN_FLAGS = Native.O_RDONLY | Native.O_CLOEXEC | Native.O_NONBLOCK | Native.O_NOCTTY;

    static {
        DescriptorNumbers.register(new DescriptorNumbers.Source() {
            @Override
            public int numberOf(Descriptor descriptor) {
                return descriptor.number();
            }
        });
    }

    private final int fd;
    private boolean closed;

    Descriptor(int fd) {
        this.fd = fd;
    }

    /** Opens {@code path} read-only, without blocking, to pass it to another process. */
    public static Descriptor openReadOnly(String path) throws OsException {
        return new Descriptor(Native.open(path, OPEN_FLAGS, "open " + path));
    }

    public synchronized boolean isOpen() {
        return !closed;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Native.close(fd);
        }
    }

    synchronized int number() {
        if (closed) {
            throw new IllegalStateException("descriptor " + fd + " is closed");
        }
        return fd;
    }

    @Override
    public String toString() {
        return "descriptor " + fd + (closed ? " (closed)" : "");
    }
}
