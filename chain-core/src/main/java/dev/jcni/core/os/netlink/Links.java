package dev.jcni.core.os.netlink;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and changes network interfaces through rtnetlink, in the namespace of the given socket.
 * Missing links raise {@link dev.jcni.core.os.NotFoundException} (the kernel says ENODEV).
 */
public final class Links {
    private final RtNetlink nl;

    public Links(RtNetlink nl) {
        this.nl = nl;
    }

    /** The link called {@code name}; NotFoundException if there is none. */
    public LinkInfo byName(String name) throws OsException {
        return single(nl.request(LinkMessages.getByName(name), "RTM_GETLINK " + name), "RTM_GETLINK " + name);
    }

    /** The link with ifindex {@code index}; NotFoundException if there is none. */
    public LinkInfo byIndex(int index) throws OsException {
        String op = "RTM_GETLINK index " + index;
        return single(nl.request(LinkMessages.getByIndex(index), op), op);
    }

    /** Every link of the namespace, in the kernel's order (by index). */
    public List<LinkInfo> list() throws OsException {
        List<NetlinkMessage> parts = nl.dump(LinkMessages.dumpAll(), "RTM_GETLINK dump");
        List<LinkInfo> links = new ArrayList<>(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            LinkInfo l = LinkMessages.parse(parts.get(i));
            if (l != null) {
                links.add(l);
            }
        }
        return links;
    }

    /**
     * Sets one attribute of the link with ifindex {@code index}, any row of the table:
     * {@code links.set(index, LinkAttribute.MTU, 1400)}, {@code links.set(index, LinkAttribute.UP, true)}.
     * The kernel's refusals arrive typed: an MTU out of the device's range or a multicast MAC is
     * an {@link dev.jcni.core.os.InvalidArgumentException}, a missing link a NotFoundException.
     */
    public <T> void set(int index, LinkAttribute<T> row, T value) throws OsException {
        change(LinkMessages.set(index, row, value), "set " + row.describe(value), index);
    }

    private void change(NetlinkMessageBuilder message, String what, int index) throws OsException {
        try {
            nl.request(message, "RTM_NEWLINK " + what + " on index " + index);
        } catch (OsException e) {
            // Name the link in the error; looked up only now, so the success path costs one round trip.
            String name = nameOrNull(index);
            throw name == null ? e : e.withOperation("RTM_NEWLINK " + what + " on " + name);
        }
    }

    private String nameOrNull(int index) {
        try {
            return byIndex(index).name();
        } catch (OsException e) {
            return null;
        }
    }

    private static LinkInfo single(List<NetlinkMessage> replies, String operation) throws OsException {
        for (int i = 0; i < replies.size(); i++) {
            LinkInfo l = LinkMessages.parse(replies.get(i));
            if (l != null) {
                return l;
            }
        }
        throw OsException.fromErrno(operation, Errno.EPROTO, "no RTM_NEWLINK in the reply");
    }
}
