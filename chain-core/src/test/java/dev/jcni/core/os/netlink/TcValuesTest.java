package dev.jcni.core.os.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.net.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Handles, options and selectors as values. */
class TcValuesTest {
    private static final Psched CLOCK = Psched.standard();

    @Test
    void handlesAsTcWritesThem() {
        assertEquals("1:", TcHandle.qdisc(1).toString());
        assertEquals("1:30", TcHandle.of(1, 0x30).toString());
        assertEquals("ffff:fff1", TcHandle.INGRESS.toString());
        assertEquals("ffff:fff2", TcHandle.CLSACT_INGRESS.toString());
        assertEquals("root", TcHandle.ROOT.toString());
        assertEquals("none", TcHandle.UNSPEC.toString());
        assertEquals(":30", TcHandle.of(0, 0x30).toString());
        assertEquals(0xfffffff1, TcHandle.INGRESS.value());
        assertEquals(0x00010030, TcHandle.of(1, 0x30).value());
        for (String text : new String[] {"1:", "1:30", "ffff:fff3", "root", "none", ":30", "abcd:1"}) {
            assertEquals(text, TcHandle.parse(text).toString());
        }
        assertEquals(TcHandle.of(0xffff, 0), TcHandle.parse("ffff:0"));
        assertThrows(IllegalArgumentException.class, () -> TcHandle.parse("1"));
        assertThrows(IllegalArgumentException.class, () -> TcHandle.parse("1:2:3"));
        assertThrows(IllegalArgumentException.class, () -> TcHandle.parse("10000:"));
        assertThrows(IllegalArgumentException.class, () -> TcHandle.parse("g:"));
        assertThrows(IllegalArgumentException.class, () -> TcHandle.of(0x10000, 0));
    }

    @Test
    void u32Handles() {
        assertEquals(0x80000800, FilterU32.handle(0x800, 0, 0x800));
        assertEquals("800::800", FilterU32.formatHandle(0x80000800));
        assertEquals("800:", FilterU32.formatHandle(0x80000000));
        assertEquals("804:2:1", FilterU32.formatHandle(FilterU32.handle(0x804, 2, 1)));
        assertEquals("none", FilterU32.formatHandle(0));
        assertTrue(FilterU32.isRule(0x80000800));
        assertFalse(FilterU32.isRule(0x80000000));
        assertThrows(IllegalArgumentException.class, () -> FilterU32.handle(0x1000, 0, 1));
    }

    @Test
    void optionsAreImmutableAndCheckTheirKind() {
        TcOptions a = QdiscTbf.options(1000, 100, 200);
        TcOptions b = a.with(QdiscTbf.RATE, 2000L);
        assertEquals(1000L, a.get(QdiscTbf.RATE));
        assertEquals(2000L, b.get(QdiscTbf.RATE));
        assertNotEquals(a, b);
        assertEquals(a, QdiscTbf.options(1000, 100, 200));
        assertNull(a.get(QdiscTbf.MPU));
        assertThrows(IllegalArgumentException.class, () -> a.get(QdiscHtbClass.RATE));
        assertThrows(IllegalArgumentException.class, () -> a.with(FilterU32.CLASSID, TcHandle.ROOT));
        assertEquals("tbf{rate 1000, burst 100, limit 200}", a.toString());
        List<TcOptions> actions = new ArrayList<>(List.of(ActionMirred.redirect(3)));
        TcOptions u32 = FilterU32.options(FilterU32Selector.matchAll(), null, actions);
        actions.clear();
        assertEquals(1, u32.get(FilterU32.ACTIONS).size(), "a list value is copied");
    }

    @Test
    void fifoKindsShareTheirRow() {
        assertEquals(30L, QdiscFifo.bytes(30).get(QdiscFifo.LIMIT));
        assertNotEquals(QdiscFifo.bytes(30), QdiscFifo.packets(30));
        assertEquals("bfifo", QdiscFifo.bytes(30).kind().name());
    }

    @Test
    void valuesRefuseTheWrongFamily() {
        assertThrows(IllegalArgumentException.class,
                () -> new Qdisc(1, TcHandle.qdisc(1), TcHandle.ROOT, FilterU32.options(FilterU32Selector.matchAll(), null, null)));
        assertThrows(IllegalArgumentException.class,
                () -> new TcClass(1, TcHandle.of(1, 1), TcHandle.ROOT, QdiscTbf.options(1, 1, 1)));
        assertThrows(IllegalArgumentException.class,
                () -> new Filter(1, TcHandle.ROOT, 1, Filter.ETH_P_ALL, 0, QdiscTbf.options(1, 1, 1)));
        assertThrows(IllegalArgumentException.class,
                () -> FilterU32.KIND.encode(FilterU32.options(FilterU32Selector.matchAll(), null,
                        List.of(QdiscTbf.options(1, 1, 1))), CLOCK));
    }

    @Test
    void selectorsRoundTripAndMaskTheirAddress() throws Exception {
        FilterU32Selector host = FilterU32Selector.destination(IpPrefix.parse("10.1.2.77/24"));
        assertEquals(List.of(new FilterU32Selector.Key(0x0a010200, 0xffffff00, 16, 0)), host.keys(),
                "the host bits are masked off, as pack_key does");
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            int length = random.nextInt(129);
            byte[] address = new byte[16];
            random.nextBytes(address);
            address[0] = (byte) 0x20; // not IPv4-mapped
            IpPrefix p = IpPrefix.of(dev.jcni.core.net.IpAddress.fromBytes(address), length);
            FilterU32Selector s = random.nextBoolean() ? FilterU32Selector.source(p) : FilterU32Selector.destination(p);
            assertEquals((length + 31) / 32, s.keys().size(), p.toString());
            assertEquals(s, FilterU32Selector.fromBytes(s.toBytes(true)), p.toString());
            int covered = 0;
            for (FilterU32Selector.Key k : s.keys()) {
                covered += Integer.bitCount(k.mask());
                assertEquals(0, k.value() & ~k.mask(), "no bit outside the mask");
            }
            assertEquals(length, covered, p.toString());
        }
    }
}
