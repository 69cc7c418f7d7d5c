package dev.jcni.bandwidth;

import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netlink.Filter;
import dev.jcni.core.os.netlink.LinkInfo;
import dev.jcni.core.os.netlink.Psched;
import dev.jcni.core.os.netlink.Qdisc;
import dev.jcni.core.os.netlink.TcHandle;
import java.util.List;

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
