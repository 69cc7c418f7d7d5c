package dev.jcni.core.invoke;

import dev.jcni.core.net.IpPrefix;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Result;
import dev.jcni.core.skel.Invocation;
import java.util.List;

/**
 * A plugin for in-process delegation tests: ADD answers the config's {@code ipam.subnet} with host
 * number 5 and the container ID as a search domain; DEL fails with code 11, CHECK with 101.
 */
public final class EchoIpam implements dev.jcni.core.skel.CniPlugin {
    public EchoIpam() {}

    @Override public String about() { return "echo"; }
    @Override public List<String> supportedVersions() { return dev.jcni.core.protocol.CniVersion.ALL; }

    @Override
    public Result add(Invocation inv) throws CniException {
        String subnet = inv.config().object("ipam").string("subnet");
        IpPrefix p;
        try {
            p = IpPrefix.parse(subnet);
        } catch (dev.jcni.core.net.AddressFormatException e) {
            throw new CniException(7, "bad subnet " + subnet);
        }
        IpPrefix address = IpPrefix.of(p.network().address().plus(5), p.length());
        return new Result(inv.cniVersion(), List.of(), List.of(new Result.IpConfig(address, null, null, null)), List.of(),
                new Result.Dns(null, null, List.of(inv.containerId()), null));
    }

    @Override public void check(Invocation inv) throws CniException { throw new CniException(101, "drift", "of " + inv.ifName()); }
    @Override public void del(Invocation inv) throws CniException { throw new CniException(11, "busy", "try later"); }
    @Override public void gc(Invocation inv) { }
    @Override public void status(Invocation inv) { }
}
