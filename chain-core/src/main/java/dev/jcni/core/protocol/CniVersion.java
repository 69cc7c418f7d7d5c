package dev.jcni.core.protocol;

import java.util.List;

/**
 * CNI specification versions and the rules that depend on them.
 *
 * <p>Versions are compared numerically (major.minor.patch). The families matter for results:
 * 0.1.0/0.2.0 print {@code ip4}/{@code ip6}; 0.3.0 to 0.4.0 print {@code ips} with a
 * {@code version} field; 1.0.0 and 1.1.0 print {@code ips} without it.
 */
public final class CniVersion {
    public static final String V0_1_0 = "0.1.0";
    public static final String V0_2_0 = "0.2.0";
    public static final String V0_3_0 = "0.3.0";
    public static final String V0_3_1 = "0.3.1";
    public static final String V0_4_0 = "0.4.0";
    public static final String V1_0_0 = "1.0.0";
    public static final String V1_1_0 = "1.1.0";

    /** The newest version this implementation speaks. */
    public static final String CURRENT = V1_1_0;

    /** Every version we emit results for, oldest first. */
    public static final List<String> ALL = List.of(V0_1_0, V0_2_0, V0_3_0, V0_3_1, V0_4_0, V1_0_0, V1_1_0);

    /** Result schema families. */
    public enum Family { LEGACY_020, V040, V100 }

    private CniVersion() {}

    /** A missing or empty cniVersion means 0.1.0, as in the Go library. */
    public static String orDefault(String version) {
        return version == null || version.isEmpty() ? V0_1_0 : version;
    }

    /** Parses "a.b.c" into a comparable number; throws for anything else. */
    public static long parse(String version) throws CniException {
        String v = orDefault(version);
        String[] parts = v.split("\\.", -1);
        if (parts.length != 3) {
            throw new CniException(CniException.DECODING_FAILURE, "invalid version \"" + v + "\": expected major.minor.patch");
        }
        long value = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 4 || !allDigits(part)) {
                throw new CniException(CniException.DECODING_FAILURE, "invalid version \"" + v + "\": expected major.minor.patch");
            }
            value = value * 10_000 + Integer.parseInt(part);
        }
        return value;
    }

    // A plain loop rather than a stream: lambdas cost bootstrap time in a one-request process.
    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    public static int compare(String a, String b) throws CniException {
        return Long.compare(parse(a), parse(b));
    }

    /** True if {@code version} is at least {@code minimum}; malformed versions are never at least. */
    public static boolean atLeast(String version, String minimum) {
        try {
            return parse(version) >= parse(minimum);
        } catch (CniException e) {
            return false;
        }
    }

    public static boolean isKnown(String version) {
        // List.of(...).contains(null) throws rather than answering false.
        return version != null && ALL.contains(version);
    }

    public static Family family(String version) throws CniException {
        switch (orDefault(version)) {
            case V0_1_0:
            case V0_2_0:
                return Family.LEGACY_020;
            case V0_3_0:
            case V0_3_1:
            case V0_4_0:
                return Family.V040;
            case V1_0_0:
            case V1_1_0:
                return Family.V100;
            default:
                throw new CniException(CniException.INCOMPATIBLE_VERSION,
                        "unsupported CNI result version \"" + version + "\"", "supported versions are " + ALL);
        }
    }
}
