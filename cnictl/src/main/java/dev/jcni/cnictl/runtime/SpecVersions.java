package dev.jcni.cnictl.runtime;

import dev.jcni.core.protocol.CniException;

/**
 * Version comparison as libcni does it ({@code version.ParseVersion}): "" is 0.1.0, and "1" or
 * "1.0" are valid short forms. That is looser than {@link dev.jcni.core.protocol.CniVersion},
 * which the plugin side uses; a runtime must accept every conflist libcni accepts.
 */
final class SpecVersions {
    private SpecVersions() {}

    /** major, minor, micro; throws for anything libcni would reject. */
    static int[] parse(String version) throws CniException {
        if (version == null || version.isEmpty()) {
            return new int[] {0, 1, 0};
        }
        String[] parts = version.split("\\.", -1);
        if (parts.length > 3) {
            throw invalid(version, "too many parts");
        }
        int[] out = new int[3];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw invalid(version, "\"" + parts[i] + "\" is not a number");
            }
        }
        return out;
    }

    static int compare(String a, String b) throws CniException {
        int[] x = parse(a);
        int[] y = parse(b);
        for (int i = 0; i < 3; i++) {
            if (x[i] != y[i]) {
                return Integer.compare(x[i], y[i]);
            }
        }
        return 0;
    }

    /** {@code version >= minimum}; an unparsable version is an error, as in libcni's CHECK/DEL gates. */
    static boolean atLeast(String version, String minimum) throws CniException {
        return compare(version, minimum) >= 0;
    }

    private static CniException invalid(String version, String why) {
        return new CniException(CniException.DECODING_FAILURE, "invalid version \"" + version + "\": " + why);
    }
}
