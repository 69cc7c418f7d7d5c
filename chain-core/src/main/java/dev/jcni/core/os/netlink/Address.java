package dev.jcni.core.os.netlink;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;
import java.util.Objects;

/**
 * An IP address of a link: as {@link Addresses#list} reads it back, or as a request for
 * {@link Addresses#add}. Header fields (link, prefix, flags, scope) are methods; the attributes
 * are rows of {@link AddressAttribute}, read with {@link #get}.
 *
 * <pre>
 * addresses.add(Address.on(index, IpPrefix.parse("2001:db8::5/64")).flags(Address.IFA_F_NODAD).build());
 * </pre>
 */
public final class Address {
    /** Flags (ifa_flags, and IFA_FLAGS for those above 8 bits). */
    public static final int IFA_F_SECONDARY = 0x01;
    /** No duplicate address detection: usable at once. */
    public static final int IFA_F_NODAD = 0x02;
    public static final int IFA_F_OPTIMISTIC = 0x04;
    /** Duplicate address detection found the address in use: it will never be usable. */
    public static final int IFA_F_DADFAILED = 0x08;
    public static final int IFA_F_HOMEADDRESS = 0x10;
    public static final int IFA_F_DEPRECATED = 0x20;
    /** Duplicate address detection has not finished: not yet usable. */
    public static final int IFA_F_TENTATIVE = 0x40;
    public static final int IFA_F_PERMANENT = 0x80;
    public static final int IFA_F_MANAGETEMPADDR = 0x100;
    /** No prefix route for the address's subnet. */
    public static final int IFA_F_NOPREFIXROUTE = 0x200;
    public static final int IFA_F_MCAUTOJOIN = 0x400;
    public static final int IFA_F_STABLE_PRIVACY = 0x800;

    private final int index;
    private final IpPrefix prefix;
    private final int flags;
    private final int scope;
    private final AttributeValues values;

    private Address(int index, IpPrefix prefix, int flags, int scope, AttributeValues values) {
        this.index = index;
        this.prefix = prefix;
        this.flags = flags;
        this.scope = scope;
        this.values = values;
    }

    /** A request for {@code prefix} (host bits kept: {@code 10.1.0.5/24}) on the link with ifindex {@code index}. */
    public static Builder on(int index, IpPrefix prefix) {
        return new Builder(index, Objects.requireNonNull(prefix, "prefix"));
    }

    /** The link's ifindex. */
    public int index() {
        return index;
    }

    /** The address with its prefix length, e.g. {@code 10.1.0.5/24}. */
    public IpPrefix prefix() {
        return prefix;
    }

    public IpAddress.Family family() {
        return prefix.family();
    }

    /** The IFA_F_* flags. */
    public int flags() {
        return flags;
    }

    /** The scope ({@link Scope}); -1 in a request that leaves it to {@link Addresses#add}. */
    public int scope() {
        return scope;
    }

    /** The attribute's value, or null when the address has none. */
    public <T> T get(AddressAttribute<T> row) {
        return values.get(row);
    }

    /** Duplicate address detection still running (IPv6): the address is not usable yet. */
    public boolean isTentative() {
        return (flags & IFA_F_TENTATIVE) != 0;
    }

    /** Duplicate address detection found another holder (IPv6): the address will never be usable. */
    public boolean dadFailed() {
        return (flags & IFA_F_DADFAILED) != 0;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Address)) {
            return false;
        }
        Address a = (Address) o;
        return index == a.index && prefix.equals(a.prefix) && flags == a.flags && scope == a.scope && values.equals(a.values);
    }

    @Override
    public int hashCode() {
        return (index * 31 + prefix.hashCode()) * 31 + flags;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Address{").append(prefix).append(" index=").append(index)
                .append(", flags=0x").append(Integer.toHexString(flags));
        if (scope >= 0) {
            sb.append(", scope=").append(Scope.name(scope));
        }
        values.appendTo(sb, AddressAttribute.ALL);
        return sb.append('}').toString();
    }

    /** Builds an address: a request, or (in the parser and in fakes) one read back. */
    public static final class Builder {
        private final int index;
        private final IpPrefix prefix;
        private int flags;
        private int scope = -1;
        private final AttributeValues values = new AttributeValues(AddressAttribute.ALL.size());

        private Builder(int index, IpPrefix prefix) {
            this.index = index;
            this.prefix = prefix;
        }

        /** IFA_F_* flags, e.g. {@code IFA_F_NODAD | IFA_F_NOPREFIXROUTE}. */
        public Builder flags(int newFlags) {
            this.flags = newFlags;
            return this;
        }

        /** The scope ({@link Scope}); by default global, host for 127.0.0.0/8 (as {@code ip address add}). */
        public Builder scope(int newScope) {
            if (newScope < 0 || newScope > 255) {
                throw new IllegalArgumentException("scope " + newScope + " is not in 0..255");
            }
            this.scope = newScope;
            return this;
        }

        public <T> Builder set(AddressAttribute<T> row, T value) {
            values.put(row, value);
            return this;
        }

        public Address build() {
            return new Address(index, prefix, flags, scope, values.copy());
        }
    }
}
