package dev.jcni.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.protocol.CniException;
import dev.jcni.core.skel.Command;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TuningConfigTest {
    private static TuningConfig parse(String json, String cniArgs) throws Exception {
        return TuningConfig.parse(Requests.invocation(Command.ADD, json, cniArgs));
    }

    private static TuningConfig parse(String json) throws Exception {
        return parse(json, null);
    }

    @Test
    void defaultsWhenNothingIsConfigured() throws Exception {
        TuningConfig c = parse("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"tuning\"}");
        assertTrue(c.sysctls().isEmpty());
        assertFalse(c.changesLink());
        assertNull(c.link().get(TunableAttribute.PROMISC));
        assertEquals("/run/cni/tuning", c.dataDir());
    }

    @Test
    void anEmptyDataDirMeansTheDefaultAsInTheReference() throws Exception {
        // Issue 6 hole 7: "" was refused as a relative path.
        assertEquals("/run/cni/tuning", parse("{\"name\":\"n\",\"dataDir\":\"\"}").dataDir());
        assertEquals("/run/cni/t", parse("{\"name\":\"n\",\"dataDir\":\"/run/cni/t\"}").dataDir());
    }

    @Test
    void theAllowlistIsNodePolicyAndCannotBeNamedByAConfig() {
        // Issue 6 hole 1: "allowlistFile": "/nonexistent" let a config allow every sysctl.
        for (String spelling : List.of("\"allowlistFile\":\"/nonexistent\"", "\"AllowListFile\":\"/etc/shadow\"",
                "\"allowlistFile\":\"\"", "\"allowlistFile\":null")) {
            CniException e = assertThrows(CniException.class, () -> parse("{\"name\":\"n\"," + spelling + "}"), spelling);
            assertEquals(CniException.INVALID_CONFIG, e.code());
            assertTrue(e.msg().contains("llow") && e.msg().endsWith("cannot be set in a network config"), e.msg());
            assertTrue(e.details().startsWith("the sysctl allowlist is node policy"), e.details());
        }
    }

    @Test
    void sysctlValuesWithControlCharactersAreRefusedBeforeAnyChange() {
        // Issue 6 hole 4: the kernel applies "1" of "1\n0" and reports a short write.
        for (String value : List.of("1\\n0", "1\\t2", "1\\u0000", "\\r")) {
            CniException e = assertThrows(CniException.class,
                    () -> parse("{\"name\":\"n\",\"sysctl\":{\"net.ipv4.conf.IFNAME.rp_filter\":\"" + value + "\"}}"), value);
            assertEquals(CniException.INVALID_CONFIG, e.code());
            assertEquals("invalid value for \"sysctl.net.ipv4.conf.IFNAME.rp_filter\"", e.msg());
            assertTrue(e.details().startsWith("contains the control character U+00"), e.details());
        }
    }

    @Test
    void multiValueSysctlsTakeSpaces() throws Exception {
        assertEquals(Map.of("net.ipv4.ip_local_port_range", "32768 60999"),
                parse("{\"name\":\"n\",\"sysctl\":{\"net.ipv4.ip_local_port_range\":\"32768 60999\"}}").sysctls());
    }

    @Test
    void rangeErrorsNameTheFieldWhereverItIs() {
        CniException e = assertThrows(CniException.class, () -> parse("{\"name\":\"n\",\"args\":{\"cni\":{\"mtu\":10}}}"));
        assertEquals("invalid value 10 for \"args.cni.mtu\": expected 68 to 65535", e.msg());
        e = assertThrows(CniException.class, () -> parse("{\"name\":\"n\",\"txQLen\":-1}"));
        assertEquals("invalid value -1 for \"txQLen\": must not be negative", e.msg());
    }

    @Test
    void macPrecedenceIsConfigThenCniArgsThenRuntimeConfigThenArgs() throws Exception {
        String base = "{\"name\":\"n\",\"mac\":\"c2:00:00:00:00:01\"";
        assertEquals("c2:00:00:00:00:01", parse(base + "}").link().get(TunableAttribute.MAC).toString());
        assertEquals("c2:00:00:00:00:02", parse(base + "}", "IgnoreUnknown=1;MAC=c2:00:00:00:00:02").link().get(TunableAttribute.MAC).toString());
        assertEquals("c2:00:00:00:00:03", parse(base + ",\"runtimeConfig\":{\"mac\":\"c2:00:00:00:00:03\"}}",
                "MAC=c2:00:00:00:00:02").link().get(TunableAttribute.MAC).toString());
        assertEquals("c2:00:00:00:00:04", parse(base + ",\"runtimeConfig\":{\"mac\":\"c2:00:00:00:00:03\"},"
                + "\"args\":{\"cni\":{\"mac\":\"c2:00:00:00:00:04\"}}}", "MAC=c2:00:00:00:00:02").link().get(TunableAttribute.MAC).toString());
    }

    @Test
    void macIsNormalisedToLowerCaseColons() throws Exception {
        assertEquals("c2:aa:bb:cc:dd:ee", parse("{\"name\":\"n\",\"mac\":\"C2-AA-BB-CC-DD-EE\"}").link().get(TunableAttribute.MAC).toString());
    }

    @Test
    void invalidMacsAreRefusedWithTheValue() {
        for (String mac : List.of("zz:00:00:00:00:01", "c2:00:00:00:00", "01:00:5e:00:00:01", "00:00:00:00:00:00", "")) {
            CniException e = assertThrows(CniException.class, () -> parse("{\"name\":\"n\",\"mac\":\"" + mac + "\"}"));
            assertEquals(CniException.INVALID_CONFIG, e.code());
            assertTrue(e.msg().contains("\"" + mac + "\""), e.msg());
        }
    }

    @Test
    void argsCniOverridesTopLevelValuesAndMergesSysctls() throws Exception {
        TuningConfig c = parse("{\"name\":\"n\",\"mtu\":1400,\"promisc\":false,\"sysctl\":{\"net.core.somaxconn\":\"100\","
                + "\"net.ipv4.conf.IFNAME.rp_filter\":\"1\"},\"args\":{\"cni\":{\"mtu\":1300,\"promisc\":true,\"allmulti\":true,"
                + "\"txQLen\":50,\"sysctl\":{\"net.core.somaxconn\":\"200\"}}}}");
        assertEquals(1300, c.link().get(TunableAttribute.MTU));
        assertEquals(true, c.link().get(TunableAttribute.PROMISC));
        assertEquals(true, c.link().get(TunableAttribute.ALLMULTI));
        assertEquals(50, c.link().get(TunableAttribute.TX_QUEUE_LENGTH));
        assertEquals(Map.of("net.core.somaxconn", "200", "net.ipv4.conf.IFNAME.rp_filter", "1"), c.sysctls());
    }

    @Test
    void argsCniSysctlWorksWithoutTopLevelSysctl() throws Exception {
        // The reference panics here (nil map).
        TuningConfig c = parse("{\"name\":\"n\",\"args\":{\"cni\":{\"sysctl\":{\"net.core.somaxconn\":\"200\"}}}}");
        assertEquals(Map.of("net.core.somaxconn", "200"), c.sysctls());
    }

    @Test
    void duplicatedSysctlKeysAreRefused() {
        CniException top = assertThrows(CniException.class, () ->
                parse("{\"name\":\"n\",\"sysctl\":{\"net.core.somaxconn\":\"1\",\"net.core.somaxconn\":\"2\"}}"));
        assertTrue(top.msg().contains("duplicated"), top.msg());
        assertTrue(top.details().contains("net.core.somaxconn"), top.details());
        CniException args = assertThrows(CniException.class, () ->
                parse("{\"name\":\"n\",\"args\":{\"cni\":{\"sysctl\":{\"a.b\":\"1\",\"a.b\":\"2\"}}}}"));
        assertTrue(args.msg().contains("duplicated"));
    }

    @Test
    void duplicatedSysctlKeysAreFoundByTheOneParseWhereverTheyAre() {
        CniException e = assertThrows(CniException.class, () ->
                parse("{\"name\":\"n\",\"Args\":{\"CNI\":{\"sysctl\":{\"a.b\":\"1\",\"c.d\":\"1\",\"a.b\":\"2\"}}}}"));
        assertEquals(CniException.INVALID_CONFIG, e.code());
        assertEquals("\"args.cni.sysctl\" repeats [a.b]", e.details());
    }

    @Test
    void sysctlKeysDifferingInCaseAreDifferentKeys() throws Exception {
        // /proc/sys paths are case-sensitive, as Go's map[string]string keys are.
        assertEquals(Map.of("net.core.a", "1", "net.core.A", "2"),
                parse("{\"name\":\"n\",\"sysctl\":{\"net.core.a\":\"1\",\"net.core.A\":\"2\"}}").sysctls());
    }

    @Test
    void theLastKeyMatchingIgnoringCaseWinsAsInGo() throws Exception {
        assertEquals(1500, parse("{\"name\":\"n\",\"mtu\":1400,\"MTU\":1500}").link().get(TunableAttribute.MTU));
        assertEquals(1400, parse("{\"name\":\"n\",\"MTU\":1500,\"mtu\":1400}").link().get(TunableAttribute.MTU));
        assertEquals("c2:00:00:00:00:02",
                parse("{\"name\":\"n\",\"mac\":\"c2:00:00:00:00:01\",\"Mac\":\"c2:00:00:00:00:02\"}").link().get(TunableAttribute.MAC).toString());
        assertEquals(true, parse("{\"name\":\"n\",\"args\":{\"cni\":{\"promisc\":false,\"PROMISC\":true}}}").link().get(TunableAttribute.PROMISC));
    }

    @Test
    void runtimeConfigAndArgsMustBeObjects() {
        for (String bad : List.of("\"runtimeConfig\":\"mac\"", "\"args\":[1]", "\"args\":{\"cni\":\"x\"}")) {
            CniException e = assertThrows(CniException.class, () -> parse("{\"name\":\"n\"," + bad + "}"));
            assertEquals(CniException.INVALID_CONFIG, e.code());
            assertTrue(e.msg().endsWith("expected an object"), e.msg());
        }
    }

    @Test
    void anInvalidMacNamesWhereItCameFrom() {
        CniException e = assertThrows(CniException.class, () -> parse("{\"name\":\"n\",\"mac\":\"c2:00:00:00:00:01\","
                + "\"args\":{\"cni\":{\"mac\":\"c2:00:00:00:00\"}}}"));
        assertEquals("invalid MAC address \"c2:00:00:00:00\"", e.msg());
        assertTrue(e.details().startsWith("args.cni.mac: expected six hex octets"), e.details());
        CniException fromArgs = assertThrows(CniException.class, () -> parse("{\"name\":\"n\"}", "MAC=01:00:5e:00:00:01"));
        assertEquals("a multicast address cannot be assigned to an interface", fromArgs.details());
    }

    @Test
    void keysAreReadCaseInsensitively() throws Exception {
        TuningConfig c = parse("{\"name\":\"n\",\"MTU\":1450,\"TxQLen\":10,\"RuntimeConfig\":{\"Mac\":\"c2:00:00:00:00:09\"}}");
        assertEquals(1450, c.link().get(TunableAttribute.MTU));
        assertEquals(10, c.link().get(TunableAttribute.TX_QUEUE_LENGTH));
        assertEquals("c2:00:00:00:00:09", c.link().get(TunableAttribute.MAC).toString());
    }

    @Test
    void typeErrorsNameTheFieldAndValue() {
        CniException e = assertThrows(CniException.class, () -> parse("{\"name\":\"n\",\"mtu\":\"big\"}"));
        assertEquals(CniException.INVALID_CONFIG, e.code());
        assertTrue(e.msg().contains("\"mtu\"") && e.msg().contains("big"), e.msg());
        e = assertThrows(CniException.class, () -> parse("{\"name\":\"n\",\"args\":{\"cni\":{\"promisc\":\"yes\"}}}"));
        assertTrue(e.msg().contains("args.cni.promisc"), e.msg());
        e = assertThrows(CniException.class, () -> parse("{\"name\":\"n\",\"sysctl\":{\"net.core.somaxconn\":[1]}}"));
        assertTrue(e.msg().contains("sysctl.net.core.somaxconn"), e.msg());
    }

    @Test
    void outOfRangeValuesAreRefused() {
        assertThrows(CniException.class, () -> parse("{\"name\":\"n\",\"mtu\":10}"));
        assertThrows(CniException.class, () -> parse("{\"name\":\"n\",\"mtu\":70000}"));
        assertThrows(CniException.class, () -> parse("{\"name\":\"n\",\"txQLen\":-1}"));
        assertThrows(CniException.class, () -> parse("{\"name\":\"n\",\"dataDir\":\"relative/dir\"}"));
    }

    @Test
    void numericSysctlValuesAreAcceptedAsText() throws Exception {
        assertEquals(Map.of("net.core.somaxconn", "1024"), parse("{\"name\":\"n\",\"sysctl\":{\"net.core.somaxconn\":1024}}").sysctls());
    }

    @Test
    void aDataDirOutsideTheNodesStateDirectoriesIsRefused() throws Exception {
        // The hostile suite's hole: a tenant's config chose where root creates and deletes files.
        for (String dir : List.of("/etc", "/run/nologin", "/bin", "/run/cni/../../etc")) {
            CniException e = assertThrows(CniException.class, () -> TuningDefaults.dataDir(
                    Requests.invocation(dev.jcni.core.skel.Command.DEL, "{\"name\":\"n\",\"dataDir\":\"" + dir + "\"}").config(),
                    dev.jcni.core.skel.NodePolicy.DEFAULTS), dir);
            assertEquals(CniException.INVALID_CONFIG, e.code());
            assertEquals("invalid value \"" + dir + "\" for \"dataDir\": outside the node's state directories", e.msg());
        }
    }

    @Test
    void countsAreAcceptedUpToAndIncludingTheirBounds() throws Exception {
        assertEquals(68, parse("{\"name\":\"n\",\"mtu\":68}").link().get(TunableAttribute.MTU));
        assertEquals(65535, parse("{\"name\":\"n\",\"mtu\":65535}").link().get(TunableAttribute.MTU));
        assertEquals(0, parse("{\"name\":\"n\",\"txQLen\":0}").link().get(TunableAttribute.TX_QUEUE_LENGTH));
        assertEquals(Integer.MAX_VALUE, parse("{\"name\":\"n\",\"txQLen\":2147483647}").link().get(TunableAttribute.TX_QUEUE_LENGTH));
        assertEquals("invalid value 67 for \"mtu\": expected 68 to 65535",
                assertThrows(CniException.class, () -> parse("{\"name\":\"n\",\"mtu\":67}")).msg());
        assertEquals("invalid value 65536 for \"mtu\": expected 68 to 65535",
                assertThrows(CniException.class, () -> parse("{\"name\":\"n\",\"mtu\":65536}")).msg());
        assertEquals("invalid value -1 for \"txQLen\": must not be negative",
                assertThrows(CniException.class, () -> parse("{\"name\":\"n\",\"txQLen\":-1}")).msg());
    }
}
