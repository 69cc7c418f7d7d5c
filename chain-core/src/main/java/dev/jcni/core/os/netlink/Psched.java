package dev.jcni.core.os.netlink;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The packet scheduler's clock, from {@code /proc/net/psched}, and the conversions between bytes,
 * time and scheduler ticks that {@code tc} does (iproute2's tc_core.c). Qdisc parameters such as
 * TBF's and HTB's {@code buffer} travel in ticks: the time the burst takes at the rate.
 *
 * <p>The file holds four hex numbers: t2us, us2t, the clock resolution and the timer frequency.
 * On every kernel since 2.6.31 they are {@code 000003e8 00000040 000f4240 3b9aca00}: a tick is
 * 64 ns, {@value #TIME_UNITS_PER_SEC} time units (µs) per second, 15.625 ticks per µs.
 *
 * <p>The arithmetic is that of iproute2 6.15 and later (commit d947f365, "Fix rounding in
 * tc_calc_xmittime and tc_calc_xmitsize"): in floating point, {@link #xmitTicks} rounded up so the
 * bucket holds the whole burst. Older tc (6.1 on Debian 12) truncated twice on the way (to whole
 * microseconds, then to whole ticks), so a 1612-byte HTB buffer at 100 Gbit/s became 0 ticks; the
 * two agree when the burst lasts a whole number of ticks of whole microseconds (a multiple of 8 µs).
 */
public final class Psched {
    /** TIME_UNITS_PER_SEC: tc's time unit is the microsecond. */
    public static final long TIME_UNITS_PER_SEC = 1_000_000L;
    private static final long UINT_MAX = 0xffffffffL;
    private static final Path FILE = Path.of("/proc/net/psched");
    private static volatile Psched system;

    private final double tickInUsec;
    private final double clockFactor;
    private final long hz;
    private final long nanosPerTick;

    private Psched(long t2us, long us2t, long clockRes, long hz) {
        if (us2t == 0 || clockRes == 0) {
            throw new IllegalArgumentException("psched: zero divisor (us2t " + us2t + ", clock resolution " + clockRes + ")");
        }
        // tc_core_init: "the kernel advertises a tick multiplier of 1000 in case of nano-second
        // resolution, which really is 1".
        long t2usEffective = clockRes == 1_000_000_000L ? us2t : t2us;
        this.clockFactor = (double) clockRes / TIME_UNITS_PER_SEC;
        this.tickInUsec = (double) t2usEffective / us2t * clockFactor;
        // __get_hz: the fourth field is the timer frequency when the resolution is 1 MHz.
        this.hz = clockRes == 1_000_000L && hz != 0 ? hz : 100;
        this.nanosPerTick = Math.round(1000.0 / tickInUsec);
    }

    /** The clock of the running kernel, read once per process (it is the same in every namespace). */
    public static Psched system() throws OsException {
        Psched p = system;
        if (p == null) {
            try {
                p = parse(new String(Files.readAllBytes(FILE), StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw OsException.fromErrno("read " + FILE, Errno.EIO, e.toString());
            } catch (IllegalArgumentException e) {
                throw OsException.fromErrno("read " + FILE, Errno.EPROTO, e.getMessage());
            }
            system = p;
        }
        return p;
    }

    /** Parses the text of {@code /proc/net/psched}: four 8-digit hex numbers. */
    public static Psched parse(String text) {
        String[] f = text.trim().split("\\s+");
        if (f.length < 3) {
            throw new IllegalArgumentException("psched: expected 4 hex fields, got \"" + text.trim() + "\"");
        }
        try {
            return new Psched(Long.parseLong(f[0], 16), Long.parseLong(f[1], 16), Long.parseLong(f[2], 16),
                    f.length > 3 ? Long.parseLong(f[3], 16) : 0);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("psched: not hex: \"" + text.trim() + "\"", e);
        }
    }

    /** The clock of every kernel since 2.6.31 ({@code 000003e8 00000040 000f4240 3b9aca00}); for tests and fakes. */
    public static Psched standard() {
        return new Psched(1000, 64, 1_000_000, 1_000_000_000);
    }

    /** Scheduler ticks per microsecond (15.625). */
    public double tickInUsec() {
        return tickInUsec;
    }

    /** Nanoseconds per tick (64): the kernel's PSCHED_TICKS2NS(1). */
    public long nanosPerTick() {
        return nanosPerTick;
    }

    /** The timer frequency tc's get_hz() sees; HTB's default burst is rate / hz + mtu. */
    public long hz() {
        return hz;
    }

    /** tc_core_time2tick: microseconds to ticks, unrounded. */
    public double timeToTicks(double micros) {
        return micros * tickInUsec;
    }

    /** tc_core_tick2time: ticks to microseconds, unrounded. */
    public double ticksToTime(double ticks) {
        return ticks / tickInUsec;
    }

    /** tc_core_time2ktime: microseconds to the kernel's clock units. */
    public long timeToKtime(long micros) {
        return (long) (micros * clockFactor);
    }

    /**
     * tc_calc_xmittime: the ticks {@code size} bytes take at {@code rate} bytes per second, rounded
     * up and capped at UINT_MAX (an unsigned u32 in a long).
     */
    public long xmitTicks(long rate, long size) {
        if (rate <= 0) {
            throw new IllegalArgumentException("rate must be positive: " + rate);
        }
        double ticks = Math.ceil(timeToTicks(TIME_UNITS_PER_SEC * ((double) size / (double) rate)));
        return ticks > UINT_MAX ? UINT_MAX : (long) ticks;
    }

    /** tc_calc_xmitsize: the bytes sent in {@code ticks} (unsigned u32) at {@code rate}, rounded down. */
    public long xmitSize(long rate, long ticks) {
        return (long) (((double) rate * ticksToTime(ticks & UINT_MAX)) / TIME_UNITS_PER_SEC);
    }

    @Override
    public String toString() {
        return "Psched{" + tickInUsec + " ticks/us, hz " + hz + "}";
    }
}
