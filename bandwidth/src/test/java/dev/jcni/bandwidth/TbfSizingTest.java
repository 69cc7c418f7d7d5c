package dev.jcni.bandwidth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jcni.core.os.netlink.QdiscTbf;
import dev.jcni.core.os.netlink.TcLinkLayer;
import dev.jcni.core.os.netlink.TcOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The queue, peak bucket and default burst, worked out by hand for the rates the tests and benchmark use. */
class TbfSizingTest {
    @ParameterizedTest(name = "{0} B/s, mtu {1}")
    @CsvSource({
        // rate B/s,   mtu,   largest packet, default burst, limit (default latency)
        "125000,       1500,  3028,           12500,         9084",      // 1 Mbit/s: 6 frames (73 ms) beat 5 ms (625 B)
        "1250000,      1500,  3028,           125000,        9084",      // 10 Mbit/s: 6 frames (7.3 ms) beat 5 ms (6250 B)
        "12500000,     1500,  12500,          1250000,       62500",     // 100 Mbit/s: 5 ms
        "125000000,    1500,  65536,          12500000,      625000",    // 1 Gbit/s: 1 ms is 125000 B, GSO's 64 KiB caps it
        "12500000000,  1500,  65536,          1250000000,    62500000",  // 100 Gbit/s
        "125000000000, 1500,  65536,          4294967294,    625000000", // 1 Tbit/s: the burst stays below 4 GB
        "1250000,      9000,  18028,          125000,        54084",     // jumbo frames: 2 frames, 6 frames
        "1250000,      65535, 65549,          125000,        393294"})   // a frame above 64 KiB is still taken whole
    void sizes(long rate, int mtu, long largest, long burst, long limit) {
        assertEquals(largest, TbfSizing.largestPacket(rate, mtu));
        assertEquals(burst, TbfSizing.defaultBurst(rate, mtu));
        assertEquals(limit, TbfSizing.limit(rate, burst, mtu, 0));
    }

    @Test
    void aConfiguredLatencySizesTheQueueAboveTheFloor() {
        assertEquals(62_500, TbfSizing.limit(12_500_000, 1_250_000, 1500, 5_000));
        assertEquals(9_084, TbfSizing.limit(1_250_000, 125_000, 1500, 1_000), "never below 6 frames");
        assertEquals(14_014, TbfSizing.limit(12_500_000, 1_250_000, 1500, 500), "the largest packet (12500 B) and a frame");
        assertEquals(3_125_000, TbfSizing.limit(12_500_000, 1_250_000, 1500, 250_000));
        assertEquals(0xFFFF_FFFFL, TbfSizing.limit(12_500_000_000L, 1_250_000, 1500, 10_000_000), "a u32 at most");
    }

    @Test
    void aQueueAlwaysTakesTheLargestWholePacketAndAFrame() {
        // 1 Gbit/s with 1 ms of latency: 125000 B; the largest packet (64 KiB) + a frame fit.
        assertEquals(125_000, TbfSizing.limit(125_000_000, 12_500_000, 1500, 1_000));
        // 1 Gbit/s, 100 us: 12500 B would drop every 64 KiB GSO packet; 65536 + 1514 instead.
        assertEquals(67_050, TbfSizing.limit(125_000_000, 12_500_000, 1500, 100));
        // A burst below the largest packet makes TBF segment above the burst: the burst decides.
        assertEquals(9_084, TbfSizing.limit(125_000_000, 1_000, 1500, 10));
    }

    @Test
    void thePeakRateNeverPaces() {
        assertEquals(12_500_000_000L, TbfSizing.peak(125_000));
        assertEquals(12_500_000_000L, TbfSizing.peak(6_250_000_000L));
        assertEquals(25_000_000_000L, TbfSizing.peak(12_500_000_000L), "above 50 Gbit/s: twice the rate");
    }

    @Test
    void hugeRatesDoNotOverflow() {
        long rate = 1L << 60;
        assertEquals(rate / 1000, TbfSizing.perMicros(rate, 1_000));
        assertEquals(0xFFFF_FFFFL, TbfSizing.limit(rate, 1_000_000, 1500, 0));
        assertEquals(4_294_967_294L, TbfSizing.defaultBurst(rate, 1500));
    }

    @Test
    void theTbfSetsEveryParameterCheckCompares() {
        TcOptions tbf = TbfSizing.tbf(1_250_000, 0, 1500, 0);
        assertEquals(TcOptions.of(QdiscTbf.KIND).with(QdiscTbf.RATE, 1_250_000L).with(QdiscTbf.BURST, 125_000L)
                .with(QdiscTbf.LIMIT, 9_084L).with(QdiscTbf.PEAKRATE, 12_500_000_000L).with(QdiscTbf.PBURST, 3028L)
                .with(QdiscTbf.MPU, 0).with(QdiscTbf.OVERHEAD, 0).with(QdiscTbf.LINKLAYER, TcLinkLayer.ETHERNET), tbf);
        assertEquals(20_000L, TbfSizing.tbf(1_250_000, 20_000, 1500, 0).get(QdiscTbf.BURST), "a configured burst is kept");
    }

    /** perMicros against exact arithmetic: floor(rate * micros / 10^6), saturated at 2^63 - 1. */
    @Test
    void perMicrosIsExactOrSaturates() {
        java.util.Random random = new java.util.Random(20260130L);
        long[][] cases = new long[500][];
        // Where the overflow guard is exactly at its edge: 1152921504606 * 8e6 <= 2^63 - 1 < 1152921504607 * 8e6.
        cases[0] = new long[] {1_152_921_504_606_000_000L, 8_000_000};
        cases[1] = new long[] {1_152_921_504_607_000_000L, 8_000_000};
        cases[2] = new long[] {1L << 60, 10_000_000};
        cases[3] = new long[] {Long.MAX_VALUE, 1_000_000};
        for (int i = 4; i < cases.length; i++) {
            cases[i] = new long[] {random.nextLong() >>> (3 + random.nextInt(60)), 1 + random.nextInt(10_000_000)};
        }
        java.math.BigInteger max = java.math.BigInteger.valueOf(Long.MAX_VALUE);
        for (long[] c : cases) {
            java.math.BigInteger exact = java.math.BigInteger.valueOf(c[0]).multiply(java.math.BigInteger.valueOf(c[1]))
                    .divide(java.math.BigInteger.valueOf(1_000_000));
            assertEquals(exact.min(max).longValueExact(), TbfSizing.perMicros(c[0], c[1]), c[0] + " B/s for " + c[1] + " us");
        }
    }
}
