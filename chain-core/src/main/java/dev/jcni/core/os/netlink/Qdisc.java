package dev.jcni.core.os.netlink;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A queueing discipline on a device: where it hangs ({@link #parent}: {@link TcHandle#ROOT}, a
 * class, or {@link TcHandle#INGRESS}), its {@link #handle} and its {@link TcOptions}. The same
 * value is what a plugin asks {@link Qdiscs} for and what a dump reads back.
 *
 * <pre>
 * Qdisc tbf = new Qdisc(ifindex, TcHandle.qdisc(1), TcHandle.ROOT, QdiscTbf.options(rate, burst, limit));
 * qdiscs.replace(tbf);
 * List&lt;String&gt; drift = tbf.differences(qdiscs.get(ifindex, TcHandle.ROOT), clock);
 * </pre>
 */
public final class Qdisc {
    private final int ifindex;
    private final TcHandle handle;
    private final TcHandle parent;
    private final TcOptions options;

    public Qdisc(int ifindex, TcHandle handle, TcHandle parent, TcOptions options) {
        this.ifindex = ifindex;
        this.handle = Objects.requireNonNull(handle, "handle");
        this.parent = Objects.requireNonNull(parent, "parent");
        this.options = Objects.requireNonNull(options, "options");
        if (options.kind().family() != TcKind.Family.QDISC) {
            throw new IllegalArgumentException(options.kind().name() + " is not a qdisc kind");
        }
    }

    /** The qdisc of {@code options} at the root of device {@code ifindex}, with handle {@code major:}. */
    public static Qdisc root(int ifindex, int major, TcOptions options) {
        return new Qdisc(ifindex, TcHandle.qdisc(major), TcHandle.ROOT, options);
    }

    public int ifindex() {
        return ifindex;
    }

    public TcHandle handle() {
        return handle;
    }

    public TcHandle parent() {
        return parent;
    }

    public TcOptions options() {
        return options;
    }

    /** The TCA_KIND: "tbf", "ingress", "noqueue"... */
    public String kind() {
        return options.kind().name();
    }

    /** A parameter's value, {@code options().get(row)}. */
    public <T> T get(TcParameter<T> row) {
        return options.get(row);
    }

    /**
     * What {@code actual} (read from the kernel) lacks of this wanted qdisc: another parent or
     * handle (a wanted handle of {@link TcHandle#UNSPEC} matches any), kind, or parameter.
     */
    public List<String> differences(Qdisc actual, Psched clock) {
        List<String> out = new ArrayList<>();
        if (!parent.equals(actual.parent)) {
            out.add("parent " + parent + " (kernel: " + actual.parent + ")");
        }
        if (!handle.equals(TcHandle.UNSPEC) && !handle.equals(actual.handle)) {
            out.add("handle " + handle + " (kernel: " + actual.handle + ")");
        }
        out.addAll(options.differences(actual.options, clock));
        return out;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Qdisc)) {
            return false;
        }
        Qdisc q = (Qdisc) o;
        return ifindex == q.ifindex && handle.equals(q.handle) && parent.equals(q.parent) && options.equals(q.options);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ifindex, handle, parent, options);
    }

    /** As tc lists it: "tbf 1: root (index 3) tbf{rate 1250000, ...}". */
    @Override
    public String toString() {
        return kind() + " " + handle + (parent.equals(TcHandle.ROOT) ? " root" : " parent " + parent)
                + " (index " + ifindex + ") " + options;
    }

    /** "tbf 1: root", for operation descriptions. */
    String describe() {
        return kind() + " " + handle + (parent.equals(TcHandle.ROOT) ? " root" : " parent " + parent);
    }
}
