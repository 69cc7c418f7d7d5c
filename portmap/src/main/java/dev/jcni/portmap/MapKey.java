package dev.jcni.portmap;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.net.AddressFormatException;
import dev.jcni.core.net.IpAddress;
import dev.jcni.core.os.conntrack.ConntrackFilter;
import dev.jcni.core.os.nft.NftModelException;
import dev.jcni.core.os.nft.SetElement;
import java.util.List;

/**
 * The key of a map element as what it means: family (of the map), host address (null in the
 * any-address maps), protocol and port. The address is the text nft lists (the model writes the
 * same), so keys read from a listing, from a plan and from an ownership record compare equal.
 *
 * <p>An attachment records the keys it owns in the comments of its own rules
 * ({@link #recordText}: {@code tcp/8080/v4}, {@code udp/53/198.51.100.1}, {@code tcp/443/2001:db8::1},
 * {@code sctp/9/v6}); {@link #fromRecord} reads one back.
 */
record MapKey(IpAddress.Family family, String hostIp, String protocol, int port) {
    private static final String[] PROTOCOLS = {"tcp", "udp", "sctp"};

    static MapKey of(IpAddress.Family family, SetElement e) {
        List<JsonNode> parts = e.keyParts();
        if (parts.size() == 3) {
            return new MapKey(family, parts.get(0).asText(), parts.get(1).asText(), parts.get(2).asInt());
        }
        return new MapKey(family, null, parts.get(0).asText(), parts.get(1).asInt());
    }

    /**
     * The key as an ownership record holds it: protocol, port, and {@code v4}, {@code v6} or the
     * host address (whose form says the family). At most 50 characters.
     */
    String recordText() {
        return protocol + "/" + port + "/" + (hostIp != null ? hostIp : family == IpAddress.Family.IPV4 ? "v4" : "v6");
    }

    /**
     * The key {@code text} records, in the form nft lists (read through {@code table}'s map
     * types); null when it is not a record this plugin writes (a rule of an older build, a comment
     * changed by hand).
     */
    static MapKey fromRecord(String text, HostportTable table) {
        String[] parts = text.split("/", -1);
        if (parts.length != 3 || !known(parts[0]) || parts[1].isEmpty() || parts[1].length() > 5) {
            return null;
        }
        int port = 0;
        for (int i = 0; i < parts[1].length(); i++) {
            char c = parts[1].charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            port = port * 10 + (c - '0');
        }
        if (port < 1 || port > 65535) {
            return null;
        }
        if ("v4".equals(parts[2]) || "v6".equals(parts[2])) {
            return new MapKey("v4".equals(parts[2]) ? IpAddress.Family.IPV4 : IpAddress.Family.IPV6, null, parts[0], port);
        }
        IpAddress address;
        try {
            address = IpAddress.parse(parts[2]);
        } catch (AddressFormatException e) {
            return null;
        }
        if (address.isUnspecified()) {
            return null;
        }
        MapKey k = new MapKey(address.family(), address.toString(), parts[0], port);
        try {
            // The canonical form is the one nft lists: type it through the map, as a listing is.
            return of(k.family, table.mapOf(k).elements(k.element()).elements().get(0));
        } catch (NftModelException e) {
            return null;
        }
    }

    private static boolean known(String protocol) {
        for (String p : PROTOCOLS) {
            if (p.equals(protocol)) {
                return true;
            }
        }
        return false;
    }

    /** The element with this key (no data: add {@code mapsTo}), to be typed by its map. */
    SetElement element() {
        return hostIp != null ? SetElement.of(hostIp, protocol, port) : SetElement.of(protocol, port);
    }

    /** Same family, protocol and port, and this key bound to one address while {@code any} is any address's. */
    boolean narrows(MapKey any) {
        return hostIp != null && any.hostIp == null && family == any.family && protocol.equals(any.protocol) && port == any.port;
    }

    /** This key's any-address form: same family, protocol and port. */
    MapKey anyAddress() {
        return new MapKey(family, null, protocol, port);
    }

    /** The conntrack flush for flows of this key, or null for TCP (a TCP connection cannot outlive its peer's view of it). */
    ConntrackFilter conntrackFilter() {
        int proto;
        if ("udp".equals(protocol)) {
            proto = ConntrackFilter.UDP;
        } else if ("sctp".equals(protocol)) {
            proto = ConntrackFilter.SCTP;
        } else {
            return null;
        }
        IpAddress address = null;
        if (hostIp != null) {
            try {
                address = IpAddress.parse(hostIp);
            } catch (AddressFormatException e) {
                return new ConntrackFilter(family, proto, port, null);
            }
        }
        return new ConntrackFilter(family, proto, port, address);
    }

    @Override
    public String toString() {
        return protocol + "/" + (hostIp == null ? "" : (family == IpAddress.Family.IPV6 ? "[" + hostIp + "]:" : hostIp + ":")) + port
                + (hostIp == null ? " (" + family + ")" : "");
    }
}
