package dev.jcni.core.os.netlink;

/**
 * The link layer of a rate (tc_ratespec.linklayer): how the kernel sizes a packet before charging
 * it against the rate. ETHERNET charges the packet's length (plus any overhead); ATM rounds it up
 * to 48-byte cells of 53 bytes. UNAWARE is what a ratespec without the field says (old iproute2, or
 * libraries that leave it 0): the kernel then looks for a rate table to guess the link layer.
 */
public enum TcLinkLayer {
    UNAWARE(0, "unspec"),
    ETHERNET(1, "ethernet"),
    ATM(2, "atm");

    private final int code;
    private final String tcName;

    TcLinkLayer(int code, String tcName) {
        this.code = code;
        this.tcName = tcName;
    }

    /** The TC_LINKLAYER_* value. */
    public int code() {
        return code;
    }

    /** The link layer with this TC_LINKLAYER_* value (the low 4 bits of the field); UNAWARE for unknown ones. */
    public static TcLinkLayer fromCode(int code) {
        for (TcLinkLayer l : values()) {
            if (l.code == (code & 0x0f)) {
                return l;
            }
        }
        return UNAWARE;
    }

    /** As {@code tc -d} prints it. */
    @Override
    public String toString() {
        return tcName;
    }
}
