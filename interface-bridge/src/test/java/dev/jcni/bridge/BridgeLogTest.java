package dev.jcni.bridge;

import dev.jcni.core.testing.CapturedLog;
import static dev.jcni.bridge.Requests.NETNS;
import static dev.jcni.bridge.Requests.invocation;
import static dev.jcni.bridge.Requests.l3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.os.Errno;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.skel.Command;
import dev.jcni.core.skel.Sandbox;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the bridge tells an operator: the debug timeline of where a request's time goes
 * (JCNI_DEBUG=1), and the warnings and notes about what it did not do, or did instead.
 */
class BridgeLogTest {
    static final String FULL = l3(",\"isGateway\":true,\"ipMasq\":true,\"macspoofchk\":true");

    final FakeKernel k = new FakeKernel();

    private void add(String json, String containerId) throws Exception {
        k.sandbox = new FakeNamespace("sandbox of " + containerId);
        k.presence = Sandbox.Presence.SANDBOX;
        k.plugin().add(invocation(Command.ADD, json, containerId, NETNS, null));
    }

    private void del(String json, String containerId, String netns) throws Exception {
        k.plugin().del(invocation(Command.DEL, json, containerId, netns, null));
    }

    @Test
    void theDebugTimelineOfAnAddNamesEveryStepInOrder() throws Exception {
        try (CapturedLog log = new CapturedLog(BridgePlugin.NAME, new BridgePlugin(), true)) {
            add(FULL, "ctr1");
            assertEquals(List.of("config validated", "nftables runner", "checked", "bridge", "veth pair", "spoof check", "IPAM ADD",
                    "container configured", "masquerade rules listed", "masquerade", "port up", "gateways"), log.timeline(), log.toString());
        }
    }

    @Test
    void theDebugTimelineOfADelShowsTheFirewallOnlyWhenTheConfigHasRules() throws Exception {
        add(FULL, "ctr1");
        try (CapturedLog log = new CapturedLog(BridgePlugin.NAME, new BridgePlugin(), true)) {
            del(FULL, "ctr1", NETNS);
            assertEquals(List.of("interface deleted", "IPAM DEL", "nftables runner", "masquerade rules listed", "firewall rules removed"),
                    log.timeline(), log.toString());
        }
        add(l3(""), "ctr2");
        try (CapturedLog log = new CapturedLog(BridgePlugin.NAME, new BridgePlugin(), true)) {
            del(l3(""), "ctr2", NETNS);
            assertEquals(List.of("interface deleted", "IPAM DEL"), log.timeline(), "no ipMasq, no macspoofchk: nftables is not asked: " + log);
        }
    }

    @Test
    void aDelInTheHostsOwnNamespaceSaysWhatItLeft() throws Exception {
        k.host.addLink("eth0", "veth");
        k.presence = Sandbox.Presence.HOST;
        try (CapturedLog log = new CapturedLog(BridgePlugin.NAME, new BridgePlugin(), false)) {
            del(FULL, "ctr1", "/proc/self/ns/net");
            assertTrue(log.has("WARN", "CNI_NETNS /proc/self/ns/net is the host's own network namespace: eth0 is not deleted there"),
                    log.toString());
        }
        add(FULL, "ctr2");
        try (CapturedLog log = new CapturedLog(BridgePlugin.NAME, new BridgePlugin(), false)) {
            del(FULL, "ctr2", NETNS);
            assertEquals(List.of(), log.lines(), "a DEL in a sandbox has nothing to warn about");
        }
    }

    @Test
    void aDelWithoutNftablesSaysTheRulesCannotBeRemoved() throws Exception {
        add(FULL, "ctr1");
        k.nftMissing = "no nft on this node";
        try (CapturedLog log = new CapturedLog(BridgePlugin.NAME, new BridgePlugin(), false)) {
            del(FULL, "ctr1", NETNS);
            assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("bridge: WARN nftables cannot be used, so no masquerade or spoof-check "
                    + "rule can be removed: ") && l.contains("no nft on this node")), log.toString());
        }
        assertEquals(List.of("ADD host-local ctr1/eth0", "DEL host-local ctr1/eth0"), k.ipam.calls, "the lease goes all the same");
    }

    @Test
    void gcSaysHowMuchItRemoved() throws Exception {
        add(FULL, "stale");
        try (CapturedLog log = new CapturedLog(BridgePlugin.NAME, new BridgePlugin(), true)) {
            k.plugin().gc(invocation(Command.GC, FULL.replace("1.0.0", "1.1.0"), "", "", null));
            assertTrue(log.has("INFO", "GC: removed the spoof check of 1 and 1 masquerade rule(s) of network net"), log.toString());
        }
    }

    @Test
    void theIptablesBackendIsServedByNftablesWithAWarning() throws Exception {
        try (CapturedLog log = new CapturedLog(BridgePlugin.NAME, new BridgePlugin(), false)) {
            BridgeConfig.parse(invocation(Command.ADD, l3(",\"ipMasq\":true,\"ipMasqBackend\":\"iptables\"")));
            assertTrue(log.has("WARN", "ipMasqBackend \"iptables\": jcni masquerades through nftables, in the reference's nftables layout"),
                    log.toString());
        }
        try (CapturedLog log = new CapturedLog(BridgePlugin.NAME, new BridgePlugin(), false)) {
            BridgeConfig.parse(invocation(Command.ADD, l3(",\"ipMasq\":true,\"ipMasqBackend\":\"nftables\"")));
            assertEquals(List.of(), log.lines());
        }
    }

    @Test
    void aRouteTheSandboxHasAlreadyIsKeptWithAWarning() throws Exception {
        // The kernel made the subnet's route with the address; IPAM lists it too.
        k.ipam.lease = "{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.22.0.5/16\",\"gateway\":\"10.22.0.1\"}],"
                + "\"routes\":[{\"dst\":\"10.22.0.0/16\"}]}";
        try (CapturedLog log = new CapturedLog(BridgePlugin.NAME, new BridgePlugin(), false)) {
            add(l3(""), "ctr1");
            assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("bridge: WARN route ") && l.contains("10.22.0.0/16")
                    && l.endsWith(" exists already in the sandbox; kept")), log.toString());
        }
    }

    @Test
    void ipv6IsEnabledInTheSandboxWhereItIsOffAndAnUnreadableSettingIsOnlyAWarning() throws Exception {
        k.ipam.lease = "{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"fd00:22::5/64\",\"gateway\":\"fd00:22::1\"}]}";
        k.sandbox = new FakeNamespace("sandbox");
        k.sandbox.addLink("lo", null);
        k.sandbox.sysctls.put("net/ipv6/conf/lo/disable_ipv6", "1");
        k.plugin().add(invocation(Command.ADD, l3("")));
        assertEquals("0", k.sandbox.sysctls.get("net/ipv6/conf/lo/disable_ipv6"));
        assertEquals("1", k.sandbox.sysctls.get("net/ipv6/conf/eth0/keep_addr_on_down"));

        k.sandbox = new FakeNamespace("sandbox2");
        k.sandbox.failOn("readSysctl net/ipv6/conf/lo/disable_ipv6", Errno.EACCES);
        try (CapturedLog log = new CapturedLog(BridgePlugin.NAME, new BridgePlugin(), false)) {
            k.plugin().add(invocation(Command.ADD, l3(""), "ctr2", NETNS, null));
            assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("bridge: WARN failed to read sysctl \"net/ipv6/conf/lo/disable_ipv6\": ")),
                    log.toString());
        }
        assertEquals(List.of(FakeKernel.prefix("fd00:22::5/64")), k.sandbox.byName("eth0").addresses);
    }

    @Test
    void aSysctlThatCannotBeSetQuietlyIsADebugNote() throws Exception {
        k.host.failOn("writeSysctl net/ipv6/conf/br0/accept_ra", Errno.EROFS);
        k.sandbox.failOn("writeSysctl net/ipv4/conf/eth0/arp_notify", Errno.EROFS);
        try (CapturedLog log = new CapturedLog(BridgePlugin.NAME, new BridgePlugin(), true)) {
            k.plugin().add(invocation(Command.ADD, l3("")));
            assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("bridge: DEBUG sysctl net/ipv6/conf/br0/accept_ra=0: ")), log.toString());
            assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("bridge: DEBUG sysctl net/ipv4/conf/eth0/arp_notify=1: ")), log.toString());
        }
    }

    @Test
    void undoLogsEachStepAndWarnsAboutOneThatFails() throws Exception {
        k.host.failOn("writeSysctl net/ipv4/ip_forward", Errno.EPERM);
        k.host.failOn("delete", Errno.EBUSY);
        try (CapturedLog log = new CapturedLog(BridgePlugin.NAME, new BridgePlugin(), true)) {
            assertThrows(CniException.class, () -> k.plugin().add(invocation(Command.ADD, FULL)));
            assertTrue(log.has("DEBUG", "undo: release the addresses (IPAM DEL)"), log.toString());
            assertTrue(log.has("DEBUG", "undo: remove the masquerade rules"), log.toString());
            assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("bridge: WARN undo: cannot delete bridge br0: ")), log.toString());
        }
    }
}
