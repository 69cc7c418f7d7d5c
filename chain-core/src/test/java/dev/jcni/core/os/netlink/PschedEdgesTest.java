package dev.jcni.core.os.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The scheduler clock and rates at their edges, against iproute2's tc_core.c and the kernel's
 * psched_ratecfg_precompute (net/sched/sch_generic.c).
 */
class PschedEdgesTest {
    @Test
    void threeFieldsAreEnoughAndHzDefaultsTo100() {
        // tc's tc_core_init reads three fields; __get_hz falls back to HZ 100 without the fourth
        Psched p = Psched.parse("000003e8 00000040 000f4240");
        assertEquals(100, p.hz());
        assertEquals(15.625, p.tickInUsec());
        assertEquals(64, p.nanosPerTick());
    }

    @Test
    void timeToKtimeScalesByTheClockResolution() {
        // tc_core_time2ktime: time * clock_factor, clock_factor = clock_res / TIME_UNITS_PER_SEC
        assertEquals(5000, Psched.parse("000003e8 00000040 3b9aca00 3b9aca00").timeToKtime(5), "1 GHz clock: 1000 per us");
        assertEquals(5, Psched.standard().timeToKtime(5));
    }

    @Test
    void describesItself() {
        assertEquals("Psched{15.625 ticks/us, hz 1000000000}", Psched.standard().toString());
    }

    @Test
    void aZeroRateHasMultOneAndShiftZero() {
        // psched_ratecfg_precompute: mult 1, shift 0 unless the rate is above 0
        PschedRate zero = PschedRate.of(0, 0, 0, 1);
        assertEquals(1, zero.mult());
        assertEquals(0, zero.shift());
        assertEquals(0, zero.rate());
        assertEquals(125_000, PschedRate.of(125_000, 0, 0, 1).rate());
    }
}
