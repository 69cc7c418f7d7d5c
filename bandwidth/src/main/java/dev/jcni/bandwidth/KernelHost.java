package dev.jcni.bandwidth;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.InvalidArgumentException;
import dev.jcni.core.os.NotFoundException;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netlink.Filter;
import dev.jcni.core.os.netlink.Filters;
import dev.jcni.core.os.netlink.LinkAttribute;
import dev.jcni.core.os.netlink.LinkInfo;
import dev.jcni.core.os.netlink.Links;
import dev.jcni.core.os.netlink.NewLink;
import dev.jcni.core.os.netlink.Psched;
import dev.jcni.core.os.netlink.Qdisc;
import dev.jcni.core.os.netlink.Qdiscs;
import dev.jcni.core.os.netlink.RtNetlink;
import dev.jcni.core.os.netlink.TcHandle;
import dev.jcni.core.os.netns.NetNs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** The real host: one rtnetlink socket in the plugin's own namespace, where the runtime runs it. */
final class KernelHost implements HostKernel {
    private static final long FIRST_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private final RtNetlink nl;
    private final Links links;
    private final Qdiscs qdiscs;
    private final Filters filters;

    private KernelHost(RtNetlink nl) throws OsException {
        this.nl = nl;
        this.links = new Links(nl);
        Psched clock = Psched.system();
        this.qdiscs = new Qdiscs(nl, clock);
        this.filters = new Filters(nl, clock);
    }

    static KernelHost open() throws OsException {
        RtNetlink nl = RtNetlink.open();
        try {
            return new KernelHost(nl);
        } catch (OsException | RuntimeException e) {
            nl.close();
            throw e;
        }
    }

    @Override
    public LinkInfo hostVethOf(String netns, String ifName) throws HostVethException, OsException {
        if (netns == null || netns.isEmpty()) {
            throw new HostVethException(HostVethException.Reason.NAMESPACE_GONE, "CNI_NETNS is empty");
        }
        NetNs sandbox;
        try {
            sandbox = NetNs.open(netns);
        } catch (NotFoundException e) {
            throw new HostVethException(HostVethException.Reason.NAMESPACE_GONE, "CNI_NETNS \"" + netns + "\" does not exist");
        } catch (OsException e) {
            throw new HostVethException(HostVethException.Reason.NAMESPACE_GONE, "cannot open CNI_NETNS \"" + netns + "\": "
                    + e.getMessage());
        }
        try {
            try (NetNs own = NetNs.openCurrent()) {
                if (sandbox.sameNamespaceAs(own)) {
                    throw new HostVethException(HostVethException.Reason.HOST_NAMESPACE, "CNI_NETNS \"" + netns
                            + "\" is the host's own network namespace");
                }
            }
            try {
                return links.vethPeerOf(sandbox, ifName);
            } catch (InvalidArgumentException e) {
                throw new HostVethException(HostVethException.Reason.NOT_A_VETH, e.getMessage());
            } catch (NotFoundException e) {
                // Either the sandbox has no such interface, or the peer is not here: ask which.
                if (!existsIn(sandbox, ifName)) {
                    throw new HostVethException(HostVethException.Reason.NO_INTERFACE, "no interface \"" + ifName
                            + "\" in " + netns);
                }
                throw new HostVethException(HostVethException.Reason.PEER_ELSEWHERE, e.getMessage());
            }
        } finally {
            sandbox.close();
        }
    }

    private static boolean existsIn(NetNs sandbox, String ifName) throws OsException {
        return sandbox.run(new NetNs.Task<Boolean, RuntimeException>() {
            @Override
            public Boolean run() throws OsException {
                try (RtNetlink there = RtNetlink.open()) {
                    new Links(there).byName(ifName);
                    return true;
                } catch (NotFoundException e) {
                    return false;
                }
            }
        });
    }

    @Override
    public Psched clock() throws OsException {
        return qdiscs.clock();
    }

    @Override
    public LinkInfo link(String name) throws OsException {
        return links.byName(name);
    }

    @Override
    public List<LinkInfo> links() throws OsException {
        return links.list();
    }

    @Override
    public LinkInfo createIfb(String name, int mtu, String alias) throws OsException {
        LinkInfo ifb = links.create(NewLink.of("ifb", name).set(LinkAttribute.MTU, mtu).set(LinkAttribute.UP, true));
        try {
            // The kernel ignores an alias in a create request: it is set on the link made.
            links.set(ifb.index(), LinkAttribute.ALIAS, alias);
        } catch (OsException | RuntimeException e) {
            try {
                links.delete(ifb.index());
            } catch (OsException ignored) {
                // The caller gets the error that stopped the creation.
            }
            throw e;
        }
        return ifb;
    }

    @Override
    public void deleteLink(int index) throws OsException {
        links.delete(index);
    }

    /**
     * Each link on a socket of its own, made here and so in this thread's namespace (a socket
     * keeps the one it was made in), from a thread of its own; a link whose socket cannot be had
     * is deleted on this one, before returning.
     */
    @Override
    public LinkDeletion startDeleting(List<LinkInfo> targets) {
        Map<LinkInfo, OsException> failures = new ConcurrentHashMap<>();
        List<Thread> deleters = new ArrayList<>(targets.size());
        for (LinkInfo target : targets) {
            RtNetlink own;
            try {
                own = RtNetlink.open();
            } catch (OsException e) {
                try {
                    links.delete(target.index());
                } catch (OsException failed) {
                    failures.put(target, failed);
                }
                continue;
            }
            Thread deleter = new Thread(new Runnable() {
                @Override
                public void run() {
                    try {
                        new Links(own).delete(target.index());
                    } catch (OsException e) {
                        failures.put(target, e);
                    } finally {
                        own.close();
                    }
                }
            }, "jcni-link-delete");
            deleter.setDaemon(true);
            deleter.start();
            deleters.add(deleter);
        }
        return new LinkDeletion() {
            @Override
            public Map<LinkInfo, OsException> await() {
                // The kernel takes a link out of the namespace (its name and index free, no
                // longer listed) before its RCU clean-up, and answers the deletion only after
                // that: 10-30 ms for an ifb, against about 1 ms to be gone. So the deletions are
                // done when every link is seen gone, or when the deleters have their answers; a
                // deleter still waiting for the kernel then ends on its own (in a plugin process,
                // the exit waits for it in the kernel).
                long pause = FIRST_POLL_NANOS;
                boolean interrupted = false;
                while (anyAlive(deleters)) {
                    if (allGone(targets)) {
                        return Map.of();
                    }
                    LockSupport.parkNanos(pause);
                    pause = Math.min(pause * 2, MAX_POLL_NANOS);
                    interrupted |= Thread.interrupted();
                }
                if (interrupted) {
                    // The deletions were sent: their answers are what the caller must report.
                    Thread.currentThread().interrupt();
                }
                return failures;
            }
        };
    }

    private static boolean anyAlive(List<Thread> threads) {
        for (Thread t : threads) {
            if (t.isAlive()) {
                return true;
            }
        }
        return false;
    }

    /** Whether none of {@code targets} is in the namespace any more (its index gone, or another link's now). */
    private boolean allGone(List<LinkInfo> targets) {
        for (LinkInfo target : targets) {
            try {
                if (links.byIndex(target.index()).name().equals(target.name())) {
                    return false;
                }
            } catch (NotFoundException gone) {
                // out of the namespace
            } catch (OsException e) {
                return false; // cannot tell: the deleter's answer will
            }
        }
        return true;
    }

    @Override
    public Qdisc qdiscAt(int ifindex, TcHandle parent) throws OsException {
        try {
            return qdiscs.get(ifindex, parent);
        } catch (NotFoundException e) {
            links.byIndex(ifindex); // a NotFoundException of its own when the device is gone
            return null;
        } catch (OsException e) {
            if (e.errno() != Errno.EPROTO) {
                throw e;
            }
            // A device that was never up has the built-in noop qdisc, which the kernel does not
            // report: it answers the request with a bare ACK. Nothing is there.
            links.byIndex(ifindex);
            return null;
        }
    }

    @Override
    public void addQdisc(Qdisc q) throws OsException {
        qdiscs.add(q);
    }

    @Override
    public void deleteQdisc(int ifindex, TcHandle parent) throws OsException {
        qdiscs.delete(ifindex, parent, TcHandle.UNSPEC);
    }

    @Override
    public List<Filter> filters(int ifindex, TcHandle parent) throws OsException {
        return filters.list(ifindex, parent);
    }

    @Override
    public void addFilter(Filter f) throws OsException {
        filters.add(f);
    }

    @Override
    public void close() {
        nl.close();
    }
}
