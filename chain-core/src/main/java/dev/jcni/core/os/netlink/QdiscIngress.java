package dev.jcni.core.os.netlink;

/**
 * The qdiscs that give a device's ingress (and, for clsact, its egress) a place for filters:
 * {@code ingress} and {@code clsact}. Both have no options and hang at parent
 * {@link TcHandle#INGRESS} with handle {@link TcHandle#INGRESS_QDISC} ({@code ffff:}). Filters of
 * an ingress qdisc are added at parent {@code ffff:}; a clsact's at {@link TcHandle#CLSACT_INGRESS}
 * or {@link TcHandle#CLSACT_EGRESS}. A device has at most one of the two.
 */
public final class QdiscIngress {
    public static final TcKind INGRESS = new TcKind("ingress", TcKind.Family.QDISC, TcKind.Layout.NONE);
    public static final TcKind CLSACT = new TcKind("clsact", TcKind.Family.QDISC, TcKind.Layout.NONE);

    private QdiscIngress() {}

    /** The ingress qdisc of device {@code ifindex}, as {@code tc qdisc add dev X ingress}. */
    public static Qdisc ingress(int ifindex) {
        return new Qdisc(ifindex, TcHandle.INGRESS_QDISC, TcHandle.INGRESS, TcOptions.of(INGRESS));
    }

    /** The clsact qdisc of device {@code ifindex}, as {@code tc qdisc add dev X clsact}. */
    public static Qdisc clsact(int ifindex) {
        return new Qdisc(ifindex, TcHandle.INGRESS_QDISC, TcHandle.INGRESS, TcOptions.of(CLSACT));
    }
}
