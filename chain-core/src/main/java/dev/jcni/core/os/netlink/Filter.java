package dev.jcni.core.os.netlink;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A classifier (filter) attached to a qdisc or class ({@link #parent}): which packets it looks at
 * ({@link #protocol}, an ETH_P_* value), its {@link #priority} among the parent's filters (lower
 * runs first; one priority holds one classifier kind and protocol), its {@link #handle} within the
 * classifier (a u32 rule's {@code 800::800}; 0 lets the kernel choose) and its options.
 */
public final class Filter {
    /** ETH_P_ALL: every protocol. */
    public static final int ETH_P_ALL = 0x0003;
    public static final int ETH_P_IP = 0x0800;
    public static final int ETH_P_IPV6 = 0x86dd;

    private final int ifindex;
    private final TcHandle parent;
    private final int priority;
    private final int protocol;
    private final int handle;
    private final TcOptions options;

    public Filter(int ifindex, TcHandle parent, int priority, int protocol, int handle, TcOptions options) {
        this.ifindex = ifindex;
        this.parent = Objects.requireNonNull(parent, "parent");
        this.priority = TcWire.checkU16("filter priority", priority);
        this.protocol = TcWire.checkU16("filter protocol", protocol);
        this.handle = handle;
        this.options = Objects.requireNonNull(options, "options");
        if (options.kind().family() != TcKind.Family.FILTER) {
            throw new IllegalArgumentException(options.kind().name() + " is not a filter kind");
        }
    }

    public int ifindex() {
        return ifindex;
    }

    public TcHandle parent() {
        return parent;
    }

    public int priority() {
        return priority;
    }

    public int protocol() {
        return protocol;
    }

    /** The classifier's handle of this filter (for u32, see {@link FilterU32#formatHandle}); 0: not chosen yet. */
    public int handle() {
        return handle;
    }

    public TcOptions options() {
        return options;
    }

    public String kind() {
        return options.kind().name();
    }

    public <T> T get(TcParameter<T> row) {
        return options.get(row);
    }

    /** This filter with another handle (to replace one whose handle a dump told). */
    public Filter withHandle(int newHandle) {
        return new Filter(ifindex, parent, priority, protocol, newHandle, options);
    }

    /**
     * What {@code actual} lacks of this wanted filter: parent, priority, protocol, handle (a
     * wanted 0 matches any), kind, or parameter.
     */
    public List<String> differences(Filter actual, Psched clock) {
        List<String> out = new ArrayList<>();
        if (!parent.equals(actual.parent)) {
            out.add("parent " + parent + " (kernel: " + actual.parent + ")");
        }
        if (priority != actual.priority) {
            out.add("prio " + priority + " (kernel: " + actual.priority + ")");
        }
        if (protocol != actual.protocol) {
            out.add("protocol " + protocolName(protocol) + " (kernel: " + protocolName(actual.protocol) + ")");
        }
        if (handle != 0 && handle != actual.handle) {
            out.add("handle " + handleText(handle) + " (kernel: " + actual.handleText(actual.handle) + ")");
        }
        out.addAll(options.differences(actual.options, clock));
        return out;
    }

    /** tc's name of an ETH_P_* protocol ("all", "ip", "ipv6") or its hex value. */
    public static String protocolName(int protocol) {
        if (protocol == ETH_P_ALL) {
            return "all";
        }
        if (protocol == ETH_P_IP) {
            return "ip";
        }
        if (protocol == ETH_P_IPV6) {
            return "ipv6";
        }
        return "0x" + Integer.toHexString(protocol);
    }

    private String handleText(int h) {
        return FilterU32.KIND.name().equals(kind()) ? FilterU32.formatHandle(h) : "0x" + Integer.toHexString(h);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Filter)) {
            return false;
        }
        Filter f = (Filter) o;
        return ifindex == f.ifindex && parent.equals(f.parent) && priority == f.priority && protocol == f.protocol
                && handle == f.handle && options.equals(f.options);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ifindex, parent, priority, protocol, handle, options);
    }

    @Override
    public String toString() {
        return "filter " + describe() + " (index " + ifindex + ") " + options;
    }

    /** "u32 parent ffff: protocol all prio 1 handle 800::800", for operation descriptions. */
    String describe() {
        return kind() + " parent " + parent + " protocol " + protocolName(protocol) + " prio " + priority
                + (handle == 0 ? "" : " handle " + handleText(handle));
    }
}
