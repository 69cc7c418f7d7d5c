package dev.jcni.hostlocal;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.JsonFields;
import dev.jcni.core.protocol.Result;
import dev.jcni.core.skel.Invocation;
import dev.jcni.core.skel.StateRoots;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * host-local's settings for one request, read from the {@code ipam} object of the network config
 * (an IPAM plugin gets its caller's whole config) and fully validated before anything changes.
 *
 * <p>Requested addresses come, in this order, from CNI_ARGS {@code IP}, {@code args.cni.ips} and
 * the {@code ips} capability ({@code runtimeConfig.ips}); each may carry a prefix length, of
 * which only the address counts. Repeats are one request.
 *
 * @param location     where the network's leases are ({@code <dataDir>/<network name>})
 * @param rangeSets    the range sets, in index order ({@link RangeConfig})
 * @param routes       {@code ipam.routes}, passed to the result unchanged
 * @param resolvConf   the resolv.conf to read into the result's {@code dns}, or null
 * @param requestedIps the addresses asked for, in request order
 * @param requestedBySet for each range set, the requested address it gives, or null
 */
record IpamConfig(LeaseStore.Location location, List<RangeSet> rangeSets, List<Result.Route> routes, String resolvConf,
                  List<IpAddress> requestedIps, List<IpAddress> requestedBySet) {
    /** The reference's default data directory. */
    static final String DEFAULT_DATA_DIR = "/var/lib/cni/networks";

    /** Every setting, validated with the reference's messages (code 7; 4 for CNI_ARGS). */
    static IpamConfig parse(Invocation inv) throws CniException {
        JsonFields conf = inv.config();
        JsonFields ipam = ipamOf(conf);
        List<IpAddress> requested = requestedIps(inv, conf);
        List<RangeSet> sets = RangeConfig.read(conf, ipam, inv.cniVersion());
        List<Result.Route> routes = routes(ipam);
        String resolvConf = ipam.string("resolvConf");
        return new IpamConfig(location(inv), sets, routes, resolvConf == null || resolvConf.isEmpty() ? null : resolvConf,
                requested, assignRequested(sets, requested));
    }

    /** The requested address range set {@code index} gives, or null: the set allocates round robin. */
    IpAddress requestedFor(int index) {
        return requestedBySet.get(index);
    }

    /** Which requested address goes to which set: the first (in request order) that a set holds. */
    private static List<IpAddress> assignRequested(List<RangeSet> sets, List<IpAddress> requested) throws CniException {
        List<IpAddress> bySet = new ArrayList<>(sets.size());
        List<IpAddress> left = new ArrayList<>(requested);
        for (int i = 0; i < sets.size(); i++) {
            IpAddress assigned = null;
            for (int j = 0; j < left.size(); j++) {
                if (sets.get(i).contains(left.get(j))) {
                    assigned = left.remove(j);
                    break;
                }
            }
            if (assigned != null && sets.get(i).isReservedGateway(assigned)) {
                throw new CniException(CniException.INVALID_CONFIG, "failed to allocate for range " + i + ": requested ip "
                        + assigned + " is subnet's gateway");
            }
            bySet.add(assigned);
        }
        if (!left.isEmpty()) {
            StringBuilder msg = new StringBuilder("failed to allocate all requested IPs:");
            for (IpAddress ip : left) {
                msg.append(' ').append(ip);
            }
            throw new CniException(CniException.INVALID_CONFIG, msg.toString(),
                    "each requested address must lie in a range set (between rangeStart and rangeEnd), one per set");
        }
        return Collections.unmodifiableList(bySet);
    }

    /**
     * Where the leases are; all DEL and GC need, so they work whatever else the config says
     * (a config edited since ADD must not keep its leases forever).
     */
    static LeaseStore.Location location(Invocation inv) throws CniException {
        JsonFields ipam = ipamOf(inv.config());
        String dataDir = ipam.string("dataDir");
        if (dataDir == null || dataDir.isEmpty()) {
            dataDir = DEFAULT_DATA_DIR;
        }
        if (!dataDir.startsWith("/")) {
            throw new CniException(CniException.INVALID_CONFIG, "\"" + ipam.pathOf("dataDir") + "\" must be an absolute path: \""
                    + dataDir + "\"", "a plugin's working directory is the runtime's, which nobody chose");
        }
        // Leases are root-owned files the plugin creates and deletes: only where the node allows.
        StateRoots.of(inv.node()).confine(dataDir, ipam.pathOf("dataDir"));
        return new LeaseStore.Location(dataDir, inv.networkName());
    }

    private static JsonFields ipamOf(JsonFields conf) throws CniException {
        JsonFields ipam = conf.object("ipam");
        if (!ipam.isPresent()) {
            throw new CniException(CniException.INVALID_CONFIG, "IPAM config missing 'ipam' key");
        }
        return ipam;
    }

    private static List<IpAddress> requestedIps(Invocation inv, JsonFields conf) throws CniException {
        Set<IpAddress> out = new LinkedHashSet<>();
        String fromArgs = inv.args().get("IP");
        if (fromArgs != null) {
            IpAddress ip;
            try {
                ip = AddressText.requested(fromArgs, CniException.INVALID_ENVIRONMENT, "CNI_ARGS");
            } catch (CniException e) {
                throw new CniException(e.code(), "ARGS: error parsing value of pair \"IP=" + fromArgs + "\": " + e.msg(), e.details());
            }
            // "IP=" is no request, as in the reference.
            if (ip != null) {
                out.add(ip);
            }
        }
        addListed(conf.object("args").object("cni"), out);
        addListed(conf.object("runtimeConfig"), out);
        return Collections.unmodifiableList(new ArrayList<>(out));
    }

    /** The {@code ips} array of {@code parent}; an empty entry is the reference's "cannot understand ip" error. */
    private static void addListed(JsonFields parent, Set<IpAddress> out) throws CniException {
        List<String> texts = AddressText.strings(parent, "ips");
        for (int i = 0; i < texts.size(); i++) {
            String where = "\"" + parent.pathOf("ips") + "[" + i + "]\"";
            IpAddress ip = AddressText.requested(texts.get(i), CniException.INVALID_CONFIG, where);
            if (ip == null) {
                throw new CniException(CniException.INVALID_CONFIG, "cannot understand ip: IP <nil> not v4 nor v6",
                        where + " is empty");
            }
            out.add(ip);
        }
    }

    private static List<Result.Route> routes(JsonFields ipam) throws CniException {
        List<Result.Route> routes = new ArrayList<>();
        for (JsonFields r : ipam.objects("routes")) {
            AddressText.Cidr dst = AddressText.cidr(r, "dst");
            if (dst == null) {
                throw r.missing("dst", "a destination such as 0.0.0.0/0");
            }
            routes.add(new Result.Route(dst.prefix(), AddressText.ip(r, "gw"), u32(r, "mtu"), u32(r, "advmss"),
                    u32(r, "priority"), u32(r, "table"), u32(r, "scope")));
        }
        return Collections.unmodifiableList(routes);
    }

    /** A u32 held in an Integer's bits, as {@link Result.Route} keeps them. */
    private static Integer u32(JsonFields obj, String key) throws CniException {
        Long v = obj.uint32(key);
        return v == null ? null : (int) v.longValue();
    }
}
