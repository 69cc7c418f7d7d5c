package dev.jcni.core.os.netlink;

/**
 * A link's operational state (IFLA_OPERSTATE, RFC 2863), as the kernel reports it: {@link #UP}
 * when it can pass packets, {@link #LOWERLAYERDOWN} for a veth whose peer is down, {@link #UNKNOWN}
 * for drivers that do not track it (lo, ifb, dummy: they count as up, see
 * {@link LinkInfo#isRunning()}).
 */
public enum OperState {
    UNKNOWN(0, "unknown"),
    NOTPRESENT(1, "not-present"),
    DOWN(2, "down"),
    LOWERLAYERDOWN(3, "lower-layer-down"),
    TESTING(4, "testing"),
    DORMANT(5, "dormant"),
    UP(6, "up");

    private final int number;
    private final String text;

    OperState(int number, String text) {
        this.number = number;
        this.text = text;
    }

    /** The IF_OPER_* number. */
    public int number() {
        return number;
    }

    /**
     * The state in the words of the reference plugins' netlink library ("up", "lower-layer-down"),
     * which their messages quote (the bridge's "bridge port in error state: down").
     */
    public String text() {
        return text;
    }

    /** The state numbered {@code n}; UNKNOWN for a number no kernel defines. */
    public static OperState of(int n) {
        OperState[] all = values();
        for (int i = 0; i < all.length; i++) {
            if (all[i].number == n) {
                return all[i];
            }
        }
        return UNKNOWN;
    }
}
