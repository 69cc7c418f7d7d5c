package dev.jcni.core.os.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Parameter rows at their edges: a struct field past the end of a short struct is absent (not
 * read from beyond it), htb's direct_qlen is its own u32 attribute (TCA_HTB_DIRECT_QLEN 5 in
 * linux/pkt_sched.h), rows of another kind are refused by name, and names read as tc prints them.
 */
class TcParametersTest {
    private static final Psched CLOCK = Psched.standard();

    private static TcWire.Reader nest(int type, byte[] payload) {
        NetlinkMessageBuilder m = new NetlinkMessageBuilder(0, 0).attrBytes(type, payload);
        byte[] b = m.build(1, 0);
        return TcWire.Reader.nested(Arrays.copyOfRange(b, 16, b.length));
    }

    @Test
    void aFieldBeyondAShortStructIsAbsent() {
        // tc_htb_opt's quantum is the u32 at offset 32: a 34-byte struct does not hold it
        byte[] shortParms = new byte[34];
        TcWire.putU32(shortParms, 28, 7);
        assertNull(QdiscHtbClass.QUANTUM.decode(nest(QdiscHtbClass.TCA_HTB_PARMS, shortParms), CLOCK));
        byte[] parms = new byte[44];
        TcWire.putU32(parms, 32, 1514);
        assertEquals(1514L, QdiscHtbClass.QUANTUM.decode(nest(QdiscHtbClass.TCA_HTB_PARMS, parms), CLOCK));
    }

    @Test
    void directQlenIsItsOwnAttribute() throws Exception {
        TcOptions htb = QdiscHtb.options(0x30).with(QdiscHtb.DIRECT_QLEN, 1000L);
        NetlinkMessageBuilder m = new NetlinkMessageBuilder(0, 0);
        htb.kind().encode(htb, CLOCK).writeAs(m, TcMessages.TCA_OPTIONS, false);
        byte[] b = m.build(1, 0);
        AttributeReader a = new AttributeReader(b, 16, b.length);
        a.next();
        TcWire.Reader in = TcWire.Reader.nested(a.bytes());
        assertEquals(1000L, in.u32(QdiscHtb.TCA_HTB_DIRECT_QLEN));
        assertEquals(List.of(QdiscHtb.TCA_HTB_INIT, QdiscHtb.TCA_HTB_DIRECT_QLEN), in.types());
    }

    @Test
    void rowsOfAnotherKindAreRefusedByName() {
        assertEquals("htb rate is not a parameter of tbf", assertThrows(IllegalArgumentException.class,
                () -> TcOptions.of(QdiscTbf.KIND).with(QdiscHtbClass.RATE, 1L)).getMessage());
    }

    @Test
    void namesAreTcs() {
        assertEquals("tbf", QdiscTbf.KIND.toString());
        assertEquals("atm", TcLinkLayer.ATM.toString());
        assertEquals("ethernet", TcLinkLayer.ETHERNET.toString());
        assertEquals("htb{default 0x30}", QdiscHtb.options(0x30).toString());
    }

    @Test
    void linkLayersAreTheLowFourBits() {
        assertEquals(TcLinkLayer.ATM, TcLinkLayer.fromCode(0x12));
        assertEquals(TcLinkLayer.ETHERNET, TcLinkLayer.fromCode(1));
        assertEquals(TcLinkLayer.UNAWARE, TcLinkLayer.fromCode(9));
    }

    @Test
    void theBuilderChains() {
        TcOptions o = new TcOptions.Builder(QdiscTbf.KIND).set(QdiscTbf.RATE, 1000L).set(QdiscTbf.LIMIT, 2000L).build();
        assertEquals(1000L, o.get(QdiscTbf.RATE));
        assertEquals(2000L, o.get(QdiscTbf.LIMIT));
    }

    @Test
    void aTbfWithoutParmsHasNoPeakRate() {
        assertNull(QdiscTbf.PEAKRATE.decode(TcWire.Reader.nested(null), CLOCK));
        byte[] parms = new byte[36];
        TcWire.putU32(parms, 12 + 8, 2_500_000);
        assertEquals(2_500_000L, QdiscTbf.PEAKRATE.decode(nest(QdiscTbf.TCA_TBF_PARMS, parms), CLOCK));
        assertNull(QdiscTbf.PEAKRATE.decode(nest(QdiscTbf.TCA_TBF_PARMS, new byte[36]), CLOCK), "a peak rate of 0 is none");
    }
}
