package dev.jcni.tuning;

import dev.jcni.core.os.Errno;
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
        return Sysctl.read(netPath(relativePath, "read"));
    }

    @Override
    public void writeSysctl(String relativePath, String value) throws OsException {
        Sysctl.write(netPath(relativePath, "write"), value);
    }

    /**
     * The last guard before the kernel: config keys and backup entries were checked already, but
     * a path that is not a clean one below /proc/sys/net never reaches a write, whoever built it.
     */
    private static String netPath(String relativePath, String verb) throws OsException {
        if (!SysctlKey.isResolvedNetPath(relativePath)) {
            throw OsException.fromErrno(verb + " sysctl " + relativePath, Errno.EINVAL, "not a path below /proc/sys/net");
        }
        return relativePath;
    }

    @Override
    public LinkInfo link(String ifName) throws OsException {
        return links.byName(ifName);
    }

    // By name every time: an earlier step (a MAC change, say) never changes the index, but a
    // lookup per change keeps each step valid on its own.
    @Override
    public <T> void set(String ifName, LinkAttribute<T> attribute, T value) throws OsException {
        links.set(links.byName(ifName).index(), attribute, value);
    }
}
