package dev.jcni.core.os.nft;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Picks the {@link NftBackend} to use: the one an override names, else the first, in the order
 * given, whose probe finds it usable. The caller passes the candidates in order of preference
 * ({@link #defaultBackends()} for production), so the choice is explicit and testable; the plugin
 * entry point reads the override with {@link #override} (plugins themselves read no environment).
 *
 * <p>For a plugin's STATUS, {@link #unavailabilityCause} says why nftables cannot be used
 * without opening anything.
 */
public final class NftRunners {
    /** System property that forces a backend by name; wins over {@link #OVERRIDE_ENV}. */
    public static final String OVERRIDE_PROPERTY = "jcni.nft.runner";
    /** Environment variable that forces a backend by name. */
    public static final String OVERRIDE_ENV = "JCNI_NFT_RUNNER";

    private NftRunners() {}

    /**
     * The real backends in order of preference: libnftables ({@value LibNftablesRunner#NAME}),
     * then the {@code nft} process ({@value NftProcessRunner#NAME}). The library comes first
     * because a one-shot plugin JVM applying a portmap ADD and listing the table back finishes
     * sooner with it than by starting {@code nft} twice (docs/benchmarks.md, "nftables
     * runners"), and it also works inside {@code NetNs.run}. Creating the list probes nothing
     * and loads no native code.
     */
    public static List<NftBackend> defaultBackends() {
        return List.of(LibNftablesRunner.backend(), NftProcessRunner.backend());
    }

    /**
     * Loads jffi and libnftables on a background daemon thread, for a plugin entry point that
     * knows its verb will use nftables: the library is bound while the request is parsed and
     * validated instead of after.
     */
    public static void preloadInBackground() {
        Thread t = new Thread(new Runnable() {
            @Override
            public void run() {
                LibNftablesRunner.backend().unavailabilityCause();
            }
        }, "jcni-nft-preload");
        t.setDaemon(true);
        t.start();
    }

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
     * Why {@link #choose} would fail with these arguments, or null when it would find a runner:
     * what a plugin's STATUS reports as "nftables cannot be used". Runs the probes (which may
     * load libnftables) but opens no runner and sends nothing to the kernel.
     */
    public static String unavailabilityCause(String override, List<NftBackend> candidates) {
        StringBuilder why = new StringBuilder();
        return select(override, candidates, why) == null ? why.toString() : null;
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
        StringBuilder why = new StringBuilder();
        NftBackend chosen = select(override, candidates, why);
        if (chosen == null) {
            throw new NftUnavailableException(why.toString());
        }
        return chosen.open();
    }

    /** The backend to use, or null with the reason written to {@code why}. Probes each candidate at most once. */
    private static NftBackend select(String override, List<NftBackend> candidates, StringBuilder why) {
        if (override != null) {
            List<String> names = new ArrayList<>();
            for (NftBackend b : candidates) {
                if (b.name().equals(override)) {
                    String cause = b.unavailabilityCause();
                    if (cause == null) {
                        return b;
                    }
                    why.append("nftables runner '").append(override).append("' (from ").append(OVERRIDE_PROPERTY)
                            .append(" or ").append(OVERRIDE_ENV).append(") cannot be used: ").append(cause);
                    return null;
                }
                names.add(b.name());
            }
            why.append("unknown nftables runner '").append(override).append("' (from ").append(OVERRIDE_PROPERTY)
                    .append(" or ").append(OVERRIDE_ENV).append("); known: ").append(String.join(", ", names));
            return null;
        }
        StringBuilder causes = new StringBuilder();
        for (NftBackend b : candidates) {
            String cause = b.unavailabilityCause();
            if (cause == null) {
                return b;
            }
            causes.append(causes.length() == 0 ? "" : "; ").append(b.name()).append(": ").append(cause);
        }
        why.append("no nftables runner can be used").append(causes.length() == 0 ? " (none offered)" : ": " + causes);
        return null;
    }
}
