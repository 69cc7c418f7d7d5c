package dev.jcni.core.os.netlink;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;
import dev.jcni.core.os.Errno;
import dev.jcni.core.os.NotFoundException;
import dev.jcni.core.os.OsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The IPv4 and IPv6 addresses of links ({@code ip address add|del|show}), in the namespace of the
 * given socket. An address already there is an {@link dev.jcni.core.os.ExistsException}, deleting
 * one that is not a {@link NotFoundException}, a missing link a NotFoundException too; every
 * failure names the address and the link.
 */
public final class Addresses {
    private final RtNetlink nl;
    private final Pacing pacing;

    public Addresses(RtNetlink nl) {
        this(nl, Pacing.SYSTEM);
    }

    Addresses(RtNetlink nl, Pacing pacing) {
        this.nl = nl;
        this.pacing = pacing;
    }

    /** Adds {@code prefix} (host bits kept: {@code 10.1.0.5/24}) to the link with ifindex {@code index}. */
    public void add(int index, IpPrefix prefix) throws OsException {
        add(Address.on(index, prefix).build());
    }

    /**
     * Adds the address as requested: flags ({@link Address#IFA_F_NODAD},
     * {@link Address#IFA_F_NOPREFIXROUTE}), scope, label, broadcast. An IPv4 address shorter than
     * /31 gets its subnet's broadcast address unless the request names one.
     */
    public void add(Address address) throws OsException {
        String what = "RTM_NEWADDR " + address.prefix();
        try {
            nl.request(AddressMessages.add(address), what + " on index " + address.index());
        } catch (OsException e) {
            throw named(e, what, address.index());
        }
    }

    /**
     * Removes {@code prefix} from the link. The kernel's EADDRNOTAVAIL for an address the link
     * does not have becomes a NotFoundException, as a missing link's ENODEV does.
     */
    public void delete(int index, IpPrefix prefix) throws OsException {
        String what = "RTM_DELADDR " + prefix;
        try {
            nl.request(AddressMessages.delete(Address.on(index, prefix).build()), what + " on index " + index);
        } catch (OsException e) {
            OsException named = named(e, what, index);
            if (named.errno() == Errno.EADDRNOTAVAIL) {
                NotFoundException missing = new NotFoundException(named.operation(), named.errno(), named.getMessage());
                missing.initCause(e);
                throw missing;
            }
            throw named;
        }
    }

    /**
     * The addresses of the link with ifindex {@code index} (0: of every link) in {@code family}
     * (null: both), in the kernel's order.
     */
    public List<Address> list(int index, IpAddress.Family family) throws OsException {
        List<NetlinkMessage> parts = nl.dump(AddressMessages.dump(family),
                "RTM_GETADDR dump" + (family == null ? "" : " " + family.version()));
        List<Address> out = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            Address a = AddressMessages.parse(parts.get(i));
            // The kernel ignores the header's index in a dump (without strict checking): filter here.
            if (a != null && (index == 0 || a.index() == index) && (family == null || a.family() == family)) {
                out.add(a);
            }
        }
        return out;
    }

    /**
     * Waits until no IPv6 address of the link is tentative (duplicate address detection done),
     * polling at a growing pace for at most {@code timeout}; the reference's SettleAddresses.
     *
     * <ul>
     *   <li>An address whose detection failed (IFA_F_DADFAILED) is an error at once: EADDRINUSE,
     *       naming it.</li>
     *   <li>On a link that is administratively down, detection has not started and waits for
     *       whoever brings it up: this returns at once.</li>
     *   <li>At the deadline, still tentative: ETIMEDOUT on a running link; on a link without
     *       carrier (detection cannot progress) it returns, as the reference does.</li>
     * </ul>
     */
    public void awaitSettled(int index, Duration timeout) throws OsException {
        LinkInfo link = new Links(nl).byIndex(index);
        String op = "settle IPv6 addresses on " + link.name();
        Pacing.Deadline deadline = pacing.deadline(timeout, op);
        while (true) {
            Address tentative = null;
            List<Address> addresses = list(index, IpAddress.Family.IPV6);
            for (int i = 0; i < addresses.size(); i++) {
                Address a = addresses.get(i);
                if (a.dadFailed()) {
                    throw OsException.fromErrno(op, Errno.EADDRINUSE,
                            a.prefix() + " failed duplicate address detection: another host has it");
                }
                if (a.isTentative() && tentative == null) {
                    tentative = a;
                }
            }
            if (tentative == null || (link.flags() & LinkInfo.IFF_UP) == 0) {
                return;
            }
            if (deadline.passed()) {
                if (!link.isRunning()) {
                    return;
                }
                throw OsException.fromErrno(op, Errno.ETIMEDOUT,
                        tentative.prefix() + " is still tentative after " + deadline.timeout().toMillis() + " ms");
            }
            deadline.pause();
            link = new Links(nl).byIndex(index);
        }
    }

    /** The failure described with the link's name, when it can still be read. */
    private OsException named(OsException e, String what, int index) {
        String name = new Links(nl).nameOrNull(index);
        return name == null ? e : e.withOperation(what + " on " + name);
    }
}
