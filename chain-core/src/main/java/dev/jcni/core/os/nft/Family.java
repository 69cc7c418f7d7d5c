package dev.jcni.core.os.nft;

/** An nftables address family: which packets a table's chains see. */
public enum Family {
    /** IPv4 only. */
    IP("ip"),
    /** IPv6 only. */
    IP6("ip6"),
    /** IPv4 and IPv6 in one table; NAT statements must then name their family. */
    INET("inet"),
    ARP("arp"),
    /** Frames crossing a Linux bridge (macspoofchk). */
    BRIDGE("bridge"),
    NETDEV("netdev");

    private final String jsonName;

    Family(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The name in nft's JSON and syntax, e.g. {@code "inet"}. */
    public String jsonName() {
        return jsonName;
    }

    /** The family named {@code name} in nft's JSON, or null when there is none. */
    public static Family fromJsonName(String name) {
        for (Family f : values()) {
            if (f.jsonName.equals(name)) {
                return f;
            }
        }
        return null;
    }
}
