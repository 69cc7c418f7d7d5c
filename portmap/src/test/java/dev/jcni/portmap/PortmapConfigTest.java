package dev.jcni.portmap;

import static dev.jcni.portmap.Requests.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.skel.Command;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PortmapConfigTest {
    private static PortmapConfig parse(String mappings, String extra) throws Exception {
        return PortmapConfig.parse(Requests.invocation(Command.ADD, "c1", config("net1", mappings, extra)));
    }

    private static CniException refused(String mappings, String extra) {
        return assertThrows(CniException.class, () -> parse(mappings, extra));
    }

    @Test
    void defaultsAreTheReferences() throws Exception {
        PortmapConfig c = parse("[]", "");
        assertTrue(c.snat());
        assertFalse(c.masqAll());
        assertEquals(13, c.markMasqBit());
        assertEquals(0x2000, c.mark());
        assertTrue(c.mappings().isEmpty());
        assertTrue(parse(null, "").mappings().isEmpty(), "no runtimeConfig at all");
    }

    @Test
    void mappingsReadInAnyCaseAsContainerdSendsThem() throws Exception {
        PortmapConfig c = parse("[{\"HostPort\":8080,\"ContainerPort\":80,\"Protocol\":\"UDP\",\"HostIP\":\"198.51.100.1\"},"
                + "{\"hostPort\":8443,\"containerPort\":443}]", "\"snat\":false,\"masqAll\":true,\"markMasqBit\":20");
        assertFalse(c.snat());
        assertTrue(c.masqAll());
        assertEquals(1 << 20, c.mark());
        PortMapping m = c.mappings().get(0);
        assertEquals("udp", m.protocol());
        assertEquals(8080, m.hostPort());
        assertEquals(80, m.containerPort());
        assertEquals("198.51.100.1", m.hostIp().toString());
        assertEquals(IpAddress.Family.IPV4, m.family());
        assertEquals("tcp", c.mappings().get(1).protocol(), "no protocol means tcp");
        assertNull(c.mappings().get(1).family(), "no hostIP: both families");
    }

    @ParameterizedTest
    @CsvSource({"'',", "0.0.0.0,IPV4", "'::',IPV6"})
    void wildcardHostIpsMeanAnyAddressOfTheirFamily(String hostIp, String family) throws Exception {
        PortMapping m = parse("[{\"hostPort\":1,\"containerPort\":2,\"hostIP\":\"" + hostIp + "\"}]", "").mappings().get(0);
        assertNull(m.hostIp());
        assertEquals(family == null ? null : IpAddress.Family.valueOf(family), m.family());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[{\"hostPort\":0,\"containerPort\":80}]|runtimeConfig.portMappings[0]: invalid hostPort 0",
        "[{\"hostPort\":8080,\"containerPort\":80},{\"hostPort\":70000,\"containerPort\":80}]|runtimeConfig.portMappings[1]: invalid hostPort 70000",
        "[{\"hostPort\":8080,\"containerPort\":-1}]|runtimeConfig.portMappings[0]: invalid containerPort -1",
        "[{\"hostPort\":8080,\"containerPort\":\"80\"}]|runtimeConfig.portMappings[0]: invalid containerPort \"80\"",
        "[{\"containerPort\":80}]|runtimeConfig.portMappings[0]: missing hostPort",
        "[{\"hostPort\":8080,\"containerPort\":80,\"protocol\":\"icmp\"}]|runtimeConfig.portMappings[0]: unknown protocol \"icmp\"",
        "[{\"hostPort\":8080,\"containerPort\":80,\"hostIP\":\"1.2.3\"}]|runtimeConfig.portMappings[0]: invalid hostIP \"1.2.3\"",
        "[{\"hostPort\":8080,\"containerPort\":80},{\"hostPort\":8080,\"containerPort\":81,\"protocol\":\"TCP\"}]|runtimeConfig.portMappings[1] maps tcp/8080 again",
        "[{\"hostPort\":8080,\"containerPort\":80,\"hostIP\":\"0.0.0.0\"},{\"hostPort\":8080,\"containerPort\":81}]|runtimeConfig.portMappings[1] maps tcp/8080 again",
    })
    void badMappingsAreRefusedNamingTheEntry(String mappings, String message) {
        CniException e = refused(mappings, "");
        assertEquals(CniException.INVALID_CONFIG, e.code());
        assertEquals(message, e.msg());
    }

    @Test
    void theSamePortOnTwoFamiliesOrAddressesIsNoDuplicate() throws Exception {
        assertEquals(2, parse("[{\"hostPort\":53,\"containerPort\":53,\"hostIP\":\"0.0.0.0\"},"
                + "{\"hostPort\":53,\"containerPort\":5353,\"hostIP\":\"::\"}]", "").mappings().size());
        assertEquals(3, parse("[{\"hostPort\":53,\"containerPort\":53,\"hostIP\":\"198.51.100.1\"},"
                + "{\"hostPort\":53,\"containerPort\":53,\"hostIP\":\"198.51.100.2\"},{\"hostPort\":53,\"containerPort\":53,\"protocol\":\"udp\"}]", "")
                .mappings().size());
    }

    @Test
    void iptablesOnlySettingsAreUnsupportedFields() {
        CniException backend = refused("[]", "\"backend\":\"iptables\"");
        assertEquals(CniException.UNSUPPORTED_FIELD, backend.code());
        assertTrue(backend.msg().contains("\"backend\""), backend.msg());
        CniException chain = refused("[]", "\"externalSetMarkChain\":\"KUBE-MARK-MASQ\"");
        assertEquals(CniException.UNSUPPORTED_FIELD, chain.code());
        assertTrue(chain.msg().contains("externalSetMarkChain"), chain.msg());
        CniException syntax = refused("[]", "\"conditionsV4\":[\"-s\",\"1.2.3.4\"]");
        assertEquals(CniException.UNSUPPORTED_FIELD, syntax.code());
        assertTrue(syntax.msg().contains("conditionsV4"), syntax.msg());
        assertEquals("unrecognized backend \"ebpf\"", refused("[]", "\"backend\":\"ebpf\"").msg());
    }

    @Test
    void backendNftablesOrEmptyIsAccepted() throws Exception {
        parse("[]", "\"backend\":\"nftables\"");
        parse("[]", "\"backend\":\"\"");
    }

    @ParameterizedTest
    @CsvSource({"-1", "32"})
    void markBitOutOfRange(int bit) {
        CniException e = refused("[]", "\"markMasqBit\":" + bit);
        assertEquals(CniException.INVALID_CONFIG, e.code());
        assertEquals("MasqMarkBit must be between 0 and 31", e.msg());
    }

    @Test
    void conditionsBecomeModelStatements() throws Exception {
        PortmapConfig c = parse("[]", "\"conditionsV4\":[\"ip\",\"saddr\",\"10.0.0.0/8\",\"iifname != \\\"lo\\\"\"],"
                + "\"conditionsV6\":[\"ip6 daddr { 2001:db8::1, 2001:db8::2 } meta mark 0x10\"]");
        assertEquals(List.of(
                "{\"match\":{\"op\":\"==\",\"left\":{\"payload\":{\"protocol\":\"ip\",\"field\":\"saddr\"}},\"right\":{\"prefix\":{\"addr\":\"10.0.0.0\",\"len\":8}}}}",
                "{\"match\":{\"op\":\"!=\",\"left\":{\"meta\":{\"key\":\"iifname\"}},\"right\":\"lo\"}}"),
                c.conditionsV4().stream().map(Object::toString).toList());
        assertEquals(List.of(
                "{\"match\":{\"op\":\"==\",\"left\":{\"payload\":{\"protocol\":\"ip6\",\"field\":\"daddr\"}},\"right\":{\"set\":[\"2001:db8::1\",\"2001:db8::2\"]}}}",
                "{\"match\":{\"op\":\"==\",\"left\":{\"meta\":{\"key\":\"mark\"}},\"right\":16}}"),
                c.conditionsV6().stream().map(Object::toString).toList());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "conditionsV4|[\"ip saddr 10.0.0.1 accept\"]|unsupported 'accept'",
        "conditionsV4|[\"ip saddr 10.0.0.1; flush ruleset\"]|'ip saddr 10.0.0.1;'",
        "conditionsV4|[\"ip6 saddr ::1\"]|applies to IPV4 traffic only",
        "conditionsV6|[\"ip saddr 10.0.0.1\"]|applies to IPV6 traffic only",
        "conditionsV4|[\"ip saddr\"]|ends where a value was expected",
        "conditionsV4|[\"iifname\", \"a b\"]|unsupported 'b'",
        "conditionsV4|[\"mark\", \"lots\"]|not a mark",
        "conditionsV4|[\"jump\", \"x\"]|unsupported 'jump'",
        "conditionsV4|[\"ip daddr { 10.0.0.1 10.0.0.2 }\"]|expected ',' or '}'",
    })
    void conditionsOutsideTheGrammarAreRefused(String key, String value, String fragment) {
        CniException e = refused("[]", "\"" + key + "\":" + value);
        assertEquals(CniException.INVALID_CONFIG, e.code(), e.getMessage());
        assertTrue(e.msg().startsWith("invalid \"" + key + "\""), e.msg());
        assertTrue(e.msg().contains(fragment), e.msg());
    }

    @Test
    void theMarkBitsAtBothEndsAreAllowed() throws Exception {
        assertEquals(1, parse("[]", "\"markMasqBit\":0").mark());
        assertEquals(0x8000_0000, parse("[]", "\"markMasqBit\":31").mark());
    }

    @Test
    void thePortsAtBothEndsAreAllowed() throws Exception {
        PortMapping m = parse("[{\"hostPort\":1,\"containerPort\":65535}]", "").mappings().get(0);
        assertEquals(1, m.hostPort());
        assertEquals(65535, m.containerPort());
    }

    @Test
    void anExternalSetMarkChainIsQuotedAsWritten() {
        CniException text = refused("[]", "\"externalSetMarkChain\":\"KUBE-MARK-MASQ\"");
        assertTrue(text.msg().contains("\"KUBE-MARK-MASQ\""), text.msg());
        CniException number = refused("[]", "\"externalSetMarkChain\":7");
        assertEquals(CniException.UNSUPPORTED_FIELD, number.code());
        assertTrue(number.msg().contains("7") && !number.msg().contains("null"), number.msg());
    }

    @Test
    void conditionsTakeEqualsInBothSpellingsUppercaseHexAndTrailingBlanks() throws Exception {
        String expected = "[{\"match\":{\"op\":\"==\",\"left\":{\"payload\":{\"protocol\":\"ip\",\"field\":\"saddr\"}},"
                + "\"right\":{\"prefix\":{\"addr\":\"10.0.0.0\",\"len\":8}}}}]";
        assertEquals(expected, parse("[]", "\"conditionsV4\":[\"ip saddr == 10.0.0.0/8\"]").conditionsV4().toString());
        assertEquals(expected, parse("[]", "\"conditionsV4\":[\"ip saddr eq 10.0.0.0/8 \"]").conditionsV4().toString());
        assertEquals("[{\"match\":{\"op\":\"==\",\"left\":{\"meta\":{\"key\":\"mark\"}},\"right\":16}}]",
                parse("[]", "\"conditionsV4\":[\"mark 0X10\"]").conditionsV4().toString());
    }

    @Test
    void conditionValuesThatAreNoValuesAreRefusedAsConfigErrors() {
        CniException emptyName = refused("[]", "\"conditionsV4\":[\"iifname \\\"\\\"\"]");
        assertEquals(CniException.INVALID_CONFIG, emptyName.code());
        assertTrue(emptyName.msg().contains("invalid ifname ''"), "the quotes go, even around nothing: " + emptyName.msg());
        CniException noAddress = refused("[]", "\"conditionsV4\":[\"ip saddr /8\"]");
        assertEquals(CniException.INVALID_CONFIG, noAddress.code());
        assertTrue(noAddress.msg().startsWith("invalid \"conditionsV4\": 'ip saddr /8'"), noAddress.msg());
        assertTrue(noAddress.msg().contains(" '/8': "), "the value as written, not taken for an address of length 8: " + noAddress.msg());
    }
}
