package dev.jcni.core.os.netlink;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.MacAddress;

/**
 * How a value of type {@code T} is laid out as the payload of one netlink attribute, both ways.
 * Shared by every attribute table ({@link LinkAttribute}, {@link BridgeAttribute},
 * {@link BridgePortAttribute}, {@link AddressAttribute}, {@link RouteAttribute}), so a table row
 * only names its attribute type and its codec.
 *
 * <p>A table that needs another layout adds a codec (here when it is shared, next to its table
 * when only that table uses it, as {@link Nexthop}'s RTA_MULTIPATH list), not a branch in its parser.
 */
abstract class AttributeCodec<T> {
    /** A u32 in host order, as a Java int (IFLA_MTU, IFLA_TXQLEN, IFLA_MASTER...). */
    static final AttributeCodec<Integer> U32 = new AttributeCodec<Integer>() {
        @Override
        void put(NetlinkMessageBuilder m, int type, Integer value) {
            m.attrU32(type, value);
        }

        @Override
        Integer get(AttributeReader a) {
            return a.u32();
        }
    };

    /** A u8 as a Java int (IFLA_OPERSTATE's number, IFLA_BRPORT_STATE...). */
    static final AttributeCodec<Integer> U8 = new AttributeCodec<Integer>() {
        @Override
        void put(NetlinkMessageBuilder m, int type, Integer value) {
            m.attrU8(type, value);
        }

        @Override
        Integer get(AttributeReader a) {
            return a.u8();
        }
    };

    /** A u16 in host order, as a Java int (IFLA_BR_VLAN_DEFAULT_PVID). */
    static final AttributeCodec<Integer> U16 = new AttributeCodec<Integer>() {
        @Override
        void put(NetlinkMessageBuilder m, int type, Integer value) {
            m.attrU16(type, value);
        }

        @Override
        Integer get(AttributeReader a) {
            return a.u16();
        }
    };

    /** A boolean as a u8 0 or 1 (bridge-port flags, IFLA_BR_VLAN_FILTERING); any non-zero byte reads as true. */
    static final AttributeCodec<Boolean> BOOLEAN_U8 = new AttributeCodec<Boolean>() {
        @Override
        void put(NetlinkMessageBuilder m, int type, Boolean value) {
            m.attrU8(type, value ? 1 : 0);
        }

        @Override
        Boolean get(AttributeReader a) {
            return a.u8() != 0;
        }
    };

    /**
     * An IPv4 (4 bytes) or IPv6 (16 bytes) address in network order (IFA_LOCAL, RTA_GATEWAY...).
     * A payload of another length decodes as null: no address this code can name.
     */
    static final AttributeCodec<IpAddress> IP_ADDRESS = new AttributeCodec<IpAddress>() {
        @Override
        void put(NetlinkMessageBuilder m, int type, IpAddress value) {
            m.attrBytes(type, value.toBytes());
        }

        @Override
        IpAddress get(AttributeReader a) {
            byte[] address = a.bytes();
            return address.length == 4 || address.length == 16 ? IpAddress.fromBytes(address) : null;
        }
    };

    /** IFLA_OPERSTATE: the RFC 2863 state as a u8. */
    static final AttributeCodec<OperState> OPER_STATE = new AttributeCodec<OperState>() {
        @Override
        void put(NetlinkMessageBuilder m, int type, OperState value) {
            m.attrU8(type, value.number());
        }

        @Override
        OperState get(AttributeReader a) {
            return OperState.of(a.u8());
        }
    };

    /** A NUL-terminated string (IFLA_IFNAME). */
    static final AttributeCodec<String> STRING = new AttributeCodec<String>() {
        @Override
        void put(NetlinkMessageBuilder m, int type, String value) {
            m.attrString(type, value);
        }

        @Override
        String get(AttributeReader a) {
            return a.string();
        }
    };

    /**
     * A string sent without its terminating NUL, as iproute2 sends IFLA_IFALIAS; read up to the
     * NUL the kernel's replies carry (or the end of the payload).
     */
    static final AttributeCodec<String> CHARS = new AttributeCodec<String>() {
        @Override
        void put(NetlinkMessageBuilder m, int type, String value) {
            m.attrChars(type, value);
        }

        @Override
        String get(AttributeReader a) {
            return a.string();
        }
    };

    /**
     * A 6-byte Ethernet address. Hardware addresses of other lengths (InfiniBand's 20 bytes, a
     * tunnel's 4 or 16, none at all) decode as null: they are no MAC.
     */
    static final AttributeCodec<MacAddress> ETHERNET_ADDRESS = new AttributeCodec<MacAddress>() {
        @Override
        void put(NetlinkMessageBuilder m, int type, MacAddress value) {
            m.attrBytes(type, value.toBytes());
        }

        @Override
        MacAddress get(AttributeReader a) {
            byte[] address = a.bytes();
            return address.length == 6 ? MacAddress.fromBytes(address) : null;
        }
    };

    /** Appends the attribute {@code type} carrying {@code value}. */
    abstract void put(NetlinkMessageBuilder m, int type, T value);

    /** The value of the attribute the reader is on. */
    abstract T get(AttributeReader a);
}
