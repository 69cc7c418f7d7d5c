package dev.jcni.bandwidth;

import dev.jcni.core.net.MacAddress;
import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netlink.Filter;
import dev.jcni.core.os.netlink.LinkAttribute;
import dev.jcni.core.os.netlink.LinkInfo;
import dev.jcni.core.os.netlink.Psched;
import dev.jcni.core.os.netlink.Qdisc;
import dev.jcni.core.os.netlink.QdiscTbf;
import dev.jcni.core.os.netlink.TcHandle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-memory host for unit tests: links, qdiscs and filters with the kernel's rules that matter
 * here (a taken place is EEXIST, a missing thing ENOENT/ENODEV, filters need a clsact, deleting a
 * link or a clsact takes what hangs from it along, TBFs read back in ticks as a dump reports
 * them). Sandboxes are a table: (netns, ifname) to a host veth, or to the reason there is none.
 * Any operation can be made to fail ({@link #failOn}); every change is logged ({@link #changes}).
 */
final class FakeHost implements HostKernel {
    static final Psched CLOCK = Psched.standard();

    private static final class Link {
        final int index;
        final String name;
        final String kind;
        int mtu;
        String alias;
        boolean up;
        final MacAddress mac;

        Link(int index, String name, String kind, int mtu) {
            this.index = index;
            this.name = name;
            this.kind = kind;
            this.mtu = mtu;
            this.mac = MacAddress.fromBytes(new byte[] {2, 0, 0, 0, 0, (byte) index});
        }

        LinkInfo info() {
            LinkInfo.Builder b = new LinkInfo.Builder(index).kind(kind).set(LinkAttribute.NAME, name).set(LinkAttribute.MTU, mtu)
                    .set(LinkAttribute.MAC, mac).flags(up ? LinkInfo.IFF_UP : 0);
            if (alias != null && !alias.isEmpty()) {
                b.set(LinkAttribute.ALIAS, alias);
            }
            return b.build();
        }
    }

    private final Map<Integer, Link> links = new LinkedHashMap<>();
    /** By ifindex, then parent (ROOT or INGRESS). */
    private final Map<Integer, Map<TcHandle, Qdisc>> qdiscs = new LinkedHashMap<>();
    /** By ifindex and parent hook. */
    private final Map<String, List<Filter>> filters = new LinkedHashMap<>();
    private final Map<String, Object> sandboxes = new LinkedHashMap<>();
    final List<String> changes = new ArrayList<>();
    private int nextIndex = 10;
    private int nextFilterHandle = 0x800;
    /** Operation -> {calls left before it fails, the failure}; an OsException or a RuntimeException. */
    private final Map<String, Object[]> failures = new LinkedHashMap<>();
    boolean closed;
    int opened;

    /** A veth end on the host whose peer is {@code ifName} in sandbox {@code netns}. */
    LinkInfo addVeth(String hostName, String netns, String ifName, int mtu) {
        Link l = new Link(nextIndex++, hostName, "veth", mtu);
        l.up = true;
        links.put(l.index, l);
        sandboxes.put(netns + "/" + ifName, l.index);
        return l.info();
    }

    /** Any other link (someone's ifb, a dummy), with an alias or none. */
    LinkInfo addLink(String name, String kind, String alias) {
        Link l = new Link(nextIndex++, name, kind, 1500);
        l.alias = alias;
        links.put(l.index, l);
        return l.info();
    }

    /** Makes {@code hostVethOf(netns, ifName)} fail for {@code reason}. */
    void noVeth(String netns, String ifName, HostVethException.Reason reason) {
        sandboxes.put(netns + "/" + ifName, reason);
    }

    /**
     * The {@code nth} (1-based) call of operation {@code op} (createIfb, addQdisc, addFilter,
     * deleteLink, deleteQdisc...) fails with {@code e}: an OsException as the kernel's, or a
     * RuntimeException as a bug below the plugin. Several operations may be set to fail.
     */
    void failOn(String op, int nth, Exception e) {
        failures.put(op, new Object[] {nth, e});
    }

    private void maybeFail(String op) throws OsException {
        Object[] f = failures.get(op);
        if (f == null) {
            return;
        }
        int left = (Integer) f[0] - 1;
        f[0] = left;
        if (left == 0) {
            failures.remove(op);
            if (f[1] instanceof RuntimeException) {
                throw (RuntimeException) f[1];
            }
            throw (OsException) f[1];
        }
    }

    // --- what a test looks at ------------------------------------------------------------------

    /** Everything on the host, as text, for comparing before and after. */
    String snapshot() {
        StringBuilder sb = new StringBuilder();
        for (Link l : links.values()) {
            sb.append(l.info()).append('\n');
            Map<TcHandle, Qdisc> q = qdiscs.get(l.index);
            if (q != null) {
                for (Qdisc d : q.values()) {
                    sb.append("  ").append(d).append('\n');
                }
            }
            for (Map.Entry<String, List<Filter>> e : filters.entrySet()) {
                if (e.getKey().startsWith(l.index + "@")) {
                    for (Filter f : e.getValue()) {
                        sb.append("  ").append(f).append('\n');
                    }
                }
            }
        }
        return sb.toString();
    }

    LinkInfo linkOrNull(String name) {
        for (Link l : links.values()) {
            if (l.name.equals(name)) {
                return l.info();
            }
        }
        return null;
    }

    Qdisc qdiscOrNull(int ifindex, TcHandle parent) {
        Map<TcHandle, Qdisc> q = qdiscs.get(ifindex);
        return q == null ? null : q.get(parent);
    }

    List<Filter> filtersAt(int ifindex, TcHandle hook) {
        List<Filter> f = filters.get(ifindex + "@" + hook);
        return f == null ? List.of() : List.copyOf(f);
    }

    /** Changes a qdisc behind the plugin's back, as {@code tc qdisc change} would. */
    void replaceQdisc(Qdisc q) {
        qdiscs.get(q.ifindex()).put(q.parent(), report(q));
    }

    void removeFilters(int ifindex, TcHandle hook) {
        filters.remove(ifindex + "@" + hook);
    }

    void setUp(String name, boolean up) {
        byName(name).up = up;
    }

    void setMtu(String name, int mtu) {
        byName(name).mtu = mtu;
    }

    void setAlias(String name, String alias) {
        byName(name).alias = alias;
    }

    private Link byName(String name) {
        for (Link l : links.values()) {
            if (l.name.equals(name)) {
                return l;
            }
        }
        throw new IllegalArgumentException(name);
    }

    // --- HostKernel ----------------------------------------------------------------------------

    @Override
    public LinkInfo hostVethOf(String netns, String ifName) throws HostVethException, OsException {
        maybeFail("hostVethOf");
        Object v = sandboxes.get(netns + "/" + ifName);
        if (v == null) {
            throw new HostVethException(HostVethException.Reason.NAMESPACE_GONE, "CNI_NETNS \"" + netns + "\" does not exist");
        }
        if (v instanceof HostVethException.Reason) {
            throw new HostVethException((HostVethException.Reason) v, "fake: " + v);
        }
        Link l = links.get((Integer) v);
        if (l == null) {
            throw new HostVethException(HostVethException.Reason.PEER_ELSEWHERE, "fake: the host end is gone");
        }
        return l.info();
    }

    @Override
    public Psched clock() {
        return CLOCK;
    }

    @Override
    public LinkInfo link(String name) throws OsException {
        maybeFail("link");
        LinkInfo l = linkOrNull(name);
        if (l == null) {
            throw OsException.fromErrno("RTM_GETLINK " + name, Errno.ENODEV);
        }
        return l;
    }

    @Override
    public List<LinkInfo> links() throws OsException {
        maybeFail("links");
        List<LinkInfo> out = new ArrayList<>();
        for (Link l : links.values()) {
            out.add(l.info());
        }
        return out;
    }

    @Override
    public LinkInfo createIfb(String name, int mtu, String alias) throws OsException {
        maybeFail("createIfb");
        if (linkOrNull(name) != null) {
            throw OsException.fromErrno("RTM_NEWLINK create ifb " + name, Errno.EEXIST);
        }
        Link l = new Link(nextIndex++, name, "ifb", mtu);
        l.alias = alias;
        l.up = true;
        links.put(l.index, l);
        changes.add("create ifb " + name);
        return l.info();
    }

    @Override
    public void deleteLink(int index) throws OsException {
        maybeFail("deleteLink");
        Link l = links.remove(index);
        if (l == null) {
            throw OsException.fromErrno("RTM_DELLINK index " + index, Errno.ENODEV);
        }
        qdiscs.remove(index);
        filters.keySet().removeIf(k -> k.startsWith(index + "@"));
        changes.add("delete link " + l.name);
    }

    @Override
    public Qdisc qdiscAt(int ifindex, TcHandle parent) throws OsException {
        maybeFail("qdiscAt");
        if (!links.containsKey(ifindex)) {
            throw OsException.fromErrno("RTM_GETQDISC on index " + ifindex, Errno.ENODEV);
        }
        return qdiscOrNull(ifindex, parent);
    }

    @Override
    public void addQdisc(Qdisc q) throws OsException {
        maybeFail("addQdisc");
        if (!links.containsKey(q.ifindex())) {
            throw OsException.fromErrno("RTM_NEWQDISC on index " + q.ifindex(), Errno.ENODEV);
        }
        Map<TcHandle, Qdisc> on = qdiscs.computeIfAbsent(q.ifindex(), k -> new LinkedHashMap<>());
        if (on.containsKey(q.parent())) {
            throw OsException.fromErrno("RTM_NEWQDISC add " + q, Errno.EEXIST);
        }
        on.put(q.parent(), report(q));
        changes.add("add " + q.kind() + " on " + links.get(q.ifindex()).name);
    }

    /** The qdisc as a dump would read it back: TBF buckets in ticks. */
    private static Qdisc report(Qdisc q) {
        if (!"tbf".equals(q.kind())) {
            return q;
        }
        return new Qdisc(q.ifindex(), q.handle(), q.parent(), QdiscTbf.reported(q.options(), CLOCK));
    }

    @Override
    public void deleteQdisc(int ifindex, TcHandle parent) throws OsException {
        maybeFail("deleteQdisc");
        Map<TcHandle, Qdisc> on = qdiscs.get(ifindex);
        if (on == null || on.remove(parent) == null) {
            throw OsException.fromErrno("RTM_DELQDISC parent " + parent + " on index " + ifindex, Errno.ENOENT);
        }
        if (parent.equals(TcHandle.INGRESS)) {
            filters.keySet().removeIf(k -> k.startsWith(ifindex + "@"));
        }
        changes.add("delete qdisc " + parent + " of " + links.get(ifindex).name);
    }

    @Override
    public List<Filter> filters(int ifindex, TcHandle parent) throws OsException {
        maybeFail("filters");
        if (qdiscOrNull(ifindex, TcHandle.INGRESS) == null) {
            throw OsException.fromErrno("RTM_GETTFILTER dump parent " + parent, Errno.EINVAL);
        }
        return filtersAt(ifindex, parent);
    }

    @Override
    public void addFilter(Filter f) throws OsException {
        maybeFail("addFilter");
        Qdisc hook = qdiscOrNull(f.ifindex(), TcHandle.INGRESS);
        boolean clsact = hook != null && "clsact".equals(hook.kind())
                && (f.parent().equals(TcHandle.CLSACT_INGRESS) || f.parent().equals(TcHandle.CLSACT_EGRESS));
        boolean ingress = hook != null && "ingress".equals(hook.kind()) && f.parent().equals(TcHandle.INGRESS_QDISC);
        if (!clsact && !ingress) {
            throw OsException.fromErrno("RTM_NEWTFILTER " + f, Errno.EINVAL);
        }
        filters.computeIfAbsent(f.ifindex() + "@" + f.parent(), k -> new ArrayList<>()).add(f.withHandle(nextFilterHandle++));
        changes.add("add filter prio " + f.priority() + " on " + links.get(f.ifindex()).name);
    }

    @Override
    public void close() {
        closed = true;
    }
}
