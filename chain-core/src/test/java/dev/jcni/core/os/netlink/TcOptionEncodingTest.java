package dev.jcni.core.os.netlink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The options of tbf qdiscs and htb classes as they go on the wire, field by field, from the
 * structs of linux/pkt_sched.h: struct tc_ratespec {u8 cell_log; u8 linklayer; u16 overhead;
 * s16 cell_align; u16 mpu; u32 rate} (12 bytes); tc_tbf_qopt {rate, peakrate, limit, buffer, mtu};
 * tc_htb_opt {rate, ceil, buffer, cbuffer, quantum, level, prio}. tc (q_tbf.c, q_htb.c) sends
 * the 64-bit rate attributes only for rates of 2^32 and more, and writes mpu and overhead into
 * every rate spec of the object.
 */
class TcOptionEncodingTest {
    private static final Psched CLOCK = Psched.standard();
    private static final int OVERHEAD = 2;
    private static final int MPU = 6;
    private static final int RATE = 8;
    private static final int PEAK_SPEC = 12;
    private static final int CEIL_SPEC = 12;

    /** The options as the kernel receives them, read back attribute by attribute. */
    private static TcWire.Reader wire(TcOptions options) throws Exception {
        NetlinkMessageBuilder m = new NetlinkMessageBuilder(TcMessages.RTM_NEWQDISC, 0);
        options.kind().encode(options, CLOCK).writeAs(m, TcMessages.TCA_OPTIONS, false);
        byte[] b = m.build(1, 0);
        NetlinkMessage msg = NetlinkMessage.parseAll(b, b.length).get(0);
        AttributeReader a = msg.attributes(0);
        assertTrue(a.next());
        assertEquals(TcMessages.TCA_OPTIONS, a.type());
        return TcWire.Reader.nested(a.bytes());
    }

    private static String refusal(TcOptions options) {
        return assertThrows(IllegalArgumentException.class, () -> options.kind().encode(options, CLOCK)).getMessage();
    }

    @Test
    void tbfRatesMustBePositive() {
        assertEquals("tbf rate must be positive: 0", refusal(QdiscTbf.options(0, 1000, 2000)));
        assertEquals("tbf peakrate must be positive: 0", refusal(QdiscTbf.options(1000, 1000, 2000)
                .with(QdiscTbf.PEAKRATE, 0L).with(QdiscTbf.PBURST, 1500L)));
    }

    @Test
    void tbfSendsRate64FromTwoToThe32() throws Exception {
        TcWire.Reader at = wire(QdiscTbf.options(1L << 32, 100_000, 200_000));
        assertEquals(1L << 32, at.u64(QdiscTbf.TCA_TBF_RATE64));
        assertEquals(0xffffffffL, TcWire.u32(at.get(QdiscTbf.TCA_TBF_PARMS), RATE), "the struct's field saturated");
        TcWire.Reader below = wire(QdiscTbf.options((1L << 32) - 1, 100_000, 200_000));
        assertNull(below.get(QdiscTbf.TCA_TBF_RATE64));
        assertEquals(0xffffffffL, TcWire.u32(below.get(QdiscTbf.TCA_TBF_PARMS), RATE));
    }

    @Test
    void tbfSendsPeakRate64FromTwoToThe32() throws Exception {
        TcWire.Reader at = wire(QdiscTbf.options(1000, 10_000, 20_000).with(QdiscTbf.PEAKRATE, 1L << 32)
                .with(QdiscTbf.PBURST, 3000L));
        assertEquals(1L << 32, at.u64(QdiscTbf.TCA_TBF_PRATE64));
        TcWire.Reader below = wire(QdiscTbf.options(1000, 10_000, 20_000).with(QdiscTbf.PEAKRATE, (1L << 32) - 1)
                .with(QdiscTbf.PBURST, 3000L));
        assertNull(below.get(QdiscTbf.TCA_TBF_PRATE64));
        assertEquals(0xffffffffL, TcWire.u32(below.get(QdiscTbf.TCA_TBF_PARMS), PEAK_SPEC + RATE));
    }

    @Test
    void tbfMpuAndOverheadGoIntoTheRateAndThePeakSpec() throws Exception {
        byte[] parms = wire(QdiscTbf.options(125_000, 12_500, 15_140).with(QdiscTbf.PEAKRATE, 1_250_000_000L)
                .with(QdiscTbf.PBURST, 3028L).with(QdiscTbf.MPU, 64).with(QdiscTbf.OVERHEAD, 14))
                .get(QdiscTbf.TCA_TBF_PARMS);
        assertEquals(64, TcWire.u16(parms, MPU));
        assertEquals(14, TcWire.u16(parms, OVERHEAD));
        assertEquals(64, TcWire.u16(parms, PEAK_SPEC + MPU));
        assertEquals(14, TcWire.u16(parms, PEAK_SPEC + OVERHEAD));
        assertEquals(1_250_000_000L, TcWire.u32(parms, PEAK_SPEC + RATE));
        byte[] none = wire(QdiscTbf.options(125_000, 12_500, 15_140).with(QdiscTbf.PEAKRATE, 1_250_000_000L)
                .with(QdiscTbf.PBURST, 3028L)).get(QdiscTbf.TCA_TBF_PARMS);
        assertEquals(0, TcWire.u16(none, PEAK_SPEC + MPU));
        assertEquals(0, TcWire.u16(none, PEAK_SPEC + OVERHEAD));
    }

    @Test
    void htbRatesMustBePositive() {
        assertEquals("htb rate must be positive: 0", refusal(QdiscHtbClass.options(0, 1000, 1600, 1500)));
        assertEquals("htb ceil must be positive: 0", refusal(QdiscHtbClass.options(1000, 0, 1600, 1500)));
    }

    @Test
    void htbSendsRate64AboveTheU32Range() throws Exception {
        TcWire.Reader max = wire(QdiscHtbClass.options(0xffffffffL, 0xffffffffL, 1_000_000, 1500));
        assertNull(max.get(QdiscHtbClass.TCA_HTB_RATE64), "2^32-1 fits the struct's field");
        assertNull(max.get(QdiscHtbClass.TCA_HTB_CEIL64));
        TcWire.Reader above = wire(QdiscHtbClass.options(1L << 32, (1L << 32) + 1, 1_000_000, 1500));
        assertEquals(1L << 32, above.u64(QdiscHtbClass.TCA_HTB_RATE64));
        assertEquals((1L << 32) + 1, above.u64(QdiscHtbClass.TCA_HTB_CEIL64));
    }

    @Test
    void htbMpuAndOverheadGoIntoTheRateAndTheCeilSpec() throws Exception {
        byte[] parms = wire(QdiscHtbClass.options(1_250_000, 2_500_000, 125_000, 1514)
                .with(QdiscHtbClass.MPU, 64).with(QdiscHtbClass.OVERHEAD, 14)).get(QdiscHtbClass.TCA_HTB_PARMS);
        assertEquals(64, TcWire.u16(parms, MPU));
        assertEquals(64, TcWire.u16(parms, CEIL_SPEC + MPU));
        assertEquals(14, TcWire.u16(parms, OVERHEAD));
        assertEquals(14, TcWire.u16(parms, CEIL_SPEC + OVERHEAD));
    }

    @Test
    void htbMpuOverheadAndLinkLayerAreReadBack() {
        byte[] parms = new byte[44];
        TcWire.putU16(parms, MPU, 64);
        TcWire.putU16(parms, OVERHEAD, 14);
        TcWire.putU8(parms, 1, 2); // TC_LINKLAYER_ATM
        TcWire.putU32(parms, RATE, 1000);
        NetlinkMessageBuilder m = new NetlinkMessageBuilder(0, 0);
        m.attrBytes(QdiscHtbClass.TCA_HTB_PARMS, parms);
        byte[] b = m.build(1, 0);
        TcWire.Reader in = TcWire.Reader.nested(java.util.Arrays.copyOfRange(b, 16, b.length));
        assertEquals(64, QdiscHtbClass.MPU.decode(in, CLOCK));
        assertEquals(14, QdiscHtbClass.OVERHEAD.decode(in, CLOCK));
        assertEquals(TcLinkLayer.ATM, QdiscHtbClass.LINKLAYER.decode(in, CLOCK));
        TcWire.Reader empty = TcWire.Reader.nested(null);
        assertNull(QdiscHtbClass.MPU.decode(empty, CLOCK));
        assertNull(QdiscHtbClass.OVERHEAD.decode(empty, CLOCK));
        assertNull(QdiscHtbClass.LINKLAYER.decode(empty, CLOCK));
    }

    @Test
    void tcWireBounds() {
        assertEquals(0, TcWire.checkU32("x", 0));
        assertEquals(0xffffffffL, TcWire.checkU32("x", 0xffffffffL));
        assertEquals("x must be 0..4294967295: -1", assertThrows(IllegalArgumentException.class,
                () -> TcWire.checkU32("x", -1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> TcWire.checkU32("x", 1L << 32));
        assertEquals(0, TcWire.checkU16("y", 0));
        assertEquals(0xffff, TcWire.checkU16("y", 0xffff));
        assertThrows(IllegalArgumentException.class, () -> TcWire.checkU16("y", -1));
        assertEquals("y must be 0..65535: 65536", assertThrows(IllegalArgumentException.class,
                () -> TcWire.checkU16("y", 0x10000)).getMessage());
    }

    @Test
    void readerStrings() {
        // TCA_KIND-like attributes: 3 "abc" without NUL filling the attribute, 4 "de\0f"
        byte[] payload = Hex.parse("0700 0300 616263 00" + "0800 0400 64650066");
        TcWire.Reader r = TcWire.Reader.nested(payload);
        assertEquals("abc", r.string(3));
        assertEquals("de", r.string(4));
        assertNull(r.string(5));
        assertEquals(List.of(3, 4), r.types());
        assertArrayEquals(new byte[] {'a', 'b', 'c'}, r.get(3));
    }

    @Test
    void writerEmptiness() {
        TcWire.Writer w = new TcWire.Writer(null);
        assertTrue(w.isEmpty());
        w.u32(1, 5);
        assertFalse(w.isEmpty());
        TcWire.Writer raw = new TcWire.Writer(null);
        raw.raw(4);
        assertFalse(raw.isEmpty());
        assertNotNull(raw.raw(4));
    }
}
