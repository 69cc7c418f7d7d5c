package dev.jcni.core.os.nft;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Picks the {@link NftBackend} to use: the one an override names, else the first, in the order
 * given, whose probe finds it usable. The caller passes the candidates in order of preference,
 * so the choice is explicit and testable; the plugin entry point reads the override with
 * {@link #override} (plugins themselves read no environment).
 */
public final class NftRunners {
    /** System property that forces a backend by name; wins over {@link #OVERRIDE_ENV}. */
    public static final String OVERRIDE_PROPERTY = "jcni.nft.runner";
    /** Environment variable that forces a backend by name. */
    public static final String OVERRIDE_ENV = "JCNI_NFT_RUNNER";

    private NftRunners() {}

    /** The override from {@code properties} ({@value #OVERRIDE_PROPERTY}) or else {@code env} ({@value #OVERRIDE_ENV}); null if neither names one. */
    public static String override(Properties properties, Map<String, String> env) {
        String p = properties == null ? null : properties.getProperty(OVERRIDE_PROPERTY);
        if (p != null && !p.isBlank()) {
            return p.trim();
        }
        String e = env == null ? null : env.get(OVERRIDE_ENV);
        return e != null && !e.isBlank() ? e.trim() : null;
    }

    /**
     * A runner from the first usable candidate, or from the one {@code override} names. An
     * explicit override never falls back to another backend: if it cannot work, that is the
     * error, so a misconfigured host is not silently run through a different path.
     *
     * @param override a backend name, or null to probe
     * @param candidates backends in order of preference
     * @throws NftUnavailableException when no candidate (or the named one) can work here
     */
    public static NftRunner choose(String override, List<NftBackend> candidates) throws NftException, NftUnavailableException {
        if (override != null) {
            List<String> names = new ArrayList<>();
            for (NftBackend b : candidates) {
                if (b.name().equals(override)) {
                    String cause = b.unavailabilityCause();
                    if (cause != null) {
                        throw new NftUnavailableException("nftables runner '" + override + "' (from " + OVERRIDE_PROPERTY
                                + " or " + OVERRIDE_ENV + ") cannot be used: " + cause);
                    }
                    return b.open();
                }
                names.add(b.name());
            }
            throw new NftUnavailableException("unknown nftables runner '" + override + "' (from " + OVERRIDE_PROPERTY
                    + " or " + OVERRIDE_ENV + "); known: " + String.join(", ", names));
        }
        StringBuilder causes = new StringBuilder();
        for (NftBackend b : candidates) {
            String cause = b.unavailabilityCause();
            if (cause == null) {
                return b.open();
            }
            causes.append(causes.length() == 0 ? "" : "; ").append(b.name()).append(": ").append(cause);
        }
        throw new NftUnavailableException("no nftables runner can be used"
                + (causes.length() == 0 ? " (none offered)" : ": " + causes));
    }
}
