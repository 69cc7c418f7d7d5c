package dev.jcni.core.os.netlink;

import dev.jcni.core.net.MacAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The table of link attributes: one row per attribute of a network interface, saying how it is
 * written into an RTM_NEWLINK request and read back from an RTM_NEWLINK reply. {@link Links#set}
 * changes any row with one method, {@link LinkInfo#get} gives any row's value, and adding an
 * attribute is adding a row here, nothing else.
 *
 * <p>Two kinds of rows: a netlink attribute ({@code IFLA_*} with an {@link AttributeCodec}), and a
 * bit of {@code ifinfomsg.ifi_flags} ({@code IFF_*}), which a request changes through the
 * {@code ifi_change} mask so that the other flags stay as they are.
 *
 * <p><b>The same pattern for the other kinds</b>, each a table class of its own in this package
 * ({@link AttributeRow} is their common row), with the same two operations (encode a row's value
 * into the kind's request, decode it from the kind's reply into a value holder with
 * {@code get(row)}) and the shared {@link AttributeCodec}s:
 * <ul>
 *   <li><i>a bridge's options</i> ({@link BridgeAttribute}): {@code IFLA_BR_*} rows in
 *       {@code IFLA_INFO_DATA} of a new bridge ({@link NewLink}) and of a bridge read back;</li>
 *   <li><i>bridge-port flags</i> ({@link BridgePortAttribute}): rows {@code IFLA_BRPORT_MODE}
 *       (hairpin), {@code _ISOLATED}, {@code _LEARNING}... with a u8 boolean codec; encoded nested
 *       in {@code IFLA_PROTINFO | NLA_F_NESTED} of an RTM_SETLINK whose ifinfomsg family is
 *       {@code AF_BRIDGE}, decoded from a port's {@code IFLA_INFO_SLAVE_DATA};</li>
 *   <li><i>addresses</i> ({@link AddressAttribute}): rows {@code IFA_LOCAL}, {@code IFA_ADDRESS},
 *       {@code IFA_BROADCAST}, {@code IFA_LABEL} in RTM_NEWADDR/RTM_DELADDR after a struct
 *       ifaddrmsg (family, prefix length, flags, scope and index are header fields of
 *       {@link Address}, as ifi_flags is here);</li>
 *   <li><i>routes</i> ({@link RouteAttribute}): rows {@code RTA_GATEWAY}, {@code RTA_OIF},
 *       {@code RTA_PRIORITY}, {@code RTA_PREFSRC}, {@code RTA_MULTIPATH} after a struct rtmsg
 *       (destination, table, protocol, scope and type are fields of {@link Route});</li>
 *   <li><i>qdisc parameters</i> (per qdisc kind): rows inside {@code TCA_OPTIONS} of RTM_NEWQDISC
 *       after a struct tcmsg, e.g. TBF's {@code TCA_TBF_PARMS} (a struct codec),
 *       {@code TCA_TBF_RATE64}, {@code TCA_TBF_BURST}.</li>
 * </ul>
 *
 * @param <T> the row's value type (Integer, String, MacAddress, Boolean)
 */
public abstract class LinkAttribute<T> {
    private static final List<LinkAttribute<?>> ROWS = new ArrayList<>();

    // The table. Names are the words of `ip link set` (and of every message naming a change).
    public static final LinkAttribute<String> NAME = attribute("name", LinkMessages.IFLA_IFNAME, AttributeCodec.STRING);
    public static final LinkAttribute<Integer> MTU = attribute("mtu", LinkMessages.IFLA_MTU, AttributeCodec.U32);
    /** The Ethernet address; null for a link without a 6-byte hardware address. */
    public static final LinkAttribute<MacAddress> MAC = attribute("mac", LinkMessages.IFLA_ADDRESS, AttributeCodec.ETHERNET_ADDRESS);
    public static final LinkAttribute<Integer> TX_QUEUE_LENGTH = attribute("txqueuelen", LinkMessages.IFLA_TXQLEN, AttributeCodec.U32);
    /** The index of the link's master (the bridge a port belongs to); absent when it has none. */
    public static final LinkAttribute<Integer> MASTER = attribute("master", LinkMessages.IFLA_MASTER, AttributeCodec.U32);
    /** The lower link's index (a veth's peer, possibly in another namespace); set by the kernel. */
    public static final LinkAttribute<Integer> LINK = attribute("link", LinkMessages.IFLA_LINK, AttributeCodec.U32);
    /**
     * The namespace of the {@link #LINK} (a veth's peer), as the id this namespace gives it
     * ({@link Links#namespaceId}); absent when the peer is in this namespace. Set by the kernel.
     */
    public static final LinkAttribute<Integer> LINK_NETNSID =
            attribute("link-netnsid", LinkMessages.IFLA_LINK_NETNSID, AttributeCodec.U32);
    /** The operational state (RFC 2863); set by the kernel from carrier and admin state. */
    public static final LinkAttribute<OperState> OPERSTATE =
            attribute("operstate", LinkMessages.IFLA_OPERSTATE, AttributeCodec.OPER_STATE);
    /**
     * The interface's alias ({@code ip link set dev X alias TEXT}), at most 255 bytes; absent when
     * none is set, and {@code ""} removes it. The kernel ignores it when a link is created, so it is
     * set afterwards. Plugins use it to mark links as theirs (the bandwidth plugin's ifbs).
     */
    public static final LinkAttribute<String> ALIAS = attribute("alias", LinkMessages.IFLA_IFALIAS, AttributeCodec.CHARS);
    /** Administratively up (IFF_UP), whatever the carrier. */
    public static final LinkAttribute<Boolean> UP = flag("up", "down", LinkInfo.IFF_UP);
    public static final LinkAttribute<Boolean> PROMISC = flag("promisc on", "promisc off", LinkInfo.IFF_PROMISC);
    /** The user-requested all-multicast mode (a bridge's implicit one is not reported here). */
    public static final LinkAttribute<Boolean> ALLMULTI = flag("allmulticast on", "allmulticast off", LinkInfo.IFF_ALLMULTI);

    /** Every row, in declaration order. */
    public static final List<LinkAttribute<?>> ALL = Collections.unmodifiableList(ROWS);

    private final String name;
    private final int ordinal;

    private LinkAttribute(String name) {
        this.name = name;
        this.ordinal = ROWS.size();
        ROWS.add(this);
    }

    /** The attribute's name, e.g. "mtu". */
    public String name() {
        return name;
    }

    /** The change in words, for an operation description: "mtu 1400", "promisc off", "up". */
    public abstract String describe(T value);

    @Override
    public String toString() {
        return name;
    }

    final int ordinal() {
        return ordinal;
    }

    /** The IFLA_* type this row is carried in, or -1 for a flag row. */
    abstract int attributeType();

    /** ifi_flags and ifi_change of a request setting this row to {@code value} (0, 0 for attribute rows). */
    abstract int flags(T value);

    abstract int flagMask();

    /** Appends the row's attribute carrying {@code value} (nothing for flag rows). */
    abstract void encode(NetlinkMessageBuilder m, T value);

    /** Reads the row's attribute the reader is on into the link being built. */
    abstract void decode(AttributeReader a, LinkInfo.Builder link);

    /** The row's value in a decoded link. */
    abstract T valueIn(LinkInfo link);

    /** Stores {@code value} as the row's value of the link being built. */
    abstract void store(LinkInfo.Builder link, T value);

    /** The row carried in attribute {@code type}, or null when no row is (the parser skips it). */
    static LinkAttribute<?> forAttributeType(int type) {
        for (int i = 0; i < ROWS.size(); i++) {
            if (ROWS.get(i).attributeType() == type) {
                return ROWS.get(i);
            }
        }
        return null;
    }

    private static <T> LinkAttribute<T> attribute(String name, int type, AttributeCodec<T> codec) {
        return new Attribute<>(name, type, codec);
    }

    private static LinkAttribute<Boolean> flag(String onWords, String offWords, int bit) {
        return new Flag(onWords, offWords, bit);
    }

    /** A row carried as its own IFLA_* attribute. */
    private static final class Attribute<T> extends LinkAttribute<T> {
        private final int type;
        private final AttributeCodec<T> codec;

        Attribute(String name, int type, AttributeCodec<T> codec) {
            super(name);
            this.type = type;
            this.codec = codec;
        }

        @Override
        public String describe(T value) {
            return name() + " " + value;
        }

        @Override
        int attributeType() {
            return type;
        }

        @Override
        int flags(T value) {
            return 0;
        }

        @Override
        int flagMask() {
            return 0;
        }

        @Override
        void encode(NetlinkMessageBuilder m, T value) {
            codec.put(m, type, Objects.requireNonNull(value, name()));
        }

        @Override
        void decode(AttributeReader a, LinkInfo.Builder link) {
            link.set(this, codec.get(a));
        }

        @Override
        @SuppressWarnings("unchecked")
        T valueIn(LinkInfo link) {
            return (T) link.value(ordinal());
        }

        @Override
        void store(LinkInfo.Builder link, T value) {
            link.putValue(ordinal(), value);
        }
    }

    /** A row that is one bit of ifi_flags. */
    private static final class Flag extends LinkAttribute<Boolean> {
        private final String onWords;
        private final String offWords;
        private final int bit;

        /** Named by the first word of {@code onWords}: "promisc on" is the row "promisc". */
        Flag(String onWords, String offWords, int bit) {
            super(onWords.split(" ")[0]);
            this.onWords = onWords;
            this.offWords = offWords;
            this.bit = bit;
        }

        @Override
        public String describe(Boolean on) {
            return on ? onWords : offWords;
        }

        @Override
        int attributeType() {
            return -1;
        }

        @Override
        int flags(Boolean on) {
            return Objects.requireNonNull(on, name()) ? bit : 0;
        }

        @Override
        int flagMask() {
            return bit;
        }

        @Override
        void encode(NetlinkMessageBuilder m, Boolean on) {
            // Carried in the ifinfomsg header: see flags() and flagMask().
        }

        @Override
        void decode(AttributeReader a, LinkInfo.Builder link) {
            throw new IllegalStateException(name() + " is a flag, not an attribute");
        }

        @Override
        Boolean valueIn(LinkInfo link) {
            return (link.flags() & bit) != 0;
        }

        @Override
        void store(LinkInfo.Builder link, Boolean on) {
            link.flags(on ? link.flags() | bit : link.flags() & ~bit);
        }
    }
}
