package dev.jcni.bandwidth;

import dev.jcni.core.testing.CapturedLog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.net.IpPrefix;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.skel.Command;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BandwidthConfigTest {
    private static BandwidthConfig parse(String keys) throws Exception {
        return BandwidthConfig.parse(Requests.invocation(Command.ADD, Requests.conf(keys)));
    }

    private static CniException refused(String keys) {
        CniException e = assertThrows(CniException.class, () -> parse(keys));
        assertEquals(CniException.INVALID_CONFIG, e.code(), e.msg());
        return e;
    }

    @Test
    void staticRatesInBitsAreReadAsBytes() throws Exception {
        BandwidthConfig c = parse("\"ingressRate\":10000000,\"ingressBurst\":1000000,\"egressRate\":8000,\"egressBurst\":80");
        assertEquals(new BandwidthConfig.Limit(10_000_000, 1_000_000), c.ingress());
        assertEquals(1_250_000, c.ingress().rate());
        assertEquals(125_000, c.ingress().burst());
        assertEquals(1000, c.egress().rate());
        assertEquals(10, c.egress().burst());
        assertEquals(Subnets.ALL, c.subnets());
        assertEquals(0, c.latencyMicros());
    }

    @Test
    void noRatesShapeNothing() throws Exception {
        BandwidthConfig c = parse("");
        assertNull(c.ingress());
        assertNull(c.egress());
        assertTrue(!c.shapesAnything());
        assertTrue(!parse("\"ingressRate\":0,\"ingressBurst\":0").shapesAnything());
    }

    @Test
    void runtimeConfigKeysInAnyCase() throws Exception {
        BandwidthConfig c = parse("\"runtimeConfig\":{\"bandwidth\":{\"IngressRate\":1000000,\"IngressBurst\":100000,"
                + "\"EGRESSRATE\":2000000,\"egressburst\":200000}}");
        assertEquals(new BandwidthConfig.Limit(1_000_000, 100_000), c.ingress());
        assertEquals(new BandwidthConfig.Limit(2_000_000, 200_000), c.egress());
    }

    @Test
    void anyStaticRateKeyMakesTheStaticEntryWinWhole() throws Exception {
        // The reference's test: static config and runtime config, the static one applies.
        BandwidthConfig c = parse("\"ingressRate\":10000000,\"ingressBurst\":1000000,"
                + "\"runtimeConfig\":{\"bandwidth\":{\"ingressRate\":1000000,\"ingressBurst\":100000,\"egressRate\":5000000,\"egressBurst\":50000}}");
        assertEquals(new BandwidthConfig.Limit(10_000_000, 1_000_000), c.ingress());
        assertNull(c.egress(), "runtimeConfig is not read at all once the top has a rate key");
        // Even a zero (Go allocates the embedded entry for any of its keys).
        assertTrue(!parse("\"egressBurst\":0,\"runtimeConfig\":{\"bandwidth\":{\"ingressRate\":1000000,\"ingressBurst\":100000}}")
                .shapesAnything());
    }

    @ParameterizedTest
    @CsvSource({"4294967295", "34359738359", "2147483647", "34359738360"})
    void aRuntimesNoBurstValueMeansNotGiven(String sentinel) throws Exception {
        BandwidthConfig c = parse("\"runtimeConfig\":{\"bandwidth\":{\"IngressRate\":1000000,\"IngressBurst\":" + sentinel
                + ",\"EgressRate\":2000000,\"EgressBurst\":" + sentinel + "}}");
        assertEquals(new BandwidthConfig.Limit(1_000_000, 0), c.ingress());
        assertEquals(0, c.ingress().burst(), "the plugin picks the burst");
        assertEquals(new BandwidthConfig.Limit(2_000_000, 0), c.egress());
    }

    @Test
    void theSameValueInTheNetworkConfigIsTakenAsWritten() throws Exception {
        BandwidthConfig c = parse("\"ingressRate\":1000000,\"ingressBurst\":4294967295");
        assertEquals(536_870_911, c.ingress().burst());
    }

    @Test
    void theReferencesMessages() {
        assertEquals("if rate is set, burst must also be set", refused("\"ingressRate\":1000").msg());
        assertEquals("if burst is set, rate must also be set", refused("\"egressBurst\":1000").msg());
        // Its test: 4*1024^3*8 - 16 bits are allowed, 4*1024^3*8 are not.
        assertEquals("burst cannot be more than 4GB", refused("\"ingressRate\":1000,\"ingressBurst\":34359738368").msg());
        assertEquals("burst cannot be more than 4GB", refused("\"ingressRate\":1000,\"ingressBurst\":18446744073709551615").msg());
        assertEquals("if rate is set, burst must also be set",
                refused("\"runtimeConfig\":{\"bandwidth\":{\"ingressRate\":1000}}").msg());
        CniException both = refused("\"unshapedSubnets\":[\"10.0.0.0/8\"],\"shapedSubnets\":[\"10.1.0.0/16\"]");
        assertEquals("unshapedSubnets and shapedSubnets cannot be both specified, one of them should be discarded", both.msg());
        CniException bad = refused("\"unshapedSubnets\":[\"10.0.0.0/33\"]");
        assertEquals("bad subnet \"10.0.0.0/33\" provided, details invalid CIDR address: 10.0.0.0/33", bad.msg());
        assertTrue(bad.details().startsWith("unshapedSubnets: "), bad.details());
    }

    @Test
    void detailsNameTheKeysAndWhereTheyCameFrom() {
        CniException e = refused("\"runtimeConfig\":{\"bandwidth\":{\"EgressRate\":1000}}");
        assertEquals("runtimeConfig.bandwidth.egressRate 1000, runtimeConfig.bandwidth.egressBurst 0", e.details());
    }

    @Test
    void theLargestBurstIsAllowed() throws Exception {
        assertEquals(4_294_967_294L, parse("\"ingressRate\":1000,\"ingressBurst\":34359738352").ingress().burst());
    }

    @Test
    void ratesAndBurstsAreWholeBytesAtLeast() {
        assertEquals("invalid rate: 7", refused("\"ingressRate\":7,\"ingressBurst\":800").msg());
        assertEquals("invalid burst: 7", refused("\"ingressRate\":8000,\"ingressBurst\":7").msg());
        assertEquals("invalid rate: 9223372036854775808", refused("\"ingressRate\":9223372036854775808,\"ingressBurst\":800").msg());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"ingressRate\":-1,\"ingressBurst\":10|ingressRate",
        "\"ingressRate\":1.5e6,\"ingressBurst\":10|ingressRate",
        "\"ingressRate\":\"1000\",\"ingressBurst\":10|ingressRate",
        "\"ingressRate\":1000,\"ingressBurst\":18446744073709551616|ingressBurst",
        "\"latencyMs\":\"5\"|latencyMs",
        "\"latencyMs\":0|latencyMs",
        "\"latencyMs\":-3|latencyMs",
        "\"latencyMs\":10001|latencyMs",
        "\"unshapedSubnets\":\"10.0.0.0/8\"|unshapedSubnets",
        "\"shapedSubnets\":[10]|shapedSubnets[0]"})
    void typeErrorsNameTheField(String keys, String field) {
        CniException e = refused(keys);
        assertTrue(e.msg().contains("\"" + field + "\""), e.msg());
    }

    @Test
    void subnetsAreMaskedDeduplicatedAndOrderedByFamily() throws Exception {
        BandwidthConfig c = parse("\"unshapedSubnets\":[\"fd00:1::5/64\",\"10.1.2.3/16\",\"10.1.0.0/16\",\"192.168.0.0/24\"]");
        assertEquals(Subnets.Mode.UNSHAPED, c.subnets().mode());
        assertEquals(List.of(IpPrefix.parse("10.1.0.0/16"), IpPrefix.parse("192.168.0.0/24"), IpPrefix.parse("fd00:1::/64")),
                c.subnets().prefixes());
        assertEquals(Subnets.Mode.SHAPED, parse("\"shapedSubnets\":[\"10.0.0.0/8\"]").subnets().mode());
        assertEquals(Subnets.ALL, parse("\"shapedSubnets\":[],\"unshapedSubnets\":[]").subnets());
    }

    @Test
    void subnetsAreBounded() {
        StringBuilder sb = new StringBuilder("\"unshapedSubnets\":[");
        for (int i = 0; i <= BandwidthConfig.MAX_SUBNETS; i++) {
            sb.append(i == 0 ? "" : ",").append("\"10.").append(i / 256).append('.').append(i % 256).append(".0/24\"");
        }
        assertEquals("too many unshapedSubnets: 257", refused(sb.append(']').toString()).msg());
    }

    @Test
    void subnetsAndLatencyFromTheRuntimeAreIgnored() throws Exception {
        BandwidthConfig c = parse("\"runtimeConfig\":{\"bandwidth\":{\"ingressRate\":1000000,\"ingressBurst\":100000,"
                + "\"unshapedSubnets\":[\"0.0.0.0/0\"],\"latencyMs\":500}}");
        assertEquals(Subnets.ALL, c.subnets(), "a pod cannot exempt itself");
        assertEquals(0, c.latencyMicros());
    }

    @Test
    void latencyInMillisecondsWithFractions() throws Exception {
        assertEquals(5_000, parse("\"latencyMs\":5").latencyMicros());
        assertEquals(2_500, parse("\"latencyMs\":2.5").latencyMicros());
        assertEquals(10_000_000, parse("\"latencyMs\":10000").latencyMicros());
    }

    @Test
    void theSmallestRateAndBurstAreOneByte() throws Exception {
        assertEquals(new BandwidthConfig.Limit(8, 8), parse("\"ingressRate\":8,\"ingressBurst\":8").ingress());
    }

    @Test
    void theLargestRateIsTheLargestSignedLong() throws Exception {
        // The kernel's rate is a u64 of bytes, but Java reads the long signed: 2^63 - 1 is the last one kept.
        assertEquals(Long.MAX_VALUE, parse("\"egressRate\":9223372036854775807,\"egressBurst\":800").egress().rateBits());
    }

    @Test
    void aBurstOfExactly4GbIsRefusedAsByTheReference() throws Exception {
        // The reference: burst/8 >= math.MaxUint32 is refused. 34359738360 / 8 == 4294967295.
        assertEquals("burst cannot be more than 4GB", refused("\"ingressRate\":1000,\"ingressBurst\":34359738360").msg());
        assertEquals(4_294_967_294L, parse("\"ingressRate\":1000,\"ingressBurst\":34359738359").ingress().burst());
    }

    @Test
    void exactlyTheMostSubnetsAreAllowed() throws Exception {
        StringBuilder sb = new StringBuilder("\"shapedSubnets\":[");
        for (int i = 0; i < BandwidthConfig.MAX_SUBNETS; i++) {
            sb.append(i == 0 ? "" : ",").append("\"10.").append(i / 256).append('.').append(i % 256).append(".0/24\"");
        }
        assertEquals(256, parse(sb.append(']').toString()).subnets().prefixes().size());
    }

    @Test
    void theShortestLatencyIsOneMicrosecond() throws Exception {
        assertEquals(1, parse("\"latencyMs\":0.001").latencyMicros());
        assertTrue(refused("\"latencyMs\":0.0004").msg().contains("\"latencyMs\""), "rounds to 0 us");
        assertTrue(refused("\"latencyMs\":-0.0001").msg().contains("\"latencyMs\""), "negative, though it rounds to 0");
    }

    @Test
    void settingsARuntimeCannotMakeAreNamedInAWarning() throws Exception {
        try (CapturedLog log = new CapturedLog(BandwidthPlugin.NAME, new BandwidthPlugin(), false)) {
            parse("\"runtimeConfig\":{\"bandwidth\":{\"ingressRate\":1000000,\"ingressBurst\":100000,\"shapedSubnets\":[\"10.0.0.0/8\"]}}");
            assertTrue(log.has("WARN", "runtimeConfig.bandwidth.shapedSubnets is ignored: it is read from the network config only"), log.toString());
            assertEquals(1, log.lines().size(), "only the key that was there: " + log);
        }
    }

    @Test
    void theDebugLogSaysWhichRatesWinAndWhenTheRuntimesNoBurstIsReplaced() throws Exception {
        String runtimeRates = "\"runtimeConfig\":{\"bandwidth\":{\"ingressRate\":1000000,\"ingressBurst\":4294967295}}";
        String wins = "rates in the network config win: runtimeConfig.bandwidth is not used";
        try (CapturedLog log = new CapturedLog(BandwidthPlugin.NAME, new BandwidthPlugin(), true)) {
            parse("\"egressRate\":8000,\"egressBurst\":800," + runtimeRates);
            assertTrue(log.has("INFO", wins), log.toString());
        }
        try (CapturedLog log = new CapturedLog(BandwidthPlugin.NAME, new BandwidthPlugin(), true)) {
            parse(runtimeRates);
            assertFalse(log.has("INFO", wins), "the runtime's rates are used: " + log);
            assertTrue(log.has("INFO", "runtimeConfig.bandwidth.ingressBurst 4294967295 is the runtime's \"no burst given\": "
                    + "the plugin's default burst is used"), log.toString());
        }
        try (CapturedLog log = new CapturedLog(BandwidthPlugin.NAME, new BandwidthPlugin(), true)) {
            parse("\"egressRate\":8000,\"egressBurst\":800,\"runtimeConfig\":{\"bandwidth\":{\"latencyMs\":5}}");
            assertFalse(log.has("INFO", wins), "runtimeConfig.bandwidth has no rate to lose: " + log);
        }
        try (CapturedLog log = new CapturedLog(BandwidthPlugin.NAME, new BandwidthPlugin(), true)) {
            parse("\"egressRate\":8000,\"egressBurst\":800");
            assertEquals(List.of(), log.lines().stream().filter(l -> l.contains("INFO")).toList(), "no runtimeConfig at all");
        }
    }
}
