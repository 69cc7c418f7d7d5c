package dev.jcni.core.os.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Each width reads an attribute of exactly its size, refuses a shorter one (rather than reading
 * the next attribute's bytes), and the codecs hand the value on. Attributes written by hand:
 * nlattr {u16 len; u16 type} then the payload in host order (little-endian here), padded to 4.
 */
class AttributeWidthsTest {
    private static AttributeReader first(String hex) {
        byte[] b = Hex.parse(hex);
        AttributeReader a = new AttributeReader(b, 0, b.length);
        assertTrue(a.next());
        return a;
    }

    @Test
    void exactWidthsRead() {
        assertEquals(0xab, first("0500 0100 ab 000000").u8());
        assertEquals(0x1234, first("0600 0100 3412 0000").u16());
        assertEquals(0x12345678, first("0800 0100 78563412").u32());
        assertEquals(0x0102030405060708L, first("0c00 0100 0807060504030201").u64());
    }

    @Test
    void shorterAttributesAreRefused() {
        // each followed by another attribute whose bytes a careless read would take
        assertThrows(IllegalStateException.class, () -> first("0500 0100 ab 000000 0800 0200 ffffffff").u16());
        assertThrows(IllegalStateException.class, () -> first("0800 0100 01020304 0800 0200 ffffffff").u64());
        assertThrows(IllegalStateException.class, () -> first("0400 0100 0800 0200 ffffffff").u8());
    }

    @Test
    void codecsHandOnTheValue() {
        assertEquals(200, AttributeCodec.U8.get(first("0500 0100 c8 000000")));
        assertEquals(0xfffe, AttributeCodec.U16.get(first("0600 0100 feff 0000")));
    }
}
