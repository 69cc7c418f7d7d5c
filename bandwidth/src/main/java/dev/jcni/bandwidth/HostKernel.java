package dev.jcni.bandwidth;

import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netlink.Filter;
import dev.jcni.core.os.netlink.LinkInfo;
import dev.jcni.core.os.netlink.Psched;
import dev.jcni.core.os.netlink.Qdisc;
import dev.jcni.core.os.netlink.TcHandle;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What bandwidth reads and changes on the host, as a port: links (the sandbox's host veth, ifbs),
 * qdiscs and filters, in the plugin's own network namespace, the host's. {@link KernelHost} is the
 * real one (one rtnetlink socket for the request); unit tests use an in-memory fake. Failures are
 * the kernel layer's typed exceptions; the plugin turns them into CNI errors.
 */
interface HostKernel extends AutoCloseable {
    /**
     * The host end of the veth whose other end is {@code ifName} in the sandbox {@code netns}.
     *
     * @throws HostVethException why there is none (no namespace, no such interface, not a veth,
     *         its peer elsewhere, or the namespace is the host's own)
     */
    LinkInfo hostVethOf(String netns, String ifName) throws HostVethException, OsException;

    /** The scheduler clock requests are encoded with and CHECK compares in. */
    Psched clock() throws OsException;

    /** The link called {@code name}; NotFoundException when there is none. */
    LinkInfo link(String name) throws OsException;

    /** Every link of the host. */
    List<LinkInfo> links() throws OsException;

    /** Creates ifb {@code name} with {@code mtu}, sets its alias and brings it up; half-made, it is deleted again. */
    LinkInfo createIfb(String name, int mtu, String alias) throws OsException;

    void deleteLink(int index) throws OsException;

    /**
     * Deletes {@code links} while the caller goes on, and says how it went at
     * {@link LinkDeletion#await}. Here: one after the other, before returning; {@link KernelHost}
     * overlaps them with the caller's next steps, since the kernel answers a link's deletion only
     * after its RCU clean-up (an ifb: 8-16 ms measured here, most of a DEL's time), during which
     * it holds no lock that removing the host veth's qdiscs needs.
     */
    default LinkDeletion startDeleting(List<LinkInfo> links) {
        Map<LinkInfo, OsException> failures = new LinkedHashMap<>();
        for (LinkInfo link : links) {
            try {
                deleteLink(link.index());
            } catch (OsException e) {
                failures.put(link, e);
            }
        }
        return new LinkDeletion() {
            @Override
            public Map<LinkInfo, OsException> await() {
                return failures;
            }
        };
    }

    /** Deletions under way ({@link #startDeleting}). */
    interface LinkDeletion {
        /** Waits until every deletion was answered; the links whose deletion failed, with why (NotFoundException: gone meanwhile). */
        Map<LinkInfo, OsException> await();
    }

    /**
     * The qdisc at {@code parent} of device {@code ifindex} ({@link TcHandle#ROOT}: the root, a
     * default one with handle 0 when none was added; {@link TcHandle#INGRESS}: the ingress or
     * clsact qdisc), or null when there is none. Asked for directly, not by a dump of the host.
     */
    Qdisc qdiscAt(int ifindex, TcHandle parent) throws OsException;

    /** Adds {@code q}; ExistsException when its place is taken. */
    void addQdisc(Qdisc q) throws OsException;

    /** Deletes whatever qdisc is at {@code parent} of device {@code ifindex}; NotFoundException when there is none. */
    void deleteQdisc(int ifindex, TcHandle parent) throws OsException;

    /** The filters at {@code parent} of device {@code ifindex}, by priority. */
    List<Filter> filters(int ifindex, TcHandle parent) throws OsException;

    void addFilter(Filter f) throws OsException;

    @Override
    void close();
}
