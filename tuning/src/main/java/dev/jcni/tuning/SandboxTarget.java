package dev.jcni.tuning;

import dev.jcni.core.net.MacAddress;
import dev.jcni.core.os.OsException;

/**
 * What tuning reads and changes inside a sandbox. {@link KernelTarget} is the real one (called
 * on a thread inside the sandbox's namespace); unit tests use an in-memory fake.
 */
public interface SandboxTarget {
    /** A sysctl by its path below /proc/sys (slash-separated), without the trailing newline. */
    String readSysctl(String relativePath) throws OsException;

    void writeSysctl(String relativePath, String value) throws OsException;

    /** The link's current attributes; {@code NotFoundException} when it does not exist. */
    LinkState link(String ifName) throws OsException;

    void setMac(String ifName, MacAddress mac) throws OsException;

    void setMtu(String ifName, int mtu) throws OsException;

    void setPromisc(String ifName, boolean on) throws OsException;

    void setAllMulti(String ifName, boolean on) throws OsException;

    void setTxQueueLen(String ifName, int length) throws OsException;

    /**
     * The attributes tuning manages, as read from the kernel; {@code mac} is null when the link
     * has no Ethernet address (InfiniBand, tunnels).
     */
    record LinkState(MacAddress mac, int mtu, boolean promisc, boolean allMulti, int txQueueLen) {}
}
