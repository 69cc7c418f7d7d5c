package dev.jcni.core.os.netlink;

import dev.jcni.core.os.OsException;
import java.util.ArrayList;
import java.util.List;

/**
 * The VLAN entries of bridge ports ({@code bridge vlan add|del|show ... master}), in the
 * namespace of the given socket. They take effect on a bridge with
 * {@link BridgeAttribute#VLAN_FILTERING} on; a kernel built without bridge VLAN filtering refuses
 * every change with EOPNOTSUPP (a plain {@link OsException}). Deleting an entry the port does not
 * have is a {@link dev.jcni.core.os.NotFoundException}.
 */
public final class BridgeVlans {
    private final RtNetlink nl;

    public BridgeVlans(RtNetlink nl) {
        this.nl = nl;
    }

    /** Adds {@code vlan} to the port with ifindex {@code portIndex} (an existing VID gets the new flags). */
    public void add(int portIndex, BridgeVlan vlan) throws OsException {
        nl.request(BridgeVlanMessages.add(portIndex, vlan), "RTM_SETLINK bridge vlan add " + vlan + " on index " + portIndex);
    }

    /** Removes {@code vlan} (its VIDs; the flags do not matter) from the port. */
    public void delete(int portIndex, BridgeVlan vlan) throws OsException {
        nl.request(BridgeVlanMessages.delete(portIndex, vlan), "RTM_DELLINK bridge vlan del " + vlan + " on index " + portIndex);
    }

    /** The port's entries, ranges as the kernel groups them. Empty on a kernel without VLAN filtering. */
    public List<BridgeVlan> list(int portIndex) throws OsException {
        List<NetlinkMessage> parts = nl.dump(BridgeVlanMessages.dump(), "RTM_GETLINK bridge vlan dump");
        for (int i = 0; i < parts.size(); i++) {
            NetlinkMessage m = parts.get(i);
            if (m.type() == LinkMessages.RTM_NEWLINK && m.payload().length >= LinkMessages.IFINFOMSG_LENGTH
                    && m.u32At(4) == portIndex) {
                return BridgeVlanMessages.parse(m);
            }
        }
        return new ArrayList<>();
    }

    /**
     * Removes every entry of the port, as the reference bridge removes the default VLAN (VID 1,
     * PVID untagged) before it adds the configured ones.
     */
    public void deleteAll(int portIndex) throws OsException {
        List<BridgeVlan> entries = list(portIndex);
        for (int i = 0; i < entries.size(); i++) {
            delete(portIndex, entries.get(i));
        }
    }
}
