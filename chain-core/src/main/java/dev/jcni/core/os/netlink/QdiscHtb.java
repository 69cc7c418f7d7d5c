package dev.jcni.core.os.netlink;

/**
 * The hierarchy token bucket qdisc ({@code htb}) itself, the root its classes
 * ({@link QdiscHtbClass}) hang from: TCA_HTB_INIT (struct tc_htb_glob: version 3, r2q, default
 * class, debug, direct packets) and, when set, TCA_HTB_DIRECT_QLEN.
 *
 * <p>Traffic no filter sends to a class goes to the {@link #DEFAULT_CLASS} (a minor number: 0x30
 * for class 1:30), or, when that is 0 or names no class, straight out, unshaped ("direct").
 * {@link #R2Q} derives a class's quantum from its rate when the class sets none; classes that set
 * their quantum (as they should: a derived one out of 1000..200000 makes the kernel warn and clamp)
 * make it irrelevant.
 */
public final class QdiscHtb {
    static final int TCA_HTB_INIT = 2;
    static final int TCA_HTB_DIRECT_QLEN = 5;
    /** struct tc_htb_glob: version, rate2quantum, defcls, debug, direct_pkts. */
    static final int INIT_LENGTH = 20;
    /** The protocol version iproute2 announces (the kernel reports its own, 3.17). */
    private static final int VERSION = 3;

    public static final TcKind KIND = new TcKind("htb", TcKind.Family.QDISC, TcKind.Layout.NESTED,
            TCA_HTB_INIT, TCA_HTB_DIRECT_QLEN) {
        @Override
        void prepare(TcWire.Writer out) {
            TcWire.putU32(out.struct(TCA_HTB_INIT, INIT_LENGTH), 0, VERSION);
        }
    };

    /** Rate to quantum divisor; 10 when not set, as tc. */
    public static final TcParameter<Long> R2Q = new TcParameter.StructU32(KIND, "r2q", TCA_HTB_INIT, INIT_LENGTH, 4) {
        @Override
        Long defaultValue(TcOptions options, Psched clock) {
            return 10L;
        }
    };

    /** The minor number of the class unclassified traffic goes to (0x30 for 1:30); 0: none. */
    public static final TcParameter<Long> DEFAULT_CLASS = new TcParameter.StructU32(KIND, "default", TCA_HTB_INIT,
            INIT_LENGTH, 8) {
        @Override
        public String describe(Long minor) {
            return "default 0x" + Long.toHexString(minor);
        }
    };

    /** The length of the queue of direct (unclassified, no default class) packets; the device's txqueuelen when not set. */
    public static final TcParameter<Long> DIRECT_QLEN = new TcParameter.AttributeU32(KIND, "direct_qlen",
            TCA_HTB_DIRECT_QLEN);

    /** Packets sent direct so far; reported by the kernel only. */
    public static final TcParameter<Long> DIRECT_PACKETS = new TcParameter.ReportedU32(KIND, "direct_packets_stat",
            TCA_HTB_INIT, INIT_LENGTH, 16);

    private QdiscHtb() {}

    /** An HTB root sending unclassified traffic to class {@code major:defaultMinor}. */
    public static TcOptions options(long defaultMinor) {
        return TcOptions.of(KIND).with(DEFAULT_CLASS, defaultMinor);
    }
}
