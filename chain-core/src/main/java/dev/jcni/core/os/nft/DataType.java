package dev.jcni.core.os.nft;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;

/**
 * The nft data types the model knows: the types of set and map keys, and of every field a rule
 * compares. Each type checks a raw value (a string, a number, an {@code InetAddress}) and turns
 * it into the JSON nft itself lists, e.g. {@code "2001:DB8:0::2"} into {@code "2001:db8::2"},
 * protocol {@code 6} or {@code "TCP"} into {@code "tcp"}.
 *
 * <p>It also knows how the kernel stores a value ({@link #keyBytes}), because nft lists the
 * elements of sets (named and anonymous) sorted by those bytes; see {@link KeyOrder}.
 */
public enum DataType {
    IPV4_ADDR("ipv4_addr", 4, true),
    IPV6_ADDR("ipv6_addr", 16, true),
    ETHER_ADDR("ether_addr", 6, true),
    /** An IP protocol: a name nft knows ({@code tcp, udp, sctp, icmp, ipv6-icmp, dccp, udplite}) or 0..255. */
    INET_PROTO("inet_proto", 1, true),
    /** A transport port, 0..65535 (numbers only: nft would resolve a service name from /etc/services). */
    INET_SERVICE("inet_service", 2, true),
    /** A packet or conntrack mark, 0..0xffffffff. */
    MARK("mark", 4, false),
    /** An interface name: 1..15 bytes, no '/', ':', whitespace, quote, and no '*' or '\' (nft wildcards). */
    IFNAME("ifname", 16, false),
    /** {@code meta nfproto}: {@code ipv4} or {@code ipv6}. */
    NF_PROTO("nf_proto", 1, true),
    /** {@code fib ... type}: a route type such as {@code local}. */
    FIB_ADDRTYPE("fib_addrtype", 4, false),
    /** {@code ct state} flags: new, established, related, invalid, untracked. */
    CT_STATE("ct_state", 4, false),
    /** {@code ct status} flags: expected, seen-reply, assured, confirmed, snat, dnat, dying. */
    CT_STATUS("ct_status", 4, false),
    /** The data of a verdict map: accept, drop, jump, goto... ({@link Verdict}). */
    VERDICT("verdict", 0, false);

    private static final String[] PROTO_NAMES = {"icmp", "tcp", "udp", "dccp", "ipv6-icmp", "sctp", "udplite"};
    private static final int[] PROTO_NUMBERS = {1, 6, 17, 33, 58, 132, 136};
    private static final String[] FIB_TYPES = {"unspec", "unicast", "local", "broadcast", "anycast", "multicast",
        "blackhole", "unreachable", "prohibit"};
    private static final String[] CT_STATES = {"invalid", "established", "related", "new", "untracked"};
    private static final int[] CT_STATE_BITS = {1, 2, 4, 8, 64};
    private static final String[] CT_STATUSES = {"expected", "seen-reply", "assured", "confirmed", "snat", "dnat", "dying"};
    private static final int[] CT_STATUS_BITS = {1, 2, 4, 8, 16, 32, 512};

    private final String nftName;
    private final int size;
    private final boolean networkOrder;

    DataType(String nftName, int size, boolean networkOrder) {
        this.nftName = nftName;
        this.size = size;
        this.networkOrder = networkOrder;
    }

    /** The name in a set's {@code type}, e.g. {@code "inet_service"}. */
    public String nftName() {
        return nftName;
    }

    /** The type called {@code name} in nft's JSON, or null for one the model does not know. */
    public static DataType fromNftName(String name) {
        for (DataType t : values()) {
            if (t.nftName.equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** True for IPv4 and IPv6 addresses, the types a prefix applies to. */
    boolean isIpAddress() {
        return this == IPV4_ADDR || this == IPV6_ADDR;
    }

    /** Whether the kernel stores the value in network byte order (this decides nft's sort order). */
    boolean networkOrder() {
        return networkOrder;
    }

    /**
     * The canonical JSON for {@code raw}.
     *
     * @param raw a String, an integral Number, or an InetAddress for the address types
     * @throws NftModelException when {@code raw} is not a value of this type
     */
    JsonNode canonical(Object raw) {
        switch (this) {
            case IPV4_ADDR: {
                if (raw instanceof Inet4Address) {
                    return NftJson.NODES.textNode(IpLiterals.formatIpv4(((Inet4Address) raw).getAddress()));
                }
                byte[] a = raw instanceof String ? IpLiterals.parseIpv4((String) raw) : null;
                if (a == null) {
                    throw invalid(raw, "an IPv4 address such as 192.0.2.1");
                }
                return NftJson.NODES.textNode(IpLiterals.formatIpv4(a));
            }
            case IPV6_ADDR: {
                byte[] a = raw instanceof Inet6Address ? ((Inet6Address) raw).getAddress()
                        : raw instanceof String ? IpLiterals.parseIpv6((String) raw) : null;
                if (a == null) {
                    throw invalid(raw, "an IPv6 address such as 2001:db8::1");
                }
                return NftJson.NODES.textNode(IpLiterals.formatIpv6(a));
            }
            case ETHER_ADDR: {
                byte[] m = raw instanceof String ? IpLiterals.parseMac((String) raw) : null;
                if (m == null) {
                    throw invalid(raw, "a MAC address such as 0a:58:0a:f4:00:05");
                }
                return NftJson.NODES.textNode(IpLiterals.formatMac(m));
            }
            case INET_PROTO: {
                if (raw instanceof String) {
                    int i = indexOf(PROTO_NAMES, ((String) raw).toLowerCase(java.util.Locale.ROOT));
                    if (i < 0) {
                        throw invalid(raw, "one of tcp, udp, sctp, icmp, ipv6-icmp, dccp, udplite, or 0..255");
                    }
                    return NftJson.NODES.textNode(PROTO_NAMES[i]);
                }
                long n = integral(raw, 0, 255);
                for (int i = 0; i < PROTO_NUMBERS.length; i++) {
                    if (PROTO_NUMBERS[i] == n) {
                        return NftJson.NODES.textNode(PROTO_NAMES[i]);
                    }
                }
                return NftJson.number(n);
            }
            case INET_SERVICE:
                return NftJson.number(integral(raw, 0, 65535));
            case MARK:
                return NftJson.number(integral(raw, 0, 0xffffffffL));
            case IFNAME:
                return NftJson.NODES.textNode(ifname(raw));
            case NF_PROTO:
                return NftJson.NODES.textNode(symbol(raw, new String[] {"ipv4", "ipv6"}));
            case FIB_ADDRTYPE:
                return NftJson.NODES.textNode(symbol(raw, FIB_TYPES));
            case CT_STATE:
                return NftJson.NODES.textNode(symbol(raw, CT_STATES));
            case CT_STATUS:
                return NftJson.NODES.textNode(symbol(raw, CT_STATUSES));
            default:
                throw new NftModelException("a verdict is not an immediate value; use Verdict");
        }
    }

    /** The bytes the kernel stores for a canonical value, in its byte order, unpadded. */
    byte[] keyBytes(JsonNode v) {
        switch (this) {
            case IPV4_ADDR:
                return IpLiterals.parseIpv4(v.asText());
            case IPV6_ADDR:
                return IpLiterals.parseIpv6(v.asText());
            case ETHER_ADDR:
                return IpLiterals.parseMac(v.asText());
            case INET_PROTO:
                return new byte[] {(byte) (v.isNumber() ? v.asInt() : PROTO_NUMBERS[indexOf(PROTO_NAMES, v.asText())])};
            case INET_SERVICE:
                return new byte[] {(byte) (v.asInt() >> 8), (byte) v.asInt()};
            case MARK:
                return littleEndian(v.asLong());
            case IFNAME: {
                byte[] b = new byte[16];
                byte[] s = v.asText().getBytes(StandardCharsets.UTF_8);
                System.arraycopy(s, 0, b, 0, Math.min(s.length, 16));
                return b;
            }
            case NF_PROTO:
                return new byte[] {(byte) ("ipv4".equals(v.asText()) ? 2 : 10)};
            case FIB_ADDRTYPE:
                return littleEndian(indexOf(FIB_TYPES, v.asText()));
            case CT_STATE:
                return littleEndian(CT_STATE_BITS[Math.max(0, indexOf(CT_STATES, v.asText()))]);
            case CT_STATUS:
                return littleEndian(CT_STATUS_BITS[Math.max(0, indexOf(CT_STATUSES, v.asText()))]);
            default:
                return new byte[0];
        }
    }

    /** The kernel's size of the value in bytes (an ifname is always 16). */
    int size() {
        return size;
    }

    private NftModelException invalid(Object raw, String expected) {
        String shown = raw instanceof String ? NftNames.shown((String) raw) : String.valueOf(raw);
        return new NftModelException("invalid " + nftName + " " + shown + ": expected " + expected);
    }

    private long integral(Object raw, long min, long max) {
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte) {
            long n = ((Number) raw).longValue();
            if (n >= min && n <= max) {
                return n;
            }
        }
        throw invalid(raw, "a whole number from " + min + " to " + max);
    }

    private String symbol(Object raw, String[] names) {
        if (raw instanceof String) {
            String s = ((String) raw).toLowerCase(java.util.Locale.ROOT);
            if (indexOf(names, s) >= 0) {
                return s;
            }
        }
        throw invalid(raw, "one of " + String.join(", ", names));
    }

    private String ifname(Object raw) {
        if (!(raw instanceof String)) {
            throw invalid(raw, "an interface name");
        }
        String s = (String) raw;
        if (s.isEmpty() || s.length() > 15 || ".".equals(s) || "..".equals(s)) {
            throw invalid(raw, "an interface name of 1 to 15 characters");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '/' || c == ':' || c == '"' || c == '*' || c == '\\') {
                throw invalid(raw, "an interface name of printable ASCII without / : \" * \\ or spaces");
            }
        }
        return s;
    }

    private static byte[] littleEndian(long v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }

    private static int indexOf(String[] names, String s) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(s)) {
                return i;
            }
        }
        return -1;
    }
}
