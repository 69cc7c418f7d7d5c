package dev.jcni.bandwidth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.net.AddressFormatException;
import dev.jcni.core.net.IpPrefix;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.JsonFields;
import dev.jcni.core.skel.Invocation;
import dev.jcni.core.skel.Log;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The bandwidth plugin's settings, read from one request and validated before any change.
 *
 * <p>Rates and bursts, as the reference reads them: {@code ingressRate}, {@code ingressBurst},
 * {@code egressRate}, {@code egressBurst} in bits per second and bits, unsigned 64-bit integers,
 * at the top of the config or in {@code runtimeConfig.bandwidth} (the {@code bandwidth}
 * capability, from Kubernetes' pod annotations), keys in any case (containerd sends
 * {@code IngressRate}). If any of the four keys is at the top, the top wins whole and
 * runtimeConfig's rates are not read (the reference's rule). A rate needs a burst and a burst a
 * rate, bursts stay below 4 GB: the reference's checks and messages.
 *
 * <p>A burst the runtime sends because it has none to send (containerd's 4294967295, CRI-O's
 * 34359738359, the kubelet's old 2147483647: {@link #RUNTIME_NO_BURST}) means "not given": the
 * plugin picks one ({@link TbfSizing#defaultBurst}) instead of a bucket of 512 MB or 4 GB that
 * would let that much through unshaped after every pause.
 *
 * <p>Beyond the reference, from the top of the config only (they are the network's, not a pod's;
 * runtimeConfig copies are ignored with a warning, as a pod must not exempt itself):
 * {@code unshapedSubnets} or {@code shapedSubnets} (CIDR lists, not both, at most
 * {@value #MAX_SUBNETS}) and {@code latencyMs}, the queueing delay the shaper may add
 * ({@link TbfSizing}).
 *
 * @param ingress       the limit on traffic to the container, or null
 * @param egress        the limit on traffic from the container, or null
 * @param subnets       which traffic is shaped
 * @param latencyMicros the target queueing delay in microseconds, 0 for the default
 */
record BandwidthConfig(Limit ingress, Limit egress, Subnets subnets, long latencyMicros) {
    /** Bursts runtimes send when they have none: MaxInt32 (kubelet), MaxUint32 (containerd), MaxUint32*8-1 and MaxUint32*8 (CRI-O). */
    static final long[] RUNTIME_NO_BURST = {2_147_483_647L, 4_294_967_295L, 34_359_738_359L, 34_359_738_360L};
    static final int MAX_SUBNETS = 256;
    /** The largest latencyMs: a queue longer than 10 s is a misconfiguration. */
    static final long MAX_LATENCY_MICROS = 10_000_000L;
    private static final long MAX_UINT32 = 0xFFFF_FFFFL;
    private static final BigInteger MAX_UINT64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final String[] RATE_KEYS = {"ingressRate", "ingressBurst", "egressRate", "egressBurst"};

    /**
     * One direction's limit as configured.
     *
     * @param rateBits  bits per second, at least 8
     * @param burstBits bits, at least 8; 0 when not given (the runtime sent its "no burst")
     */
    record Limit(long rateBits, long burstBits) {
        /** Bytes per second, as the reference computes it (bits / 8, truncated). */
        long rate() {
            return rateBits / 8;
        }

        /** Bytes; 0 when not given. */
        long burst() {
            return burstBits / 8;
        }
    }

    Limit limit(Direction d) {
        return d == Direction.INGRESS ? ingress : egress;
    }

    /** True when a rate is set in either direction. */
    boolean shapesAnything() {
        return ingress != null || egress != null;
    }

    static BandwidthConfig parse(Invocation inv) throws CniException {
        JsonFields conf = inv.config();
        JsonFields runtime = conf.object("runtimeConfig").object("bandwidth");
        boolean fromTop = hasAnyRateKey(conf);
        JsonFields source = fromTop ? conf : runtime;
        Limit ingress = limit(source, Direction.INGRESS, !fromTop);
        Limit egress = limit(source, Direction.EGRESS, !fromTop);
        warnIgnored(runtime, fromTop);
        return new BandwidthConfig(ingress, egress, subnets(conf), latency(conf));
    }

    /** Go fills the reference's embedded entry when any of its keys is there, whatever the value. */
    private static boolean hasAnyRateKey(JsonFields conf) {
        for (Map.Entry<String, JsonNode> e : conf.entries()) {
            for (String key : RATE_KEYS) {
                if (e.getKey().equalsIgnoreCase(key)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Limit limit(JsonFields source, Direction d, boolean fromRuntime) throws CniException {
        long rate = u64(source, d.rateKey());
        long burst = u64(source, d.burstKey());
        if (fromRuntime && rate != 0 && isRuntimeNoBurst(burst)) {
            Log.info(source.pathOf(d.burstKey()) + " " + Long.toUnsignedString(burst)
                    + " is the runtime's \"no burst given\": the plugin's default burst is used");
            burst = 0;
        } else {
            checkRateAndBurst(source, d, rate, burst);
        }
        if (rate == 0) {
            return null;
        }
        if (rate < 8) {
            throw new CniException(CniException.INVALID_CONFIG, "invalid rate: " + rate,
                    source.pathOf(d.rateKey()) + " is below 8 bit/s: the shaper counts whole bytes");
        }
        if (burst != 0 && burst < 8) {
            throw new CniException(CniException.INVALID_CONFIG, "invalid burst: " + burst,
                    source.pathOf(d.burstKey()) + " is below 8 bits: the shaper counts whole bytes");
        }
        return new Limit(rate, burst);
    }

    static boolean isRuntimeNoBurst(long burstBits) {
        for (long sentinel : RUNTIME_NO_BURST) {
            if (burstBits == sentinel) {
                return true;
            }
        }
        return false;
    }

    /** The reference's validateRateAndBurst, its messages word for word; the details name the keys. */
    private static void checkRateAndBurst(JsonFields source, Direction d, long rate, long burst) throws CniException {
        String keys = source.pathOf(d.rateKey()) + " " + Long.toUnsignedString(rate) + ", "
                + source.pathOf(d.burstKey()) + " " + Long.toUnsignedString(burst);
        if (burst == 0 && rate != 0) {
            throw new CniException(CniException.INVALID_CONFIG, "if rate is set, burst must also be set", keys);
        }
        if (rate == 0 && burst != 0) {
            throw new CniException(CniException.INVALID_CONFIG, "if burst is set, rate must also be set", keys);
        }
        if (burst < 0 || burst / 8 >= MAX_UINT32) {
            throw new CniException(CniException.INVALID_CONFIG, "burst cannot be more than 4GB",
                    keys + ": the bucket is a 32-bit byte count");
        }
    }

    /**
     * An unsigned 64-bit integer, as Go decodes a uint64: 0 when absent, a type error for
     * anything else (a negative number, a fraction, a string). Values above 2^63-1 stay unsigned
     * in the long's bits (only bursts can be that large, and those are refused as above 4 GB).
     */
    private static long u64(JsonFields fields, String key) throws CniException {
        JsonNode n = fields.get(key);
        if (n == null) {
            return 0;
        }
        if (!n.isIntegralNumber()) {
            throw fields.invalid(key, n, "an unsigned 64-bit integer");
        }
        BigInteger v = n.bigIntegerValue();
        if (v.signum() < 0 || v.compareTo(MAX_UINT64) > 0) {
            throw fields.invalid(key, n, "an unsigned 64-bit integer");
        }
        if (v.bitLength() > 63 && key.endsWith("Rate")) {
            throw new CniException(CniException.INVALID_CONFIG, "invalid rate: " + v,
                    fields.pathOf(key) + " is above " + Long.MAX_VALUE + " bit/s");
        }
        return v.longValue();
    }

    /** Subnet lists are the network's: a pod must not exempt its own traffic through its runtime's arguments. */
    private static void warnIgnored(JsonFields runtime, boolean fromTop) throws CniException {
        for (String key : new String[] {"unshapedSubnets", "shapedSubnets", "latencyMs"}) {
            if (runtime.get(key) != null) {
                Log.warn(runtime.pathOf(key) + " is ignored: it is read from the network config only");
            }
        }
        if (fromTop && runtime.isPresent() && hasAnyRateKey(runtime)) {
            Log.info("rates in the network config win: " + runtime.path() + " is not used");
        }
    }

    private static Subnets subnets(JsonFields conf) throws CniException {
        List<IpPrefix> unshaped = prefixes(conf, "unshapedSubnets");
        List<IpPrefix> shaped = prefixes(conf, "shapedSubnets");
        if (!unshaped.isEmpty() && !shaped.isEmpty()) {
            throw new CniException(CniException.INVALID_CONFIG,
                    "unshapedSubnets and shapedSubnets cannot be both specified, one of them should be discarded");
        }
        if (!unshaped.isEmpty()) {
            return Subnets.of(Subnets.Mode.UNSHAPED, unshaped);
        }
        return shaped.isEmpty() ? Subnets.ALL : Subnets.of(Subnets.Mode.SHAPED, shaped);
    }

    private static List<IpPrefix> prefixes(JsonFields conf, String key) throws CniException {
        List<String> texts = conf.strings(key);
        List<IpPrefix> out = new ArrayList<>();
        if (texts == null) {
            return out;
        }
        if (texts.size() > MAX_SUBNETS) {
            throw new CniException(CniException.INVALID_CONFIG, "too many " + key + ": " + texts.size(),
                    "at most " + MAX_SUBNETS + ", one u32 rule each; aggregate them into shorter prefixes");
        }
        for (String text : texts) {
            try {
                out.add(IpPrefix.parse(text));
            } catch (AddressFormatException e) {
                // The reference's words, with Go's net.ParseCIDR error as its details.
                throw new CniException(CniException.INVALID_CONFIG, "bad subnet \"" + text + "\" provided, details invalid CIDR address: "
                        + text, conf.pathOf(key) + ": " + e.reason());
            }
        }
        return out;
    }

    /** {@code latencyMs}: milliseconds, a fraction allowed, above 0 and at most 10 s; 0 when absent. */
    private static long latency(JsonFields conf) throws CniException {
        JsonNode n = conf.get("latencyMs");
        if (n == null) {
            return 0;
        }
        if (!n.isNumber()) {
            throw conf.invalid("latencyMs", n, "a number of milliseconds");
        }
        // Zero, a negative value and one below half a microsecond all round to less than 1.
        long micros = Math.round(n.doubleValue() * 1000);
        if (micros < 1 || micros > MAX_LATENCY_MICROS) {
            throw conf.invalid("latencyMs", n, "more than 0 and at most " + MAX_LATENCY_MICROS / 1000 + " milliseconds");
        }
        return micros;
    }
}
