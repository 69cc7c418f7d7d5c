package dev.jcni.core.os.netlink;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.ExistsException;
import dev.jcni.core.os.NotFoundException;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.internal.NamespaceDescriptors;
import dev.jcni.core.os.netns.NetNs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reads, creates, changes and deletes network interfaces through rtnetlink, in the namespace of
 * the given socket. Missing links raise {@link NotFoundException} (the kernel says ENODEV), names
 * in use {@link ExistsException}; every failure names the operation and the link.
 *
 * <p>Namespaces are given as {@link NetNs} handles; their descriptors reach the kernel
 * (IFLA_NET_NS_FD, NETNSA_FD) from here, never through the caller.
 */
public final class Links {
    /** Random veth peer names tried before giving up, as the reference plugins do. */
    static final int VETH_NAME_ATTEMPTS = 10;

    private final RtNetlink nl;
    private final Pacing pacing;

    public Links(RtNetlink nl) {
        this(nl, Pacing.SYSTEM);
    }

    Links(RtNetlink nl, Pacing pacing) {
        this.nl = nl;
        this.pacing = pacing;
    }

    /** The link called {@code name}; NotFoundException if there is none. */
    public LinkInfo byName(String name) throws OsException {
        return single(nl.request(LinkMessages.getByName(name), "RTM_GETLINK " + name), "RTM_GETLINK " + name);
    }

    /** The link with ifindex {@code index}; NotFoundException if there is none. */
    public LinkInfo byIndex(int index) throws OsException {
        String op = "RTM_GETLINK index " + index;
        return single(nl.request(LinkMessages.getByIndex(index), op), op);
    }

    /** Every link of the namespace, in the kernel's order (by index). */
    public List<LinkInfo> list() throws OsException {
        List<NetlinkMessage> parts = nl.dump(LinkMessages.dumpAll(), "RTM_GETLINK dump");
        List<LinkInfo> links = new ArrayList<>(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            LinkInfo l = LinkMessages.parse(parts.get(i));
            if (l != null) {
                links.add(l);
            }
        }
        return links;
    }

    /**
     * Sets one attribute of the link with ifindex {@code index}, any row of the table:
     * {@code links.set(index, LinkAttribute.MTU, 1400)}, {@code links.set(index, LinkAttribute.UP, true)},
     * {@code links.set(port, LinkAttribute.MASTER, bridge)} (0: no master, as {@code ip link set nomaster}).
     * The kernel's refusals arrive typed: an MTU out of the device's range or a multicast MAC is
     * an {@link dev.jcni.core.os.InvalidArgumentException}, a missing link a NotFoundException.
     */
    public <T> void set(int index, LinkAttribute<T> row, T value) throws OsException {
        change(LinkMessages.set(index, row, value), "RTM_NEWLINK set " + row.describe(value), index);
    }

    /**
     * Sets one bridge-port flag of the link with ifindex {@code index}, a port of a bridge:
     * {@code links.set(hostVeth, BridgePortAttribute.HAIRPIN, true)}. A link that is no bridge
     * port is refused by the kernel (EOPNOTSUPP or EINVAL).
     */
    public <T> void set(int index, BridgePortAttribute<T> row, T value) throws OsException {
        change(LinkMessages.setPort(index, row, value), "RTM_SETLINK bridge port " + row.describe(value), index);
    }

    /** Makes the link a port of {@code masterIndex} (a bridge): {@code ip link set dev X master BR}. */
    public void setMaster(int index, int masterIndex) throws OsException {
        set(index, LinkAttribute.MASTER, masterIndex);
    }

    /** Takes the link out of its bridge: {@code ip link set dev X nomaster}. */
    public void clearMaster(int index) throws OsException {
        change(LinkMessages.set(index, LinkAttribute.MASTER, 0), "RTM_NEWLINK set nomaster", index);
    }

    /**
     * Creates {@code link} (NLM_F_EXCL: an existing name is an ExistsException, nothing is
     * changed) and returns it as the kernel reports it. {@code create(NewLink.of("ifb", "ifb0"))}.
     */
    public LinkInfo create(NewLink link) throws OsException {
        if (link.kind() == null) {
            throw new IllegalArgumentException("a veth peer is created with its pair: createVethPair");
        }
        nl.request(LinkMessages.create(link, null, -1), "RTM_NEWLINK create " + link);
        return byName(link.name());
    }

    /**
     * Creates a veth pair: {@code end} here, {@code peer} directly in {@code peerNamespace} (null:
     * here too), in one request, so the peer never appears in this namespace. This is how the
     * reference bridge plugin creates a sandbox's interface: from inside the sandbox, the peer
     * landing in the host.
     *
     * <p>A peer without a name gets {@code veth} and 8 random hex digits; when that name is taken
     * in the peer's namespace another one is drawn, {@value #VETH_NAME_ATTEMPTS} attempts in all.
     * A taken name of {@code end}, or of a named peer, is an ExistsException at once.
     *
     * <p>The peer cannot be created up: the kernel configures it before the pair is joined and
     * refuses to open half a pair (ENOTCONN). Bring it up afterwards; {@code end} may be created up.
     *
     * @throws ExistsException a name is in use (or no random peer name was free)
     */
    public VethPair createVethPair(NewLink end, NewLink peer, NetNs peerNamespace) throws OsException {
        if (!"veth".equals(end.kind()) || peer.kind() != null) {
            throw new IllegalArgumentException("createVethPair(NewLink.veth(name), NewLink.vethPeer(name), namespace)");
        }
        if (Boolean.TRUE.equals(peer.get(LinkAttribute.UP))) {
            throw new IllegalArgumentException("a veth peer cannot be created up (the kernel says ENOTCONN): set it up afterwards");
        }
        int fd = peerNamespace == null ? -1 : NamespaceDescriptors.of(peerNamespace);
        String where = peerNamespace == null ? "" : " in " + peerNamespace.path();
        for (int attempt = 1; attempt <= VETH_NAME_ATTEMPTS; attempt++) {
            NewLink p = peer.name() != null ? peer : peer.named(randomVethName());
            String op = "RTM_NEWLINK create " + end + " with peer " + p.name() + where;
            try {
                nl.request(LinkMessages.create(end, p, fd), op);
            } catch (ExistsException e) {
                if (peer.name() != null || exists(end.name())) {
                    throw e;
                }
                continue; // the random peer name is taken over there: draw another
            }
            LinkInfo created;
            try {
                created = byName(end.name());
            } catch (OsException e) {
                deleteQuietly(end.name());
                throw e;
            }
            Integer peerIndex = created.get(LinkAttribute.LINK);
            return new VethPair(created, p.name(), peerIndex == null ? 0 : peerIndex);
        }
        throw OsException.fromErrno("RTM_NEWLINK create " + end + where, Errno.EEXIST,
                VETH_NAME_ATTEMPTS + " random peer names were all taken");
    }

    /** Deletes the link with ifindex {@code index} (a veth takes its peer along); NotFoundException if there is none. */
    public void delete(int index) throws OsException {
        nl.request(LinkMessages.delete(index), "RTM_DELLINK index " + index);
    }

    /** Deletes the link called {@code name}; NotFoundException if there is none. */
    public void delete(String name) throws OsException {
        nl.request(LinkMessages.deleteByName(name), "RTM_DELLINK " + name);
    }

    /**
     * Moves the link to another namespace, where it keeps its name (an ExistsException if the
     * name is taken there) and may get another index. Bridges cannot move (EINVAL).
     */
    public void moveTo(int index, NetNs namespace) throws OsException {
        change(LinkMessages.moveTo(index, NamespaceDescriptors.of(namespace)),
                "RTM_NEWLINK move to " + namespace.path(), index);
    }

    /**
     * The id this namespace gives {@code namespace} (what {@link LinkAttribute#LINK_NETNSID} of a
     * veth whose peer is there says), or -1 when it has given it none yet.
     */
    public int namespaceId(NetNs namespace) throws OsException {
        String op = "RTM_GETNSID " + namespace.path();
        List<NetlinkMessage> replies = nl.request(LinkMessages.getNamespaceId(NamespaceDescriptors.of(namespace)), op);
        for (int i = 0; i < replies.size(); i++) {
            Integer id = LinkMessages.parseNamespaceId(replies.get(i));
            if (id != null) {
                return id;
            }
        }
        throw OsException.fromErrno(op, Errno.EPROTO, "no RTM_NEWNSID in the reply");
    }

    /**
     * The veth end in this socket's namespace whose peer is {@code ifName} in {@code sandbox}:
     * the host veth of a sandbox interface. The sandbox end's IFLA_LINK names the peer's index;
     * the link at that index here must be a veth pointing back at the sandbox end, in the
     * namespace this one knows as the sandbox ({@link LinkAttribute#LINK_NETNSID} equal to
     * {@link #namespaceId}), so a same-numbered veth of another sandbox is never taken for it.
     *
     * <p>Reads the sandbox on a thread of its own ({@link NetNs#run}); do not call it from inside
     * a {@code NetNs.run} task.
     *
     * @throws NotFoundException no such interface in the sandbox, or its peer is not in this namespace
     * @throws dev.jcni.core.os.InvalidArgumentException the sandbox interface is not a veth
     */
    public LinkInfo vethPeerOf(NetNs sandbox, final String ifName) throws OsException {
        LinkInfo inside = sandbox.run(new NetNs.Task<LinkInfo, RuntimeException>() {
            @Override
            public LinkInfo run() throws OsException {
                try (RtNetlink there = RtNetlink.open()) {
                    return new Links(there).byName(ifName);
                }
            }
        });
        String op = "find the peer of " + ifName + " in " + sandbox.path();
        Integer peerIndex = inside.get(LinkAttribute.LINK);
        if (!"veth".equals(inside.kind()) || peerIndex == null) {
            throw OsException.fromErrno(op, Errno.EINVAL,
                    ifName + (inside.kind() == null ? " is not a veth" : " is a " + inside.kind() + ", not a veth"));
        }
        LinkInfo here;
        try {
            here = byIndex(peerIndex);
        } catch (NotFoundException e) {
            throw notHere(op, peerIndex);
        }
        // After the read above, which made the kernel give the sandbox an id here if it had none.
        int sandboxId = namespaceId(sandbox);
        Integer pointsTo = here.get(LinkAttribute.LINK);
        Integer pointsToNamespace = here.get(LinkAttribute.LINK_NETNSID);
        if (!"veth".equals(here.kind()) || pointsTo == null || pointsTo != inside.index()
                || pointsToNamespace == null || pointsToNamespace != sandboxId) {
            throw notHere(op, peerIndex);
        }
        return here;
    }

    private static OsException notHere(String op, int peerIndex) {
        return OsException.fromErrno(op, Errno.ENODEV, "its peer (index " + peerIndex + " in its namespace) is not in this one");
    }

    /**
     * Waits until the link is running ({@link LinkInfo#isRunning}: up, with carrier and an
     * operational state of up), polling it at a growing pace for at most {@code timeout}; returns
     * it as last read. A host veth is running once its sandbox end is up too.
     *
     * @throws OsException ETIMEDOUT naming the operational state when the link did not come up
     */
    public LinkInfo awaitRunning(int index, Duration timeout) throws OsException {
        String op = "wait for link index " + index + " to come up";
        Pacing.Deadline deadline = pacing.deadline(timeout, op);
        while (true) {
            LinkInfo link = byIndex(index);
            if (link.isRunning()) {
                return link;
            }
            if (deadline.passed()) {
                OperState state = link.get(LinkAttribute.OPERSTATE);
                throw OsException.fromErrno("wait for " + link.name() + " to come up", Errno.ETIMEDOUT,
                        "not up after " + deadline.timeout().toMillis() + " ms: operstate "
                                + (state == null ? "unknown" : state.text())
                                + ((link.flags() & LinkInfo.IFF_UP) == 0 ? ", administratively down" : ""));
            }
            deadline.pause();
        }
    }

    /** {@code veth} and 8 hex digits, as the reference's RandomVethName (4 random bytes). */
    static String randomVethName() {
        String hex = Integer.toHexString(ThreadLocalRandom.current().nextInt());
        return "veth" + "00000000".substring(hex.length()) + hex;
    }

    private boolean exists(String name) throws OsException {
        try {
            byName(name);
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private void deleteQuietly(String name) {
        try {
            delete(name);
        } catch (OsException ignored) {
            // The link was never seen; the caller gets the error that made us look.
        }
    }

    private void change(NetlinkMessageBuilder message, String what, int index) throws OsException {
        try {
            nl.request(message, what + " on index " + index);
        } catch (OsException e) {
            // Name the link in the error; looked up only now, so the success path costs one round trip.
            String name = nameOrNull(index);
            throw name == null ? e : e.withOperation(what + " on " + name);
        }
    }

    String nameOrNull(int index) {
        try {
            return byIndex(index).name();
        } catch (OsException e) {
            return null;
        }
    }

    private static LinkInfo single(List<NetlinkMessage> replies, String operation) throws OsException {
        for (int i = 0; i < replies.size(); i++) {
            LinkInfo l = LinkMessages.parse(replies.get(i));
            if (l != null) {
                return l;
            }
        }
        throw OsException.fromErrno(operation, Errno.EPROTO, "no RTM_NEWLINK in the reply");
    }
}
