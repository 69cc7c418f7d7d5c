package dev.jcni.core.os.netlink;

import dev.jcni.core.net.IpAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The table of address attributes ({@code IFA_*}) that follow the struct ifaddrmsg of
 * RTM_NEWADDR / RTM_DELADDR, named in the words of {@code ip address}. An {@link Address}'s
 * family, prefix length, flags, scope and link are header fields; these are its attributes.
 * {@link Addresses#add} fills {@link #LOCAL} and {@link #ADDRESS} from the address's prefix, and
 * an IPv4 {@link #BROADCAST} from it unless one is given.
 */
public final class AddressAttribute<T> extends AttributeRow<T> {
    private static final List<AddressAttribute<?>> ROWS = new ArrayList<>();

    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int IFA_LABEL = 3;
    static final int IFA_BROADCAST = 4;
    static final int IFA_FLAGS = 8;

    /** The interface's own address (IPv4; IPv6 carries it in {@link #ADDRESS} unless it has a peer). */
    public static final AddressAttribute<IpAddress> LOCAL = row("local", IFA_LOCAL, AttributeCodec.IP_ADDRESS);
    /** The address, or on a point-to-point link the peer's. */
    public static final AddressAttribute<IpAddress> ADDRESS = row("address", IFA_ADDRESS, AttributeCodec.IP_ADDRESS);
    /** IPv4's broadcast address ({@code brd}). */
    public static final AddressAttribute<IpAddress> BROADCAST = row("broadcast", IFA_BROADCAST, AttributeCodec.IP_ADDRESS);
    /** IPv4's label ({@code eth0:1}), at most 15 characters starting with the link's name. */
    public static final AddressAttribute<String> LABEL = row("label", IFA_LABEL, AttributeCodec.STRING);

    /** Every row, in declaration order. */
    public static final List<AddressAttribute<?>> ALL = Collections.unmodifiableList(ROWS);

    private AddressAttribute(String name, int type, AttributeCodec<T> codec) {
        super(name, type, codec, ROWS.size());
        ROWS.add(this);
    }

    private static <T> AddressAttribute<T> row(String name, int type, AttributeCodec<T> codec) {
        return new AddressAttribute<>(name, type, codec);
    }
}
