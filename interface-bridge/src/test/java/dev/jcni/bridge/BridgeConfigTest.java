package dev.jcni.bridge;

import static dev.jcni.bridge.Requests.NETNS;
import static dev.jcni.bridge.Requests.conf;
import static dev.jcni.bridge.Requests.invocation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.os.netlink.BridgeVlan;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.skel.Command;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every key of the reference, its default, and its validation message, word for word. */
class BridgeConfigTest {
    static BridgeConfig parse(String extra) throws Exception {
        return BridgeConfig.parse(invocation(Command.ADD, conf("1.0.0", extra)));
    }

    static CniException refused(String extra) {
        return assertThrows(CniException.class, () -> parse(extra));
    }

    @Test
    void defaults() throws Exception {
        BridgeConfig c = BridgeConfig.parse(invocation(Command.ADD, "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"bridge\"}"));
        assertEquals("cni0", c.bridge());
        assertFalse(c.isGateway() || c.isDefaultGateway() || c.forceAddress() || c.ipMasq() || c.hairpinMode() || c.promiscMode()
                || c.macSpoofCheck() || c.enableDad() || c.disableContainerInterface() || c.portIsolation());
        assertEquals(0, c.mtu());
        assertEquals(VlanSettings.NONE, c.vlans());
        assertNull(c.mac());
        assertNull(c.ipamType());
        assertNull(c.dns());
        assertFalse(c.isLayer3());
    }

    @Test
    void everyKeyIsRead() throws Exception {
        BridgeConfig c = parse(",\"isGateway\":true,\"forceAddress\":true,\"ipMasq\":true,\"mtu\":1400,\"hairpinMode\":true,"
                + "\"vlan\":7,\"preserveDefaultVlan\":true,\"macspoofchk\":true,\"enabledad\":true,\"portIsolation\":true,"
                + "\"ipam\":{\"type\":\"host-local\"},\"dns\":{\"domain\":\"example.org\"}");
        assertEquals("br0", c.bridge());
        assertTrue(c.isGateway() && c.forceAddress() && c.ipMasq() && c.hairpinMode() && c.macSpoofCheck() && c.enableDad()
                && c.portIsolation());
        assertEquals(1400, c.mtu());
        assertEquals(7, c.vlans().vlan());
        assertTrue(c.vlans().preserveDefaultVlan());
        assertEquals("host-local", c.ipamType());
        assertEquals("example.org", c.dns().domain(), "a dns that sets only a domain is set");
        assertTrue(parse(",\"isDefaultGateway\":true").isGateway(), "isDefaultGateway implies isGateway");
        assertTrue(parse(",\"promiscMode\":true").promiscMode());
        assertTrue(parse(",\"disableContainerInterface\":true").disableContainerInterface());
        assertNull(parse(",\"ipam\":{}").ipamType(), "an ipam without a type: L2");
        assertNull(parse(",\"dns\":{}").dns());
    }

    @Test
    void keysAreReadIgnoringCaseAsGoDoes() throws Exception {
        BridgeConfig c = parse(",\"IsGateway\":true,\"HAIRPINMODE\":true,\"Mtu\":1400");
        assertTrue(c.isGateway());
        assertTrue(c.hairpinMode());
        assertEquals(1400, c.mtu());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        ",\"vlan\":-100 | invalid VLAN ID -100 (must be between 0 and 4094)",
        ",\"vlan\":5000 | invalid VLAN ID 5000 (must be between 0 and 4094)",
        ",\"vlanTrunk\":[{\"minID\":0,\"maxID\":10}] | incorrect trunk minID parameter",
        ",\"vlanTrunk\":[{\"minID\":4095,\"maxID\":4095}] | incorrect trunk minID parameter",
        ",\"vlanTrunk\":[{\"minID\":10,\"maxID\":5000}] | incorrect trunk maxID parameter",
        ",\"vlanTrunk\":[{\"minID\":20,\"maxID\":10}] | minID is greater than maxID in trunk parameter",
        ",\"vlanTrunk\":[{\"maxID\":10}] | minID and maxID should be configured simultaneously, minID is missing",
        ",\"vlanTrunk\":[{\"minID\":10}] | minID and maxID should be configured simultaneously, maxID is missing",
        ",\"vlanTrunk\":[{\"id\":0}] | incorrect trunk id parameter",
        ",\"vlanTrunk\":[{\"id\":4095}] | incorrect trunk id parameter",
        ",\"vlanTrunk\":[{\"id\":5},{\"minID\":1,\"maxID\":5000}] | incorrect trunk maxID parameter",
        ",\"hairpinMode\":true,\"promiscMode\":true | cannot set hairpin mode and promiscuous mode at the same time",
        ",\"ipam\":{\"type\":\"host-local\"},\"disableContainerInterface\":true | cannot use IPAM when DisableContainerInterface flag is set",
        ",\"ipMasq\":true,\"ipMasqBackend\":\"ebtables\" | unknown ipmasq backend \"ebtables\"",
        ",\"runtimeConfig\":{\"mac\":\"zz:zz\"} | failed to make veth pair: address zz:zz: invalid MAC address",
        ",\"args\":{\"cni\":{\"mac\":\"01:00:5e:00:00:01\"}} | failed to make veth pair: address 01:00:5e:00:00:01: invalid MAC address",
        ",\"runtimeConfig\":{\"mac\":\"00:00:00:00:00:00\"} | failed to make veth pair: address 00:00:00:00:00:00: invalid MAC address",
        ",\"mtu\":20 | invalid MTU 20",
        ",\"mtu\":70000 | invalid MTU 70000",
    })
    void theReferencesMessages(String extra, String message) {
        CniException e = refused(extra);
        assertEquals(message, e.msg());
        assertEquals(CniException.INVALID_CONFIG, e.code());
    }

    @Test
    void aValueOfTheWrongTypeIsReportedAsTheReferenceDecodesIt() {
        CniException e = refused(",\"portIsolation\":\"true\"");
        assertEquals("failed to load netconf: invalid value \"true\" for \"portIsolation\": expected true or false", e.msg());
        assertEquals(7, e.code());
        assertTrue(refused(",\"vlanTrunk\":[{\"id\":\"5\"}]").msg().startsWith("failed to load netconf: invalid value \"5\" for \"vlanTrunk[0].id\""));
        assertTrue(refused(",\"ipam\":[]").msg().startsWith("failed to load netconf: "));
        assertTrue(refused(",\"mtu\":1400.5").msg().startsWith("failed to load netconf: "));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"\"\"", "\"a/b\"", "\"sixteen-bytes-ab\"", "\"..\"", "\"a b\""})
    void bridgeNamesTheKernelWouldRefuse(String name) {
        assertEquals("invalid bridge name \"" + name.substring(1, name.length() - 1) + "\"", refused(",\"bridge\":" + name).msg());
    }

    @Test
    void anUnknownBackendMattersOnlyWithIpMasqAndIptablesIsServedByNftables() throws Exception {
        assertFalse(parse(",\"ipMasqBackend\":\"ebtables\"").ipMasq());
        assertTrue(parse(",\"ipMasq\":true,\"ipMasqBackend\":\"iptables\"").ipMasq());
        assertTrue(parse(",\"ipMasq\":true,\"ipMasqBackend\":\"nftables\"").ipMasq());
    }

    @Test
    void macPrecedenceCniArgsArgsRuntimeConfig() throws Exception {
        String args = ",\"args\":{\"cni\":{\"mac\":\"0a:00:00:00:00:02\"}}";
        String rc = ",\"runtimeConfig\":{\"mac\":\"0a:00:00:00:00:03\"}";
        assertEquals("0a:00:00:00:00:01", mac("", "MAC=0a:00:00:00:00:01"));
        assertEquals("0a:00:00:00:00:02", mac(args, "MAC=0a:00:00:00:00:01"));
        assertEquals("0a:00:00:00:00:03", mac(args + rc, "MAC=0a:00:00:00:00:01"));
        assertEquals("0a:00:00:00:00:02", mac(args + ",\"runtimeConfig\":{\"mac\":\"\"}", null), "an empty value is no value");
        assertEquals("0a:00:00:00:00:01", mac("", "IgnoreUnknown=1;K8S_POD_NAME=p;MAC=0a:00:00:00:00:01"));
    }

    private static String mac(String extra, String cniArgs) throws Exception {
        return BridgeConfig.parse(invocation(Command.ADD, conf("1.0.0", extra), "c", NETNS, cniArgs)).mac().toString();
    }

    @Test
    void trunkVidsAreMergedSortedAndSentAsRanges() throws Exception {
        VlanSettings v = parse(",\"vlanTrunk\":[{\"id\":300},{\"minID\":200,\"maxID\":202},{\"id\":201},{\"id\":203},{\"id\":101}]").vlans();
        assertEquals(List.of(101, 200, 201, 202, 203, 300), v.trunk());
        assertEquals(List.of(BridgeVlan.tagged(101), BridgeVlan.range(200, 203), BridgeVlan.tagged(300)), v.trunkEntries());
        assertTrue(v.filtering());
        assertTrue(v.removesDefault());
        VlanSettings empty = parse(",\"vlanTrunk\":[]").vlans();
        assertTrue(empty.filtering(), "an empty trunk still makes a new bridge VLAN-filtering, as the reference's non-nil slice");
        assertFalse(empty.removesDefault(), "but leaves the port's default VLAN alone");
        assertFalse(parse(",\"vlan\":0").vlans().filtering());
    }

    @Test
    void cleanupReadsOnlyWhatDelNeedsAndToleratesTheRest() throws Exception {
        BridgeConfig.Cleanup c = BridgeConfig.cleanup(invocation(Command.DEL, conf("1.0.0",
                ",\"vlan\":99999,\"ipMasq\":\"sometimes\",\"macspoofchk\":false,\"ipam\":{\"type\":\"host-local\"}")));
        assertEquals("host-local", c.ipamType());
        assertTrue(c.masquerade(), "a flag that is not a boolean: cleaned up anyway");
        assertFalse(c.spoofCheck());
        assertNull(BridgeConfig.cleanup(invocation(Command.DEL, conf("1.0.0", ",\"ipam\":\"x\""))).ipamType());
        CniException e = assertThrows(CniException.class,
                () -> BridgeConfig.cleanup(invocation(Command.DEL, conf("1.0.0", ",\"ipam\":{\"type\":7}"))));
        assertTrue(e.msg().startsWith("failed to load netconf: "), e.msg());
    }

    @Test
    void theMtusAtBothEndsOfTheKernelsRangeAreAccepted() throws Exception {
        assertEquals(68, parse(",\"mtu\":68").mtu());
        assertEquals(65535, parse(",\"mtu\":65535").mtu());
    }

    @Test
    void aBridgeNameOfFifteenBytesIsAccepted() throws Exception {
        assertEquals("fifteen-bytes-a", parse(",\"bridge\":\"fifteen-bytes-a\"").bridge());
    }

    @Test
    void theDetailsSayWhatIsWrongWithTheMacAndWhereItCameFrom() {
        assertEquals("args.cni.mac: a multicast address cannot be an interface's address",
                refused(",\"args\":{\"cni\":{\"mac\":\"01:00:5e:00:00:01\"}}").details());
        assertEquals("runtimeConfig.mac: all zeros cannot be an interface's address",
                refused(",\"runtimeConfig\":{\"mac\":\"00:00:00:00:00:00\"}").details());
    }

    @Test
    void vlanIdsAtBothEndsAreAccepted() throws Exception {
        VlanSettings v = parse(",\"vlan\":4094,\"vlanTrunk\":[{\"minID\":1,\"maxID\":1},{\"minID\":4094,\"maxID\":4094},{\"id\":4093},"
                + "{\"id\":4094},{\"minID\":7,\"maxID\":7}]").vlans();
        assertEquals(4094, v.vlan());
        assertEquals(List.of(1, 7, 4093, 4094), v.trunk());
        assertEquals("incorrect trunk maxID parameter", refused(",\"vlanTrunk\":[{\"minID\":1,\"maxID\":0}]").msg());
    }
}
