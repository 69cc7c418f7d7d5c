package dev.jcni.core.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrnoTest {
    @Test
    void numbersAreLinuxs() {
        // From asm-generic/errno-base.h and errno.h, as on x86_64 and aarch64.
        assertEquals(1, Errno.EPERM);
        assertEquals(2, Errno.ENOENT);
        assertEquals(4, Errno.EINTR);
        assertEquals(11, Errno.EAGAIN);
        assertEquals(22, Errno.EINVAL);
        assertEquals(25, Errno.ENOTTY);
        assertEquals(35, Errno.EDEADLK);
        assertEquals(61, Errno.ENODATA);
        assertEquals(92, Errno.ENOPROTOOPT);
        assertEquals(95, Errno.EOPNOTSUPP);
        assertEquals(99, Errno.EADDRNOTAVAIL);
        assertEquals(105, Errno.ENOBUFS);
        assertEquals(133, Errno.EHWPOISON);
    }

    @Test
    void textsAreGlibcs() {
        assertEquals("Operation not permitted", Errno.description(1));
        assertEquals("Resource temporarily unavailable", Errno.description(11));
        assertEquals("Inappropriate ioctl for device", Errno.description(25));
        assertEquals("Protocol not available", Errno.description(92));
        assertEquals("Operation not supported", Errno.description(95));
        assertEquals("Cannot assign requested address", Errno.description(99));
        assertEquals("Memory page has hardware error", Errno.description(133));
    }

    /** Each constant is its own row: the name the table gives its number is the constant's name. */
    @Test
    void everyConstantIsItsRow() throws IllegalAccessException {
        int constants = 0;
        for (Field f : Errno.class.getDeclaredFields()) {
            int m = f.getModifiers();
            if (Modifier.isPublic(m) && Modifier.isStatic(m) && f.getType() == int.class) {
                int number = f.getInt(null);
                assertEquals(f.getName(), Errno.name(number), "row of " + number);
                assertFalse(Errno.description(number).startsWith("Unknown error"), f.getName());
                constants++;
            }
        }
        assertTrue(constants >= 130, "every errno Linux defines has a row, found " + constants);
    }

    @Test
    void namesAreUnique() {
        Map<String, Integer> seen = new HashMap<>();
        for (int n = -5; n < 300; n++) {
            String name = Errno.name(n);
            Integer before = seen.put(name, n);
            assertEquals(null, before, name + " names both " + before + " and " + n);
        }
    }

    @Test
    void unknownNumbersAreDescribedLikeGlibc() {
        for (int n : new int[] {0, -1, 41, 58, 134, 4095}) {
            assertEquals("errno " + n, Errno.name(n));
            assertEquals("Unknown error " + n, Errno.description(n));
        }
    }
}
