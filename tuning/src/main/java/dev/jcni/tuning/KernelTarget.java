package dev.jcni.tuning;

import dev.jcni.core.net.MacAddress;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netlink.LinkAttribute;
import dev.jcni.core.os.netlink.LinkInfo;
import dev.jcni.core.os.netlink.Links;
import dev.jcni.core.os.sysctl.Sysctl;

/**
 * The real sandbox: sysctls under /proc/sys and links over rtnetlink. Must be created and used
 * on a thread inside the sandbox's namespace ({@code NetNs.run}); the netlink socket is opened
 * there and stays bound to it.
 */
final class KernelTarget implements SandboxTarget {
    private final Links links;

    KernelTarget(Links links) {
        this.links = links;
    }

    @Override
    public String readSysctl(String relativePath) throws OsException {
        return Sysctl.read(relativePath);
    }

    @Override
    public void writeSysctl(String relativePath, String value) throws OsException {
        Sysctl.write(relativePath, value);
    }

    @Override
    public LinkState link(String ifName) throws OsException {
        LinkInfo l = links.byName(ifName);
        return new LinkState(l.get(LinkAttribute.MAC), l.get(LinkAttribute.MTU), l.get(LinkAttribute.PROMISC),
                l.get(LinkAttribute.ALLMULTI), l.get(LinkAttribute.TX_QUEUE_LENGTH));
    }

    // By name every time: an earlier step (a MAC change, say) never changes the index, but a
    // lookup per change keeps each step valid on its own.
    private int index(String ifName) throws OsException {
        return links.byName(ifName).index();
    }

    @Override
    public void setMac(String ifName, MacAddress mac) throws OsException {
        links.set(index(ifName), LinkAttribute.MAC, mac);
    }

    @Override
    public void setMtu(String ifName, int mtu) throws OsException {
        links.set(index(ifName), LinkAttribute.MTU, mtu);
    }

    @Override
    public void setPromisc(String ifName, boolean on) throws OsException {
        links.set(index(ifName), LinkAttribute.PROMISC, on);
    }

    @Override
    public void setAllMulti(String ifName, boolean on) throws OsException {
        links.set(index(ifName), LinkAttribute.ALLMULTI, on);
    }

    @Override
    public void setTxQueueLen(String ifName, int length) throws OsException {
        links.set(index(ifName), LinkAttribute.TX_QUEUE_LENGTH, length);
    }
}
