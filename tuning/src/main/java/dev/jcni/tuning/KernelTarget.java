package dev.jcni.tuning;

import dev.jcni.core.os.OsException;
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
        return new LinkState(l.mac(), l.mtu(), l.promisc(), l.allMulti(), l.txQueueLen());
    }

    @Override
    public void setMac(String ifName, String mac) throws OsException {
        links.setMac(links.byName(ifName).index(), mac);
    }

    @Override
    public void setMtu(String ifName, int mtu) throws OsException {
        links.setMtu(links.byName(ifName).index(), mtu);
    }

    @Override
    public void setPromisc(String ifName, boolean on) throws OsException {
        links.setPromisc(links.byName(ifName).index(), on);
    }

    @Override
    public void setAllMulti(String ifName, boolean on) throws OsException {
        links.setAllMulti(links.byName(ifName).index(), on);
    }

    @Override
    public void setTxQueueLen(String ifName, int length) throws OsException {
        links.setTxQueueLen(links.byName(ifName).index(), length);
    }
}
