package dev.jcni.core.os.netlink;

import dev.jcni.core.net.MacAddress;
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

    public void setMtu(int index, int mtu) throws OsException {
        change(LinkMessages.setU32(index, LinkMessages.IFLA_MTU, mtu), "set mtu " + mtu, index);
    }

    /** Sets the hardware address (the kernel refuses multicast and all-zero ones with EINVAL). */
    public void setMac(int index, MacAddress mac) throws OsException {
        change(LinkMessages.setAddress(index, mac.toBytes()), "set mac " + mac, index);
    }

    public void setPromisc(int index, boolean on) throws OsException {
        change(LinkMessages.changeFlags(index, on ? LinkInfo.IFF_PROMISC : 0, LinkInfo.IFF_PROMISC),
                "set promisc " + (on ? "on" : "off"), index);
    }

    public void setAllMulti(int index, boolean on) throws OsException {
        change(LinkMessages.changeFlags(index, on ? LinkInfo.IFF_ALLMULTI : 0, LinkInfo.IFF_ALLMULTI),
                "set allmulticast " + (on ? "on" : "off"), index);
    }

    public void setTxQueueLen(int index, int len) throws OsException {
        change(LinkMessages.setU32(index, LinkMessages.IFLA_TXQLEN, len), "set txqueuelen " + len, index);
    }

    public void setUp(int index, boolean up) throws OsException {
        change(LinkMessages.changeFlags(index, up ? LinkInfo.IFF_UP : 0, LinkInfo.IFF_UP),
                "set " + (up ? "up" : "down"), index);
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
