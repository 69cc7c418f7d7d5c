package dev.jcni.portmap;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.net.AddressFormatException;
import dev.jcni.core.net.IpAddress;
import dev.jcni.core.os.conntrack.ConntrackFilter;
import dev.jcni.core.os.nft.SetElement;
import java.util.List;

/**
 * The key of a map element read back as what it means: family (of the map), host address (null
 * in the any-address maps), protocol and port. Keys compare by their canonical JSON, which the
 * model and nft write alike.
 */
record MapKey(IpAddress.Family family, String hostIp, String protocol, int port) {
    static MapKey of(IpAddress.Family family, SetElement e) {
        List<JsonNode> parts = e.keyParts();
        if (parts.size() == 3) {
            return new MapKey(family, parts.get(0).asText(), parts.get(1).asText(), parts.get(2).asInt());
        }
        return new MapKey(family, null, parts.get(0).asText(), parts.get(1).asInt());
    }

    /** True when both keys catch some of the same packets: same family, protocol and port, and an address in common. */
    boolean overlaps(MapKey o) {
        return family == o.family && protocol.equals(o.protocol) && port == o.port
                && (hostIp == null || o.hostIp == null || hostIp.equals(o.hostIp));
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
