package dev.jcni.bandwidth;

import dev.jcni.core.os.NotFoundException;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netlink.Filter;
import dev.jcni.core.os.netlink.LinkAttribute;
import dev.jcni.core.os.netlink.LinkInfo;
import dev.jcni.core.os.netlink.Psched;
import dev.jcni.core.os.netlink.Qdisc;
import dev.jcni.core.os.netlink.QdiscIngress;
import dev.jcni.core.os.netlink.TcHandle;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.skel.Log;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Bandwidth's work on the host for one attachment: make a {@link ShapingPlan} real with undo,
 * compare the host with it (CHECK), and take an attachment's shaping away (DEL). Kernel failures
 * become CNI errors here; finding the host veth is the verbs'.
 */
final class ShapingSession {
    static final int HANDLE_MAJOR = 1;
    private static final TcHandle TBF_HANDLE = TcHandle.qdisc(HANDLE_MAJOR);

    private final HostKernel host;
    private final Psched clock;
    /** What the last {@link #add} made, to take back when the request fails after it. */
    private Undo made = new Undo();

    ShapingSession(HostKernel host) throws OsException {
        this.host = host;
        this.clock = host.clock();
    }

    /**
     * Makes the plan real and returns the ifbs it made, in plan order. Everything is looked at
     * before the first change: a host veth already shaped exactly so (an ADD repeated) is success
     * without a change; shaped otherwise, or an ifb name held by a link that is not this
     * attachment's, fails with nothing changed. This attachment's own leftover ifbs (from an ADD
     * that died) are replaced. A failing step undoes the steps before it; the steps of an add that
     * succeeded stay recorded for {@link #undo}.
     */
    List<LinkInfo> add(ShapingPlan plan) throws CniException {
        List<LinkInfo> leftovers = lookBeforeChanging(plan);
        if (leftovers == null) {
            Log.info("the host veth of " + plan.attachment() + " is shaped as configured already");
            return existingIfbs(plan);
        }
        for (LinkInfo stale : leftovers) {
            Log.info("replacing " + stale.name() + ", an ifb an earlier ADD of " + plan.attachment() + " left behind");
            try {
                host.deleteLink(stale.index());
            } catch (NotFoundException gone) {
                // Gone meanwhile: nothing to replace.
            } catch (OsException e) {
                throw failure("cannot delete the leftover ifb " + stale.name(), e);
            }
        }
        Undo undo = new Undo();
        made = undo;
        String step = null;
        try {
            List<LinkInfo> ifbs = new ArrayList<>();
            LinkInfo veth = plan.veth();
            int mtu = ShapingPlan.mtuOf(veth);
            for (ShapingPlan.Shaper s : plan.shapers()) {
                if (!s.onIfb()) {
                    continue;
                }
                step = "create ifb " + s.ifbName();
                LinkInfo ifb = host.createIfb(s.ifbName(), mtu, plan.attachment().alias());
                undo.deleteLink(ifb);
                step = "create the " + s.direction().key() + " tbf on " + s.ifbName();
                host.addQdisc(Qdisc.root(ifb.index(), HANDLE_MAJOR, s.tbf()));
                ifbs.add(ifb);
            }
            ShapingPlan.Shaper root = plan.vethRootShaper();
            if (root != null) {
                step = "create the ingress tbf on host veth " + veth.name();
                host.addQdisc(Qdisc.root(veth.index(), HANDLE_MAJOR, root.tbf()));
                undo.deleteQdisc(veth.index(), TcHandle.ROOT, "tbf of " + veth.name());
            }
            if (plan.needsClsact()) {
                step = "create the clsact qdisc on host veth " + veth.name();
                host.addQdisc(QdiscIngress.clsact(veth.index()));
                undo.deleteQdisc(veth.index(), TcHandle.INGRESS, "clsact of " + veth.name());
                int i = 0;
                for (ShapingPlan.Shaper s : plan.shapers()) {
                    if (s.onIfb()) {
                        LinkInfo ifb = ifbs.get(i++);
                        for (Filter f : plan.rules(s, ifb.index())) {
                            step = "add filter " + Steering.describe(f, ifb.name()) + " on host veth " + veth.name();
                            host.addFilter(f);
                        }
                    }
                }
            }
            return ifbs;
        } catch (OsException e) {
            undo.run();
            throw failure("cannot " + step + " for " + plan.attachment(), e);
        } catch (RuntimeException e) {
            undo.run();
            throw e;
        }
    }

    /** Takes back what the last {@link #add} made (nothing when it found the shaping in place or undid itself). */
    void undo() {
        made.run();
    }

    /**
     * The host as it stands against the plan. Returns null when the plan is in place already,
     * else this attachment's leftover ifbs (maybe none); fails, changing nothing, when something
     * else stands in the way.
     */
    private List<LinkInfo> lookBeforeChanging(ShapingPlan plan) throws CniException {
        LinkInfo veth = plan.veth();
        List<String> inTheWay = new ArrayList<>();
        List<LinkInfo> leftovers = new ArrayList<>();
        boolean shaped = false;
        try {
            Qdisc root = host.qdiscAt(veth.index(), TcHandle.ROOT);
            boolean rootTaken = root != null && !root.handle().equals(TcHandle.UNSPEC);
            if (rootTaken && plan.vethRootShaper() != null) {
                shaped = true;
            } else if (rootTaken && "tbf".equals(root.kind())) {
                // Another configuration's ingress shaper: this one would shape that traffic twice.
                inTheWay.add("host veth " + veth.name() + " has a tbf at its root that this configuration does not set"
                        + " (DEL the attachment first)");
            }
            Qdisc hook = host.qdiscAt(veth.index(), TcHandle.INGRESS);
            if (hook != null && plan.needsClsact()) {
                shaped = true;
            }
            for (ShapingPlan.Shaper s : plan.shapers()) {
                if (!s.onIfb()) {
                    continue;
                }
                LinkInfo link = linkOrNull(s.ifbName());
                if (link == null) {
                    continue;
                }
                if ("ifb".equals(link.kind()) && plan.attachment().owns(link.get(LinkAttribute.ALIAS))) {
                    leftovers.add(link);
                } else {
                    inTheWay.add("a link called " + s.ifbName() + " exists and is not this attachment's ifb (kind "
                            + link.kind() + ", alias " + quoted(link.get(LinkAttribute.ALIAS)) + ")");
                }
            }
        } catch (OsException e) {
            throw failure("cannot read the host veth " + veth.name() + " of " + plan.attachment(), e);
        }
        if (!inTheWay.isEmpty()) {
            throw new CniException(CniException.PLUGIN_FAILURE, "cannot shape " + plan.attachment(), String.join("; ", inTheWay));
        }
        if (!shaped) {
            return leftovers;
        }
        List<String> drift = drift(plan);
        if (drift.isEmpty()) {
            return null;
        }
        throw new CniException(CniException.PLUGIN_FAILURE, "host veth " + veth.name() + " of " + plan.attachment()
                + " is shaped already, not as configured: DEL the attachment first", String.join("; ", drift));
    }

    private List<LinkInfo> existingIfbs(ShapingPlan plan) throws CniException {
        List<LinkInfo> out = new ArrayList<>();
        for (ShapingPlan.Shaper s : plan.shapers()) {
            if (s.onIfb()) {
                try {
                    out.add(host.link(s.ifbName()));
                } catch (OsException e) {
                    throw failure("cannot read ifb " + s.ifbName(), e);
                }
            }
        }
        return out;
    }

    /** Every way the host differs from the plan, in words; empty when it matches. */
    List<String> drift(ShapingPlan plan) throws CniException {
        try {
            return new DriftCheck(host, clock, plan).drift();
        } catch (OsException e) {
            throw failure("cannot read the shaping of " + plan.attachment(), e);
        }
    }

    /**
     * Takes an attachment's shaping away: the host veth's clsact (or the reference's ingress)
     * qdisc when it redirects to one of the attachment's ifbs, a TBF at the veth's root, then the
     * ifbs (this attachment's by name and alias, and the reference's ifb for this container, which
     * carries no alias). {@code veth} may be null (the sandbox is gone): then only the ifbs. What
     * is not there is fine; an ifb that cannot be deleted is an error, so the runtime tries again.
     */
    void remove(Attachment attachment, LinkInfo veth) throws CniException {
        List<LinkInfo> ifbs = ownIfbs(attachment);
        // Which of the veth's qdiscs are ours is read before the ifbs go: a redirect to a deleted
        // ifb no longer names it. Their removal then overlaps the ifbs' deletion.
        List<VethQdisc> hooks = veth == null ? List.of() : ownQdiscsOf(veth, ifbs);
        HostKernel.LinkDeletion deletion = host.startDeleting(ifbs);
        Map<LinkInfo, OsException> failures;
        try {
            deleteQdiscs(veth, hooks);
        } finally {
            failures = deletion.await();
        }
        List<String> failed = new ArrayList<>();
        for (LinkInfo ifb : ifbs) {
            OsException e = failures.get(ifb);
            if (e == null) {
                Log.info("deleted ifb " + ifb.name() + " of " + attachment);
            } else if (!(e instanceof NotFoundException)) {
                // NotFoundException: deleted meanwhile.
                failed.add(ifb.name() + ": " + e.getMessage());
            }
        }
        if (!failed.isEmpty()) {
            throw new CniException(CniException.PLUGIN_FAILURE, "cannot delete the ifb of " + attachment, String.join("; ", failed));
        }
    }

    private List<LinkInfo> ownIfbs(Attachment attachment) throws CniException {
        List<LinkInfo> out = new ArrayList<>();
        try {
            for (Direction d : Direction.values()) {
                LinkInfo link = linkOrNull(attachment.ifbName(d));
                if (link == null) {
                    continue;
                }
                String alias = link.get(LinkAttribute.ALIAS);
                // No alias: made by us and the ADD died before marking it (the name is this attachment's).
                if ("ifb".equals(link.kind()) && (alias == null || alias.isEmpty() || attachment.owns(alias))) {
                    out.add(link);
                } else {
                    Log.warn("link " + link.name() + " is named like an ifb of " + attachment + " but is not one (kind "
                            + link.kind() + ", alias " + quoted(alias) + "): left alone");
                }
            }
            LinkInfo reference = linkOrNull(attachment.referenceIfbName());
            String alias = reference == null ? null : reference.get(LinkAttribute.ALIAS);
            if (reference != null && "ifb".equals(reference.kind()) && (alias == null || alias.isEmpty())) {
                Log.info(reference.name() + " is the reference plugin's ifb for this container: deleting it too");
                out.add(reference);
            }
        } catch (OsException e) {
            throw failure("cannot look for the ifbs of " + attachment, e);
        }
        return out;
    }

    /**
     * The veth's qdiscs that are this attachment's: its ingress hook when it redirects to one of
     * {@code ifbs}, its root when it is our tbf. Best effort, like {@link #deleteQdiscs}: the veth
     * goes with its sandbox anyway; what cannot be read is logged.
     */
    private List<VethQdisc> ownQdiscsOf(LinkInfo veth, List<LinkInfo> ifbs) {
        List<VethQdisc> own = new ArrayList<>();
        try {
            Qdisc hook = host.qdiscAt(veth.index(), TcHandle.INGRESS);
            if (hook != null && redirectsToAny(veth.index(), hook, ifbs)) {
                own.add(new VethQdisc(TcHandle.INGRESS, "the " + hook.kind() + " qdisc"));
            }
            Qdisc root = host.qdiscAt(veth.index(), TcHandle.ROOT);
            if (root != null && "tbf".equals(root.kind()) && root.handle().equals(TBF_HANDLE)) {
                own.add(new VethQdisc(TcHandle.ROOT, "the tbf"));
            }
        } catch (NotFoundException gone) {
            Log.info("host veth " + veth.name() + " is gone");
        } catch (OsException e) {
            Log.warn("cannot remove the shaping of host veth " + veth.name() + ": " + e.getMessage());
        }
        return own;
    }

    private void deleteQdiscs(LinkInfo veth, List<VethQdisc> own) {
        try {
            for (VethQdisc q : own) {
                host.deleteQdisc(veth.index(), q.place());
                Log.info("deleted " + q.name() + " of host veth " + veth.name());
            }
        } catch (NotFoundException gone) {
            Log.info("host veth " + veth.name() + " is gone");
        } catch (OsException e) {
            Log.warn("cannot remove the shaping of host veth " + veth.name() + ": " + e.getMessage());
        }
    }

    private boolean redirectsToAny(int vethIndex, Qdisc hook, List<LinkInfo> ifbs) throws OsException {
        TcHandle[] parents = "clsact".equals(hook.kind())
                ? new TcHandle[] {TcHandle.CLSACT_INGRESS, TcHandle.CLSACT_EGRESS}
                : new TcHandle[] {TcHandle.INGRESS_QDISC};
        for (TcHandle parent : parents) {
            for (Filter f : host.filters(vethIndex, parent)) {
                int target = Steering.redirectTarget(f);
                for (LinkInfo ifb : ifbs) {
                    if (target == ifb.index()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private LinkInfo linkOrNull(String name) throws OsException {
        try {
            return host.link(name);
        } catch (NotFoundException e) {
            return null;
        }
    }

    static String quoted(String s) {
        return s == null ? "none" : "\"" + s + "\"";
    }

    private static CniException failure(String msg, OsException e) {
        return new CniException(CniException.PLUGIN_FAILURE, msg, e.getMessage(), e);
    }

    /** One of the host veth's qdiscs this attachment owns: where it sits, and how the log names it. */
    private record VethQdisc(TcHandle place, String name) {}

    /** One change to take back: a link to delete (parent null), or the qdisc at {@code parent} of {@code ifindex}. */
    private record UndoStep(String what, int ifindex, TcHandle parent) {}

    /** The steps to take back, last first; each failure is logged and the rest still run. */
    private final class Undo {
        private final List<UndoStep> steps = new ArrayList<>();

        void deleteLink(LinkInfo link) {
            steps.add(new UndoStep("ifb " + link.name(), link.index(), null));
        }

        void deleteQdisc(int ifindex, TcHandle parent, String what) {
            steps.add(new UndoStep(what, ifindex, parent));
        }

        void run() {
            for (int i = steps.size() - 1; i >= 0; i--) {
                UndoStep s = steps.get(i);
                try {
                    if (s.parent() == null) {
                        host.deleteLink(s.ifindex());
                    } else {
                        host.deleteQdisc(s.ifindex(), s.parent());
                    }
                } catch (OsException e) {
                    Log.warn("undo: cannot delete the " + s.what() + ": " + e.getMessage());
                }
            }
            steps.clear();
        }
    }
}
