package dev.jcni.tuning;

import dev.jcni.core.protocol.CniException;

/** Ethernet MAC address validation, so a bad MAC is refused before anything changes. */
final class MacAddress {
    private MacAddress() {}

    /**
     * Accepts six hex octets separated by ':' or '-' (any case) and returns the lower-case,
     * colon-separated form the kernel reports. Refuses multicast and all-zero addresses, which
     * the kernel would reject on a veth only after the first changes were made.
     */
    static String normalize(String mac) throws CniException {
        String[] parts = mac.split("[:-]", -1);
        boolean valid = parts.length == 6;
        StringBuilder out = new StringBuilder(17);
        int first = 0;
        boolean allZero = true;
        for (int i = 0; valid && i < parts.length; i++) {
            String p = parts[i];
            if (p.length() != 2 || Character.digit(p.charAt(0), 16) < 0 || Character.digit(p.charAt(1), 16) < 0) {
                valid = false;
                break;
            }
            int octet = Integer.parseInt(p, 16);
            if (i == 0) {
                first = octet;
            }
            allZero &= octet == 0;
            if (i > 0) {
                out.append(':');
            }
            out.append(p.toLowerCase(java.util.Locale.ROOT));
        }
        if (!valid) {
            throw new CniException(CniException.INVALID_CONFIG, "invalid MAC address \"" + mac + "\"",
                    "expected six hex octets such as c2:11:22:33:44:55");
        }
        if ((first & 1) != 0 || allZero) {
            throw new CniException(CniException.INVALID_CONFIG, "invalid MAC address \"" + mac + "\"",
                    allZero ? "the all-zero address cannot be assigned" : "a multicast address cannot be assigned to an interface");
        }
        return out.toString();
    }
}
