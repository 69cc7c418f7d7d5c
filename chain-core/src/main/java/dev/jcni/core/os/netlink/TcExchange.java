package dev.jcni.core.os.netlink;

import dev.jcni.core.os.OsException;
import java.util.List;

/**
 * What the three tc clients share: the socket, the scheduler clock (read on first need), and
 * errors that name the device. Operations are described with the ifindex first ("RTM_NEWQDISC
 * add tbf 1: root on index 7"); only when the kernel refuses is the name looked up and put in its
 * place, so the success path costs one round trip, as {@link Links} does.
 */
final class TcExchange {
    private final RtNetlink nl;
    private Psched clock;

    TcExchange(RtNetlink nl, Psched clock) {
        this.nl = nl;
        this.clock = clock;
    }

    Psched clock() throws OsException {
        if (clock == null) {
            clock = Psched.system();
        }
        return clock;
    }

    /** One request answered by an ACK; {@code what} is the operation without its device, e.g. "RTM_DELQDISC ingress". */
    List<NetlinkMessage> request(NetlinkMessageBuilder message, String what, int ifindex) throws OsException {
        try {
            return nl.request(message, what + " on index " + ifindex);
        } catch (OsException e) {
            String name = nameOrNull(ifindex);
            throw name == null ? e : e.withOperation(what + " on " + name);
        }
    }

    List<NetlinkMessage> dump(NetlinkMessageBuilder message, String what, int ifindex) throws OsException {
        try {
            return nl.dump(message, ifindex == 0 ? what : what + " on index " + ifindex);
        } catch (OsException e) {
            String name = ifindex == 0 ? null : nameOrNull(ifindex);
            throw name == null ? e : e.withOperation(what + " on " + name);
        }
    }

    private String nameOrNull(int ifindex) {
        try {
            return new Links(nl).byIndex(ifindex).name();
        } catch (OsException e) {
            return null;
        }
    }
}
