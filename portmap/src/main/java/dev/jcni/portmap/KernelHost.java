package dev.jcni.portmap;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.conntrack.Conntrack;
import dev.jcni.core.os.conntrack.ConntrackFilter;
import dev.jcni.core.os.nft.NftException;
import dev.jcni.core.os.nft.ChosenNftRunner;
import dev.jcni.core.os.nft.NftRunner;
import dev.jcni.core.os.nft.NftRunners;
import dev.jcni.core.os.routing.RouteLookup;
import dev.jcni.core.os.sysctl.Sysctl;
import dev.jcni.core.skel.NodePolicy;

/** The real host: the plugin's own network namespace, where the runtime runs it. */
final class KernelHost implements HostKernel {
    private final ChosenNftRunner nft;

    /** {@code node} may force a runner ({@value NftRunners#OVERRIDE_ENV}), as may the system property. */
    KernelHost(NodePolicy node) {
        this.nft = new ChosenNftRunner(node.get(NftRunners.OVERRIDE_ENV, null));
    }

    @Override
    public NftRunner nft() throws NftException {
        return nft.get();
    }

    @Override
    public String nftUnavailability() {
        return nft.unavailability();
    }

    @Override
    public int deleteConntrack(java.util.List<ConntrackFilter> filters) throws OsException {
        return Conntrack.delete(filters);
    }

    @Override
    public String outputInterface(IpAddress destination) throws OsException {
        return RouteLookup.outputInterface(destination);
    }

    @Override
    public String readSysctl(String key) throws OsException {
        return Sysctl.read(key);
    }

    @Override
    public void writeSysctl(String key, String value) throws OsException {
        Sysctl.write(key, value);
    }
}
