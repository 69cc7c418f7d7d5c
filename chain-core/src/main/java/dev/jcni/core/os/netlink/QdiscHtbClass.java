package dev.jcni.core.os.netlink;

/**
 * A class of an {@code htb} qdisc: TCA_HTB_PARMS (struct tc_htb_opt: rate and ceil specs, buffer
 * and cbuffer in ticks, quantum, level, prio), with TCA_HTB_RATE64 / TCA_HTB_CEIL64 for rates of
 * 2^32 bytes/s and more. As for TBF, iproute2's rate tables (TCA_HTB_RTAB/CTAB) are left out: the
 * kernel reads them only for rate specs without a link layer.
 *
 * <p>Unlike TBF, HTB has no burst in bytes on the wire: the buffers travel as ticks
 * ({@link Psched#xmitTicks} of the burst at the rate), the kernel keeps them as they are and
 * reports them back unchanged, so {@link #BURST} and {@link #CBURST} compare ticks exactly.
 */
public final class QdiscHtbClass {
    static final int TCA_HTB_PARMS = 1;
    static final int TCA_HTB_RATE64 = 6;
    static final int TCA_HTB_CEIL64 = 7;
    /** struct tc_htb_opt. */
    static final int PARMS_LENGTH = 44;
    private static final int RATE_SPEC = 0;
    private static final int CEIL_SPEC = 12;
    private static final int BUFFER_FIELD = 24;
    private static final int CBUFFER_FIELD = 28;
    private static final int QUANTUM_FIELD = 32;
    private static final int LEVEL_FIELD = 36;
    private static final int PRIO_FIELD = 40;
    /** tc's default mtu for HTB's default bursts. */
    private static final long TC_MTU = 1600;

    public static final TcKind KIND = new TcKind("htb", TcKind.Family.CLASS, TcKind.Layout.NESTED,
            TCA_HTB_RATE64, TCA_HTB_CEIL64, TCA_HTB_PARMS) {
        @Override
        void prepare(TcWire.Writer out) {
            byte[] parms = out.struct(TCA_HTB_PARMS, PARMS_LENGTH);
            TcRateSpec.prepare(parms, RATE_SPEC);
            TcRateSpec.prepare(parms, CEIL_SPEC);
        }
    };

    /** The guaranteed rate, bytes per second; required. */
    public static final TcParameter<Long> RATE = new TcStructRows.Rate(KIND, "rate", true, TCA_HTB_PARMS, PARMS_LENGTH,
            RATE_SPEC, TCA_HTB_RATE64);

    /** The rate the class may borrow up to, bytes per second; the rate when not set, as tc. */
    public static final TcParameter<Long> CEIL = new TcStructRows.Rate(KIND, "ceil", false, TCA_HTB_PARMS, PARMS_LENGTH,
            CEIL_SPEC, TCA_HTB_CEIL64) {
        @Override
        Long defaultValue(TcOptions options, Psched clock) {
            return options.get(RATE);
        }
    };

    /** Bytes the class may send at once beyond its rate; tc's default (rate / hz + 1600) when not set. */
    public static final TcParameter<Long> BURST = new Burst("burst", BUFFER_FIELD, RATE);

    /** Bytes the class may send at once beyond its ceil; tc's default (ceil / hz + 1600) when not set. */
    public static final TcParameter<Long> CBURST = new Burst("cburst", CBUFFER_FIELD, CEIL);

    /** Bytes served per round among classes of one priority; derived from the rate and r2q when not set. */
    public static final TcParameter<Long> QUANTUM = new TcParameter.StructU32(KIND, "quantum", TCA_HTB_PARMS,
            PARMS_LENGTH, QUANTUM_FIELD);

    /** Priority among siblings for spare bandwidth (0 is served first). */
    public static final TcParameter<Long> PRIO = new TcParameter.StructU32(KIND, "prio", TCA_HTB_PARMS,
            PARMS_LENGTH, PRIO_FIELD);

    /** Minimum packet unit of both rates. */
    public static final TcParameter<Integer> MPU = new TcStructRows.SpecU16(KIND, "mpu", TcRateSpec.MPU,
            TCA_HTB_PARMS, PARMS_LENGTH, RATE_SPEC, CEIL_SPEC);

    /** Per-packet overhead of both rates. */
    public static final TcParameter<Integer> OVERHEAD = new TcStructRows.SpecU16(KIND, "overhead", TcRateSpec.OVERHEAD,
            TCA_HTB_PARMS, PARMS_LENGTH, RATE_SPEC, CEIL_SPEC);

    /** The link layer of both rates; ethernet when not set, as tc. */
    public static final TcParameter<TcLinkLayer> LINKLAYER = new TcStructRows.SpecLinkLayer(KIND, TCA_HTB_PARMS,
            PARMS_LENGTH, RATE_SPEC, CEIL_SPEC);

    /** The rate's bucket in ticks, as sent and reported. */
    public static final TcParameter<Long> BUFFER = new TcParameter.ReportedU32(KIND, "buffer", TCA_HTB_PARMS,
            PARMS_LENGTH, BUFFER_FIELD);

    /** The ceil's bucket in ticks, as sent and reported. */
    public static final TcParameter<Long> CBUFFER = new TcParameter.ReportedU32(KIND, "cbuffer", TCA_HTB_PARMS,
            PARMS_LENGTH, CBUFFER_FIELD);

    /** The class's depth from the leaves (0 for a leaf); reported by the kernel only. */
    public static final TcParameter<Long> LEVEL = new TcParameter.ReportedU32(KIND, "level", TCA_HTB_PARMS,
            PARMS_LENGTH, LEVEL_FIELD);

    private QdiscHtbClass() {}

    /** A class guaranteed {@code rate} bytes/s, borrowing up to {@code ceil}, with bursts and quantum set. */
    public static TcOptions options(long rate, long ceil, long burst, long quantum) {
        return TcOptions.of(KIND).with(RATE, rate).with(CEIL, ceil).with(BURST, burst).with(CBURST, burst)
                .with(QUANTUM, quantum);
    }

    /** The wanted rate, or the ceil's default (the rate) when {@code rateRow} is CEIL and unset. */
    static long rateOf(TcOptions options, TcParameter<Long> rateRow, Psched clock) {
        Long rate = options.get(rateRow);
        if (rate == null) {
            rate = rateRow.defaultValue(options, clock);
        }
        if (rate == null) {
            throw new IllegalArgumentException("htb class needs rate");
        }
        return rate;
    }

    /** A burst in bytes, sent as the ticks it lasts at its rate (tc_calc_xmittime). */
    private static final class Burst extends TcParameter<Long> {
        private final int field;
        private final TcParameter<Long> rateRow;

        Burst(String name, int field, TcParameter<Long> rateRow) {
            super(KIND, name);
            this.field = field;
            this.rateRow = rateRow;
        }

        @Override
        Long defaultValue(TcOptions options, Psched clock) {
            return rateOf(options, rateRow, clock) / clock.hz() + TC_MTU;
        }

        @Override
        void encode(TcWire.Writer out, Long burst, TcOptions options, Psched clock) {
            TcWire.checkU32("htb " + name(), burst);
            long ticks = clock.xmitTicks(rateOf(options, rateRow, clock), burst);
            TcWire.putU32(out.struct(TCA_HTB_PARMS, PARMS_LENGTH), field, ticks);
        }

        @Override
        Long decode(TcWire.Reader in, Psched clock) {
            Long rate = rateRow.decode(in, clock);
            byte[] parms = in.struct(TCA_HTB_PARMS, PARMS_LENGTH);
            return rate == null || parms == null || rate == 0 ? null : clock.xmitSize(rate, TcWire.u32(parms, field));
        }

        @Override
        boolean matches(Long burst, TcOptions wanted, TcOptions actual, Psched clock) {
            Long ticks = actual.get(field == BUFFER_FIELD ? BUFFER : CBUFFER);
            return ticks != null && ticks == clock.xmitTicks(rateOf(wanted, rateRow, clock), burst);
        }

        @Override
        String mismatch(Long burst, TcOptions wanted, TcOptions actual, Psched clock) {
            TcParameter<Long> ticksRow = field == BUFFER_FIELD ? BUFFER : CBUFFER;
            return name() + " " + burst + " = " + clock.xmitTicks(rateOf(wanted, rateRow, clock), burst)
                    + " ticks (kernel: " + actual.get(ticksRow) + " ticks, " + name() + " " + actual.get(this) + ")";
        }
    }
}
