package dev.jcni.core.os.netlink;

/**
 * The token bucket filter qdisc ({@code tbf}): its parameter table and the arithmetic tc uses
 * for it. Rates are bytes per second, sizes bytes.
 *
 * <p>What a request carries (found by capturing {@code tc qdisc add ... tbf} on kernel 6.18 and
 * trying variants against it): TCA_TBF_PARMS (struct tc_tbf_qopt: rate spec, limit, buffer in
 * ticks), TCA_TBF_BURST (the burst in bytes; since Linux 3.13 the kernel derives the bucket from
 * it and ignores the struct's buffer) and, for rates of 2^32 bytes/s and more, TCA_TBF_RATE64.
 * iproute2 also sends a 1 KiB rate table (TCA_TBF_RTAB); the kernel reads it only to guess the
 * link layer of a rate spec that has none, so with {@link #LINKLAYER} set (ethernet by default,
 * as tc) it is left out, as is the peak rate's table (TCA_TBF_PTAB).
 *
 * <p>A peak rate ({@link #PEAKRATE}, with its bucket {@link #PBURST}: tc's {@code peakrate} and
 * {@code mtu}) travels in the struct's second rate spec, TCA_TBF_PRATE64 beyond 32 bits and
 * TCA_TBF_PBURST. Besides limiting how fast a burst leaves, it caps the largest packet the TBF
 * takes whole (the kernel's max_size is the smaller of the two buckets): a GSO packet above it is
 * cut into segments before it is queued.
 *
 * <p>A dump reports PARMS (rate, limit, {@link #BUFFER} in ticks, no burst) and RATE64; the burst
 * is read back as tc prints it, and compared in ticks ({@link #BURST}'s comparison predicts the
 * kernel's tick count with {@link PschedRate}).
 */
public final class QdiscTbf {
    static final int TCA_TBF_PARMS = 1;
    static final int TCA_TBF_RTAB = 2;
    static final int TCA_TBF_PTAB = 3;
    static final int TCA_TBF_RATE64 = 4;
    static final int TCA_TBF_PRATE64 = 5;
    static final int TCA_TBF_BURST = 6;
    static final int TCA_TBF_PBURST = 7;
    /** struct tc_tbf_qopt: rate and peakrate specs, limit, buffer, mtu. */
    static final int PARMS_LENGTH = 36;
    private static final int RATE_SPEC = 0;
    private static final int PEAK_SPEC = 12;
    private static final int LIMIT_FIELD = 24;
    private static final int BUFFER_FIELD = 28;
    private static final int MTU_FIELD = 32;
    private static final long U32_LIMIT = 1L << 32;

    public static final TcKind KIND = new TcKind("tbf", TcKind.Family.QDISC, TcKind.Layout.NESTED,
            TCA_TBF_PARMS, TCA_TBF_BURST, TCA_TBF_RATE64, TCA_TBF_PRATE64, TCA_TBF_PBURST) {
        @Override
        void prepare(TcWire.Writer out) {
            TcRateSpec.prepare(out.struct(TCA_TBF_PARMS, PARMS_LENGTH), RATE_SPEC);
        }
    };

    /** Bytes per second; required. */
    public static final TcParameter<Long> RATE = new TcStructRows.Rate(KIND, "rate", true, TCA_TBF_PARMS,
            PARMS_LENGTH, RATE_SPEC, TCA_TBF_RATE64);

    /**
     * The bucket size in bytes (below 2^32); required. Read back from the buffer ticks as tc
     * prints it (within a tick's worth of bytes); compared in ticks, exactly.
     */
    public static final TcParameter<Long> BURST = new TcParameter<Long>(KIND, "burst") {
        @Override
        boolean required() {
            return true;
        }

        @Override
        void encode(TcWire.Writer out, Long burst, TcOptions options, Psched clock) {
            TcWire.checkU32("tbf burst", burst);
            if (burst == 0) {
                throw new IllegalArgumentException("tbf burst must be positive");
            }
            out.u32(TCA_TBF_BURST, burst);
            // As tc: the ticks at the rate as the struct holds it (~0 for 64-bit rates). The kernel
            // recomputes the bucket from TCA_TBF_BURST; this only keeps the bytes tc's.
            long rate = Math.min(rateOf(options), TcWire.U32_MAX);
            TcWire.putU32(out.struct(TCA_TBF_PARMS, PARMS_LENGTH), BUFFER_FIELD, clock.xmitTicks(rate, burst));
        }

        @Override
        Long decode(TcWire.Reader in, Psched clock) {
            Long rate = RATE.decode(in, clock);
            Long buffer = BUFFER.decode(in, clock);
            return rate == null || buffer == null || rate == 0 ? null : clock.xmitSize(rate, buffer);
        }

        @Override
        boolean matches(Long burst, TcOptions wanted, TcOptions actual, Psched clock) {
            Long buffer = actual.get(BUFFER);
            return buffer != null && buffer == kernelTicks(wanted, burst, clock);
        }

        @Override
        String mismatch(Long burst, TcOptions wanted, TcOptions actual, Psched clock) {
            return "burst " + burst + " = " + kernelTicks(wanted, burst, clock) + " ticks (kernel: "
                    + actual.get(BUFFER) + " ticks, burst " + actual.get(BURST) + ")";
        }
    };

    /** The queue limit in bytes; required (tc computes it from a latency: {@link #limitForLatency}). */
    public static final TcParameter<Long> LIMIT = new TcParameter.StructU32(KIND, "limit", TCA_TBF_PARMS,
            PARMS_LENGTH, LIMIT_FIELD) {
        @Override
        boolean required() {
            return true;
        }
    };

    /** Minimum packet unit: smaller packets are charged as this many bytes. */
    public static final TcParameter<Integer> MPU = new TcStructRows.SpecU16(KIND, "mpu", TcRateSpec.MPU,
            TCA_TBF_PARMS, PARMS_LENGTH, RATE_SPEC);

    /** Bytes added to every packet's length before it is charged (link-layer framing). */
    public static final TcParameter<Integer> OVERHEAD = new TcStructRows.SpecU16(KIND, "overhead", TcRateSpec.OVERHEAD,
            TCA_TBF_PARMS, PARMS_LENGTH, RATE_SPEC);

    /** The rate's link layer; ethernet when not set, as tc. */
    public static final TcParameter<TcLinkLayer> LINKLAYER = new TcStructRows.SpecLinkLayer(KIND, TCA_TBF_PARMS,
            PARMS_LENGTH, RATE_SPEC);

    /** The bucket in scheduler ticks as the kernel reports it; not sent (see {@link #BURST}). */
    public static final TcParameter<Long> BUFFER = new TcParameter.ReportedU32(KIND, "buffer", TCA_TBF_PARMS,
            PARMS_LENGTH, BUFFER_FIELD);

    /**
     * The peak rate, bytes per second: how fast the bucket may empty (more than {@link #RATE}, as
     * the kernel requires); needs {@link #PBURST}. Its spec carries the rate's mpu, overhead and
     * link layer, as tc writes it. Absent (null) when a dump reports none.
     */
    public static final TcParameter<Long> PEAKRATE = new TcParameter<Long>(KIND, "peakrate") {
        @Override
        void encode(TcWire.Writer out, Long peak, TcOptions options, Psched clock) {
            TcRateSpec.checkRate("tbf peakrate", peak);
            if (peak <= rateOf(options)) {
                throw new IllegalArgumentException("tbf peakrate " + peak + " must exceed the rate " + rateOf(options));
            }
            if (options.get(PBURST) == null) {
                throw new IllegalArgumentException("tbf peakrate needs pburst (tc's mtu)");
            }
            byte[] parms = out.struct(TCA_TBF_PARMS, PARMS_LENGTH);
            TcRateSpec.prepare(parms, PEAK_SPEC);
            TcRateSpec.putRate(parms, PEAK_SPEC, peak);
            TcRateSpec.putLinkLayer(parms, PEAK_SPEC, linkLayerOf(options));
            TcRateSpec.putMpu(parms, PEAK_SPEC, intOr(options.get(MPU)));
            TcRateSpec.putOverhead(parms, PEAK_SPEC, intOr(options.get(OVERHEAD)));
            if (peak >= U32_LIMIT) {
                out.u64(TCA_TBF_PRATE64, peak);
            }
        }

        @Override
        Long decode(TcWire.Reader in, Psched clock) {
            byte[] parms = in.struct(TCA_TBF_PARMS, PARMS_LENGTH);
            if (parms == null) {
                return null;
            }
            long peak = TcRateSpec.rate(TcRateSpec.rate(parms, PEAK_SPEC), in.u64(TCA_TBF_PRATE64));
            return peak == 0 ? null : peak;
        }
    };

    /**
     * The peak bucket in bytes (tc's {@code mtu}, or {@code minburst}): the largest packet the
     * TBF sends whole at the peak rate, so also the largest it queues unsegmented. Sent as
     * TCA_TBF_PBURST, which the kernel turns into the bucket; read back from the struct's mtu
     * field in ticks and compared there, as {@link #BURST} is.
     */
    public static final TcParameter<Long> PBURST = new TcParameter<Long>(KIND, "pburst") {
        @Override
        void encode(TcWire.Writer out, Long pburst, TcOptions options, Psched clock) {
            TcWire.checkU32("tbf pburst", pburst);
            Long peak = options.get(PEAKRATE);
            if (peak == null) {
                throw new IllegalArgumentException("tbf pburst needs a peakrate");
            }
            if (pburst == 0) {
                throw new IllegalArgumentException("tbf pburst must be positive");
            }
            out.u32(TCA_TBF_PBURST, pburst);
            byte[] parms = out.struct(TCA_TBF_PARMS, PARMS_LENGTH);
            // As tc: both specs' cell_log follow the mtu, and the mtu field holds its ticks at the
            // peak rate as the struct holds it; the kernel reads TCA_TBF_PBURST instead.
            int cellLog = TcRateSpec.cellLog(pburst);
            TcRateSpec.putCellLog(parms, RATE_SPEC, cellLog);
            TcRateSpec.putCellLog(parms, PEAK_SPEC, cellLog);
            TcWire.putU32(parms, MTU_FIELD, clock.xmitTicks(Math.min(peak, TcWire.U32_MAX), pburst));
        }

        @Override
        Long decode(TcWire.Reader in, Psched clock) {
            Long peak = PEAKRATE.decode(in, clock);
            Long ticks = MTU.decode(in, clock);
            return peak == null || ticks == null ? null : clock.xmitSize(peak, ticks);
        }

        @Override
        boolean matches(Long pburst, TcOptions wanted, TcOptions actual, Psched clock) {
            Long ticks = actual.get(MTU);
            return actual.get(PEAKRATE) != null && ticks != null && ticks == peakTicks(wanted, pburst, clock);
        }

        @Override
        String mismatch(Long pburst, TcOptions wanted, TcOptions actual, Psched clock) {
            return "pburst " + pburst + " = " + peakTicks(wanted, pburst, clock) + " ticks (kernel: "
                    + (actual.get(PEAKRATE) == null ? "no peakrate" : actual.get(MTU) + " ticks, pburst " + actual.get(PBURST)) + ")";
        }
    };

    /** The peak bucket in scheduler ticks as the kernel reports it (tc's mtu field); not sent (see {@link #PBURST}). */
    public static final TcParameter<Long> MTU = new TcParameter.ReportedU32(KIND, "mtu", TCA_TBF_PARMS,
            PARMS_LENGTH, MTU_FIELD) {
        @Override
        Long decode(TcWire.Reader in, Psched clock) {
            // The field is always in the struct; without a peak rate it means nothing.
            return PEAKRATE.decode(in, clock) == null ? null : super.decode(in, clock);
        }
    };

    private QdiscTbf() {}

    /** A TBF of {@code rate} bytes/s, {@code burst} bytes and a queue of {@code limit} bytes. */
    public static TcOptions options(long rate, long burst, long limit) {
        return TcOptions.of(KIND).with(RATE, rate).with(BURST, burst).with(LIMIT, limit);
    }

    /**
     * The limit tc sets for {@code tbf ... latency L}: the bytes that leave in L at the rate,
     * plus the burst ({@code rate * L / 1e6 + burst}, in floating point, truncated, as tc).
     */
    public static long limitForLatency(long rate, long burst, long latencyMicros) {
        return (long) (rate * (double) latencyMicros / Psched.TIME_UNITS_PER_SEC + burst);
    }

    /**
     * The latency tc prints for a TBF: the time a full queue takes to drain at the rate, less the
     * time the burst lasts ({@code 1e6 * limit / rate - ticks2time(buffer)}), in microseconds;
     * negative when the limit is smaller than the burst.
     */
    public static double latencyMicros(long rate, long limit, long bufferTicks, Psched clock) {
        return Psched.TIME_UNITS_PER_SEC * (limit / (double) rate) - clock.ticksToTime(bufferTicks);
    }

    /** The ticks the kernel will report for a bucket of {@code burst} bytes with {@code options}' rate spec. */
    static long kernelTicks(TcOptions options, long burst, Psched clock) {
        return PschedRate.of(rateOf(options), intOr(options.get(OVERHEAD)), intOr(options.get(MPU)),
                linkLayerOf(options).code()).ticks(burst, clock);
    }

    /**
     * The options a kernel dump reports for a TBF made from {@code wanted}: the buckets as the
     * ticks the kernel keeps ({@link #BUFFER}, and {@link #MTU} with a peak rate) and the byte
     * sizes read back from them, as {@link Qdiscs} decodes a dump. For fakes of the kernel in
     * unit tests, so that what CHECK compares is what a real kernel would answer.
     */
    public static TcOptions reported(TcOptions wanted, Psched clock) {
        long rate = rateOf(wanted);
        Long burst = wanted.get(BURST);
        TcOptions out = wanted;
        if (burst != null) {
            long ticks = kernelTicks(wanted, burst, clock);
            out = out.with(BUFFER, ticks).with(BURST, clock.xmitSize(rate, ticks));
        }
        Long pburst = wanted.get(PBURST);
        Long peak = wanted.get(PEAKRATE);
        if (pburst != null && peak != null) {
            long ticks = peakTicks(wanted, pburst, clock);
            out = out.with(MTU, ticks).with(PBURST, clock.xmitSize(peak, ticks));
        }
        return out;
    }

    /** The ticks the kernel will report for a peak bucket of {@code pburst} bytes at {@code options}' peak rate. */
    static long peakTicks(TcOptions options, long pburst, Psched clock) {
        Long peak = options.get(PEAKRATE);
        if (peak == null) {
            throw new IllegalArgumentException("tbf pburst needs a peakrate");
        }
        return PschedRate.of(peak, intOr(options.get(OVERHEAD)), intOr(options.get(MPU)),
                linkLayerOf(options).code()).ticks(pburst, clock);
    }

    private static long rateOf(TcOptions options) {
        Long rate = options.get(RATE);
        if (rate == null) {
            throw new IllegalArgumentException("tbf needs rate");
        }
        return rate;
    }

    private static TcLinkLayer linkLayerOf(TcOptions options) {
        TcLinkLayer l = options.get(LINKLAYER);
        return l == null ? TcLinkLayer.ETHERNET : l;
    }

    private static int intOr(Integer v) {
        return v == null ? 0 : v;
    }
}
