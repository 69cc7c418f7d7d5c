package dev.jcni.core.os.netns;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.InvalidArgumentException;
import dev.jcni.core.os.NotFoundException;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.internal.DescriptorNumbers;
import dev.jcni.core.os.internal.FileIdentity;
import dev.jcni.core.os.internal.NamespaceDescriptors;
import dev.jcni.core.os.internal.Native;
import dev.jcni.core.os.internal.SocketCalls;
import dev.jcni.core.os.socket.Descriptor;

/**
 * A network namespace, held open: a handle on an nsfs file ({@code /run/netns/x},
 * {@code /proc/<pid>/ns/net}) that runs code inside the namespace and tells namespaces apart.
 * Because the handle holds a descriptor, the namespace stays the same one however often it is
 * entered, even if its path is unmounted or reused meanwhile.
 *
 * <p>setns(2) moves only the calling OS thread, so each {@link #run} starts a fresh platform
 * thread, enters the namespace there, runs the task and lets the thread die. A dead Java thread's
 * pthread is never reused, so the namespace cannot leak into other work, and the caller's thread
 * never changes namespace. Never a pool, never a virtual thread (setns would move its carrier).
 *
 * <p>Inside the task, netlink sockets and {@code /proc/sys/net} follow the namespace;
 * {@code NetworkInterface}, {@code /sys/class/net} and {@code /proc/net} do not. The task must not
 * start threads: they would inherit the namespace and outlive the task's guarantees.
 *
 * <p>A handle is safe to share between threads; {@link #close} waits for no one, but the
 * descriptor is released only when the last {@link #run} in progress has finished.
 */
public final class NetNs implements AutoCloseable {
    /** The calling thread's own namespace: setns is per thread, so /proc/self would be the main thread's. */
    private static final String THREAD_OWN = "/proc/thread-self/ns/net";
    /**
     * O_NONBLOCK: opening a FIFO given as a namespace path must not wait for a writer; it then fails
     * the nsfs check below. O_NOCTTY: a terminal given as one must not become ours.
     */
    private static final int OPEN_FLAGS = Native.O_RDONLY | Native.O_CLOEXEC | Native.O_NONBLOCK | Native.O_NOCTTY;

    static {
        NamespaceDescriptors.register(new NamespaceDescriptors.Source() {
            @Override
            public int descriptorOf(NetNs ns) {
                return ns.descriptor();
            }
        });
    }

    /**
     * Work to do inside a namespace. {@code E} is the task's own checked exception (use
     * {@code RuntimeException} for none); it reaches the caller of {@code run} unchanged.
     */
    @FunctionalInterface
    public interface Task<T, E extends Exception> {
        T run() throws E, OsException;
    }

    private final String path;
    private final int fd;
    /** Guarded by this: runs in progress, so that close never pulls the descriptor from under one. */
    private int runs;
    private boolean closed;
    private FileIdentity identity;

    private NetNs(String path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /**
     * Opens the network namespace at {@code nsPath}. The file is checked to be a network
     * namespace before this returns, without blocking on whatever else it may be.
     *
     * <p>While a {@link NamespaceOverride} binds {@code nsPath} on the calling thread, the path is
     * not looked up: the handle is a duplicate of the bound one's descriptor.
     *
     * @throws NotFoundException if nothing is at the path
     * @throws InvalidArgumentException if something is there but it is not a network namespace
     *         (a regular file, a FIFO, another kind of namespace...)
     */
    public static NetNs open(String nsPath) throws OsException {
        if (nsPath == null || nsPath.isEmpty()) {
            throw new IllegalArgumentException("namespace path is empty");
        }
        NetNs bound = NamespaceOverride.lookup(nsPath);
        if (bound != null) {
            return bound.duplicate(nsPath);
        }
        return openPath(nsPath);
    }

    /**
     * A handle on the namespace behind {@code descriptor} (one received from another process),
     * named {@code name} in messages. The descriptor is checked to be a network namespace and
     * duplicated: the handle owns the duplicate, the caller still owns (and closes) {@code descriptor}.
     *
     * @throws InvalidArgumentException if it is not a network namespace
     */
    public static NetNs adopt(Descriptor descriptor, String name) throws OsException {
        String operation = "namespace descriptor " + name;
        int fd = SocketCalls.duplicate(DescriptorNumbers.of(descriptor), operation);
        try {
            requireNetworkNamespace(fd, name, operation);
            return new NetNs(name, fd);
        } catch (OsException | RuntimeException e) {
            Native.close(fd);
            throw e;
        }
    }

    /** A new handle on this namespace, named {@code name}, with a descriptor of its own. */
    private NetNs duplicate(String name) throws OsException {
        int own = acquire();
        try {
            return new NetNs(name, SocketCalls.duplicate(own, "duplicate namespace descriptor " + path));
        } finally {
            release();
        }
    }

    private static NetNs openPath(String nsPath) throws OsException {
        String operation = "open network namespace " + nsPath;
        int fd;
        try {
            fd = Native.open(nsPath, OPEN_FLAGS, operation);
        } catch (NotFoundException e) {
            if (e.errno() == Errno.ENXIO || e.errno() == Errno.ENODEV) {
                // A socket, or a device node without a driver: something is there, just not a namespace.
                throw notANetworkNamespace(operation, nsPath, Errno.description(e.errno()));
            }
            throw e;
        }
        try {
            requireNetworkNamespace(fd, nsPath, operation);
            return new NetNs(nsPath, fd);
        } catch (OsException | RuntimeException e) {
            Native.close(fd);
            throw e;
        }
    }

    /** The calling thread's own network namespace (inside a {@link #run} task: the one entered). */
    public static NetNs openCurrent() throws OsException {
        // Never through an override: a request's CNI_NETNS may be spelled as this very path.
        return openPath(THREAD_OWN);
    }

    /**
     * Opens {@code nsPath}, runs {@code task} in it as {@link #run(Task)} does, and closes it.
     * The task's own exception, OsException, RuntimeException or Error is rethrown as is.
     *
     * @throws NotFoundException if the path does not exist
     * @throws InvalidArgumentException if the path is not a network namespace
     */
    public static <T, E extends Exception> T run(String nsPath, Task<T, E> task) throws E, OsException {
        if (task == null) {
            throw new NullPointerException("task");
        }
        try (NetNs ns = open(nsPath)) {
            return ns.run(task);
        }
    }

    /**
     * True if something exists at {@code nsPath} (or a {@link NamespaceOverride} binds it). It
     * does not prove the path is a network namespace; {@link #open} checks that.
     */
    public static boolean exists(String nsPath) {
        return NamespaceIdentity.exists(nsPath);
    }

    /**
     * Runs {@code task} on a fresh platform thread that has entered this namespace, and returns
     * its value. The task's own exception, OsException, RuntimeException or Error is rethrown as
     * is. A handle can run any number of tasks, one after another or at once.
     *
     * @throws IllegalStateException if the handle is closed
     */
    public <T, E extends Exception> T run(Task<T, E> task) throws E, OsException {
        if (task == null) {
            throw new NullPointerException("task");
        }
        int descriptor = acquire();
        try {
            return new NamespaceThread<>(path, descriptor, task).runToCompletion();
        } finally {
            release();
        }
    }

    /**
     * True if both handles name the same namespace (same nsfs device and inode), whatever paths
     * they were opened from. {@code ns.sameNamespaceAs(own)}, with {@code own} from
     * {@link #openCurrent}, tells whether {@code ns} is the caller's own namespace.
     *
     * @throws IllegalStateException if either handle is closed
     */
    public boolean sameNamespaceAs(NetNs other) throws OsException {
        return identity().equals(other.identity());
    }

    /** The path this handle was opened from, for messages; the handle never opens it again. */
    public String path() {
        return path;
    }

    /** Releases the descriptor (once the runs in progress end). Closing again does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (runs == 0) {
            Native.close(fd);
        }
    }

    @Override
    public String toString() {
        return "network namespace " + path;
    }

    private synchronized int acquire() {
        requireOpen();
        runs++;
        return fd;
    }

    private synchronized void release() {
        runs--;
        if (closed && runs == 0) {
            Native.close(fd);
        }
    }

    /** Kernel layer only, through {@link NamespaceDescriptors}. */
    private synchronized int descriptor() {
        requireOpen();
        return fd;
    }

    private synchronized FileIdentity identity() throws OsException {
        requireOpen();
        if (identity == null) {
            identity = Native.identity(fd, "statx " + path);
        }
        return identity;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    /**
     * Checks the file behind {@code fd} is a network namespace: it must live on nsfs (so no ioctl
     * reaches a device or any other file), and nsfs must say it is of type CLONE_NEWNET.
     */
    private static void requireNetworkNamespace(int fd, String nsPath, String operation) throws OsException {
        if (Native.fileSystemType(fd, operation) != Native.NSFS_MAGIC) {
            throw notANetworkNamespace(operation, nsPath, "not a namespace file");
        }
        int type;
        try {
            type = Native.ioctl(fd, Native.NS_GET_NSTYPE, operation);
        } catch (OsException e) {
            if (e.errno() == Errno.ENOTTY) {
                // Kernels before 4.11 cannot tell; setns then rejects another type with EINVAL.
                return;
            }
            throw e;
        }
        if (type != Native.CLONE_NEWNET) {
            throw notANetworkNamespace(operation, nsPath, "a namespace of another type");
        }
    }

    static OsException notANetworkNamespace(String operation, String nsPath, String why) {
        return OsException.fromErrno(operation, Errno.EINVAL, nsPath + " is not a network namespace (" + why + ")");
    }
}
