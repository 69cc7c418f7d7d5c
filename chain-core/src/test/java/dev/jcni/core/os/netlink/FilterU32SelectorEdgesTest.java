package dev.jcni.core.os.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * struct tc_u32_sel (linux/pkt_cls.h: flags, offshift, nkeys u8; pad; offmask be16; off u16;
 * offoff, hoff s16; hmask be32: 16 bytes) and its keys (tc_u32_key: mask, val be32; off,
 * offmask int: 16 bytes each), at their edges. At most 128 keys, as tc's f_u32.c holds them
 * (its selector struct has room for 128).
 */
class FilterU32SelectorEdgesTest {
    private static List<FilterU32Selector.Key> keys(int n) {
        List<FilterU32Selector.Key> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new FilterU32Selector.Key(i, -1, 4 * i, 0));
        }
        return out;
    }

    @Test
    void atMost128Keys() {
        assertEquals(128, FilterU32Selector.of(keys(128)).keys().size());
        assertThrows(IllegalArgumentException.class, () -> FilterU32Selector.of(keys(129)));
    }

    @Test
    void theOffsetMaskIsSent() {
        FilterU32Selector s = FilterU32Selector.of(List.of(new FilterU32Selector.Key(0x0a000000, 0xff000000, 16, 0x0f00)));
        assertEquals("00" + "00" + "01" + "00" + "0000" + "0000" + "0000" + "0000" + "00000000"
                + "ff000000" + "0a000000" + "10000000" + "000f0000", Hex.format(s.toBytes(false)));
    }

    @Test
    void aSelectorShorterThanItsKeyCountIsNone() {
        // nkeys 2, one key present
        byte[] one = Hex.parse("00 00 02 00 0000 0000 0000 0000 00000000" + "ff000000 0a000000 10000000 00000000");
        assertNull(FilterU32Selector.fromBytes(one));
        byte[] ok = Hex.parse("00 00 01 00 0000 0000 0000 0000 00000000" + "ff000000 0a000000 10000000 00000000");
        assertEquals(List.of(new FilterU32Selector.Key(0x0a000000, 0xff000000, 16, 0)), FilterU32Selector.fromBytes(ok).keys());
    }

    @Test
    void equalityAndHash() {
        FilterU32Selector a = FilterU32Selector.of(keys(2));
        assertEquals(a, FilterU32Selector.of(keys(2)));
        assertEquals(a.hashCode(), FilterU32Selector.of(keys(2)).hashCode());
        assertNotEquals(a, FilterU32Selector.of(keys(3)));
        assertNotEquals(a.hashCode(), FilterU32Selector.of(keys(3)).hashCode());
        assertNotEquals(FilterU32Selector.matchAll().hashCode(), a.hashCode());
    }

    @Test
    void aKeyEqualsOnlyAKeyWithEveryFieldTheSame() {
        FilterU32Selector.Key k = new FilterU32Selector.Key(0x0a010200, 0xffffff00, 16, 0);
        FilterU32Selector.Key same = new FilterU32Selector.Key(0x0a010200, 0xffffff00, 16, 0);
        assertEquals(k, same);
        assertEquals(k.hashCode(), same.hashCode());
        assertEquals(((0x0a010200 * 31 + 0xffffff00) * 31 + 16) * 31, k.hashCode());
        assertNotEquals(k, new FilterU32Selector.Key(0x0a010201, 0xffffff00, 16, 0));
        assertNotEquals(k, new FilterU32Selector.Key(0x0a010200, 0xffff0000, 16, 0));
        assertNotEquals(k, new FilterU32Selector.Key(0x0a010200, 0xffffff00, 12, 0));
        assertNotEquals(k, new FilterU32Selector.Key(0x0a010200, 0xffffff00, 16, 1));
        assertNotEquals(k, (Object) "match 0a010200/ffffff00 at 16");
        assertNotEquals(k, null);
    }
}
