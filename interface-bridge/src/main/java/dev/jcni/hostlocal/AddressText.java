package dev.jcni.hostlocal;

import dev.jcni.core.net.AddressFormatException;
import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.JsonFields;
import java.util.List;

/**
 * The address fields of host-local's config, read with the reference's messages: Go's decoder
 * reports a bad {@code net.IP} as {@code invalid IP address: <text>}, a bad CIDR as
 * {@code invalid CIDR address: <text>}, and a bad requested IP (the plugins' {@code ip.IP} type)
 * as {@code invalid IP address <text>}. The details name the field, which Go's messages do not.
 */
final class AddressText {
    private AddressText() {}

    /** A CIDR as written: the prefix, and whether its text was IPv6. */
    record Cidr(IpPrefix prefix, boolean writtenAsIpv6) {}

    /** A {@code types.IPNet} field: absent or null is null; anything else must parse ("" included). */
    static Cidr cidr(JsonFields obj, String key) throws CniException {
        String text = obj.string(key);
        if (text == null) {
            return null;
        }
        try {
            return new Cidr(IpPrefix.parse(text), text.indexOf(':') >= 0);
        } catch (AddressFormatException e) {
            throw new CniException(CniException.INVALID_CONFIG, "invalid CIDR address: " + text,
                    "\"" + obj.pathOf(key) + "\": " + e.reason());
        }
    }

    /** A {@code net.IP} field: absent, null or "" is null. */
    static IpAddress ip(JsonFields obj, String key) throws CniException {
        String text = obj.string(key);
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return IpAddress.parse(text);
        } catch (AddressFormatException e) {
            throw new CniException(CniException.INVALID_CONFIG, "invalid IP address: " + text,
                    "\"" + obj.pathOf(key) + "\": " + e.reason());
        }
    }

    /**
     * A requested IP ({@code ip.IP}): an address, or an address with a prefix length of which only
     * the address counts. "" is an empty value: null, which the caller decides about.
     *
     * @param where the field or variable, for the details
     */
    static IpAddress requested(String text, int code, String where) throws CniException {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return text.indexOf('/') >= 0 ? IpPrefix.parse(text).address() : IpAddress.parse(text);
        } catch (AddressFormatException e) {
            throw new CniException(code, "invalid IP address " + text, where + ": " + e.reason());
        }
    }

    /** The entries of the string array {@code key} of {@code obj}, nulls skipped; empty when absent. */
    static List<String> strings(JsonFields obj, String key) throws CniException {
        List<String> values = obj.strings(key);
        return values == null ? List.<String>of() : values;
    }
}
