package dev.jcni.core.os.netns;

import dev.jcni.core.os.OsException;
import dev.jcni.core.os.internal.Native;
import dev.jcni.core.protocol.CniException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs code inside a network namespace.
 *
 * <p>setns(2) moves only the calling OS thread, so each {@link #run} starts a fresh platform
 * thread, enters the namespace there, runs the task and lets the thread die. A dead Java thread's
 * pthread is never reused, so the namespace cannot leak into other work, and the caller's thread
 * never changes namespace. Never a pool, never a virtual thread (setns would move its carrier).
 *
 * <p>Inside the task, netlink sockets and {@code /proc/sys/net} follow the namespace;
 * {@code NetworkInterface}, {@code /sys/class/net} and {@code /proc/net} do not. The task must not
 * start threads: they would inherit the namespace and outlive the task's guarantees.
 */
public final class NetNs {
    private NetNs() {}

    /** Work to do inside a namespace. */
    @FunctionalInterface
    public interface Task<T> {
        T run() throws CniException, OsException;
    }

    /**
     * Runs {@code task} on a fresh platform thread that has entered the network namespace at
     * {@code nsPath} ({@code /run/netns/x} or {@code /proc/<pid>/ns/net}) and returns its value.
     * The task's CniException, OsException, RuntimeException or Error is rethrown as is.
     *
     * @throws dev.jcni.core.os.NotFoundException if the path does not exist
     * @throws dev.jcni.core.os.InvalidArgumentException if the path is not a network namespace
     */
    public static <T> T run(String nsPath, Task<T> task) throws CniException, OsException {
        if (nsPath == null || nsPath.isEmpty()) {
            throw new IllegalArgumentException("namespace path is empty");
        }
        if (task == null) {
            throw new NullPointerException("task");
        }
        NamespaceThread<T> worker = new NamespaceThread<>(nsPath, task);
        worker.start();
        joinUninterruptibly(worker);
        return worker.outcome();
    }

    /**
     * True if something exists at {@code nsPath}. It does not prove the path is a network
     * namespace; {@link #run} checks that when it enters it.
     */
    public static boolean exists(String nsPath) {
        return nsPath != null && !nsPath.isEmpty() && Files.exists(Path.of(nsPath), java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * The task runs to completion once started: returning early on interrupt would leave it
     * changing a namespace the caller believes it is done with.
     */
    private static void joinUninterruptibly(Thread worker) {
        boolean interrupted = false;
        while (true) {
            try {
                worker.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Enters the namespace, runs the task, records its value or failure, and exits. */
    private static final class NamespaceThread<T> extends Thread {
        private final String nsPath;
        private final Task<T> task;
        private T value;
        private Throwable failure;

        NamespaceThread(String nsPath, Task<T> task) {
            super("jcni-netns");
            this.nsPath = nsPath;
            this.task = task;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                enter();
                value = task.run();
            } catch (Throwable t) {
                failure = t;
            }
        }

        private void enter() throws OsException {
            int fd = Native.open(nsPath, Native.O_RDONLY | Native.O_CLOEXEC, "open network namespace " + nsPath);
            try {
                Native.setns(fd, Native.CLONE_NEWNET, "setns(CLONE_NEWNET) " + nsPath,
                        nsPath + " is not a network namespace");
            } finally {
                Native.close(fd);
            }
        }

        /** Called after join(), which makes the fields written by this thread visible. */
        T outcome() throws CniException, OsException {
            Throwable t = failure;
            if (t == null) {
                return value;
            }
            if (t instanceof CniException) {
                throw (CniException) t;
            }
            if (t instanceof OsException) {
                throw (OsException) t;
            }
            if (t instanceof RuntimeException) {
                throw (RuntimeException) t;
            }
            if (t instanceof Error) {
                throw (Error) t;
            }
            // Only reachable through a sneaky throw of another checked exception.
            throw new IllegalStateException("task in " + nsPath + " failed: " + t, t);
        }
    }
}
