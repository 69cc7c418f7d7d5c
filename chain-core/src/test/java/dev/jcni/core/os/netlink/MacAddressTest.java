package dev.jcni.core.os.netlink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.InvalidArgumentException;
import org.junit.jupiter.api.Test;

class MacAddressTest {
    private static final byte[] SIX = {0x02, 0x42, (byte) 0xac, 0x11, 0x00, (byte) 0xfe};

    @Test
    void parsesTheThreeGoFormats() throws Exception {
        assertArrayEquals(SIX, MacAddress.parse("02:42:ac:11:00:fe"));
        assertArrayEquals(SIX, MacAddress.parse("02:42:AC:11:00:FE"));
        assertArrayEquals(SIX, MacAddress.parse("02-42-ac-11-00-fe"));
        assertArrayEquals(SIX, MacAddress.parse("0242.ac11.00fe"));
    }

    @Test
    void parsesLongerHardwareAddresses() throws Exception {
        assertEquals(8, MacAddress.parse("02:00:5e:10:00:00:00:01").length);
        assertEquals(20, MacAddress.parse("00:00:00:00:fe:80:00:00:00:00:00:00:02:00:5e:10:00:00:00:01").length);
    }

    @Test
    void formatsLowerCaseWithColons() {
        assertEquals("02:42:ac:11:00:fe", MacAddress.format(SIX));
        assertEquals("", MacAddress.format(new byte[0]));
    }

    @Test
    void rejectsMalformed() {
        String[] bad = {"", "02:42:ac:11:00", "02:42:ac:11:00:fe:", "02:42:ac:11:00:fg", "02:42-ac:11:00:fe",
            "0242.ac11.00fe.", "02:42:ac:11:00:fe:01", "0242ac1100fe", "02:42:ac:11:00:f\u0661", " 02:42:ac:11:00:fe",
            "02:42:ac:11:00:fe "};
        for (String s : bad) {
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> MacAddress.parse(s), s);
            assertEquals(Errno.EINVAL, e.errno());
        }
        assertThrows(InvalidArgumentException.class, () -> MacAddress.parse(null));
    }
}
