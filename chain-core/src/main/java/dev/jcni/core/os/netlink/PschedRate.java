package dev.jcni.core.os.netlink;

/**
 * A rate as the kernel holds it (struct psched_ratecfg, net/sched/sch_generic.c): the time a
 * packet of {@code len} bytes takes is {@code (len * mult) >> shift} nanoseconds, with mult and
 * shift chosen by psched_ratecfg_precompute for the rate. Ported so that what the kernel will
 * report back is known before asking it.
 *
 * <p>Why it matters: TBF is given its burst in bytes ({@code TCA_TBF_BURST}) and turns it into
 * a bucket of {@code psched_l2t_ns(rate, burst)} nanoseconds, which a dump reports in whole
 * ticks. CHECK compares that tick count with {@link #ticks} of the burst it asked for: equal means
 * the kernel holds exactly the bucket that was requested.
 */
final class PschedRate {
    private static final long NSEC_PER_SEC = 1_000_000_000L;
    private static final int LINKLAYER_ATM = 2;

    private final long rateBytesPerSecond;
    private final long mult;
    private final int shift;
    private final int overhead;
    private final int mpu;
    private final int linkLayer;

    private PschedRate(long rate, int overhead, int mpu, int linkLayer) {
        this.rateBytesPerSecond = rate;
        this.overhead = overhead & 0xffff;
        this.mpu = mpu & 0xffff;
        this.linkLayer = linkLayer & 0x0f;
        // psched_ratecfg_precompute: the largest mult below 2^31 (or a factor at 2^63).
        long m = 1;
        int s = 0;
        if (rate > 0) {
            long factor = NSEC_PER_SEC;
            while (true) {
                m = Long.divideUnsigned(factor, rate);
                if ((m & (1L << 31)) != 0 || (factor & (1L << 63)) != 0) {
                    break;
                }
                factor <<= 1;
                s++;
            }
        }
        this.mult = m & 0xffffffffL;
        this.shift = s;
    }

    /**
     * The kernel's view of {@code rate} bytes per second with a ratespec's overhead, mpu and link
     * layer ({@link TcLinkLayer#code()}).
     */
    static PschedRate of(long rate, int overhead, int mpu, int linkLayer) {
        return new PschedRate(rate, overhead, mpu, linkLayer);
    }

    /** psched_l2t_ns: nanoseconds to send {@code len} bytes (an unsigned int in the kernel). */
    long nanos(long len) {
        long l = (len + overhead) & 0xffffffffL;
        if (l < mpu) {
            l = mpu;
        }
        if (linkLayer == LINKLAYER_ATM) {
            l = ((l + 47) / 48) * 53;
        }
        // u64 arithmetic: len and mult are both below 2^32, so the product fits 64 unsigned bits.
        return (l * mult) >>> shift;
    }

    /** PSCHED_NS2TICKS of {@link #nanos}, cut to the u32 a dump carries (an unsigned value in a long). */
    long ticks(long len, Psched clock) {
        return Long.divideUnsigned(nanos(len), clock.nanosPerTick()) & 0xffffffffL;
    }

    long rate() {
        return rateBytesPerSecond;
    }

    long mult() {
        return mult;
    }

    int shift() {
        return shift;
    }
}
