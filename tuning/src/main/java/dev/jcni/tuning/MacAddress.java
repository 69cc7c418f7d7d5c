package dev.jcni.tuning;

import dev.jcni.core.os.InvalidArgumentException;
import dev.jcni.core.protocol.CniException;

/** Ethernet MAC address validation, so a bad MAC is refused before anything changes. */
final class MacAddress {
    private MacAddress() {}

    /**
     * Accepts what the reference accepts (Go's net.ParseMAC forms, any case) for a six-byte
     * Ethernet address and returns the lower-case, colon-separated form the kernel reports.
     * Refuses multicast and all-zero addresses, which the kernel would reject on a veth only
     * after the first changes were made.
     */
    static String normalize(String mac) throws CniException {
        byte[] bytes;
        try {
            bytes = dev.jcni.core.os.netlink.MacAddress.parse(mac);
        } catch (InvalidArgumentException e) {
            bytes = null;
        }
        if (bytes == null || bytes.length != 6) {
            throw new CniException(CniException.INVALID_CONFIG, "invalid MAC address \"" + mac + "\"",
                    "expected six hex octets such as c2:11:22:33:44:55");
        }
        boolean allZero = true;
        for (byte b : bytes) {
            allZero &= b == 0;
        }
        if ((bytes[0] & 1) != 0 || allZero) {
            throw new CniException(CniException.INVALID_CONFIG, "invalid MAC address \"" + mac + "\"",
                    allZero ? "the all-zero address cannot be assigned" : "a multicast address cannot be assigned to an interface");
        }
        return dev.jcni.core.os.netlink.MacAddress.format(bytes);
    }
}
