package dev.jcni.core.os.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The mirred action's struct tc_mirred (linux/tc_act/tc_mirred.h: tc_gen {index u32, capab u32,
 * action s32, refcnt s32, bindcnt s32}, eaction s32, ifindex u32: 28 bytes) in TCA_MIRRED_PARMS 2.
 */
class ActionMirredEncodingTest {
    private static final Psched CLOCK = Psched.standard();

    private static byte[] parms(TcOptions o) {
        NetlinkMessageBuilder m = new NetlinkMessageBuilder(0, 0);
        o.kind().encode(o, CLOCK).writeAs(m, TcMessages.TCA_OPTIONS, false);
        byte[] b = m.build(1, 0);
        AttributeReader a = new AttributeReader(b, 16, b.length);
        a.next();
        return TcWire.Reader.nested(a.bytes()).get(ActionMirred.TCA_MIRRED_PARMS);
    }

    @Test
    void anIndexIsSent() {
        byte[] p = parms(ActionMirred.redirect(4).with(ActionMirred.INDEX, 7));
        assertEquals(28, p.length);
        assertEquals(7, TcWire.u32(p, 0), "tc_gen.index");
        assertEquals(4, TcWire.u32(p, 24), "ifindex");
        assertEquals(1, TcWire.u32(p, 20), "TCA_EGRESS_REDIR");
        assertEquals(4, TcWire.u32(p, 8), "TC_ACT_STOLEN, redirect's default verdict");
    }

    @Test
    void modeAndTargetAreRequired() {
        TcOptions noMode = TcOptions.of(ActionMirred.KIND).with(ActionMirred.TARGET, 4);
        assertEquals("mirred needs mode", assertThrows(IllegalArgumentException.class,
                () -> ActionMirred.KIND.encode(noMode, CLOCK)).getMessage());
        TcOptions noTarget = TcOptions.of(ActionMirred.KIND).with(ActionMirred.MODE, ActionMirred.Mode.EGRESS_MIRROR);
        assertEquals("mirred needs dev", assertThrows(IllegalArgumentException.class,
                () -> ActionMirred.KIND.encode(noTarget, CLOCK)).getMessage());
    }
}
