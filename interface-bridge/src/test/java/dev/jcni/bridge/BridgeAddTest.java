package dev.jcni.bridge;

import static dev.jcni.bridge.FakeKernel.prefix;
import static dev.jcni.bridge.Requests.NETNS;
import static dev.jcni.bridge.Requests.conf;
import static dev.jcni.bridge.Requests.invocation;
import static dev.jcni.bridge.Requests.l3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.netlink.BridgeVlan;
import dev.jcni.core.os.netlink.Route;
import dev.jcni.core.os.netlink.RouteAttribute;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Result;
import dev.jcni.core.skel.Command;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ADD against the in-memory node: the reference's result layout and steps. */
class BridgeAddTest {
    final FakeKernel k = new FakeKernel();

    Result add(String json) throws Exception {
        return k.plugin().add(invocation(Command.ADD, json));
    }

    Result add(String json, String cniArgs) throws Exception {
        return k.plugin().add(invocation(Command.ADD, json, "ctr1", NETNS, cniArgs));
    }

    @Test
    void resultIsBridgeHostVethAndContainerInterfaceWithTheAddressesOfIpam() throws Exception {
        Result r = add(l3(""));
        FakeNamespace.Link br = k.host.byName("br0");
        FakeNamespace.Link eth0 = k.sandbox.byName("eth0");
        assertNotNull(br, "the bridge was created");
        assertNotNull(eth0);
        FakeNamespace.Link hostVeth = eth0.peer;
        assertEquals(List.of("br0", hostVeth.name, "eth0"), List.of(r.interfaces().get(0).name(), r.interfaces().get(1).name(),
                r.interfaces().get(2).name()));
        assertTrue(hostVeth.name.matches("veth[0-9a-f]{8}"), hostVeth.name);
        assertNull(r.interfaces().get(0).sandbox());
        assertNull(r.interfaces().get(1).sandbox());
        assertEquals(NETNS, r.interfaces().get(2).sandbox());
        assertEquals(br.mac.toString(), r.interfaces().get(0).mac());
        assertEquals(hostVeth.mac.toString(), r.interfaces().get(1).mac());
        assertEquals(eth0.mac.toString(), r.interfaces().get(2).mac());
        assertEquals(1, r.ips().size());
        assertEquals("10.22.0.5/16", r.ips().get(0).address().toString());
        assertEquals("10.22.0.1", r.ips().get(0).gateway().toString());
        assertEquals(2, r.ips().get(0).interfaceIndex());
        assertEquals(List.of(Result.Route.of(prefix("0.0.0.0/0"), null)), r.routes());
        assertEquals(List.of("10.22.0.1"), r.dns().nameservers(), "IPAM's DNS when the config sets none");
        assertEquals(br.index, hostVeth.master, "the host veth is a port of the bridge");
        assertTrue(hostVeth.up && eth0.up && br.up);
        assertEquals(List.of(prefix("10.22.0.5/16")), eth0.addresses);
        assertEquals(2, k.sandbox.routes.size(), "the subnet's (the kernel's) and the default route");
        Route def = k.sandbox.routes.get(1);
        assertEquals("0.0.0.0/0", def.destination().toString());
        assertEquals("10.22.0.1", def.get(RouteAttribute.GATEWAY).toString(), "a route without gw takes its family's gateway");
        assertEquals(List.of("ADD host-local ctr1/eth0"), k.ipam.calls);
        assertTrue(br.addresses.isEmpty(), "no gateway on the bridge without isGateway");
        assertEquals("0", k.host.sysctls.get("net/ipv4/ip_forward"));
        assertEquals("0", k.sandbox.sysctls.get("net/ipv6/conf/eth0/accept_dad"), "DAD off by default");
        assertEquals("1", k.sandbox.sysctls.get("net/ipv4/conf/eth0/arp_notify"));
        assertEquals("0", k.host.sysctls.get("net/ipv6/conf/br0/accept_ra"));
        assertEquals("0", k.host.sysctls.get("net/ipv6/conf/" + hostVeth.name + "/accept_ra"));
        assertFalse(hostVeth.hairpin || hostVeth.isolated);
    }

    @Test
    void isGatewayPutsTheGatewayOnTheBridgeAndTurnsForwardingOn() throws Exception {
        add(l3(",\"isGateway\":true"));
        FakeNamespace.Link br = k.host.byName("br0");
        assertEquals(List.of(prefix("10.22.0.1/16")), br.addresses);
        assertEquals("1", k.host.sysctls.get("net/ipv4/ip_forward"));
        assertEquals("0", k.host.sysctls.get("net/ipv6/conf/all/forwarding"), "no IPv6 gateway, no IPv6 forwarding");
        assertTrue(k.host.log.contains("set br0 mac " + br.mac), "the bridge's MAC pinned to its own: " + k.host.log);
    }

    @Test
    void aGatewayIsTheNetworksFirstAddressWhenIpamGivesNone() throws Exception {
        k.ipam.lease = "{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.30.4.9/22\"}]}";
        Result r = add(l3(",\"isGateway\":true"));
        assertEquals("10.30.4.1", r.ips().get(0).gateway().toString());
        assertEquals(List.of(prefix("10.30.4.1/22")), k.host.byName("br0").addresses);
        FakeKernel k2 = new FakeKernel();
        k2.ipam.lease = k.ipam.lease;
        Result plain = k2.plugin().add(invocation(Command.ADD, l3("")));
        assertNull(plain.ips().get(0).gateway(), "without isGateway the IPAM result's gateway, none, stays");
    }

    @Test
    void isDefaultGatewayAddsADefaultRoutePerFamilyUnlessIpamHasOneWithAGateway() throws Exception {
        k.ipam.lease = "{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.22.0.5/16\",\"gateway\":\"10.22.0.1\"},"
                + "{\"address\":\"fd22::5/64\",\"gateway\":\"fd22::1\"},{\"address\":\"fd23::5/64\",\"gateway\":\"fd23::1\"}],"
                + "\"routes\":[{\"dst\":\"0.0.0.0/0\"},{\"dst\":\"::/0\",\"gw\":\"fd22::99\"}]}";
        Result r = add(l3(",\"isDefaultGateway\":true"));
        assertEquals(List.of(Result.Route.of(prefix("0.0.0.0/0"), null), Result.Route.of(prefix("::/0"), prefix("fd22::99/128").address()),
                Result.Route.of(prefix("0.0.0.0/0"), prefix("10.22.0.1/32").address())), r.routes(),
                "IPv4's route had no gateway, so one is added; IPv6 had one");
        assertEquals(List.of(prefix("10.22.0.1/16")), k.host.byName("br0").addresses.subList(0, 1));
        assertEquals(List.of(prefix("10.22.0.1/16"), prefix("fd22::1/64"), prefix("fd23::1/64")), k.host.byName("br0").addresses,
                "isDefaultGateway implies isGateway; IPv6 subnets that do not overlap may share the bridge");
        assertEquals("1", k.host.sysctls.get("net/ipv6/conf/all/forwarding"));
        assertEquals("1", k.sandbox.sysctls.get("net/ipv6/conf/eth0/keep_addr_on_down"));
        assertTrue(k.sandbox.log.contains("settled eth0"), "an IPv6 gateway: the addresses are settled before the routes");
    }

    @Test
    void conflictingBridgeAddressIsRefusedOrReplacedWithForceAddress() throws Exception {
        k.host.create(dev.jcni.core.os.netlink.NewLink.bridge("br0"));
        k.host.byName("br0").addresses.add(prefix("10.99.0.1/24"));
        CniException e = assertThrows(CniException.class, () -> add(l3(",\"isGateway\":true")));
        assertEquals("failed to set bridge addr: \"br0\" already has an IP address different from 10.22.0.1/16", e.getMessage().split(";")[0]);
        assertEquals(List.of(prefix("10.99.0.1/24")), k.host.byName("br0").addresses, "left as it was");
        assertNull(k.sandbox.byName("eth0"), "the failed ADD undid its veth");
        assertEquals(List.of("ADD host-local ctr1/eth0", "DEL host-local ctr1/eth0"), k.ipam.calls);
        assertNotNull(k.host.byName("br0"), "a bridge that existed before stays");

        add(l3(",\"isGateway\":true,\"forceAddress\":true"));
        assertEquals(List.of(prefix("10.22.0.1/16")), k.host.byName("br0").addresses);
    }

    @Test
    void macComesFromCniArgsThenArgsThenRuntimeConfigTheLastGivenWinning() throws Exception {
        add(l3(""), "IgnoreUnknown=1;MAC=0a:58:00:00:00:01");
        assertEquals("0a:58:00:00:00:01", k.sandbox.byName("eth0").mac.toString());
        FakeKernel k2 = new FakeKernel();
        k2.plugin().add(invocation(Command.ADD, l3(",\"args\":{\"cni\":{\"mac\":\"0a:58:00:00:00:02\"}}"), "c", NETNS,
                "MAC=0a:58:00:00:00:01"));
        assertEquals("0a:58:00:00:00:02", k2.sandbox.byName("eth0").mac.toString());
        FakeKernel k3 = new FakeKernel();
        Result r = k3.plugin().add(invocation(Command.ADD, l3(",\"args\":{\"cni\":{\"mac\":\"0a:58:00:00:00:02\"}},"
                + "\"runtimeConfig\":{\"mac\":\"0a:58:00:00:00:03\"}"), "c", NETNS, "MAC=0a:58:00:00:00:01"));
        assertEquals("0a:58:00:00:00:03", k3.sandbox.byName("eth0").mac.toString());
        assertEquals("0a:58:00:00:00:03", r.interfaces().get(2).mac());
    }

    @Test
    void portFlagsAndMtu() throws Exception {
        add(l3(",\"hairpinMode\":true,\"portIsolation\":true,\"mtu\":1400"));
        FakeNamespace.Link eth0 = k.sandbox.byName("eth0");
        assertTrue(eth0.peer.hairpin);
        assertTrue(eth0.peer.isolated);
        assertEquals(1400, eth0.mtu);
        assertEquals(1400, eth0.peer.mtu);
        assertEquals(1400, k.host.byName("br0").mtu, "a new bridge gets the MTU");
    }

    @Test
    void promiscModeIsSetOnTheBridge() throws Exception {
        add(l3(",\"promiscMode\":true"));
        assertTrue(k.host.byName("br0").promisc);
    }

    @Test
    void accessVlanRemovesTheDefaultAndAddsPvidUntagged() throws Exception {
        add(l3(",\"vlan\":100"));
        FakeNamespace.Link port = k.sandbox.byName("eth0").peer;
        assertTrue(k.host.byName("br0").vlanFiltering, "a bridge made for a VLAN filters VLANs");
        assertEquals(List.of(BridgeVlan.access(100)), port.vlans);
    }

    @Test
    void trunkGetsTaggedRangesAndNativeVlanOne() throws Exception {
        add(l3(",\"vlanTrunk\":[{\"id\":101},{\"minID\":200,\"maxID\":210},{\"id\":205},{\"id\":300}]"));
        FakeNamespace.Link port = k.sandbox.byName("eth0").peer;
        assertEquals(List.of(BridgeVlan.tagged(101), BridgeVlan.range(200, 210), BridgeVlan.tagged(300), BridgeVlan.access(1)), port.vlans);
    }

    @Test
    void preserveDefaultVlanKeepsVidOne() throws Exception {
        add(l3(",\"vlan\":100,\"preserveDefaultVlan\":true"));
        assertEquals(List.of(BridgeVlan.access(1), BridgeVlan.access(100)), k.sandbox.byName("eth0").peer.vlans);
    }

    @Test
    void vlanGatewayIsAVethOfTheBridgeNamedBridgeDotVlanHoldingTheGatewayAddress() throws Exception {
        Result r = add(l3(",\"vlan\":100,\"isGateway\":true"));
        FakeNamespace.Link gw = k.host.byName("br0.100");
        assertNotNull(gw);
        assertEquals(List.of(prefix("10.22.0.1/16")), gw.addresses);
        assertTrue(k.host.byName("br0").addresses.isEmpty());
        assertEquals(4, r.interfaces().size());
        assertEquals("br0.100", r.interfaces().get(3).name());
        assertEquals(k.host.byName("br0").index, gw.peer.master, "its peer is the bridge's port in the VLAN");
        assertEquals(List.of(BridgeVlan.access(100)), gw.peer.vlans);
    }

    @Test
    void withoutVlanFilteringInTheKernelAVlanAddFailsAndLeavesNothing() throws Exception {
        k.host.vlanFiltering = false;
        CniException e = assertThrows(CniException.class, () -> add(l3(",\"vlan\":100")));
        assertTrue(e.getMessage().startsWith("failed to create bridge \"br0\": could not add \"br0\": "), e.getMessage());
        assertNull(k.host.byName("br0"));
        assertNull(k.sandbox.byName("eth0"));
        assertEquals(List.of(), k.ipam.calls);
    }

    @Test
    void layerTwoBringsTheContainerUpWithoutIpam() throws Exception {
        Result r = add(conf("1.0.0", ""));
        assertTrue(r.ips().isEmpty());
        assertTrue(k.sandbox.byName("eth0").up);
        assertTrue(k.sandbox.byName("eth0").addresses.isEmpty());
        assertEquals(List.of(), k.ipam.calls);
        assertEquals(3, r.interfaces().size());
    }

    @Test
    void disableContainerInterfaceLeavesItDown() throws Exception {
        Result r = add(conf("1.0.0", ",\"disableContainerInterface\":true"));
        assertFalse(k.sandbox.byName("eth0").up);
        assertFalse(k.host.log.toString().contains("wait"), "no wait for a port that cannot come up");
        assertEquals(3, r.interfaces().size());
    }

    @Test
    void enabledadTurnsDadOn() throws Exception {
        add(l3(",\"enabledad\":true"));
        assertEquals("1", k.sandbox.sysctls.get("net/ipv6/conf/eth0/accept_dad"));
        assertEquals("1", k.sandbox.sysctls.get("net/ipv6/conf/eth0/enhanced_dad"));
    }

    @Test
    void configDnsReplacesIpamDns() throws Exception {
        Result r = add(l3(",\"dns\":{\"nameservers\":[\"9.9.9.9\"],\"search\":[\"example.org\"]}"));
        assertEquals(List.of("9.9.9.9"), r.dns().nameservers());
        assertEquals(List.of("example.org"), r.dns().search());
        Result empty = new FakeKernel().plugin().add(invocation(Command.ADD, l3(",\"dns\":{}")));
        assertEquals(List.of("10.22.0.1"), empty.dns().nameservers(), "an empty dns sets nothing: IPAM's stays");
    }

    @Test
    void existingBridgeIsUsedAsItIsAndSecondAttachmentSharesIt() throws Exception {
        add(l3(",\"isGateway\":true"));
        int before = k.host.byName("br0").index;
        k.ipam.lease = "{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.22.0.6/16\",\"gateway\":\"10.22.0.1\"}]}";
        FakeNamespace second = new FakeNamespace("sandbox2");
        FakeNamespace first = k.sandbox;
        k.sandbox = second;
        k.plugin().add(invocation(Command.ADD, l3(",\"isGateway\":true"), "ctr2", "/run/netns/sandbox2", null));
        assertEquals(before, k.host.byName("br0").index, "the same bridge");
        assertEquals(List.of(prefix("10.22.0.1/16")), k.host.byName("br0").addresses, "the gateway once");
        assertEquals(k.host.byName("br0").index, second.byName("eth0").peer.master);
        assertEquals(k.host.byName("br0").index, first.byName("eth0").peer.master);
    }

    @Test
    void ipamRoutesBecomeKernelRoutesWithMetricTableScopeAndEcmp() throws Exception {
        k.ipam.lease = "{\"cniVersion\":\"1.1.0\",\"ips\":[{\"address\":\"10.22.0.5/16\",\"gateway\":\"10.22.0.1\"}],"
                + "\"routes\":[{\"dst\":\"10.50.0.0/16\",\"gw\":\"10.22.0.2\",\"priority\":10},"
                + "{\"dst\":\"10.50.0.0/16\",\"gw\":\"10.22.0.3\",\"priority\":10},"
                + "{\"dst\":\"10.60.0.0/16\",\"table\":100,\"scope\":253}]}";
        add(conf("1.1.0", ",\"ipam\":{\"type\":\"host-local\"}"));
        assertEquals(3, k.sandbox.routes.size(), k.sandbox.routes.toString());
        Route ecmp = k.sandbox.routes.get(1);
        assertEquals(2, ecmp.get(RouteAttribute.NEXTHOPS).size(), "two gateways to one destination: one multipath route");
        assertEquals(10, ecmp.get(RouteAttribute.METRIC));
        Route scoped = k.sandbox.routes.get(2);
        assertEquals(100, scoped.table());
        assertEquals(253, scoped.scope());
        assertEquals("10.22.0.1", scoped.get(RouteAttribute.GATEWAY).toString());
    }

    @Test
    void everyKeyOfTheReferenceIsAcceptedTogether() throws Exception {
        Result r = add(l3(",\"isGateway\":true,\"isDefaultGateway\":true,\"forceAddress\":true,\"ipMasq\":true,"
                + "\"ipMasqBackend\":\"nftables\",\"mtu\":1450,\"hairpinMode\":true,\"promiscMode\":false,\"vlan\":0,"
                + "\"preserveDefaultVlan\":false,\"macspoofchk\":true,\"enabledad\":false,\"disableContainerInterface\":false,"
                + "\"portIsolation\":false,\"dns\":{\"nameservers\":[\"10.22.0.1\"]},\"capabilities\":{\"mac\":true}"));
        assertEquals(3, r.interfaces().size());
        assertNotEquals(0, k.nft.batches().size(), "masquerade and spoof check rules were written");
    }

    @Test
    void withoutAnMtuEveryLinkKeepsTheKernelsDefault() throws Exception {
        add(l3(""));
        FakeNamespace.Link eth0 = k.sandbox.byName("eth0");
        // 1500 is what the fake kernel gives a link whose request names no MTU.
        assertEquals(1500, eth0.mtu);
        assertEquals(1500, eth0.peer.mtu);
        assertEquals(1500, k.host.byName("br0").mtu);
    }

    @Test
    void promiscuousModeIsSetOnAnExistingBridgeOnlyWhenItIsOff() throws Exception {
        k.host.create(dev.jcni.core.os.netlink.NewLink.bridge("br0"));
        k.host.byName("br0").promisc = true;
        add(l3(",\"promiscMode\":true"));
        assertTrue(k.host.log.stream().noneMatch(l -> l.startsWith("set br0 ") && l.toLowerCase().contains("promisc")), k.host.log.toString());

        FakeKernel other = new FakeKernel();
        other.host.create(dev.jcni.core.os.netlink.NewLink.bridge("br0"));
        other.plugin().add(invocation(Command.ADD, l3(",\"promiscMode\":true")));
        assertTrue(other.host.byName("br0").promisc, "an existing bridge that is not promiscuous is made so");
    }

    @Test
    void aVlanGatewayIsUpItsPortUpWithoutRouterAdvertisementsOfTheBridgesMtuAndShared() throws Exception {
        add(l3(",\"vlan\":100,\"isGateway\":true,\"mtu\":9000"));
        FakeNamespace.Link gw = k.host.byName("br0.100");
        assertTrue(gw.up);
        assertTrue(gw.peer.up);
        assertEquals("0", k.host.sysctls.get("net/ipv6/conf/" + gw.peer.name + "/accept_ra"));
        assertEquals(9000, gw.mtu);
        assertEquals(9000, gw.peer.mtu);

        k.ipam.lease = "{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.22.0.6/16\",\"gateway\":\"10.22.0.1\"}]}";
        k.sandbox = new FakeNamespace("sandbox2");
        Result second = k.plugin().add(invocation(Command.ADD, l3(",\"vlan\":100,\"isGateway\":true,\"mtu\":9000"), "ctr2", NETNS, null));
        assertEquals(gw.index, k.host.byName("br0.100").index, "the second attachment uses the gateway the first made");
        assertEquals("br0.100", second.interfaces().get(3).name());
        assertEquals(gw.mac.toString(), second.interfaces().get(3).mac());
    }

    @Test
    void routesWithoutAGatewayTakeTheFirstGatewayOfTheirFamily() throws Exception {
        k.ipam.lease = "{\"cniVersion\":\"1.1.0\",\"ips\":[{\"address\":\"10.22.0.5/16\",\"gateway\":\"10.22.0.1\"},"
                + "{\"address\":\"10.23.0.5/16\",\"gateway\":\"10.23.0.1\"},{\"address\":\"fd00:22::5/64\",\"gateway\":\"fd00:22::1\"},"
                + "{\"address\":\"fd00:23::5/64\",\"gateway\":\"fd00:23::1\"}],"
                + "\"routes\":[{\"dst\":\"10.50.0.0/16\"},{\"dst\":\"fd00:50::/64\"},{\"dst\":\"10.60.0.0/16\",\"table\":0}]}";
        add(conf("1.1.0", ",\"ipam\":{\"type\":\"host-local\"}"));
        assertEquals("10.22.0.1", k.sandbox.routesTo(prefix("10.50.0.0/16")).get(0).get(RouteAttribute.GATEWAY).toString());
        assertEquals("fd00:22::1", k.sandbox.routesTo(prefix("fd00:50::/64")).get(0).get(RouteAttribute.GATEWAY).toString());
        Route mainTable = k.sandbox.routesTo(prefix("10.60.0.0/16")).get(0);
        assertEquals(Route.to(prefix("10.60.0.0/16")).build().table(), mainTable.table(), "table 0 is no table: the main one");
    }

    @Test
    void aPortThatDoesNotComeUpIsReportedWithItsState() throws Exception {
        k.host.failOn("awaitRunning", Errno.ETIMEDOUT);
        CniException e = assertThrows(CniException.class, () -> add(l3("")));
        assertEquals("bridge port in error state: " + dev.jcni.core.os.netlink.OperState.UP.text(), e.msg(),
                "the fake's port is up; its state is read back, not made up");
    }

    @Test
    void isDefaultGatewayAddsOneDefaultRoutePerFamilyThroughItsFirstGatewayAndIsGatewayNone() throws Exception {
        k.ipam.lease = "{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.22.0.5/16\",\"gateway\":\"10.22.0.1\"},"
                + "{\"address\":\"10.23.0.5/16\",\"gateway\":\"10.23.0.1\"},{\"address\":\"fd22::5/64\",\"gateway\":\"fd22::1\"}]}";
        // forceAddress: the bridge takes one IPv4 gateway at a time.
        Result r = add(l3(",\"isDefaultGateway\":true,\"forceAddress\":true"));
        assertEquals(List.of(Result.Route.of(prefix("0.0.0.0/0"), prefix("10.22.0.1/32").address()),
                Result.Route.of(prefix("::/0"), prefix("fd22::1/128").address())), r.routes());

        FakeKernel plain = new FakeKernel();
        plain.ipam.lease = k.ipam.lease;
        assertEquals(List.of(), plain.plugin().add(invocation(Command.ADD, l3(",\"isGateway\":true,\"forceAddress\":true"))).routes(),
                "isGateway alone adds no route");
    }
}
