package dev.jcni.it.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.protocol.Json;
import dev.jcni.it.support.PluginRunner;
import dev.jcni.it.support.RequiresRoot;
import dev.jcni.it.support.TestNetns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * bin/bridge as a runtime runs it, in a private host: every CNI version, bad input that changes
 * nothing, DEL twice and with the namespace gone, CHECK and its drift, GC and STATUS, an IPAM
 * failure that leaves no lease and no link, VLANs (skipped with the kernel's reason where it has
 * no VLAN filtering), and the in-process IPAM answering exactly as the exec does.
 */
@RequiresRoot
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class BridgeProtocolTest extends BridgeLabTest {
    static final String DUAL = "[[{\"subnet\":\"10.32.0.0/24\"}],[{\"subnet\":\"fd00:32::/64\"}]]";
    static final String V4 = "[[{\"subnet\":\"10.32.0.0/24\"}]]";

    @ParameterizedTest
    @ValueSource(strings = {"0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"})
    void everyVersion(String version) throws Exception {
        TestNetns sb = lab.sandbox();
        String conf = lab.conf(version, "jbr0", version.startsWith("0.1") || version.startsWith("0.2") ? V4 : DUAL,
                ",\"isGateway\":true,\"ipMasq\":true");
        JsonNode r = lab.add(conf, "c", sb);
        assertEquals(version, r.get("cniVersion").asText());
        if (version.startsWith("0.1") || version.startsWith("0.2")) {
            assertEquals("10.32.0.2/24", r.get("ip4").get("ip").asText());
        } else {
            assertEquals(List.of("jbr0", lab.ports("jbr0").get(0), "eth0"), List.of(r.get("interfaces").get(0).get("name").asText(),
                    r.get("interfaces").get(1).get("name").asText(), r.get("interfaces").get(2).get("name").asText()));
            assertEquals(sb.path(), r.get("interfaces").get(2).get("sandbox").asText());
            assertEquals(2, r.get("ips").size());
            assertEquals(version.startsWith("0.") ? "4" : null, r.get("ips").get(0).has("version") ? r.get("ips").get(0).get("version").asText() : null);
        }
        if (!version.startsWith("0.1") && !version.startsWith("0.2") && !version.equals("0.3.0") && !version.equals("0.3.1")) {
            ObjectNode check = (ObjectNode) Json.parse(conf.getBytes());
            check.set("prevResult", r);
            lab.run("CHECK", Json.toString(check), "c", sb).assertOk();
        }
        lab.del(conf, "c", sb);
        assertEquals(List.of(), lab.ports("jbr0"));
        assertEquals(Map.of(), lab.leases());
    }

    @Test
    void badInputChangesNothing() throws Exception {
        TestNetns sb = lab.sandbox();
        String before = lab.host.netns().ip("-o", "link");
        for (String extra : List.of(",\"vlan\":5000", ",\"hairpinMode\":true,\"promiscMode\":true",
                ",\"vlanTrunk\":[{\"minID\":20,\"maxID\":10}]", ",\"runtimeConfig\":{\"mac\":\"not-a-mac\"}",
                ",\"ipMasq\":true,\"ipMasqBackend\":\"ebtables\"", ",\"bridge\":\"a/b\"", ",\"mtu\":\"1500\"")) {
            String conf = lab.conf("1.0.0", "jbr0", V4, extra);
            JsonNode err = BridgeLab.error(lab.run("ADD", conf, "c", sb));
            assertEquals(7, err.get("code").asInt(), extra + ": " + err);
        }
        JsonNode err = BridgeLab.error(lab.run("ADD", lab.conf("1.0.0", "jbr0", V4, ",\"vlan\":5000"), "c", sb));
        assertEquals("invalid VLAN ID 5000 (must be between 0 and 4094)", err.get("msg").asText());
        assertEquals(before, lab.host.netns().ip("-o", "link"), "no link made in the host");
        assertEquals("", sb.ip("-o", "link", "show", "type", "veth"), "no veth in the sandbox");
        assertEquals(Map.of(), lab.leases());
        assertFalse(lab.ruleset().contains("table"), "no nftables table");
    }

    @Test
    void delTwiceAndWithTheNamespaceGoneOrUnnamed() throws Exception {
        String conf = lab.conf("1.0.0", "jbr0", V4, ",\"ipMasq\":true,\"macspoofchk\":true");
        TestNetns a = lab.sandbox();
        lab.add(conf, "a", a);
        lab.del(conf, "a", a);
        lab.del(conf, "a", a);

        TestNetns b = lab.sandbox();
        lab.add(conf, "b", b);
        assertEquals(1, lab.leases().size());
        b.close();  // the sandbox dies before its DEL: its veth goes with it
        lab.del(conf, "b", b);
        assertEquals(Map.of(), lab.leases(), "the lease is released without the namespace");
        assertFalse(lab.ruleset().contains("masquerade comment"), "the masquerade rule goes by identity: " + lab.ruleset());
        assertFalse(lab.ruleset().contains("goto sc-"), "the spoof check's element goes too");

        TestNetns c = lab.sandbox();
        lab.add(conf, "c", c);
        lab.del(conf, "c", null);
        assertEquals(Map.of(), lab.leases(), "CNI_NETNS empty: IPAM and rules still cleaned");
        assertFalse(lab.ruleset().contains("masquerade comment"));
        lab.del(conf, "never", null);
    }

    @Test
    void checkPassesAfterAddAndReportsDrift() throws Exception {
        String conf = lab.conf("1.0.0", "jbr0", DUAL, ",\"isDefaultGateway\":true");
        TestNetns sb = lab.sandbox();
        JsonNode r = lab.add(conf, "c", sb);
        ObjectNode check = (ObjectNode) Json.parse(conf.getBytes());
        check.set("prevResult", r);
        lab.run("CHECK", Json.toString(check), "c", sb).assertOk();
        sb.ip("addr", "del", "10.32.0.2/24", "dev", "eth0");
        JsonNode drift = BridgeLab.error(lab.run("CHECK", Json.toString(check), "c", sb));
        assertEquals(101, drift.get("code").asInt());
        assertEquals("Failed to match addr 10.32.0.2/24 on interface eth0", drift.get("msg").asText());
        sb.ip("addr", "add", "10.32.0.2/24", "dev", "eth0");
        JsonNode route = BridgeLab.error(lab.run("CHECK", Json.toString(check), "c", sb));
        assertTrue(route.get("msg").asText().startsWith("Expected Route {Dst:0.0.0.0/0"), route.toString());
        lab.host.netns().ip("link", "del", lab.ports("jbr0").get(0));
        JsonNode gone = BridgeLab.error(lab.run("CHECK", Json.toString(check), "c", sb));
        assertTrue(gone.get("msg").asText().startsWith("Interface name "), gone.toString());
    }

    @Test
    void statusAndGc() throws Exception {
        String conf = lab.conf("1.1.0", "jbr0", V4, ",\"ipMasq\":true,\"macspoofchk\":true");
        lab.run("STATUS", conf, "", null).assertOk();
        TestNetns keep = lab.sandbox();
        TestNetns stale = lab.sandbox();
        lab.add(conf, "keep", keep);
        lab.add(conf, "stale", stale);
        ObjectNode gc = (ObjectNode) Json.parse(conf.getBytes());
        gc.putArray("cni.dev/valid-attachments").addObject().put("containerID", lab.id("keep")).put("ifname", "eth0");
        lab.run("GC", Json.toString(gc), "", null).assertOk();
        assertEquals(1, lab.leases().size(), "host-local's GC was forwarded: " + lab.leases());
        assertTrue(lab.leases().values().iterator().next().startsWith(lab.id("keep")));
        String rules = lab.ruleset();
        assertTrue(rules.contains("id: " + lab.id("keep")), rules);
        assertFalse(rules.contains("id: " + lab.id("stale")), rules);
        assertFalse(rules.contains(lab.id("stale") + "/eth0"), "the stale spoof check is gone: " + rules);

        lab.host.netns().ip("link", "add", "jbrx", "type", "veth", "peer", "name", "jbrxp");
        JsonNode err = BridgeLab.error(lab.run("STATUS", lab.conf("1.1.0", "jbrx", V4, ""), "", null));
        assertEquals(50, err.get("code").asInt());
        assertEquals("bridge cannot serve ADD: \"jbrx\" exists but is not a bridge", err.get("msg").asText());
    }

    @Test
    void anIpamFailureLeavesNoLeaseAndNoLink() throws Exception {
        String one = "[[{\"subnet\":\"10.32.0.0/24\",\"rangeStart\":\"10.32.0.9\",\"rangeEnd\":\"10.32.0.9\"}]]";
        String conf = lab.conf("1.0.0", "jbr0", one, ",\"ipMasq\":true,\"macspoofchk\":true,\"isGateway\":true");
        lab.add(conf, "first", lab.sandbox());
        TestNetns second = lab.sandbox();
        JsonNode err = BridgeLab.error(lab.run("ADD", conf, "second", second));
        assertTrue(err.get("msg").asText().contains("no IP addresses available in range set"), err.toString());
        assertEquals(1, lab.ports("jbr0").size(), "only the first attachment's port");
        assertEquals("", second.ip("-o", "link", "show", "type", "veth"));
        assertEquals(1, lab.leases().size());

        // A failure after IPAM: a bridge holding another IPv4 address, without forceAddress.
        lab.host.netns().ip("link", "add", "jbr9", "type", "bridge");
        lab.host.netns().ip("addr", "add", "10.99.0.1/24", "dev", "jbr9");
        String v4 = lab.conf("1.0.0", "jbr9", V4.replace("10.32.0.0", "10.33.0.0"), ",\"isGateway\":true,\"ipMasq\":true");
        TestNetns third = lab.sandbox();
        JsonNode late = BridgeLab.error(lab.run("ADD", v4, "third", third));
        assertEquals("failed to set bridge addr: \"jbr9\" already has an IP address different from 10.33.0.1/24", late.get("msg").asText());
        assertEquals(1, lab.leases().size(), "the lease taken before the failure is released");
        assertEquals(List.of(), lab.ports("jbr9"));
        assertEquals("", third.ip("-o", "link", "show", "type", "veth"));
        assertFalse(lab.ruleset().contains("id: " + lab.id("third")), "its masquerade rule is gone");
        assertEquals(List.of("10.99.0.1/24"), BridgeLab.addresses(lab.host.name(), "jbr9"));
    }

    /** Why the kernel cannot filter bridge VLANs here, or null when it can. */
    private String vlanFilteringMissing() {
        String name = "jbv" + lab.host.netns().suffix().substring(0, 6);
        var r = lab.host.run("ip", "link", "add", name, "type", "bridge", "vlan_filtering", "1");
        if (r.ok()) {
            lab.host.run("ip", "link", "del", name);
            return null;
        }
        return "this kernel has no bridge VLAN filtering: " + r.stderr().trim();
    }

    @Test
    void accessVlanAndTrunkOnTheKernel() throws Exception {
        String missing = vlanFilteringMissing();
        assumeTrue(missing == null, missing);
        TestNetns sb = lab.sandbox();
        lab.add(lab.conf("1.0.0", "jbr0", V4, ",\"vlan\":100,\"vlanTrunk\":[{\"minID\":200,\"maxID\":210}]"), "c", sb);
        String vlans = lab.host.run("bridge", "-c", "vlan", "show", "dev", lab.ports("jbr0").get(0)).orFail();
        assertTrue(vlans.contains("100 PVID Egress Untagged"), vlans);
        assertTrue(vlans.contains("200-210"), vlans);
    }

    @Test
    void withoutVlanFilteringAVlanConfigFailsCleanly() throws Exception {
        String missing = vlanFilteringMissing();
        assumeTrue(missing != null, "this kernel filters VLANs; accessVlanAndTrunkOnTheKernel covers it");
        TestNetns sb = lab.sandbox();
        JsonNode err = BridgeLab.error(lab.run("ADD", lab.conf("1.0.0", "jbr0", V4, ",\"vlan\":100"), "c", sb));
        assertTrue(err.get("msg").asText().startsWith("failed to create bridge \"jbr0\": could not add \"jbr0\": "), err.toString());
        assertFalse(lab.host.linkExists("jbr0"));
        assertEquals(Map.of(), lab.leases());
    }

    /**
     * Our host-local found on CNI_PATH as our own launcher runs in-process; a wrapper, or the
     * node's policy, makes it an exec. Both give the same result and the same store.
     */
    @Test
    void inProcessIpamAnswersAsTheExecDoes() throws Exception {
        String conf = lab.conf("1.0.0", "jbr0", DUAL, ",\"isGateway\":true");
        TestNetns a = lab.sandbox();
        TestNetns b = lab.sandbox();
        TestNetns c = lab.sandbox();
        PluginRunner.Run inProcess = lab.run(BridgeLab.OURS, "ADD", conf, "a", a, Map.of("JCNI_DEBUG", "1")).assertOk();
        assertTrue(inProcess.stderr().contains("delegate host-local ADD: in-process"), inProcess.stderr());
        PluginRunner.Run exec = lab.run(BridgeLab.OURS, "ADD", conf, "b", b, Map.of("JCNI_DEBUG", "1", "JCNI_DELEGATE_IN_PROCESS", "0"))
                .assertOk();
        assertFalse(exec.stderr().contains("in-process"), exec.stderr());
        Path wrapped = Files.createDirectories(lab.work.resolve("wrapped"));
        Path wrapper = wrapped.resolve("host-local");
        Files.writeString(wrapper, "#!/bin/sh\nexec '" + PluginRunner.ours("host-local") + "' \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        PluginRunner.Run viaWrapper = lab.run(BridgeLab.OURS, "ADD", conf, "c", c, Map.of("JCNI_DEBUG", "1", "CNI_PATH", wrapped.toString()))
                .assertOk();
        assertFalse(viaWrapper.stderr().contains("in-process"), "a wrapper is exec'ed: " + viaWrapper.stderr());
        JsonNode ra = inProcess.json();
        JsonNode rb = exec.json();
        assertEquals("10.32.0.2/24", ra.get("ips").get(0).get("address").asText());
        assertEquals("10.32.0.3/24", rb.get("ips").get(0).get("address").asText());
        for (String field : List.of("interfaces", "ips")) {
            assertEquals(ra.get(field).size(), rb.get(field).size(), field);
        }
        assertEquals(ra.get("routes"), rb.get("routes"));
        assertEquals(ra.get("ips").get(0).get("gateway"), rb.get("ips").get(0).get("gateway"));
        assertEquals(6, lab.leases().size(), "two families, three attachments");
        assertTrue(lab.leases().get("10.32.0.2").startsWith(lab.id("a") + "\r\neth0"), lab.leases().toString());
        assertTrue(lab.leases().get("10.32.0.3").startsWith(lab.id("b") + "\r\neth0"));
        // The same error either way: a requested address that is taken.
        String taken = lab.conf("1.0.0", "jbr0", V4, ",\"args\":{\"cni\":{\"ips\":[\"10.32.0.2\"]}}");
        JsonNode e1 = BridgeLab.error(lab.run(BridgeLab.OURS, "ADD", taken, "d", lab.sandbox(), Map.of()));
        JsonNode e2 = BridgeLab.error(lab.run(BridgeLab.OURS, "ADD", taken, "e", lab.sandbox(), Map.of("JCNI_DELEGATE_IN_PROCESS", "0")));
        assertEquals(e2.get("code"), e1.get("code"));
        assertEquals(e2.get("msg"), e1.get("msg"));
        assertEquals(e2.get("details"), e1.get("details"));
    }
}
