package dev.jcni.tuning;

import dev.jcni.core.net.MacAddress;
import dev.jcni.core.os.InvalidArgumentException;
import dev.jcni.core.os.NotFoundException;
import dev.jcni.core.os.OsException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An in-memory sandbox: sysctl files and one link, with an optional failing operation. */
final class FakeTarget implements SandboxTarget {
    final Map<String, String> sysctls = new LinkedHashMap<>();
    final List<String> calls = new ArrayList<>();
    String linkName = "eth0";
    boolean linkPresent = true;
    /** Null for a link without an Ethernet address. */
    MacAddress mac = MacAddress.fromBytes(new byte[] {2, 0, 0, 0, 0, 1});
    int mtu = 1500;
    boolean promisc;
    boolean allMulti;
    int txQueueLen = 1000;
    /** Name of the operation that fails with EINVAL, e.g. "setMtu". */
    String failOn;

    @Override
    public String readSysctl(String path) throws OsException {
        String v = sysctls.get(path);
        if (v == null) {
            throw new NotFoundException("read " + path, 2, "No such file or directory");
        }
        return v;
    }

    @Override
    public void writeSysctl(String path, String value) throws OsException {
        maybeFail("writeSysctl:" + path);
        if (!sysctls.containsKey(path)) {
            throw new NotFoundException("write " + path, 2, "No such file or directory");
        }
        calls.add("sysctl " + path + "=" + value);
        sysctls.put(path, value);
    }

    @Override
    public LinkState link(String ifName) throws OsException {
        requireLink(ifName);
        return new LinkState(mac, mtu, promisc, allMulti, txQueueLen);
    }

    @Override
    public void setMac(String ifName, MacAddress value) throws OsException {
        requireLink(ifName);
        maybeFail("setMac");
        calls.add("mac " + value);
        mac = value;
    }

    @Override
    public void setMtu(String ifName, int value) throws OsException {
        requireLink(ifName);
        maybeFail("setMtu");
        calls.add("mtu " + value);
        mtu = value;
    }

    @Override
    public void setPromisc(String ifName, boolean on) throws OsException {
        requireLink(ifName);
        maybeFail("setPromisc");
        calls.add("promisc " + on);
        promisc = on;
    }

    @Override
    public void setAllMulti(String ifName, boolean on) throws OsException {
        requireLink(ifName);
        maybeFail("setAllMulti");
        calls.add("allmulti " + on);
        allMulti = on;
    }

    @Override
    public void setTxQueueLen(String ifName, int length) throws OsException {
        requireLink(ifName);
        maybeFail("setTxQueueLen");
        calls.add("txqlen " + length);
        txQueueLen = length;
    }

    private void requireLink(String ifName) throws OsException {
        if (!linkPresent || !ifName.equals(linkName)) {
            throw new NotFoundException("link " + ifName, 19, "No such device");
        }
    }

    private void maybeFail(String op) throws OsException {
        if (op.equals(failOn)) {
            throw new InvalidArgumentException(op, 22, "Invalid argument");
        }
    }
}
