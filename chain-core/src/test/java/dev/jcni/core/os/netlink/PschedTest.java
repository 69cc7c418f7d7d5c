package dev.jcni.core.os.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Tick arithmetic against the numbers tc and the kernel produce. "tc 6.1" values were read on
 * this machine (Debian 12, iproute2 6.1.0, kernel 6.18) with {@code tc -raw -d class show} after
 * {@code tc class add ... htb rate R burst B} (HTB sends tc's ticks unchanged) and from tc's TBF
 * requests; where 6.1's truncation and 6.15's rounding part, the 6.15 value is worked out by hand
 * from its formula, ceil(15.625 * 1e6 * size / rate).
 */
class PschedTest {
    private static final Psched CLOCK = Psched.standard();

    @Test
    void procNetPschedOfEveryModernKernel() {
        Psched p = Psched.parse("000003e8 00000040 000f4240 3b9aca00\n");
        assertEquals(15.625, p.tickInUsec());
        assertEquals(64, p.nanosPerTick());
        assertEquals(1_000_000_000L, p.hz());
        assertEquals(CLOCK.tickInUsec(), p.tickInUsec());
    }

    @Test
    void nanosecondResolutionCompatibilityHack() {
        // tc_core_init: with clock_res 1e9 the kernel's t2us of 1000 "really is 1": t2us = us2t.
        Psched p = Psched.parse("000003e8 00000001 3b9aca00 3b9aca00");
        assertEquals(1000.0, p.tickInUsec());
        assertEquals(1, p.nanosPerTick());
        assertEquals(100, p.hz(), "get_hz only trusts the fourth field at a 1 MHz clock; else HZ");
    }

    @Test
    void malformedFilesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Psched.parse("000003e8 00000040"));
        assertThrows(IllegalArgumentException.class, () -> Psched.parse("zz 00000040 000f4240 3b9aca00"));
        assertThrows(IllegalArgumentException.class, () -> Psched.parse("000003e8 00000000 000f4240 3b9aca00"));
    }

    @Test
    void systemClockIsTheStandardOne() throws Exception {
        // Every kernel since 2.6.31 prints the same four numbers.
        assertEquals(64, Psched.system().nanosPerTick());
        assertEquals(15.625, Psched.system().tickInUsec());
    }

    @Test
    void xmitTicksWhereTc61AndTc615Agree() {
        // tc 6.1 on this machine: rate 10mbit burst 125000 (tbf and htb), 100mbit/12500, 5mbit/20000,
        // 20mbit/125000, 1mbit/10000, 125000 B/s / 1600, 100gbit/125000000.
        assertEquals(1_562_500, CLOCK.xmitTicks(1_250_000, 125_000));
        assertEquals(15_625, CLOCK.xmitTicks(12_500_000, 12_500));
        assertEquals(500_000, CLOCK.xmitTicks(625_000, 20_000));
        assertEquals(781_250, CLOCK.xmitTicks(2_500_000, 125_000));
        assertEquals(1_250_000, CLOCK.xmitTicks(125_000, 10_000));
        assertEquals(200_000, CLOCK.xmitTicks(125_000, 1600));
        assertEquals(156_250, CLOCK.xmitTicks(12_500_000_000L, 125_000_000));
    }

    @Test
    void xmitTicksRoundsUpWhereTc61Truncated() {
        // tc 6.1 -> 6.15 (hand-computed 15.625e6 * size / rate, then ceil):
        // 12345 B at 8e6 B/s: 1543.125 us; 6.1: 1543 us -> 24109; exact 24111.328125 -> 24112.
        assertEquals(24_112, CLOCK.xmitTicks(8_000_000, 12_345));
        // 15360 B (tc's "15k") at 100mbit: 1228.8 us; 6.1: 1228 us -> 19187; exact 19200.
        assertEquals(19_200, CLOCK.xmitTicks(12_500_000, 15_360));
        // 4500 B at 3e6 B/s: 1500 us, 23437.5 ticks; 6.1 truncates to 23437, 6.15 rounds up.
        assertEquals(23_438, CLOCK.xmitTicks(3_000_000, 4500));
        // HTB's default burst at 100gbit (rate/hz + 1600 = 1612 B): 6.1 gives 0 ticks, a bucket of nothing.
        assertEquals(3, CLOCK.xmitTicks(12_500_000_000L, 1612));
        // 5000 B at 977 B/s: 5117707.267 us; 6.1: 79964171; exact 79964176.049 -> 79964177.
        assertEquals(79_964_177, CLOCK.xmitTicks(977, 5000));
    }

    @Test
    void xmitTicksCapsAtUintMax() {
        assertEquals(0xffffffffL, CLOCK.xmitTicks(1, 0xffffffffL));
        assertThrows(IllegalArgumentException.class, () -> CLOCK.xmitTicks(0, 1));
    }

    @Test
    void xmitSizeIsWhatTcPrintsAsBurst() {
        assertEquals(125_000, CLOCK.xmitSize(1_250_000, 1_562_500));
        assertEquals(20_000, CLOCK.xmitSize(625_000, 500_000));
        // 937 ticks = 59.968 us; at 5e9 B/s 299840 B (tc 6.1 printed 295000b: it truncated to 59 us).
        assertEquals(299_840, CLOCK.xmitSize(5_000_000_000L, 937));
        // 19187 ticks = 1227.968 us at 12.5e6 B/s = 15349.6 B.
        assertEquals(15_349, CLOCK.xmitSize(12_500_000, 19_187));
        assertEquals(0, CLOCK.xmitSize(1_250_000, 0));
    }

    @Test
    void timeConversions() {
        assertEquals(15.625, CLOCK.timeToTicks(1));
        assertEquals(1562500.0, CLOCK.timeToTicks(100_000));
        assertEquals(100_000.0, CLOCK.ticksToTime(1_562_500));
        assertEquals(25_000, CLOCK.timeToKtime(25_000), "clock factor 1 at a 1 MHz clock resolution");
    }
}
