package dev.jcni.core.os.netlink;

/**
 * A VLAN entry of a bridge port, as {@code bridge vlan add dev PORT vid V [pvid] [untagged]}
 * makes one: a VID or a range of VIDs (a trunk), whether it is the port's PVID (untagged frames
 * coming in join it) and whether it leaves the port untagged. One entry of a port's list in
 * {@link BridgeVlans}.
 */
public final class BridgeVlan {
    static final int FLAG_MASTER = 1;
    static final int FLAG_PVID = 2;
    static final int FLAG_UNTAGGED = 4;
    static final int FLAG_RANGE_BEGIN = 8;
    static final int FLAG_RANGE_END = 16;

    private final int first;
    private final int last;
    private final boolean pvid;
    private final boolean untagged;

    private BridgeVlan(int first, int last, boolean pvid, boolean untagged) {
        checkVid(first);
        checkVid(last);
        if (first > last) {
            throw new IllegalArgumentException("VLAN range " + first + "-" + last + " is empty");
        }
        if (pvid && first != last) {
            throw new IllegalArgumentException("a VLAN range " + first + "-" + last + " cannot be the PVID");
        }
        this.first = first;
        this.last = last;
        this.pvid = pvid;
        this.untagged = untagged;
    }

    /** {@code vid V pvid untagged}: the port's access VLAN (the reference bridge's {@code vlan}). */
    public static BridgeVlan access(int vid) {
        return new BridgeVlan(vid, vid, true, true);
    }

    /** {@code vid V}: tagged (a trunk VLAN). */
    public static BridgeVlan tagged(int vid) {
        return new BridgeVlan(vid, vid, false, false);
    }

    /** {@code vid FIRST-LAST}: a tagged range, sent as one range, not one entry per VID. */
    public static BridgeVlan range(int first, int last) {
        return new BridgeVlan(first, last, false, false);
    }

    /** Any single entry. */
    public static BridgeVlan of(int vid, boolean pvid, boolean untagged) {
        return new BridgeVlan(vid, vid, pvid, untagged);
    }

    /** Entries read back: a range, possibly untagged. */
    static BridgeVlan read(int first, int last, int flags) {
        return new BridgeVlan(first, last, (flags & FLAG_PVID) != 0, (flags & FLAG_UNTAGGED) != 0);
    }

    public int first() {
        return first;
    }

    /** The last VID of a range; {@link #first} for a single VID. */
    public int last() {
        return last;
    }

    public boolean isRange() {
        return first != last;
    }

    public boolean pvid() {
        return pvid;
    }

    public boolean untagged() {
        return untagged;
    }

    /** BRIDGE_VLAN_INFO_PVID / _UNTAGGED of this entry (no range bits). */
    int flags() {
        return (pvid ? FLAG_PVID : 0) | (untagged ? FLAG_UNTAGGED : 0);
    }

    private static void checkVid(int vid) {
        if (vid < 1 || vid > 4094) {
            throw new IllegalArgumentException("VLAN ID " + vid + " is not in 1..4094");
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof BridgeVlan)) {
            return false;
        }
        BridgeVlan v = (BridgeVlan) o;
        return first == v.first && last == v.last && pvid == v.pvid && untagged == v.untagged;
    }

    @Override
    public int hashCode() {
        return ((first * 4095 + last) * 2 + (pvid ? 1 : 0)) * 2 + (untagged ? 1 : 0);
    }

    /** In the words of {@code bridge vlan add}: "vid 100 pvid untagged", "vid 200-210". */
    @Override
    public String toString() {
        return "vid " + first + (isRange() ? "-" + last : "") + (pvid ? " pvid" : "") + (untagged ? " untagged" : "");
    }
}
