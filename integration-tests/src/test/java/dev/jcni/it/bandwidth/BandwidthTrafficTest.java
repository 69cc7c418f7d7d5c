package dev.jcni.it.bandwidth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.cnictl.runtime.CniRuntime;
import dev.jcni.cnictl.runtime.NetworkConfigList;
import dev.jcni.cnictl.runtime.RuntimeConf;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.protocol.Result;
import dev.jcni.it.support.ChainLab;
import dev.jcni.it.support.PluginRunner;
import dev.jcni.it.support.PrivateHost;
import dev.jcni.it.support.RequiresRoot;
import dev.jcni.it.support.TestNetns;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our bandwidth behind an interface plugin ({@link InterfacePlugin}: Debian's reference bridge
 * today), driven by the jcni runtime, with real TCP through the shaper: iperf3 between the sandbox
 * and the host (a {@link PrivateHost}, whose bridge and uplink addresses are the far ends), both
 * directions, at 1, 10 and 100 Mbit/s; exempt and shaped subnets. Goodput must be within 10 % of
 * the configured rate (TBF counts Ethernet, IP and TCP headers, so about 95.6 % is exact shaping).
 */
@RequiresRoot
@Timeout(value = 400, unit = TimeUnit.SECONDS)
class BandwidthTrafficTest {
    static final String BRIDGE = "jbwbr0";
    static final String SUBNET = "10.197.0.0/24";
    static final String GATEWAY = "10.197.0.1";
    /** The host's other address, on its uplink: a second far end, in its own subnet. */
    static final String UPLINK = PrivateHost.UPLINK_ADDRESS;
    static final String UPLINK_SUBNET = "198.51.100.0/24";
    static final int SECONDS = 4;

    ChainLab lab;
    PrivateHost host;
    Path work;
    CniRuntime runtime;
    NetworkConfigList list;
    Iperf server;

    @BeforeEach
    void setUp() throws Exception {
        lab = ChainLab.open("bandwidth");
        host = lab.host();
        work = lab.work();
    }

    @AfterEach
    void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    /** A bridge network with bandwidth behind it; {@code bandwidthKeys} go into bandwidth's config. */
    private void network(InterfacePlugin iface, String bandwidthKeys) throws Exception {
        assumeTrue(iface.installed(), "skipped: " + iface + " is not installed in " + iface.dir);
        String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"bw-" + host.netns().suffix() + "\",\"plugins\":["
                + "{\"type\":\"bridge\",\"bridge\":\"" + BRIDGE + "\",\"isGateway\":true,\"ipMasq\":false,"
                + "\"ipam\":{\"type\":\"host-local\",\"ranges\":[[{\"subnet\":\"" + SUBNET + "\"}]],"
                + "\"routes\":[{\"dst\":\"0.0.0.0/0\"}],\"dataDir\":\"" + work.resolve("ipam") + "\"}},"
                + "{\"type\":\"bandwidth\",\"capabilities\":{\"bandwidth\":true}" + bandwidthKeys + "}]}";
        list = lab.network(conf);
        Path plugins = work.resolve("plugins");
        host.pluginDir(plugins, iface.dir, "bridge", "host-local");
        host.pluginDir(plugins, PluginRunner.OUR_BIN, "bandwidth");
        Map<String, String> environment = PluginRunner.runtimeEnvironment(work);
        runtime = lab.runtime(plugins, environment, Duration.ofSeconds(60));
        server = new Iperf(host.inside());
        lab.closeFirst(server);
    }

    /** A sandbox attached with {@code bandwidth} as the runtime's capability argument (null: none). */
    private TestNetns attach(String name, String bandwidth) throws Exception {
        TestNetns ns = lab.sandbox();
        ObjectNode caps = bandwidth == null ? null : (ObjectNode) Json.parse("{\"bandwidth\":" + bandwidth + "}");
        RuntimeConf rt = new RuntimeConf(name + "-" + lab.tag(), ns.path(), "eth0", List.of(), caps);
        CniRuntime.AddResult r = lab.add(rt);
        boolean ifbListed = false;
        for (Result.Interface i : r.result().interfaces()) {
            ifbListed |= i.name().startsWith("bwe") && i.sandbox() == null;
        }
        assertTrue(bandwidth == null || ifbListed, "the ifb is in the result: " + r.json());
        return ns;
    }

    private static void assertShaped(String what, double goodput, long rateBits) {
        System.out.printf(Locale.ROOT, "BandwidthTrafficTest: %s: %.3f Mbit/s through a %.0f Mbit/s shaper (%.1f %%)%n", what,
                goodput / 1e6, rateBits / 1e6, 100 * goodput / rateBits);
        assertTrue(goodput >= 0.9 * rateBits && goodput <= 1.1 * rateBits,
                what + ": goodput " + goodput + " bit/s is not within 10 % of " + rateBits);
    }

    private static void assertNotLimited(String what, double goodput, long rateBits) {
        System.out.printf(Locale.ROOT, "BandwidthTrafficTest: %s: %.1f Mbit/s, exempt from a %.0f Mbit/s limit%n", what,
                goodput / 1e6, rateBits / 1e6);
        assertTrue(goodput > 3.0 * rateBits, what + ": " + goodput + " bit/s looks limited to " + rateBits);
    }

    @ParameterizedTest
    @EnumSource(InterfacePlugin.class)
    void bothDirectionsAtOneTenAndHundredMegabits(InterfacePlugin iface) throws Exception {
        network(iface, "");
        // 1 Mbit/s as containerd sends it: keys capitalised, the burst its "none" (4294967295 bits).
        long[] rates = {1_000_000, 10_000_000, 100_000_000};
        String[] bandwidth = {
            "{\"IngressRate\":1000000,\"IngressBurst\":4294967295,\"EgressRate\":1000000,\"EgressBurst\":4294967295}",
            "{\"ingressRate\":10000000,\"ingressBurst\":1000000,\"egressRate\":10000000,\"egressBurst\":1000000}",
            "{\"ingressRate\":100000000,\"ingressBurst\":10000000,\"egressRate\":100000000,\"egressBurst\":10000000}"};
        for (int i = 0; i < rates.length; i++) {
            TestNetns ns = attach("r" + i, bandwidth[i]);
            String rate = (rates[i] / 1_000_000) + " Mbit/s";
            assertShaped("egress " + rate, Iperf.client(ns.name(), GATEWAY, false, SECONDS).receivedBitsPerSecond(), rates[i]);
            assertShaped("ingress " + rate, Iperf.client(ns.name(), GATEWAY, true, SECONDS).receivedBitsPerSecond(), rates[i]);
        }
    }

    @ParameterizedTest
    @EnumSource(InterfacePlugin.class)
    void trafficToAnUnshapedSubnetIsNotLimited(InterfacePlugin iface) throws Exception {
        network(iface, ",\"unshapedSubnets\":[\"" + UPLINK_SUBNET + "\",\"fd00:197::/64\"]");
        long rate = 10_000_000;
        TestNetns ns = attach("u", "{\"ingressRate\":10000000,\"ingressBurst\":1000000,\"egressRate\":10000000,\"egressBurst\":1000000}");
        assertNotLimited("egress to the unshaped subnet", Iperf.client(ns.name(), UPLINK, false, 2).receivedBitsPerSecond(), rate);
        assertNotLimited("ingress from the unshaped subnet", Iperf.client(ns.name(), UPLINK, true, 2).receivedBitsPerSecond(), rate);
        // Gigabytes passed, and the shapers saw none of them (at most ARP, which is shaped).
        List<String> ifbs = ifbs();
        assertEquals(2, ifbs.size(), ifbs.toString());
        for (String ifb : ifbs) {
            assertTrue(shaperBytes(ifb) < 64 * 1024, ifb + "'s shaper carried exempt traffic: " + shaperBytes(ifb) + " bytes");
        }
        assertShaped("egress elsewhere", Iperf.client(ns.name(), GATEWAY, false, SECONDS).receivedBitsPerSecond(), rate);
        assertShaped("ingress from elsewhere", Iperf.client(ns.name(), GATEWAY, true, SECONDS).receivedBitsPerSecond(), rate);
        for (String ifb : ifbs) {
            assertTrue(shaperBytes(ifb) > 2_000_000, ifb + "'s shaper carried the shaped traffic: " + shaperBytes(ifb));
        }
    }

    /** The ifbs in the host. */
    private List<String> ifbs() {
        List<String> out = new ArrayList<>();
        for (String line : host.run("ip", "-o", "link", "show", "type", "ifb").orFail().split("\n")) {
            if (!line.isBlank()) {
                out.add(line.split(": ")[1]);
            }
        }
        return out;
    }

    /** The bytes the TBF at the root of {@code dev} has sent. */
    private long shaperBytes(String dev) throws Exception {
        return Json.parse(host.run("tc", "-s", "-j", "qdisc", "show", "dev", dev).orFail()).get(0).path("bytes").asLong();
    }

    @ParameterizedTest
    @EnumSource(InterfacePlugin.class)
    void onlyAShapedSubnetIsLimited(InterfacePlugin iface) throws Exception {
        network(iface, ",\"shapedSubnets\":[\"" + UPLINK_SUBNET + "\"]");
        long rate = 10_000_000;
        TestNetns ns = attach("s", "{\"ingressRate\":10000000,\"ingressBurst\":1000000,\"egressRate\":10000000,\"egressBurst\":1000000}");
        assertShaped("egress to the shaped subnet", Iperf.client(ns.name(), UPLINK, false, SECONDS).receivedBitsPerSecond(), rate);
        assertShaped("ingress from the shaped subnet", Iperf.client(ns.name(), UPLINK, true, SECONDS).receivedBitsPerSecond(), rate);
        assertNotLimited("egress elsewhere", Iperf.client(ns.name(), GATEWAY, false, 2).receivedBitsPerSecond(), rate);
        assertNotLimited("ingress from elsewhere", Iperf.client(ns.name(), GATEWAY, true, 2).receivedBitsPerSecond(), rate);
    }
}
