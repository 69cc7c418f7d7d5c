package dev.jcni.core.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MacAddressTest {
    private static final byte[] SIX = {0x02, 0x42, (byte) 0xac, 0x11, 0x00, (byte) 0xfe};

    @ParameterizedTest
    @ValueSource(strings = {"02:42:ac:11:00:fe", "02:42:AC:11:00:FE", "02-42-ac-11-00-fe", "0242.ac11.00fe", "0242.AC11.00FE"})
    void parsesGosSixByteForms(String text) throws Exception {
        MacAddress mac = MacAddress.parse(text);
        assertArrayEquals(SIX, mac.toBytes());
        assertEquals("02:42:ac:11:00:fe", mac.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "02:42:ac:11:00", "02:42:ac:11:00:fe:", "02:42:ac:11:00:fg", "02:42-ac:11:00:fe",
        "0242.ac11.00fe.", "02:42:ac:11:00:fe:01", "0242ac1100fe", "02:42:ac:11:00:f\u0661", " 02:42:ac:11:00:fe",
        "02:42:ac:11:00:fe ", "02:42:ac:11:0:fe", "0242.ac11:00fe", "02::42:ac:11:00:fe", "zz:00:00:00:00:01",
        "02:00:5e:10:00:00:00:01", "00:00:00:00:fe:80:00:00:00:00:00:00:02:00:5e:10:00:00:00:01", "0200.5e10.0000.0001"})
    void refusesEverythingElse(String text) {
        AddressFormatException e = assertThrows(AddressFormatException.class, () -> MacAddress.parse(text));
        assertTrue(e.getMessage().startsWith("invalid MAC address \"" + text + "\": "), e.getMessage());
    }

    @Test
    void longerHardwareAddressesAreRefusedSayingSo() {
        assertEquals("a 8-byte hardware address, expected 6 bytes",
                assertThrows(AddressFormatException.class, () -> MacAddress.parse("02:00:5e:10:00:00:00:01")).reason());
        assertEquals("a 20-byte hardware address, expected 6 bytes", assertThrows(AddressFormatException.class,
                () -> MacAddress.parse("00:00:00:00:fe:80:00:00:00:00:00:00:02:00:5e:10:00:00:00:01")).reason());
    }

    @Test
    void addressKinds() throws Exception {
        MacAddress multicast = MacAddress.parse("01:00:5e:00:00:01");
        assertTrue(multicast.isMulticast());
        assertFalse(multicast.isUnicast());
        assertTrue(MacAddress.parse("ff:ff:ff:ff:ff:ff").isMulticast());
        MacAddress zero = MacAddress.parse("00:00:00:00:00:00");
        assertTrue(zero.isZero());
        assertTrue(zero.isUnicast());
        assertFalse(MacAddress.parse("00:00:00:00:00:01").isZero());
        assertTrue(MacAddress.parse("02:42:ac:11:00:02").isLocallyAdministered());
        assertFalse(MacAddress.parse("00:1b:21:3a:4f:5c").isLocallyAdministered());
        assertTrue(MacAddress.parse("00:1b:21:3a:4f:5c").isUnicast());
    }

    @Test
    void bytesAreCopiedBothWays() {
        byte[] in = SIX.clone();
        MacAddress mac = MacAddress.fromBytes(in);
        in[0] = 0x7f;
        assertEquals("02:42:ac:11:00:fe", mac.toString());
        mac.toBytes()[1] = 0;
        assertEquals("02:42:ac:11:00:fe", mac.toString());
        assertThrows(IllegalArgumentException.class, () -> MacAddress.fromBytes(new byte[5]));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.fromBytes(new byte[20]));
    }

    @Test
    void equalityIsByValue() throws Exception {
        assertEquals(MacAddress.parse("02-42-AC-11-00-FE"), MacAddress.fromBytes(SIX));
        assertEquals(MacAddress.parse("02-42-AC-11-00-FE").hashCode(), MacAddress.fromBytes(SIX).hashCode());
        assertFalse(MacAddress.parse("02:42:ac:11:00:fe").equals(MacAddress.parse("02:42:ac:11:00:ff")));
    }
}
