package dev.jcni.core.os.netlink;

import dev.jcni.core.net.MacAddress;

/**
 * How a value of type {@code T} is laid out as the payload of one netlink attribute, both ways.
 * Shared by every attribute table ({@link LinkAttribute} today; bridge-port flags, addresses and
 * qdisc parameters later), so a table row only names its attribute type and its codec.
 *
 * <p>A table that needs another layout adds a codec here (bridge-port flags will add a u8
 * boolean, qdisc parameters a fixed C struct), not a branch in its parser.
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
