package dev.jcni.core.os.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AttributeReaderTest {
    @Test
    void readsScalarsStringsAndNests() {
        byte[] b = Hex.parse(
                "0800 0400 dc050000"          // type 4, u32 1500
                + "0600 0700 3412 0000"       // type 7, u16 0x1234
                + "0700 0300 6c6f00 00"       // type 3, "lo\0", one byte of padding
                + "1000 1280"                 // type 18 with NLA_F_NESTED, len 16
                + "0900 0100 76657468 00 000000");
        AttributeReader a = new AttributeReader(b, 0, b.length);
        assertTrue(a.next());
        assertEquals(4, a.type());
        assertEquals(1500, a.u32());
        assertTrue(a.next());
        assertEquals(0x1234, a.u16());
        assertTrue(a.next());
        assertEquals(3, a.type());
        assertEquals("lo", a.string());
        assertTrue(a.next());
        assertEquals(18, a.type());
        assertTrue(a.hasNestedFlag());
        AttributeReader inner = a.nested();
        assertTrue(inner.next());
        assertEquals("veth", inner.string());
        assertFalse(inner.next());
        assertFalse(a.next());
    }

    @Test
    void stopsAtTruncatedAttribute() {
        byte[] b = Hex.parse("0800 0400 dc050000" + "1000 0500 01020304");  // second claims 16 bytes, has 8
        AttributeReader a = new AttributeReader(b, 0, b.length);
        assertTrue(a.next());
        assertFalse(a.next());
        assertFalse(a.next());
    }

    @Test
    void stopsAtZeroLength() {
        byte[] b = Hex.parse("0000 0400 dc050000");
        assertFalse(new AttributeReader(b, 0, b.length).next());
    }

    @Test
    void tooShortPayloadIsAnError() {
        byte[] b = Hex.parse("0600 0400 0102 0000");
        AttributeReader a = new AttributeReader(b, 0, b.length);
        assertTrue(a.next());
        assertThrows(IllegalStateException.class, a::u32);
    }

    @Test
    void stringWithoutNulUsesWholePayload() {
        byte[] b = Hex.parse("0700 0300 657468 00");
        AttributeReader a = new AttributeReader(b, 0, b.length);
        assertTrue(a.next());
        assertEquals("eth", a.string());
        assertEquals(3, a.bytes().length);
    }
}
