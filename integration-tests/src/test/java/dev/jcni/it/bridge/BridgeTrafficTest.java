package dev.jcni.it.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.it.support.RequiresRoot;
import dev.jcni.it.support.TestNetns;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Our bridge (host-local in-process) in a {@link dev.jcni.it.support.PrivateHost}, with real
 * traffic: IPv4, IPv6 and dual-stack between sandboxes and to the gateway; masquerading towards
 * a namespace standing for the outside world, which has no route back to the sandboxes; hairpin
 * (a sandbox reaching itself through a DNATed service address); port isolation; the spoof check
 * dropping a forged source MAC. Each feature is also tried off, so every test can fail.
 */
@RequiresRoot
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class BridgeTrafficTest extends BridgeLabTest {
    static final String V4 = "[{\"subnet\":\"10.31.0.0/24\"}]";
    static final String V6 = "[{\"subnet\":\"fd00:31::/64\"}]";

    private static String address(JsonNode result, int i) {
        String a = result.get("ips").get(i).get("address").asText();
        return a.substring(0, a.indexOf('/'));
    }

    @Test
    void dualStackSandboxesReachTheGatewayAndEachOther() throws Exception {
        String conf = lab.conf("1.0.0", "jbr0", "[" + V4 + "," + V6 + "]", ",\"isGateway\":true");
        TestNetns a = lab.sandbox();
        TestNetns b = lab.sandbox();
        JsonNode ra = lab.add(conf, "a", a);
        JsonNode rb = lab.add(conf, "b", b);
        assertEquals("10.31.0.2", address(ra, 0));
        assertEquals("fd00:31::2", address(ra, 1));
        assertEquals(List.of("10.31.0.1/24", "fd00:31::1/64"), BridgeLab.addresses(lab.host.name(), "jbr0"));
        assertEquals(List.of("10.31.0.2/24", "fd00:31::2/64"), BridgeLab.addresses(a.name(), "eth0"));
        assertTrue(BridgeLab.pingWithin(a, "10.31.0.1", 5), "sandbox -> gateway, IPv4");
        assertTrue(BridgeLab.pingWithin(a, "fd00:31::1", 10), "sandbox -> gateway, IPv6");
        assertTrue(BridgeLab.pingWithin(a, address(rb, 0), 5), "sandbox -> sandbox, IPv4");
        assertTrue(BridgeLab.pingWithin(b, address(ra, 1), 10), "sandbox -> sandbox, IPv6");
        assertEquals("1", lab.host.run("sysctl", "-n", "net.ipv4.ip_forward").orFail().trim());
        assertEquals("1", lab.host.run("sysctl", "-n", "net.ipv6.conf.all.forwarding").orFail().trim());
        lab.del(conf, "a", a);
        lab.del(conf, "b", b);
        assertEquals(List.of(), lab.hostLinks("veth"));
        assertEquals(List.of(), List.copyOf(lab.leases().keySet()));
    }

    @Test
    void ipv4OnlyAndIpv6OnlyNetworks() throws Exception {
        TestNetns a = lab.sandbox();
        TestNetns b = lab.sandbox();
        lab.add(lab.conf("1.0.0", "jbr4", "[" + V4 + "]", ",\"isDefaultGateway\":true"), "a", a);
        lab.add(lab.conf("1.0.0", "jbr6", "[" + V6 + "]", ",\"isDefaultGateway\":true"), "b", b);
        String routes4 = a.ip("-4", "route", "show", "default");
        assertTrue(routes4.contains("default via 10.31.0.1 dev eth0"), routes4);
        String routes6 = b.ip("-6", "route", "show", "default");
        assertTrue(routes6.contains("default via fd00:31::1 dev eth0"), routes6);
        assertTrue(BridgeLab.pingWithin(a, "10.31.0.1", 5));
        assertTrue(BridgeLab.pingWithin(b, "fd00:31::1", 10));
        assertFalse(BridgeLab.ping(a, "fd00:31::1"), "no IPv6 on the IPv4-only network");
    }

    /**
     * The outside world: a namespace behind the host's second uplink that knows no route to the
     * sandboxes, so only masqueraded traffic gets answers; its server says whom it saw.
     */
    @Test
    void masqueradeLetsSandboxesReachTheOutsideAsTheHost() throws Exception {
        TestNetns world = lab.sandbox();
        String hostEnd = "jw" + world.suffix();
        lab.host.netns().ip("link", "add", hostEnd, "type", "veth", "peer", "name", "up0", "netns", world.name());
        lab.host.netns().ip("addr", "add", "203.0.113.1/24", "dev", hostEnd);
        lab.host.netns().ip("link", "set", hostEnd, "up");
        world.ip("addr", "add", "203.0.113.2/24", "dev", "up0");
        world.ip("link", "set", "up0", "up");
        lab.serveTcp(world, 8080);

        TestNetns masq = lab.sandbox();
        TestNetns plain = lab.sandbox();
        String v4 = "[" + V4 + "]";
        lab.add(lab.conf("1.0.0", "jbr0", v4, ",\"isDefaultGateway\":true,\"ipMasq\":true"), "masq", masq);
        lab.add(lab.conf("1.0.0", "jbr0", v4, ",\"isDefaultGateway\":true"), "plain", plain);
        assertEquals("::ffff:203.0.113.1", BridgeLab.tcpWithin(masq, "203.0.113.2", 8080, 10),
                "the world sees the host's address");
        assertNull(BridgeLab.tcp(plain, "203.0.113.2", 8080), "without ipMasq no answer comes back");
        assertTrue(BridgeLab.ping(masq, "10.31.0.3"), "inside the subnet nothing is masqueraded (and it works)");
        String rules = lab.ruleset();
        assertTrue(rules.contains("ip saddr 10.31.0.2 ip daddr != 10.31.0.0/24 masquerade"), rules);
        assertFalse(rules.contains("ip saddr 10.31.0.3 "), "the plain attachment has no rule");

        lab.del(lab.conf("1.0.0", "jbr0", v4, ",\"isDefaultGateway\":true,\"ipMasq\":true"), "masq", masq);
        assertFalse(lab.ruleset().contains("masquerade comment"), lab.ruleset());
    }

    /**
     * A sandbox reaching itself through a service address DNATed back to it: with br_netfilter
     * the frame goes back out of the port it came in by, which the bridge allows only in hairpin
     * mode (what Kubernetes' kubelet asks of a CNI plugin).
     */
    @Test
    void hairpinLetsASandboxReachItselfThroughDnat() throws Exception {
        lab.host.run("sysctl", "-qw", "net.bridge.bridge-nf-call-iptables=1").orFail();
        String v4 = "[" + V4 + "]";
        TestNetns hairpin = lab.sandbox();
        TestNetns plain = lab.sandbox();
        lab.add(lab.conf("1.0.0", "jbr0", v4, ",\"isDefaultGateway\":true,\"hairpinMode\":true"), "hairpin", hairpin);
        lab.add(lab.conf("1.0.0", "jbr0", v4, ",\"isDefaultGateway\":true"), "plain", plain);
        lab.host.run("nft", "add table ip svc; add chain ip svc pre { type nat hook prerouting priority dstnat; };"
                + " add rule ip svc pre ip daddr 10.250.0.1 tcp dport 80 dnat to 10.31.0.2:8080;"
                + " add rule ip svc pre ip daddr 10.250.0.2 tcp dport 80 dnat to 10.31.0.3:8080;"
                // As kube-proxy does: traffic DNATed back into its own subnet is masqueraded, so replies come back through the host.
                + " add chain ip svc post { type nat hook postrouting priority srcnat; };"
                + " add rule ip svc post ct status dnat ip saddr 10.31.0.0/24 ip daddr 10.31.0.0/24 masquerade").orFail();
        lab.serveTcp(hairpin, 8080);
        lab.serveTcp(plain, 8080);
        assertNotNull(BridgeLab.tcpWithin(plain, "10.31.0.3", 8080, 10), "the server runs");
        assertNotNull(BridgeLab.tcpWithin(hairpin, "10.31.0.2", 8080, 10), "the server runs");
        assertNotNull(BridgeLab.tcpWithin(hairpin, "10.250.0.1", 80, 5), "hairpin: back out of its own port");
        assertNull(BridgeLab.tcp(plain, "10.250.0.2", 80), "without hairpin the bridge drops it");
        assertNotNull(BridgeLab.tcp(plain, "10.250.0.1", 80), "another sandbox's service works either way");
    }

    @Test
    void isolatedPortsReachTheGatewayButNotEachOther() throws Exception {
        String v4 = "[" + V4 + "]";
        String isolated = lab.conf("1.0.0", "jbr0", v4, ",\"isGateway\":true,\"portIsolation\":true");
        TestNetns a = lab.sandbox();
        TestNetns b = lab.sandbox();
        TestNetns c = lab.sandbox();
        lab.add(isolated, "a", a);
        lab.add(isolated, "b", b);
        lab.add(lab.conf("1.0.0", "jbr0", v4, ",\"isGateway\":true"), "c", c);
        assertTrue(BridgeLab.pingWithin(a, "10.31.0.1", 5), "isolated -> gateway");
        assertTrue(BridgeLab.pingWithin(a, "10.31.0.4", 5), "isolated -> a port that is not isolated");
        assertTrue(BridgeLab.pingWithin(c, "10.31.0.3", 5), "not isolated -> isolated");
        assertFalse(BridgeLab.ping(a, "10.31.0.3"), "isolated -> isolated");
        assertFalse(BridgeLab.ping(b, "10.31.0.2"), "isolated -> isolated");
        String port = lab.ports("jbr0").get(0);
        JsonNode link = BridgeLab.ipJson(lab.host.name(), "link", "show", "dev", port).get(0);
        assertTrue(link.path("linkinfo").path("info_slave_data").path("isolated").asBoolean(), link.toString());
    }

    @Test
    void spoofCheckDropsFramesWithAForgedSourceMac() throws Exception {
        String v4 = "[" + V4 + "]";
        TestNetns checked = lab.sandbox();
        TestNetns plain = lab.sandbox();
        lab.add(lab.conf("1.0.0", "jbr0", v4, ",\"isGateway\":true,\"macspoofchk\":true"), "checked", checked);
        lab.add(lab.conf("1.0.0", "jbr0", v4, ",\"isGateway\":true"), "plain", plain);
        assertTrue(BridgeLab.pingWithin(checked, "10.31.0.1", 5), "its own MAC passes");
        for (TestNetns ns : List.of(checked, plain)) {
            ns.ip("link", "set", "eth0", "address", "0a:58:de:ad:be:ef");
            ns.ip("neigh", "flush", "all");
        }
        lab.host.netns().ip("neigh", "flush", "dev", "jbr0");
        assertFalse(BridgeLab.ping(checked, "10.31.0.1"), "a forged source MAC is dropped at the bridge");
        assertTrue(BridgeLab.pingWithin(plain, "10.31.0.1", 5), "without the spoof check a changed MAC passes");
        String rules = lab.ruleset();
        assertTrue(rules.contains("table bridge cni_spoofcheck"), rules);
        assertTrue(rules.contains("drop comment \"jcni:"), rules);
    }
}
