package dev.jcni.core.os.netlink;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A class of a classful qdisc (today: {@link QdiscHtbClass}): its {@link #classId} ({@code 1:30}),
 * the class or qdisc it hangs from, and its options. A dump also says which qdisc is the class's
 * leaf ({@link #leaf}: the pfifo under it), {@link TcHandle#UNSPEC} for inner classes.
 */
public final class TcClass {
    private final int ifindex;
    private final TcHandle classId;
    private final TcHandle parent;
    private final TcOptions options;
    private final TcHandle leaf;

    public TcClass(int ifindex, TcHandle classId, TcHandle parent, TcOptions options) {
        this(ifindex, classId, parent, options, TcHandle.UNSPEC);
    }

    TcClass(int ifindex, TcHandle classId, TcHandle parent, TcOptions options, TcHandle leaf) {
        this.ifindex = ifindex;
        this.classId = Objects.requireNonNull(classId, "classId");
        this.parent = Objects.requireNonNull(parent, "parent");
        this.options = Objects.requireNonNull(options, "options");
        this.leaf = leaf;
        if (options.kind().family() != TcKind.Family.CLASS) {
            throw new IllegalArgumentException(options.kind().name() + " is not a class kind");
        }
    }

    public int ifindex() {
        return ifindex;
    }

    public TcHandle classId() {
        return classId;
    }

    public TcHandle parent() {
        return parent;
    }

    public TcOptions options() {
        return options;
    }

    /** The handle of the qdisc attached under this class, as the kernel reported it; UNSPEC if none or not read. */
    public TcHandle leaf() {
        return leaf;
    }

    public String kind() {
        return options.kind().name();
    }

    public <T> T get(TcParameter<T> row) {
        return options.get(row);
    }

    /**
     * What {@code actual} lacks of this wanted class: another parent, or a parameter. A class
     * added under its qdisc ({@code 1:}) is reported by the kernel with parent root: the two match.
     */
    public List<String> differences(TcClass actual, Psched clock) {
        List<String> out = new ArrayList<>();
        boolean underItsQdisc = parent.minor() == 0 && parent.major() == classId.major()
                && actual.parent.equals(TcHandle.ROOT);
        if (!parent.equals(actual.parent) && !underItsQdisc) {
            out.add("parent " + parent + " (kernel: " + actual.parent + ")");
        }
        out.addAll(options.differences(actual.options, clock));
        return out;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TcClass)) {
            return false;
        }
        TcClass c = (TcClass) o;
        return ifindex == c.ifindex && classId.equals(c.classId) && parent.equals(c.parent) && options.equals(c.options)
                && leaf.equals(c.leaf);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ifindex, classId, parent, options);
    }

    @Override
    public String toString() {
        return "class " + describe() + " (index " + ifindex + ") " + options;
    }

    /** "htb 1:30 parent 1:1", for operation descriptions. */
    String describe() {
        return kind() + " " + classId + (parent.equals(TcHandle.ROOT) ? " root" : " parent " + parent);
    }
}
