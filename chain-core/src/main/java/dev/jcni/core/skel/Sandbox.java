package dev.jcni.core.skel;

import dev.jcni.core.os.NotFoundException;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netns.NetNs;
import dev.jcni.core.protocol.CniException;

/**
 * Entering the sandbox of a request ({@code CNI_NETNS}), with the CNI errors every plugin gives
 * for it: the one place where a namespace failure becomes a protocol error.
 *
 * <ul>
 *   <li>{@link #run} (ADD, CHECK): a missing namespace is code 4
 *       ({@code CNI_NETNS "..." does not exist}); one that cannot be entered, or a kernel failure
 *       inside the task, is a plugin failure (100). The task's own CNI errors pass unchanged.</li>
 *   <li>{@link #runIfSandbox} (DEL): DEL must succeed however the namespace is, so nothing is an
 *       error: the task runs only in a real sandbox, never in the plugin's own (the host's)
 *       namespace, and the answer says which case it was.</li>
 * </ul>
 */
public final class Sandbox {
    /** Where a DEL's CNI_NETNS led. */
    public enum Presence {
        /** No namespace: CNI_NETNS empty, missing, or something that is not a network namespace. */
        GONE,
        /** The plugin's own network namespace, the host's: nothing may be restored there. */
        HOST,
        /** A sandbox: the task ran in it. */
        SANDBOX
    }

    private Sandbox() {}

    /** Runs {@code task} inside {@code inv.netns()} on a thread of its own, for ADD and CHECK. */
    public static <T> T run(Invocation inv, NetNs.Task<T, CniException> task) throws CniException {
        NetNs ns = open(inv.netns());
        try {
            return runIn(ns, task);
        } finally {
            ns.close();
        }
    }

    /**
     * For DEL: runs {@code task} inside {@code inv.netns()} if that is a sandbox, and says where
     * the namespace led. The host's own namespace (by device and inode, whatever the path's
     * spelling) is never entered; neither is one whose identity cannot be established.
     *
     * @throws CniException only the task's own errors, or a kernel failure inside it (100)
     */
    public static Presence runIfSandbox(Invocation inv, NetNs.Task<Void, CniException> task) throws CniException {
        String netns = inv.netns();
        if (netns == null || netns.isEmpty()) {
            return Presence.GONE;
        }
        NetNs ns;
        try {
            ns = NetNs.open(netns);
        } catch (NotFoundException e) {
            Log.info("sandbox namespace " + netns + " is gone");
            return Presence.GONE;
        } catch (OsException e) {
            Log.warn("cannot open sandbox namespace " + netns + ": " + e.getMessage());
            return Presence.GONE;
        }
        try {
            if (isOwnNamespace(ns)) {
                return Presence.HOST;
            }
            runIn(ns, task);
            return Presence.SANDBOX;
        } finally {
            ns.close();
        }
    }

    private static boolean isOwnNamespace(NetNs ns) {
        try (NetNs own = NetNs.openCurrent()) {
            return ns.sameNamespaceAs(own);
        } catch (OsException e) {
            // Unknown identity: treated as the host's, so nothing is changed on a guess.
            Log.warn("cannot tell whether " + ns.path() + " is the host's namespace: " + e.getMessage());
            return true;
        }
    }

    private static NetNs open(String netns) throws CniException {
        if (netns == null || netns.isEmpty()) {
            throw new CniException(CniException.INVALID_ENVIRONMENT, "CNI_NETNS is empty");
        }
        try {
            return NetNs.open(netns);
        } catch (NotFoundException e) {
            throw new CniException(CniException.INVALID_ENVIRONMENT, "CNI_NETNS \"" + netns + "\" does not exist", e.getMessage());
        } catch (OsException e) {
            throw new CniException(CniException.PLUGIN_FAILURE, "cannot enter the sandbox namespace " + netns, e.getMessage(), e);
        }
    }

    private static <T> T runIn(NetNs ns, NetNs.Task<T, CniException> task) throws CniException {
        try {
            return ns.run(task);
        } catch (OsException e) {
            throw new CniException(CniException.PLUGIN_FAILURE, "kernel operation failed in the sandbox " + ns.path(),
                    e.getMessage(), e);
        }
    }
}
