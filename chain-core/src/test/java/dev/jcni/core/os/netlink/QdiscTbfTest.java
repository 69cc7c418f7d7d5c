package dev.jcni.core.os.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** TBF's arithmetic and its table's rules, against tc's numbers on this machine. */
class QdiscTbfTest {
    private static final Psched CLOCK = Psched.standard();

    @Test
    void limitFromLatencyAsTc() {
        // tc qdisc replace dev X root tbf rate <R>bps burst <B> latency <L>; limit as tc -raw showed it.
        assertEquals(156_250, QdiscTbf.limitForLatency(1_250_000, 125_000, 25_000));
        assertEquals(16_250, QdiscTbf.limitForLatency(125_000, 10_000, 50_000));
        assertEquals(15_971, QdiscTbf.limitForLatency(972_222, 3_333, 13_000), "12638.886 + 3333, truncated");
        assertEquals(5_300_000, QdiscTbf.limitForLatency(5_000_000_000L, 300_000, 1_000));
        assertEquals(6_438, QdiscTbf.limitForLatency(12_345, 1_500, 400_000));
        assertEquals(17, QdiscTbf.limitForLatency(100, 10, 70_000));
        // The reference bandwidth plugin's fixed 25 ms: rate 1000 B/s, burst 10 B -> limit 35.
        assertEquals(35, QdiscTbf.limitForLatency(1000, 10, 25_000));
    }

    @Test
    void latencyAsTcPrintsIt() {
        assertEquals(25_000.0, QdiscTbf.latencyMicros(1_250_000, 156_250, 1_562_500, CLOCK), 1e-6);
        // tc printed "lat 21us" for rate 40gbit, limit 400000, 937 ticks: 80 us - 59.968 us.
        assertEquals(20.032, QdiscTbf.latencyMicros(5_000_000_000L, 400_000, 937, CLOCK), 1e-9);
        assertTrue(QdiscTbf.latencyMicros(1_250_000, 100_000, 1_562_500, CLOCK) < 0, "limit below the burst");
    }

    @Test
    void requiredRowsAndRanges() {
        TcOptions noRate = TcOptions.of(QdiscTbf.KIND).with(QdiscTbf.BURST, 1000L).with(QdiscTbf.LIMIT, 2000L);
        assertEquals("tbf needs rate", assertThrows(IllegalArgumentException.class,
                () -> QdiscTbf.KIND.encode(noRate, CLOCK)).getMessage());
        TcOptions noLimit = TcOptions.of(QdiscTbf.KIND).with(QdiscTbf.RATE, 1000L).with(QdiscTbf.BURST, 1000L);
        assertEquals("tbf needs limit", assertThrows(IllegalArgumentException.class,
                () -> QdiscTbf.KIND.encode(noLimit, CLOCK)).getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> QdiscTbf.KIND.encode(QdiscTbf.options(1000, 1L << 32, 2000), CLOCK), "TCA_TBF_BURST is a u32");
        assertThrows(IllegalArgumentException.class, () -> QdiscTbf.KIND.encode(QdiscTbf.options(1000, 0, 2000), CLOCK));
        assertThrows(IllegalArgumentException.class, () -> QdiscTbf.KIND.encode(QdiscTbf.options(0, 10, 2000), CLOCK));
        assertThrows(IllegalArgumentException.class,
                () -> QdiscTbf.KIND.encode(QdiscTbf.options(1000, 10, 2000).with(QdiscTbf.MPU, 70_000), CLOCK));
    }

    @Test
    void aPeakRateNeedsItsBucketAndMustExceedTheRate() {
        TcOptions tbf = QdiscTbf.options(125_000, 12_500, 15_140);
        assertEquals("tbf peakrate needs pburst (tc's mtu)", assertThrows(IllegalArgumentException.class,
                () -> QdiscTbf.KIND.encode(tbf.with(QdiscTbf.PEAKRATE, 1_000_000L), CLOCK)).getMessage());
        assertEquals("tbf pburst needs a peakrate", assertThrows(IllegalArgumentException.class,
                () -> QdiscTbf.KIND.encode(tbf.with(QdiscTbf.PBURST, 3028L), CLOCK)).getMessage());
        assertEquals("tbf peakrate 125000 must exceed the rate 125000", assertThrows(IllegalArgumentException.class,
                () -> QdiscTbf.KIND.encode(tbf.with(QdiscTbf.PEAKRATE, 125_000L).with(QdiscTbf.PBURST, 3028L), CLOCK)).getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> QdiscTbf.KIND.encode(tbf.with(QdiscTbf.PEAKRATE, 1_000_000L).with(QdiscTbf.PBURST, 0L), CLOCK));
        assertThrows(IllegalArgumentException.class,
                () -> QdiscTbf.KIND.encode(tbf.with(QdiscTbf.PEAKRATE, 1_000_000L).with(QdiscTbf.PBURST, 1L << 32), CLOCK));
    }

    @Test
    void cellLogFollowsTheMtuAsTcComputesIt() {
        assertEquals(3, TcRateSpec.cellLog(0), "tc's default mtu 2047");
        assertEquals(3, TcRateSpec.cellLog(2047));
        assertEquals(4, TcRateSpec.cellLog(2048));
        assertEquals(4, TcRateSpec.cellLog(3028));
        assertEquals(9, TcRateSpec.cellLog(65536));
        assertEquals(0, TcRateSpec.cellLog(255));
    }

    @Test
    void burstIsComparedInTheKernelsTicks() {
        // What a dump of "rate 8e6 B/s, burst 12345" says: 24111 ticks (the kernel's), burst 12344 as tc prints it.
        TcOptions actual = TcOptions.of(QdiscTbf.KIND).with(QdiscTbf.RATE, 8_000_000L).with(QdiscTbf.LIMIT, 100_000L)
                .with(QdiscTbf.BUFFER, 24_111L).with(QdiscTbf.BURST, CLOCK.xmitSize(8_000_000, 24_111));
        assertEquals(12_344, actual.get(QdiscTbf.BURST), "one byte short as read back: ticks are coarser than bytes");
        assertEquals(List.of(), QdiscTbf.options(8_000_000, 12_345, 100_000).differences(actual, CLOCK));
        // 12350 B would be 24121 ticks: a different bucket, whatever the bytes print as.
        assertEquals(List.of("burst 12350 = 24121 ticks (kernel: 24111 ticks, burst 12344)"),
                QdiscTbf.options(8_000_000, 12_350, 100_000).differences(actual, CLOCK));
        assertEquals(List.of("rate 8000001 (kernel: rate 8000000)", "limit 100001 (kernel: limit 100000)"),
                QdiscTbf.options(8_000_001, 12_345, 100_001).differences(actual, CLOCK).subList(0, 2));
    }

    @Test
    void readOnlyRowsAreNotSent() throws Exception {
        TcOptions withBuffer = QdiscTbf.options(1_250_000, 125_000, 156_250).with(QdiscTbf.BUFFER, 7L);
        NetlinkMessageBuilder a = TcMessages.withOptions(TcMessages.header(36, 0, 1, 0, 0, 0), withBuffer, CLOCK);
        NetlinkMessageBuilder b = TcMessages.withOptions(TcMessages.header(36, 0, 1, 0, 0, 0),
                QdiscTbf.options(1_250_000, 125_000, 156_250), CLOCK);
        assertEquals(Hex.format(b.build(1, 0)), Hex.format(a.build(1, 0)));
    }
}
