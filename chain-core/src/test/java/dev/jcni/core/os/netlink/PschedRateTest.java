package dev.jcni.core.os.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The kernel's byte-to-time arithmetic (psched_ratecfg_precompute, psched_l2t_ns) against the
 * buffer ticks kernel 6.18 reported ({@code tc -raw qdisc show}) for TBFs added with
 * {@code tc qdisc replace ... tbf rate R bps burst B limit 100000 overhead O mpu M}: TBF turns
 * TCA_TBF_BURST into ticks itself, so these are the kernel's own numbers.
 */
class PschedRateTest {
    private static final Psched CLOCK = Psched.standard();

    /** rate B/s, burst B, overhead, mpu, the ticks the kernel reported. */
    private static final long[][] KERNEL = {
        {1_250_000, 125_000, 0, 0, 0x0017d784L},
        {8_000_000, 12_345, 0, 0, 0x5e2fL},
        {1_000_001, 3_333, 0, 0, 0xcb6eL},
        {123_456_789, 777_777, 0, 0, 0x18085L},
        {77, 1_500, 0, 0, 0x1224848cL},
        {5_000_000_000L, 300_000, 0, 0, 0x3a9L},
        {5_000_000_000L, 300_000, 14, 64, 0x3a9L},
        // Seeded random pairs (random.Random(11)); several wrap the u32 tick field, as the dump does.
        {75_141_377, 536_776, 38, 0, 0x0001b409L},
        {1_543, 179_874_664, 38, 90, 0x189d0aefL},
        {2_581, 253_696, 0, 90, 0x5b8b0a66L},
        {5_346, 694_629, 0, 90, 0x7902c2f3L},
        {3_708_698_330L, 240_823, 14, 0, 0x000003f6L},
        {75_593_674, 463_010_789, 38, 0, 0x05b44ffcL},
        {277, 743_335, 38, 90, 0xc359b2b7L},
        {2_803_488_257L, 326_327, 14, 0, 0x0000071aL},
        {678_087_448, 487_525, 38, 0, 0x00002be2L},
        {4_957_466_635L, 441_195, 0, 0, 0x0000056eL},
        {4_421, 895_880, 0, 0, 0xbcb99a3dL},
        {2_398, 1_412_852_770, 38, 0, 0x6c4fb58eL},
    };

    @Test
    void ticksAreTheKernels() {
        for (long[] row : KERNEL) {
            PschedRate r = PschedRate.of(row[0], (int) row[2], (int) row[3], TcLinkLayer.ETHERNET.code());
            assertEquals(row[4], r.ticks(row[1], CLOCK), "rate " + row[0] + " burst " + row[1]);
        }
    }

    @Test
    void multAndShiftAsPrecomputed() {
        // 8e6 B/s: 125 ns per byte; mult grows by doubling until bit 31: 125 << 25, shift 25.
        PschedRate r = PschedRate.of(8_000_000, 0, 0, 1);
        assertEquals(125L << 25, r.mult());
        assertEquals(25, r.shift());
        assertEquals(1_543_125, r.nanos(12_345));
        // 5e9 B/s: 0.2 ns per byte; floor(0.2 * 2^34) = 3435973836.
        PschedRate fast = PschedRate.of(5_000_000_000L, 0, 0, 1);
        assertEquals(3_435_973_836L, fast.mult());
        assertEquals(34, fast.shift());
    }

    @Test
    void overheadMpuAndAtmCells() {
        PschedRate eth = PschedRate.of(1_000_000, 0, 64, TcLinkLayer.ETHERNET.code());
        assertEquals(64_000, eth.nanos(10), "a 10-byte packet is charged as the mpu's 64");
        PschedRate framed = PschedRate.of(1_000_000, 14, 0, TcLinkLayer.ETHERNET.code());
        assertEquals(1_014_000, framed.nanos(1000));
        // ATM: 1000 bytes need 21 cells of 48, sent as 21 * 53 = 1113 bytes.
        PschedRate atm = PschedRate.of(1_000_000, 0, 0, TcLinkLayer.ATM.code());
        assertEquals(1_113_000, atm.nanos(1000));
    }
}
