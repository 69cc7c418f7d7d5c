package dev.jcni.portmap;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.conntrack.Conntrack;
import dev.jcni.core.os.conntrack.ConntrackFilter;
import dev.jcni.core.os.nft.NftErrors;
import dev.jcni.core.os.nft.NftException;
import dev.jcni.core.os.nft.NftUnavailableException;
import dev.jcni.core.os.nft.NftRunner;
import dev.jcni.core.os.nft.NftRunners;
import dev.jcni.core.os.routing.RouteLookup;
import dev.jcni.core.os.sysctl.Sysctl;
import dev.jcni.core.skel.NodePolicy;
import java.util.Map;

/** The real host: the plugin's own network namespace, where the runtime runs it. */
final class KernelHost implements HostKernel {
    private final String override;
    private NftRunner runner;

    /** {@code node} may force a runner ({@value NftRunners#OVERRIDE_ENV}), as may the system property. */
    KernelHost(NodePolicy node) {
        String fromNode = node.get(NftRunners.OVERRIDE_ENV, null);
        this.override = NftRunners.override(System.getProperties(),
                fromNode == null ? Map.<String, String>of() : Map.of(NftRunners.OVERRIDE_ENV, fromNode));
    }

    @Override
    public synchronized NftRunner nft() throws NftException {
        if (runner == null) {
            try {
                runner = NftRunners.choose(override, NftRunners.defaultBackends());
            } catch (NftUnavailableException e) {
                throw NftErrors.runnerFailure("choose an nftables runner", null, e.errno(), e.getMessage());
            }
        }
        return runner;
    }

    @Override
    public String nftUnavailability() {
        return NftRunners.unavailabilityCause(override, NftRunners.defaultBackends());
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
