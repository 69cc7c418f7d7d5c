package dev.jcni.core.os.netlink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class HostOrderTest {
    private static final boolean LITTLE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    @Test
    void intIsWrittenInTheMachinesOrder() {
        byte[] b = new byte[6];
        HostOrder.putI32(b, 1, 0x01020304);
        byte[] expected = LITTLE ? new byte[] {0, 4, 3, 2, 1, 0} : new byte[] {0, 1, 2, 3, 4, 0};
        assertArrayEquals(expected, b);
        assertEquals(0x01020304, HostOrder.i32(b, 1));
    }

    @Test
    void shortAndLongFollowTheSameOrder() {
        byte[] b = new byte[10];
        HostOrder.putU16(b, 0, 0xfeed);
        assertArrayEquals(LITTLE ? new byte[] {(byte) 0xed, (byte) 0xfe} : new byte[] {(byte) 0xfe, (byte) 0xed},
                new byte[] {b[0], b[1]});
        assertEquals(0xfeed, HostOrder.u16(b, 0), "u16 is unsigned");
        HostOrder.putI64(b, 2, 0x0102030405060708L);
        assertEquals(LITTLE ? 8 : 1, b[2]);
        assertEquals(LITTLE ? 1 : 8, b[9]);
        assertEquals(0x0102030405060708L, HostOrder.i64(b, 2));
    }

    @Test
    void negativeValuesRoundTrip() {
        byte[] b = new byte[4];
        HostOrder.putI32(b, 0, -22);
        assertEquals(-22, HostOrder.i32(b, 0));
        assertArrayEquals(LITTLE ? new byte[] {(byte) 0xea, -1, -1, -1} : new byte[] {-1, -1, -1, (byte) 0xea}, b);
    }
}
