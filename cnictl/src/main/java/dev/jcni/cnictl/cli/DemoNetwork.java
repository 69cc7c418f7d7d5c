package dev.jcni.cnictl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.net.AddressFormatException;
import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;
import dev.jcni.core.protocol.Json;
import dev.jcni.cnictl.runtime.NetworkConfigList;
import dev.jcni.cnictl.runtime.PluginConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The network one demo run attaches with: the template conflist (the shipped one, or
 * {@code --conflist}) made this run's own, so that demos at the same time share nothing. The
 * network name gets the run id ({@code jcni-demo-<id>}: its own leases, cache entries and
 * firewall chains); the bridge plugin gets the run's bridge; host-local and tuning keep their state
 * in the run directory; and the subnet is the template's when it is free, else the next free one
 * of the same size in the same /16 (10.199.77.0/24, 10.199.78.0/24, ...). Free means that no
 * live demo run claims it and that no route or address on the host falls into it or covers it.
 * A range with more than a subnet (a gateway, a rangeStart) is not moved: it must be free as it is.
 *
 * @param file    this run's conflist, written into the run directory
 * @param subnets the subnets of its IPAM ranges, as used
 * @param notes   what was changed and why, for the operator
 */
record DemoNetwork(Path file, List<String> subnets, List<String> notes) {
    /** How many subnets are tried before the demo gives up. */
    static final int CANDIDATES = 256;
    private static final Set<String> ROUTE_TYPES = Set.of("unicast", "local", "broadcast", "multicast", "throw",
            "unreachable", "prohibit", "blackhole", "nat", "anycast");

    static DemoNetwork makeOwn(NetworkConfigList template, DemoSandbox run, Set<String> claimed)
            throws Demo.Failure, IOException {
        ObjectNode tree = Json.parseObject(template.bytes());
        tree.put("name", template.name() + "-" + run.id());
        // The plugins as loaded, drop-ins included; each a copy, the template stays as it was.
        ArrayNode plugins = tree.putArray("plugins");
        List<String> subnets = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        boolean bridge = false;
        for (PluginConfig p : template.plugins()) {
            ObjectNode plugin = p.tree().deepCopy();
            plugins.add(plugin);
            switch (p.type()) {
                case "bridge" -> {
                    plugin.put("bridge", run.bridgeName());
                    bridge = true;
                }
                case "tuning" -> plugin.put("dataDir", run.runDir().resolve("tuning").toString());
                default -> { }
            }
            if (plugin.path("ipam").isObject()) {
                ObjectNode ipam = (ObjectNode) plugin.get("ipam");
                if (ipam.path("type").asText("").equals("host-local")) {
                    ipam.put("dataDir", run.runDir().resolve("host-local").toString());
                }
                chooseSubnets(ipam, claimed, subnets, notes);
            }
        }
        if (!bridge) {
            throw new Demo.Failure("the demo conflist needs a bridge plugin: the demo checks and removes its bridge");
        }
        Path file = run.runDir().resolve(DemoSandbox.NETWORK_CONFLIST);
        Files.write(file, Json.writePretty(tree));
        return new DemoNetwork(file, subnets, notes);
    }

    /** Each range's subnet, moved to a free one when the range has nothing else; or refused when in use. */
    private static void chooseSubnets(ObjectNode ipam, Set<String> claimed, List<String> subnets, List<String> notes)
            throws Demo.Failure {
        List<ObjectNode> ranges = new ArrayList<>();
        for (JsonNode set : ipam.path("ranges")) {
            for (JsonNode range : set) {
                if (range.isObject() && range.path("subnet").isTextual()) {
                    ranges.add((ObjectNode) range);
                }
            }
        }
        if (ipam.path("subnet").isTextual()) {
            ranges.add(ipam);
        }
        boolean movable = ranges.size() == 1 && ranges.get(0) != ipam && ranges.get(0).size() == 1;
        for (ObjectNode range : ranges) {
            IpPrefix configured = prefix(range.get("subnet").asText());
            String used = whyUsed(configured, claimed);
            if (used == null) {
                subnets.add(configured.toString());
                continue;
            }
            if (!movable) {
                throw new Demo.Failure("the demo subnet " + configured + " is in use on this host (" + used
                        + "); pass --conflist with another subnet");
            }
            IpPrefix free = nextFree(configured, claimed);
            if (free == null) {
                throw new Demo.Failure("the demo subnet " + configured + " is in use on this host (" + used + "), and the "
                        + CANDIDATES + " after it as well; pass --conflist with another subnet");
            }
            range.put("subnet", free.toString());
            subnets.add(free.toString());
            notes.add("subnet " + free + " instead of the conflist's " + configured + ", which is in use (" + used + ")");
        }
    }

    /** The first free subnet after {@code configured}, of its size, in its /16 (wrapping); null if none. */
    private static IpPrefix nextFree(IpPrefix configured, Set<String> claimed) {
        int length = configured.length();
        if (!configured.address().isIpv4() || length < 16 || length > 30) {
            return null;
        }
        IpAddress block = configured.address().masked(16);
        long size = 1L << (32 - length);
        long count = 1L << (length - 16);
        long offset = (v4(configured.first()) - v4(block)) / size;
        for (long i = 1; i < Math.min(count, CANDIDATES + 1); i++) {
            IpPrefix candidate = IpPrefix.of(block.plus(((offset + i) % count) * size), length);
            if (whyUsed(candidate, claimed) == null) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Why {@code subnet} cannot be used: claimed by a live demo run, or overlapping a route (in any
     * table: one covering it, or one inside it) or an address of the host; null when free.
     */
    static String whyUsed(IpPrefix subnet, Set<String> claimed) {
        for (String c : claimed) {
            IpPrefix other = prefixOrNull(c);
            if (other != null && other.overlaps(subnet)) {
                return "claimed by another demo running now";
            }
        }
        String family = subnet.address().isIpv4() ? "-4" : "-6";
        String net = subnet.network().toString();
        for (String selector : new String[] {"match", "root"}) {
            for (String route : ip(family, "route", "show", "table", "all", selector, net)) {
                if (!isDefault(route)) {
                    return "route " + route.trim();
                }
            }
        }
        for (String line : ip(family, "-o", "addr", "show")) {
            String[] f = line.trim().split("\\s+");
            for (int i = 0; i + 1 < f.length; i++) {
                if (f[i].equals("inet") || f[i].equals("inet6")) {
                    IpPrefix a = prefixOrNull(f[i + 1]);
                    if (a != null && subnet.contains(a.address())) {
                        return "address " + f[i + 1] + " on " + f[1];
                    }
                }
            }
        }
        return null;
    }

    /** The lines {@code ip} printed; a failure to run it is a failure of the demo, not a list of routes. */
    private static List<String> ip(String... args) {
        List<String> argv = new ArrayList<>(List.of("ip"));
        argv.addAll(List.of(args));
        HostCommands.Output o = HostCommands.run(argv);
        if (!o.ok()) {
            throw new IllegalStateException(String.join(" ", argv) + " failed: " + o.text().trim());
        }
        return o.lines();
    }

    /** A default route (any table, any type) covers everything, and says nothing about a subnet. */
    private static boolean isDefault(String route) {
        String[] f = route.trim().split("\\s+");
        String dst = f.length > 1 && ROUTE_TYPES.contains(f[0]) ? f[1] : f[0];
        return dst.equals("default") || dst.equals("0.0.0.0/0") || dst.equals("::/0");
    }

    private static long v4(IpAddress a) {
        long v = 0;
        for (byte b : a.toBytes()) {
            v = (v << 8) | (b & 0xff);
        }
        return v;
    }

    private static IpPrefix prefix(String text) throws Demo.Failure {
        IpPrefix p = prefixOrNull(text);
        if (p == null) {
            throw new Demo.Failure("the demo conflist's subnet \"" + text + "\" is not a CIDR subnet");
        }
        return p.network();
    }

    private static IpPrefix prefixOrNull(String text) {
        try {
            return IpPrefix.parse(text);
        } catch (AddressFormatException e) {
            return null;
        }
    }
}
