package dev.jcni.portmap;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.os.NotFoundException;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.Errno;
import dev.jcni.core.os.conntrack.ConntrackFilter;
import dev.jcni.core.os.nft.FakeNftRunner;
import dev.jcni.core.os.nft.NftRunner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The host of unit tests: a FakeNftRunner (seen by the plugin through a {@link RecordingRunner}),
 * recorded conntrack flushes, sysctls in a map, routes to "br0".
 */
final class FakeHost implements HostKernel {
    final FakeNftRunner nft;
    final RecordingRunner runner;
    final List<ConntrackFilter> flushed = new ArrayList<>();
    final Map<String, String> sysctls = new HashMap<>();
    String unavailable;
    /** How often conntrack was asked to delete entries (each call dumps the family's table). */
    int conntrackCalls;
    /** When set, conntrack deletion fails with this. */
    OsException conntrackFailure;
    /** When set, no route leads to the container: the route lookup fails with this. */
    OsException noRoute;

    FakeHost() {
        this(new FakeNftRunner());
    }

    /** A host on {@code kernel}: two of them sharing one play two plugin processes on one node. */
    FakeHost(FakeNftRunner kernel) {
        nft = kernel;
        runner = new RecordingRunner(kernel);
        sysctls.put("net/ipv4/conf/br0/route_localnet", "0");
    }

    @Override
    public NftRunner nft() {
        return runner;
    }

    @Override
    public String nftUnavailability() {
        return unavailable;
    }

    @Override
    public int deleteConntrack(List<ConntrackFilter> filters) throws OsException {
        conntrackCalls++;
        if (conntrackFailure != null) {
            throw conntrackFailure;
        }
        flushed.addAll(filters);
        return filters.size();
    }

    @Override
    public String outputInterface(IpAddress destination) throws OsException {
        if (noRoute != null) {
            throw noRoute;
        }
        return "br0";
    }

    @Override
    public String readSysctl(String key) throws OsException {
        String v = sysctls.get(key);
        if (v == null) {
            throw new NotFoundException("read " + key, Errno.ENOENT, "no such sysctl");
        }
        return v;
    }

    @Override
    public void writeSysctl(String key, String value) throws OsException {
        readSysctl(key);
        sysctls.put(key, value);
    }

    PortmapPlugin plugin() {
        FakeHost self = this;
        return new PortmapPlugin(new PortmapPlugin.HostFactory() {
            @Override
            public HostKernel host(dev.jcni.core.skel.NodePolicy node) {
                return self;
            }
        });
    }
}
