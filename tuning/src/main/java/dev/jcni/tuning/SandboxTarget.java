package dev.jcni.tuning;

import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netlink.LinkAttribute;
import dev.jcni.core.os.netlink.LinkInfo;

/**
 * What tuning reads and changes inside one sandbox: sysctls, and the link attributes of the
 * kernel layer's table. {@link KernelTarget} is the real one (used on a thread inside the
 * sandbox's namespace); unit tests use an in-memory fake.
 */
interface SandboxTarget {
    /** A sysctl by its path below /proc/sys (slash-separated), without the trailing newline. */
    String readSysctl(String relativePath) throws OsException;

    /** One write of {@code value}; a short write (the kernel took only part) is an error. */
    void writeSysctl(String relativePath, String value) throws OsException;

    /** The link's current attributes; {@code NotFoundException} when it does not exist. */
    LinkInfo link(String ifName) throws OsException;

    /** Sets one attribute of the link. */
    <T> void set(String ifName, LinkAttribute<T> attribute, T value) throws OsException;
}
