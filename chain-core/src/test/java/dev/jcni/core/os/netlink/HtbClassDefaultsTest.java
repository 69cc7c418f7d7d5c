package dev.jcni.core.os.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * HTB classes as tc's q_htb.c fills them in: ceil defaults to the rate, a burst to rate / hz +
 * mtu (1600) sent as its transmission time in ticks (tc_calc_xmittime), and CHECK compares the
 * bursts in ticks. tc_htb_opt: rate spec at 0, ceil spec at 12 (its rate field at +8), buffer at
 * 24, cbuffer at 28.
 */
class HtbClassDefaultsTest {
    /** A kernel with a 1 MHz clock source and HZ 100 (/proc/net/psched without the fourth field). */
    private static final Psched HZ100 = Psched.parse("000003e8 00000040 000f4240");

    private static byte[] parms(TcOptions options, Psched clock) {
        TcWire.Writer w = options.kind().encode(options, clock);
        NetlinkMessageBuilder m = new NetlinkMessageBuilder(0, 0);
        w.writeAs(m, TcMessages.TCA_OPTIONS, false);
        byte[] b = m.build(1, 0);
        AttributeReader a = new AttributeReader(b, 16, b.length);
        a.next();
        return TcWire.Reader.nested(a.bytes()).get(QdiscHtbClass.TCA_HTB_PARMS);
    }

    @Test
    void ceilAndBurstsDefaultAsTcs() {
        byte[] p = parms(TcOptions.of(QdiscHtbClass.KIND).with(QdiscHtbClass.RATE, 1_250_000L), HZ100);
        assertEquals(1_250_000L, TcWire.u32(p, 12 + 8), "ceil = rate");
        // burst = 1250000 / 100 + 1600 = 14100 B: 11280 us at 1.25 MB/s, 15.625 ticks per us
        assertEquals(176_250L, TcWire.u32(p, 24));
        assertEquals(176_250L, TcWire.u32(p, 28), "cburst from the ceil, the same");
    }

    @Test
    void aClassWithoutRateIsRefusedByTheRow() {
        TcOptions noRate = TcOptions.of(QdiscHtbClass.KIND).with(QdiscHtbClass.CEIL, 1000L);
        assertEquals("htb needs rate", assertThrows(IllegalArgumentException.class,
                () -> noRate.kind().encode(noRate, HZ100)).getMessage());
    }

    @Test
    void burstsAreComparedInTicks() {
        Psched clock = Psched.standard();
        TcOptions wanted = QdiscHtbClass.options(1_250_000, 1_250_000, 125_000, 1514);
        // 125000 B at 1.25 MB/s: 100 ms = 1562500 ticks; the kernel holds the burst's but another cburst
        TcOptions actual = new TcOptions.Builder(QdiscHtbClass.KIND).set(QdiscHtbClass.RATE, 1_250_000L)
                .set(QdiscHtbClass.CEIL, 1_250_000L).set(QdiscHtbClass.BUFFER, 1_562_500L)
                .set(QdiscHtbClass.CBUFFER, 1_000_000L).set(QdiscHtbClass.BURST, 125_000L)
                .set(QdiscHtbClass.CBURST, 80_000L).set(QdiscHtbClass.QUANTUM, 1514L).build();
        assertEquals(List.of("cburst 125000 = 1562500 ticks (kernel: 1000000 ticks, cburst 80000)"),
                wanted.differences(actual, clock));
    }
}
