package dev.jcni.portmap;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.net.AddressFormatException;
import dev.jcni.core.net.IpAddress;
import dev.jcni.core.os.nft.Statement;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.JsonFields;
import dev.jcni.core.skel.Invocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * portmap's settings from one request, every value validated before anything changes. Keys are
 * the reference's (read ignoring case, as Go does: containerd sends {@code HostPort}).
 *
 * @param snat         masquerade hairpin and 127.0.0.1 traffic (default true)
 * @param masqAll      masquerade every DNATed connection (for ipvlan/macvlan), not only those
 * @param markMasqBit  the packet-mark bit (0..31, default 13) that says "masquerade this"
 * @param conditionsV4 extra matches on every IPv4 rule of the attachment
 * @param conditionsV6 extra matches on every IPv6 rule of the attachment
 * @param mappings     {@code runtimeConfig.portMappings}, in order
 */
record PortmapConfig(boolean snat, boolean masqAll, int markMasqBit, List<Statement> conditionsV4,
                     List<Statement> conditionsV6, List<PortMapping> mappings) {
    static final int DEFAULT_MARK_BIT = 13;
    private static final String[] PROTOCOLS = {"tcp", "udp", "sctp"};

    int mark() {
        return 1 << markMasqBit;
    }

    static PortmapConfig parse(Invocation inv) throws CniException {
        JsonFields conf = inv.config();
        String backend = conf.string("backend");
        if (backend != null && !backend.isEmpty() && !"nftables".equals(backend)) {
            if ("iptables".equals(backend)) {
                throw CniException.unsupportedField("backend", "\"iptables\"", "this portmap programs nftables only (omit \"backend\" or set \"nftables\")");
            }
            throw new CniException(CniException.INVALID_CONFIG, "unrecognized backend \"" + backend + "\"", "the only backend is \"nftables\"");
        }
        if (conf.get("externalSetMarkChain") != null) {
            throw CniException.unsupportedField("externalSetMarkChain", jsonText(conf.get("externalSetMarkChain")),
                    "an iptables chain; this portmap programs nftables only and masquerades by its own mark");
        }
        Boolean snat = conf.bool("snat");
        Boolean masqAll = conf.bool("masqAll");
        Integer bit = conf.integer("markMasqBit");
        if (bit != null && (bit < 0 || bit > 31)) {
            throw new CniException(CniException.INVALID_CONFIG, "MasqMarkBit must be between 0 and 31", "\"markMasqBit\" is " + bit);
        }
        List<Statement> v4 = Conditions.parse("conditionsV4", IpAddress.Family.IPV4, conf.strings("conditionsV4"));
        List<Statement> v6 = Conditions.parse("conditionsV6", IpAddress.Family.IPV6, conf.strings("conditionsV6"));
        List<PortMapping> mappings = mappings(conf.object("runtimeConfig"));
        return new PortmapConfig(snat == null || snat, masqAll != null && masqAll, bit == null ? DEFAULT_MARK_BIT : bit, v4, v6,
                mappings);
    }

    private static String jsonText(JsonNode n) {
        return n.isTextual() ? "\"" + n.textValue() + "\"" : n.toString();
    }

    static List<PortMapping> mappings(JsonFields runtimeConfig) throws CniException {
        List<PortMapping> out = new ArrayList<>();
        for (JsonFields m : runtimeConfig.objects("portMappings")) {
            PortMapping pm = mapping(m);
            for (PortMapping earlier : out) {
                if (overlapsExactly(earlier, pm)) {
                    throw new CniException(CniException.INVALID_CONFIG, m.path() + " maps " + pm.hostSide() + " again",
                            "already mapped by " + earlier.entry() + "; each host port, protocol and host address is mapped once");
                }
            }
            out.add(pm);
        }
        return List.copyOf(out);
    }

    private static boolean overlapsExactly(PortMapping a, PortMapping b) {
        if (!a.protocol().equals(b.protocol()) || a.hostPort() != b.hostPort()) {
            return false;
        }
        boolean sameFamily = a.family() == null || b.family() == null || a.family() == b.family();
        return sameFamily && (a.hostIp() == null ? b.hostIp() == null : a.hostIp().equals(b.hostIp()));
    }

    private static PortMapping mapping(JsonFields m) throws CniException {
        String entry = m.path();
        int hostPort = port(m, "hostPort", entry);
        int containerPort = port(m, "containerPort", entry);
        String protocol = m.string("protocol");
        String proto = protocol == null || protocol.isEmpty() ? "tcp" : protocol.toLowerCase(Locale.ROOT);
        boolean known = false;
        for (String p : PROTOCOLS) {
            known |= p.equals(proto);
        }
        if (!known) {
            throw new CniException(CniException.INVALID_CONFIG, entry + ": unknown protocol \"" + protocol + "\"",
                    "expected tcp, udp or sctp (any case)");
        }
        String hostIpText = m.string("hostIP");
        IpAddress hostIp = null;
        IpAddress.Family family = null;
        if (hostIpText != null && !hostIpText.isEmpty()) {
            try {
                hostIp = IpAddress.parse(hostIpText);
            } catch (AddressFormatException e) {
                throw new CniException(CniException.INVALID_CONFIG, entry + ": invalid hostIP \"" + hostIpText + "\"", e.reason());
            }
            // 0.0.0.0 and :: are "any address" of their own family; an IPv4-mapped address is IPv4.
            family = hostIp.family();
            if (hostIp.isUnspecified()) {
                hostIp = null;
            }
        }
        return new PortMapping(proto, hostPort, containerPort, hostIp, family, entry);
    }

    private static int port(JsonFields m, String key, String entry) throws CniException {
        JsonNode n = m.get(key);
        if (n == null) {
            throw new CniException(CniException.INVALID_CONFIG, entry + ": missing " + key);
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 1 || n.longValue() > 65535) {
            throw new CniException(CniException.INVALID_CONFIG, entry + ": invalid " + key + " " + n, "expected a port number from 1 to 65535");
        }
        return n.intValue();
    }
}
