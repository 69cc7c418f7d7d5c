package dev.jcni.core.os.netlink;

/**
 * A traffic-control handle or class id: 16 bits of major, 16 bits of minor, written as {@code tc}
 * writes them, in hex: {@code 1:} (a qdisc), {@code 1:30} (a class), {@code ffff:fff1}.
 *
 * <p>Qdisc handles have a minor of 0; a class id shares its major with its qdisc. The special
 * parents: {@link #ROOT} (a device's egress root), {@link #INGRESS} (where {@code ingress} and
 * {@code clsact} hang); filters of a clsact go to {@link #CLSACT_INGRESS} or {@link #CLSACT_EGRESS},
 * those of an ingress qdisc to its handle {@code ffff:}.
 */
public final class TcHandle {
    /** TC_H_UNSPEC: no handle (let the kernel choose one, or "any"). */
    public static final TcHandle UNSPEC = new TcHandle(0);
    /** TC_H_ROOT: the egress root of a device. */
    public static final TcHandle ROOT = new TcHandle(0xffffffff);
    /** TC_H_INGRESS (= TC_H_CLSACT): the parent of the ingress and clsact qdiscs. */
    public static final TcHandle INGRESS = new TcHandle(0xfffffff1);
    /** The handle the kernel gives an ingress or clsact qdisc, {@code ffff:}. */
    public static final TcHandle INGRESS_QDISC = of(0xffff, 0);
    /** The ingress hook of a clsact qdisc (TC_H_MIN_INGRESS), {@code ffff:fff2}. */
    public static final TcHandle CLSACT_INGRESS = of(0xffff, 0xfff2);
    /** The egress hook of a clsact qdisc (TC_H_MIN_EGRESS), {@code ffff:fff3}. */
    public static final TcHandle CLSACT_EGRESS = of(0xffff, 0xfff3);

    private final int value;

    private TcHandle(int value) {
        this.value = value;
    }

    /** The handle {@code major:minor} (each 0..0xffff). */
    public static TcHandle of(int major, int minor) {
        if ((major & ~0xffff) != 0 || (minor & ~0xffff) != 0) {
            throw new IllegalArgumentException("handle parts must be 16-bit: " + major + ":" + minor);
        }
        return fromValue(major << 16 | minor);
    }

    /** A qdisc handle {@code major:}. */
    public static TcHandle qdisc(int major) {
        return of(major, 0);
    }

    /** The handle with this 32-bit value (as carried in struct tcmsg). */
    public static TcHandle fromValue(int value) {
        if (value == ROOT.value) {
            return ROOT;
        }
        if (value == UNSPEC.value) {
            return UNSPEC;
        }
        return new TcHandle(value);
    }

    /**
     * Parses {@code tc}'s forms: {@code root}, {@code none}, {@code 1:}, {@code 1:30}, {@code :30},
     * {@code ffff:fff1}, hex digits without prefix.
     */
    public static TcHandle parse(String text) {
        if ("root".equals(text)) {
            return ROOT;
        }
        if ("none".equals(text)) {
            return UNSPEC;
        }
        int colon = text.indexOf(':');
        if (colon < 0 || text.indexOf(':', colon + 1) >= 0) {
            throw new IllegalArgumentException("not a tc handle (major:minor in hex): \"" + text + "\"");
        }
        return of(hexPart(text.substring(0, colon), text), hexPart(text.substring(colon + 1), text));
    }

    private static int hexPart(String digits, String whole) {
        if (digits.isEmpty()) {
            return 0;
        }
        if (digits.length() > 4) {
            throw new IllegalArgumentException("tc handle part longer than 4 hex digits: \"" + whole + "\"");
        }
        try {
            return Integer.parseInt(digits, 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a tc handle (major:minor in hex): \"" + whole + "\"", e);
        }
    }

    /** The 32-bit value carried in struct tcmsg. */
    public int value() {
        return value;
    }

    public int major() {
        return value >>> 16;
    }

    public int minor() {
        return value & 0xffff;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TcHandle && ((TcHandle) o).value == value;
    }

    @Override
    public int hashCode() {
        return value;
    }

    /** As {@code tc} prints it: {@code root}, {@code none}, {@code 1:}, {@code :30}, {@code 1:30}. */
    @Override
    public String toString() {
        if (value == ROOT.value) {
            return "root";
        }
        if (value == 0) {
            return "none";
        }
        if (major() == 0) {
            return ":" + Integer.toHexString(minor());
        }
        if (minor() == 0) {
            return Integer.toHexString(major()) + ":";
        }
        return Integer.toHexString(major()) + ":" + Integer.toHexString(minor());
    }
}
