package dev.jcni.tuning;

import dev.jcni.core.net.MacAddress;
import dev.jcni.core.os.Errno;
import dev.jcni.core.os.NotFoundException;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netlink.LinkAttribute;
import dev.jcni.core.os.netlink.LinkInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-memory sandbox: sysctl files and one link, with an optional failing operation. Sysctls
 * listed in {@link #singleValue} behave as the kernel's integer sysctls do: they take the first
 * number of a written value and report a short write when more follows.
 */
class FakeTarget implements SandboxTarget {
    final Map<String, String> sysctls = new LinkedHashMap<>();
    final List<String> singleValue = new ArrayList<>();
    final List<String> calls = new ArrayList<>();
    String linkName = "eth0";
    boolean linkPresent = true;
    private LinkInfo link = new LinkInfo.Builder(2).flags(LinkInfo.IFF_UP | LinkInfo.IFF_BROADCAST)
            .set(LinkAttribute.NAME, "eth0").set(LinkAttribute.MTU, 1500).set(LinkAttribute.TX_QUEUE_LENGTH, 1000)
            .set(LinkAttribute.MAC, MacAddress.fromBytes(new byte[] {2, 0, 0, 0, 0, 1})).build();
    /** The operation that fails with EINVAL: "set mtu", "set mac", "writeSysctl:<path>"... */
    String failOn;

    <T> T get(LinkAttribute<T> attribute) {
        return link.get(attribute);
    }

    /** Changes the link behind the plugin's back (drift, a link without a MAC...). */
    <T> void put(LinkAttribute<T> attribute, T value) {
        link = rebuild(attribute, value);
    }

    @Override
    public String readSysctl(String path) throws OsException {
        String v = sysctls.get(path);
        if (v == null) {
            throw OsException.fromErrno("read " + path, Errno.ENOENT);
        }
        return v;
    }

    @Override
    public void writeSysctl(String path, String value) throws OsException {
        maybeFail("writeSysctl:" + path);
        if (!sysctls.containsKey(path)) {
            throw OsException.fromErrno("write " + path, Errno.ENOENT);
        }
        calls.add("sysctl " + path + "=" + value);
        if (singleValue.contains(path)) {
            String[] numbers = value.trim().split("\\s+");
            sysctls.put(path, numbers[0]);
            if (numbers.length > 1) {
                throw OsException.fromErrno("write " + path, Errno.EIO, "short write");
            }
            return;
        }
        sysctls.put(path, value);
    }

    @Override
    public LinkInfo link(String ifName) throws OsException {
        requireLink(ifName);
        return link;
    }

    @Override
    public <T> void set(String ifName, LinkAttribute<T> attribute, T value) throws OsException {
        requireLink(ifName);
        maybeFail("set " + attribute.name());
        calls.add(attribute.describe(value));
        link = rebuild(attribute, value);
    }

    private <T> LinkInfo rebuild(LinkAttribute<T> changed, T value) {
        LinkInfo.Builder b = new LinkInfo.Builder(link.index()).flags(link.flags());
        for (LinkAttribute<?> row : LinkAttribute.ALL) {
            copy(row, b);
        }
        return b.set(changed, value).build();
    }

    private <T> void copy(LinkAttribute<T> row, LinkInfo.Builder b) {
        T v = link.get(row);
        if (v != null) {
            b.set(row, v);
        }
    }

    private void requireLink(String ifName) throws OsException {
        if (!linkPresent || !ifName.equals(linkName)) {
            throw new NotFoundException("link " + ifName, Errno.ENODEV, "No such device");
        }
    }

    private void maybeFail(String op) throws OsException {
        if (op.equals(failOn)) {
            throw OsException.fromErrno(op, Errno.EINVAL);
        }
    }
}
