package dev.jcni.core.os.netlink;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;

/**
 * Encodes address requests (struct ifaddrmsg + IFA_* attributes) and decodes RTM_NEWADDR
 * replies. Requests are laid out as {@code ip address add|del} (iproute2 6.1) lays them out:
 * IFA_LOCAL, IFA_LABEL, IFA_FLAGS (only for flags above 8 bits; lower ones travel in the
 * header), IFA_ADDRESS, IFA_BROADCAST.
 */
final class AddressMessages {
    static final int RTM_NEWADDR = 20;
    static final int RTM_DELADDR = 21;
    static final int RTM_GETADDR = 22;
    /** struct ifaddrmsg: family u8, prefixlen u8, flags u8, scope u8, index u32. */
    static final int IFADDRMSG_LENGTH = 8;

    private AddressMessages() {}

    /**
     * RTM_NEWADDR with NLM_F_CREATE | NLM_F_EXCL. An IPv4 address of a prefix shorter than /31
     * gets the subnet's broadcast address unless the request names one, as the reference's
     * netlink library does ({@code ip address add ... brd +}); /31 and /32 have none (RFC 3021).
     */
    static NetlinkMessageBuilder add(Address a) {
        IpPrefix prefix = a.prefix();
        int scope = a.scope() >= 0 ? a.scope() : defaultScope(prefix.address());
        NetlinkMessageBuilder m = ifaddr(new NetlinkMessageBuilder(RTM_NEWADDR,
                NetlinkConstants.NLM_F_CREATE | NetlinkConstants.NLM_F_EXCL), a, a.flags(), scope);
        IpAddress local = a.get(AddressAttribute.LOCAL);
        AddressAttribute.LOCAL.encode(m, local != null ? local : prefix.address());
        String label = a.get(AddressAttribute.LABEL);
        if (label != null) {
            AddressAttribute.LABEL.encode(m, label);
        }
        if (a.flags() > 0xff) {
            m.attrU32(AddressAttribute.IFA_FLAGS, a.flags());
        }
        IpAddress address = a.get(AddressAttribute.ADDRESS);
        AddressAttribute.ADDRESS.encode(m, address != null ? address : prefix.address());
        IpAddress broadcast = a.get(AddressAttribute.BROADCAST);
        if (broadcast == null && prefix.family() == IpAddress.Family.IPV4 && prefix.length() < 31) {
            broadcast = prefix.last();
        }
        if (broadcast != null) {
            AddressAttribute.BROADCAST.encode(m, broadcast);
        }
        return m;
    }

    /** RTM_DELADDR of the address {@code a.prefix()} on its link, as {@code ip address del P dev X}: IFA_LOCAL and IFA_ADDRESS. */
    static NetlinkMessageBuilder delete(Address a) {
        NetlinkMessageBuilder m = ifaddr(new NetlinkMessageBuilder(RTM_DELADDR, 0), a, 0, 0);
        AddressAttribute.LOCAL.encode(m, a.prefix().address());
        AddressAttribute.ADDRESS.encode(m, a.prefix().address());
        return m;
    }

    /** RTM_GETADDR dump of one family (null: both), as {@code ip -4 address show} asks. */
    static NetlinkMessageBuilder dump(IpAddress.Family family) {
        return new NetlinkMessageBuilder(RTM_GETADDR, 0).u8(AddressFamilies.of(family)).u8(0).u8(0).u8(0).u32(0);
    }

    /** ifaddrmsg; flags above 8 bits are left to IFA_FLAGS. */
    private static NetlinkMessageBuilder ifaddr(NetlinkMessageBuilder m, Address a, int flags, int scope) {
        return m.u8(AddressFamilies.of(a.family())).u8(a.prefix().length()).u8(flags <= 0xff ? flags : 0).u8(scope).u32(a.index());
    }

    /** {@code ip address add}'s default: host scope for 127.0.0.0/8, global for the rest. */
    private static int defaultScope(IpAddress address) {
        return address.isIpv4() && (address.toBytes()[0] & 0xff) == 127 ? Scope.HOST : Scope.UNIVERSE;
    }

    /**
     * Decodes an RTM_NEWADDR message; null for any other type, a family other than IPv4 or IPv6,
     * or one without an address. The prefix is IFA_LOCAL's when present (IPv4, a point-to-point
     * IPv6 address), else IFA_ADDRESS's; flags are IFA_FLAGS when present (all 32 bits), else
     * the header's 8.
     */
    static Address parse(NetlinkMessage m) {
        if (m.type() != RTM_NEWADDR || m.payload().length < IFADDRMSG_LENGTH) {
            return null;
        }
        IpAddress.Family family = AddressFamilies.family(m.u8At(0));
        if (family == null) {
            return null;
        }
        int prefixLength = m.u8At(1);
        int flags = m.u8At(2);
        AttributeValues values = new AttributeValues(AddressAttribute.ALL.size());
        AttributeReader a = m.attributes(IFADDRMSG_LENGTH);
        while (a.next()) {
            if (a.type() == AddressAttribute.IFA_FLAGS) {
                flags = a.u32();
                continue;
            }
            AttributeRow<?> row = AttributeRow.byType(AddressAttribute.ALL, a.type());
            if (row != null) {
                row.decodeInto(a, values);
            }
        }
        IpAddress address = values.get(AddressAttribute.LOCAL);
        if (address == null) {
            address = values.get(AddressAttribute.ADDRESS);
        }
        if (address == null || address.family() != family || prefixLength > family.bits()) {
            return null;
        }
        Address.Builder b = Address.on(m.u32At(4), IpPrefix.of(address, prefixLength)).flags(flags).scope(m.u8At(3));
        for (int i = 0; i < AddressAttribute.ALL.size(); i++) {
            copy(values, b, AddressAttribute.ALL.get(i));
        }
        return b.build();
    }

    private static <T> void copy(AttributeValues from, Address.Builder to, AddressAttribute<T> row) {
        T v = from.get(row);
        if (v != null) {
            to.set(row, v);
        }
    }
}
