package dev.jcni.core.os.netns;

import dev.jcni.core.os.InvalidArgumentException;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.internal.Native;

/**
 * The fresh platform thread of one {@link NetNs#run}: enters the namespace by descriptor, runs
 * the task, records its value or failure, and exits.
 */
final class NamespaceThread<T, E extends Exception> extends Thread {
    private final String nsPath;
    private final int fd;
    private final NetNs.Task<T, E> task;
    private T value;
    private Throwable failure;

    NamespaceThread(String nsPath, int fd, NetNs.Task<T, E> task) {
        super("jcni-netns");
        this.nsPath = nsPath;
        this.fd = fd;
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
        String operation = "setns(CLONE_NEWNET) " + nsPath;
        try {
            Native.setns(fd, Native.CLONE_NEWNET, operation);
        } catch (InvalidArgumentException e) {
            throw NetNs.notANetworkNamespace(operation, nsPath, "setns refused it");
        }
    }

    /** Starts the thread, waits for it and returns the task's value or throws its failure. */
    T runToCompletion() throws E, OsException {
        start();
        joinUninterruptibly();
        return outcome();
    }

    /**
     * The task runs to completion once started: returning early on interrupt would leave it
     * changing a namespace the caller believes it is done with.
     */
    private void joinUninterruptibly() {
        boolean interrupted = false;
        while (true) {
            try {
                join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Called after join(), which makes the fields written by this thread visible. */
    private T outcome() throws E, OsException {
        Throwable t = failure;
        if (t == null) {
            return value;
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
        if (t instanceof Exception) {
            // The task declares only E and OsException, so this is its E (or something it
            // threw sneakily, which passes on just as unchanged).
            throw taskException((Exception) t);
        }
        throw new IllegalStateException("task in " + nsPath + " failed: " + t, t);
    }

    @SuppressWarnings("unchecked")
    private E taskException(Exception e) {
        return (E) e;
    }
}
